"""Docutils doctree → Typst source, for the PDF edition.

The translator walks the whole standard as one doctree (all chapter files inlined, numbers
already put in by :mod:`tooling.sphinx.resolve`) and writes Typst markup that calls the page design
in ``_templates/gbt.typ``. It knows the toolkit's own nodes (clauses, terms, notes, annexes),
and reads element types and numbers from the clause model, never from the text.

Every text run is escaped: Typst's markup treats ``#``, ``*``, ``_``, ``<``, ``[`` … as syntax,
and a backslash before any ASCII symbol makes it literal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from docutils import nodes
from sphinx import addnodes

from .. import model
from ..model.foreword import STAGE_LINES
from ..sphinx.nodes import clause_node, clause_ref, std_example, std_note, term_node
from ..typeset import escape, string

_SKIP = (
    nodes.target, nodes.comment, nodes.substitution_definition, nodes.system_message,
    nodes.raw, addnodes.index, addnodes.toctree, nodes.title,
)



class TypstTranslator:
    """Renders a doctree node by node into Typst markup; unknown nodes keep their text."""

    def __init__(self, edition: model.Edition, warn: Callable[[str, nodes.Node], None]) -> None:
        self.edition = edition
        self.warn = warn
        self.warned: set[str] = set()
        self.body_started = False
        self.notices: list[str] = []
        self.list_depth = 0

    # -- dispatch ------------------------------------------------------------------------------

    def render(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Text):
            return escape(node.astext())
        if isinstance(node, _SKIP):
            return ""
        method = getattr(self, f"visit_{node.tagname}", None)
        if method is not None:
            return method(node)
        if node.tagname not in self.warned:
            self.warned.add(node.tagname)
            self.warn(f"PDF 版暂不支持的元素“{node.tagname}”，按纯文本排版", node)
        return self.children(node)

    def children(self, node: nodes.Node, skip: Iterable[nodes.Node] = ()) -> str:
        skipped = set(map(id, skip))
        return "".join(self.render(c) for c in node.children if id(c) not in skipped)

    def block(self, text: str) -> str:
        return text.strip("\n") + "\n\n"

    # -- structure -----------------------------------------------------------------------------

    def visit_document(self, node: nodes.document) -> str:
        return self.children(node)

    def visit_start_of_file(self, node: nodes.Element) -> str:
        return self.children(node)

    def visit_compound(self, node: nodes.Element) -> str:
        return self.children(node)

    def visit_container(self, node: nodes.Element) -> str:
        if "std-cover" in node["classes"]:
            return ""  # the template draws the cover from standard.yaml
        return self.children(node)

    def visit_section(self, node: nodes.section) -> str:
        clause = self.edition.get(node["ids"][0]) if node["ids"] else None
        title = node.next_node(nodes.title)
        title_text = self.title_text(title) if title else ""
        if clause is None:
            # The root document's title section: the cover carries the title.
            return self.children(node)
        kind = clause.element_type
        label = clause.id
        if kind in (model.FOREWORD, model.INTRODUCTION):
            out = f"#preliminary({string(clause.title)}, {string(label)})\n\n"
            return out + self.children(node)
        out = ""
        if not self.body_started and kind in (model.CHAPTER, model.ANNEX):
            self.body_started = True
            out += "#set page(..page-style(meta, \"1\"))\n#body-title(meta)\n\n"
        if kind == model.ANNEX:
            out += (f"#annex({string(clause.number)}, {string(clause.annex_obligation)}, "
                    f"[{title_text}], {string(label)})\n\n")
            return out + self.children(node)
        if kind in (model.BIBLIOGRAPHY, model.INDEX):
            out += f"#preliminary({string(clause.title)}, {string(label)})\n\n"
            return out + self.children(node)
        level = 1 if kind == model.CHAPTER else (clause.number or "").count(".") + 1
        number = clause.number or ""
        out += (f"#heading(level: {level})[#heading-number({string(number)}, [{title_text}])]"
                f" <{label}>\n\n")
        return out + self.children(node)

    def title_text(self, title: nodes.title) -> str:
        # Annex titles carry designation spans for HTML; the template lays those out itself.
        parts = [c for c in title.children
                 if not (isinstance(c, nodes.inline)
                         and {"annex-designation", "annex-obligation"} & set(c["classes"]))]
        return "".join(self.render(c) for c in parts)

    def visit_paragraph(self, node: nodes.paragraph) -> str:
        return self.block(self.children(node))

    def visit_clause_node(self, node: clause_node) -> str:
        anchor = f"#metadata(none) <{node['clause_id']}>"
        first = self._first_paragraph(node)
        if node.get("element_type") == model.PARAGRAPH or first is None:
            return self.block(anchor) + self.children(node)
        head = self.children(first)
        return (f"#clause-block[{anchor}#par(first-line-indent: 0em)[{head}]\n\n"
                f"{self.children(node, skip=[first])}]\n\n")

    def _first_paragraph(self, node: nodes.Element) -> nodes.paragraph | None:
        for child in node.children:
            if isinstance(child, nodes.paragraph):
                return child
            if not isinstance(child, _SKIP):
                return None
        return None

    def visit_term_node(self, node: term_node) -> str:
        out = [f"#metadata(none) <{node['term_id']}>"]
        for child in node.children:
            classes = set(child.get("classes", ())) if isinstance(child, nodes.Element) else set()
            if isinstance(child, nodes.paragraph) and "term-number" in classes:
                out.append(f"#par(first-line-indent: 0em)[#sans(strong[{self.children(child)}])]")
            elif isinstance(child, nodes.paragraph) and "term-head" in classes:
                out.append(f"#par(first-line-indent: 0em)[{self.term_head(child)}]")
            else:
                out.append(self.render(child).strip("\n"))
        return "#term-block[" + "\n\n".join(o for o in out if o) + "]\n\n"

    def term_head(self, node: nodes.paragraph) -> str:
        parts = []
        for child in node.children:
            if isinstance(child, nodes.strong):
                parts.append(f"#sans[{self.children(child)}]")
            elif isinstance(child, nodes.inline) and "term-en" in child["classes"]:
                parts.append(f"#h(1em){self.children(child)}")
            else:
                parts.append(self.render(child))
        return "".join(parts)

    def visit_std_note(self, node: std_note) -> str:
        return f"#note-block[{self.children(node).strip()}]\n\n"

    def visit_std_example(self, node: std_example) -> str:
        return f"#note-block[{self.children(node).strip()}]\n\n"

    # -- inline --------------------------------------------------------------------------------

    def visit_inline(self, node: nodes.inline) -> str:
        classes = set(node["classes"])
        inner = self.children(node)
        if {"clause-number", "table-number", "figure-number"} & classes:
            return f"#sans(strong[{inner}])"
        if {"std_note-label", "std_example-label"} & classes:
            return f"#sans[{inner}]"
        return inner

    def visit_strong(self, node: nodes.Element) -> str:
        return f"#strong[{self.children(node)}]"

    def visit_emphasis(self, node: nodes.Element) -> str:
        return f"#emph[{self.children(node)}]"

    def visit_literal(self, node: nodes.Element) -> str:
        return f"#raw({string(node.astext())})"

    def visit_literal_block(self, node: nodes.Element) -> str:
        return f"#raw(block: true, {string(node.astext())})\n\n"

    def visit_reference(self, node: nodes.reference) -> str:
        text = self.children(node)
        uri = node.get("refuri", "")
        if node.get("refid"):
            return f"#link(<{node['refid']}>)[{text}]"
        if uri.startswith("#") and len(uri) > 1:
            return f"#link(<{uri[1:]}>)[{text}]"
        if uri.startswith(("http://", "https://", "mailto:")):
            return f"#link({string(uri)})[{text}]"
        return text

    def visit_clause_ref(self, node: clause_ref) -> str:
        return self.children(node)

    # -- lists ---------------------------------------------------------------------------------

    def visit_enumerated_list(self, node: nodes.Element) -> str:
        numbering = "1)" if "gbt-arabic" in node["classes"] else "a)"
        return self._list(node, f"enum.with(numbering: {string(numbering)})")

    def visit_bullet_list(self, node: nodes.Element) -> str:
        marker = "·" if "gbt-dot" in node["classes"] else "——"
        return self._list(node, f"list.with(marker: [{marker}])")

    def _list(self, node: nodes.Element, func: str) -> str:
        items = []
        for item in node.children:
            anchor = "".join(f"#metadata(none) <{i}>" for i in item.get("ids", [])[:1])
            body = self.children(item).strip("\n")
            items.append(f"[{anchor}{body}]")
        return f"#std-list({func}, {', '.join(items)})\n\n"

    def visit_list_item(self, node: nodes.Element) -> str:
        return self.children(node)

    # -- tables --------------------------------------------------------------------------------

    def visit_table(self, node: nodes.table) -> str:
        title = node.next_node(nodes.title)
        caption = self.children(title) if title is not None else ""
        tgroup = node.next_node(nodes.tgroup)
        if tgroup is None:
            return ""
        colspecs = [c for c in tgroup.children if isinstance(c, nodes.colspec)]
        if "colwidths-auto" in node.get("classes", []) or not colspecs:
            columns = f"({', '.join(['auto'] * int(tgroup['cols']))})"
        else:
            columns = "(" + ", ".join(f"{c['colwidth']}fr" for c in colspecs) + ",)"
        rows = []
        thead = tgroup.next_node(nodes.thead)
        if thead is not None:
            header = ", ".join(self._cells(thead))
            rows.append(f"table.header({header})")
        for tbody in tgroup.findall(nodes.tbody):
            rows.extend(self._cells(tbody))
        anchor = "".join(f" <{i}>" for i in node["ids"][:1])
        table = f"table(columns: {columns}, align: left + horizon, inset: 4pt, {', '.join(rows)})"
        return f"#std-table([{caption}], {table}){anchor}\n\n"

    def _cells(self, part: nodes.Element) -> list[str]:
        cells = []
        for row in part.findall(nodes.row):
            for entry in row.children:
                body = self.children(entry).strip("\n")
                spans = []
                if entry.get("morecols"):
                    spans.append(f"colspan: {entry['morecols'] + 1}")
                if entry.get("morerows"):
                    spans.append(f"rowspan: {entry['morerows'] + 1}")
                if spans:
                    cells.append(f"table.cell({', '.join(spans)})[{body}]")
                else:
                    cells.append(f"[{body}]")
        return cells

    # -- other blocks --------------------------------------------------------------------------

    def visit_admonition(self, node: nodes.Element) -> str:
        body = self.children(node, skip=[c for c in node.children if isinstance(c, nodes.title)])
        if not self.body_started:
            self.notices.append(body)  # before the 目次: printed on the cover
            return ""
        return f"#notice-box[{body.strip()}]\n\n"

    visit_important = visit_note = visit_warning = visit_attention = visit_tip = visit_admonition
    visit_caution = visit_danger = visit_error = visit_hint = visit_admonition

    def visit_block_quote(self, node: nodes.Element) -> str:
        return self.children(node)

    def visit_line_block(self, node: nodes.Element) -> str:
        return self.block(" \\\n".join(self.children(line) for line in node.children))

    def visit_transition(self, node: nodes.Element) -> str:
        return "#line(length: 100%, stroke: 0.5pt)\n\n"


def meta_dict(info: model.EditionInfo, date: tuple[int, int, int] | None) -> str:
    """The template's ``meta`` dictionary, from standard.yaml."""
    fields = {
        "title": string(info.title_zh),
        "title-en": string(info.title_en),
        "number": string(info.number),
        "class-line": string(info.class_line),
        "code-mark": string(info.code_mark),
        "ics": string("；".join(info.ics) if info.ics else None),
        "ccs": string(info.ccs),
        "filing": string(info.filing_number),
        "replaces": string("代替" + "、".join(r.number for r in info.replaces)
                           if info.replaces else None),
        "stage-line": string(STAGE_LINES.get(info.stage)),
        "issued": string(info.issued or "XXXX-XX-XX"),
        "implemented": string(info.implemented or "XXXX-XX-XX"),
        "issuer": string(info.issuer),
        "date": f"datetime(year: {date[0]}, month: {date[1]}, day: {date[2]})" if date else "none",
    }
    return "(" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + ")"
