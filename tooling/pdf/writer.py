"""Docutils doctree → Typst source, for the PDF edition.

The translator walks the whole standard as one doctree (all chapter files inlined, numbers
already put in by :mod:`tooling.sphinx.resolve`) and writes Typst markup that calls the page design
in ``_templates/gbt.typ``. It knows the toolkit's own nodes (clauses, terms, notes, annexes),
and reads element types and numbers from the clause model, never from the text.

Every text run is escaped: Typst's markup treats ``#``, ``*``, ``_``, ``<``, ``[`` … as syntax,
and a backslash before any ASCII symbol makes it literal.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from docutils import nodes
from sphinx import addnodes

from .. import model
from ..model.stages import completed_line, patent_call, stage_line
from ..sphinx.nodes import (
    clause_node,
    clause_ref,
    figure_notes,
    formula_node,
    formula_symbol,
    formula_where,
    reference_entry,
    std_example,
    std_footnote,
    std_footnote_ref,
    std_math,
    std_note,
    table_notes,
    term_node,
)
from ..sphinx.tables import Placed, placed_entries
from ..typeset import escape, string
from .tables import Cell, column_widths, tie_point

_SKIP = (
    nodes.target, nodes.comment, nodes.substitution_definition, nodes.system_message,
    nodes.raw, addnodes.index, addnodes.toctree, nodes.title,
)

# A quantity and its unit (400 mm, 24 h, 2.5 m²) and a standard designation and its number
# (GB/T 1.1) are joined by a no-break space: a line never ends between them. Typst prints
# U+00A0 as an ordinary space, so the extracted text is unchanged.
_UNIT = r"(?:mm|cm|dm|km|m²|m³|m|kg|mg|g|t|min|h|s|d|mL|L|kW|W|kV|V|A|Hz|dB|lx|°C|℃|%)"
_QUANTITY_GAP = re.compile(rf"(?<=\d) +(?={_UNIT}(?![A-Za-z]))")
_DESIGNATION_GAP = re.compile(r"\b((?:GB|DB|QB|T)(?:\d{2}|\d{4})?(?:/[TZ])?|ICS|CCS) +(?=\w)")

# A4 text width (210 mm less 25 mm and 20 mm margins) in em of the tables' 小五 (9 pt) type,
# and the cell inset on both sides, as in _templates/gbt.typ.
_TABLE_WIDTH_EM = 165 / 25.4 * 72 / 9
_CELL_PADDING_EM = 8 / 9
# A row with every cell empty is a row to fill in by hand: printed forms give it room to write.
_FILL_IN_ROW = "8mm"


def keep_joined(text: str) -> str:
    """No line break between a number and its unit, or a standard's code and its number."""
    return _DESIGNATION_GAP.sub("\\1\u00a0", _QUANTITY_GAP.sub("\u00a0", text))



class TypstTranslator:
    """Renders a doctree node by node into Typst markup; unknown nodes keep their text."""

    def __init__(self, edition: model.Edition, warn: Callable[[str, nodes.Node], None]) -> None:
        self.edition = edition
        self.warn = warn
        self.warned: set[str] = set()
        self.body_started = False
        self.notices: list[str] = []
        self.list_depth = 0
        # Text nodes whose leading U+3000 the number box before them already prints.
        self.gap_taken: set[int] = set()
        self.tied: int | None = None  # the Text node holding a paragraph's last characters
        self.tables = 0
        # Images the document shows: (path of the file in the standard's folder, as Sphinx
        # recorded it relative to the folder; name in the Typst work folder). The builder
        # copies them there, so Typst reads nothing outside its root.
        self.images: list[tuple[str, str]] = []

    # -- dispatch ------------------------------------------------------------------------------

    def render(self, node: nodes.Node) -> str:
        if isinstance(node, nodes.Text):
            text = node.astext()
            if id(node) in self.gap_taken:
                text = text.removeprefix("\u3000")
            if id(node) == self.tied:
                return f"#box[{escape(text)}]"
            return escape(keep_joined(text))
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
        kids = [c for c in node.children if id(c) not in skipped]
        out = []
        for i, child in enumerate(kids):
            text = self.render(child)
            if self._keeps_with_next(child, kids[i + 1:]):
                # An explicit par: a block's sole inline content would get no first-line indent.
                text = f"#keep-next[#par[{text.strip()}]]\n\n"
            out.append(text)
        return "".join(out)

    def _keeps_with_next(self, node: nodes.Node, following: list[nodes.Node]) -> bool:
        """The text a 注 or 示例 belongs to, and a 列项's lead-in sentence, stay on the page
        where what follows them starts."""
        nxt = next((c for c in following if not isinstance(c, _SKIP)), None)
        if not isinstance(node, nodes.paragraph) or nxt is None:
            return False
        if isinstance(nxt, std_note | std_example):
            return True
        return (isinstance(nxt, nodes.enumerated_list | nodes.bullet_list)
                and node.astext().rstrip().endswith("："))

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
            out += ("#recto-break(duplex)\n#set page(..page-style(meta, \"1\"))\n"
                    "#body-title(meta)\n\n")
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
        return self.block(self.paragraph_text(node))

    def paragraph_text(self, node: nodes.paragraph) -> str:
        """The paragraph's markup, its last two Han characters (and the marks after them)
        tied together: no line of a paragraph or a table cell holds one character alone
        (情/况, 况”。)."""
        last = None
        for text in node.findall(nodes.Text):
            if text.astext().strip():
                last = text
        value = keep_joined(last.astext()).rstrip() if last is not None else ""
        tie = tie_point(value)
        if last is None or tie is None or id(last) in self.gap_taken:
            return self.children(node)
        parent = last.parent
        position = parent.index(last)
        head, tail = nodes.Text(value[:tie]), nodes.Text(value[tie:])
        parent.replace(last, head)
        parent.insert(position + 1, tail)
        self.tied = id(tail)
        try:
            return self.children(node)
        finally:
            parent.remove(tail)
            parent.replace(head, last)
            self.tied = None

    def visit_clause_node(self, node: clause_node) -> str:
        anchor = f"#metadata(none) <{node['clause_id']}>"
        first = self._first_paragraph(node)
        if node.get("element_type") == model.PARAGRAPH or first is None:
            return self.block(anchor) + self.children(node)
        head = f"#par(first-line-indent: 0em)[{self.paragraph_text(first)}]"
        if self._keeps_with_next(first, node.children[node.children.index(first) + 1:]):
            head = f"#keep-next[{head}]"
        return f"#clause-block[{anchor}{head}\n\n{self.children(node, skip=[first])}]\n\n"

    def _first_paragraph(self, node: nodes.Element) -> nodes.paragraph | None:
        for child in node.children:
            if isinstance(child, nodes.paragraph):
                return child
            if not isinstance(child, _SKIP):
                return None
        return None

    def visit_term_node(self, node: term_node) -> str:
        head = [f"#metadata(none) <{node['term_id']}>"]
        rest = []
        for child in node.children:
            classes = set(child.get("classes", ())) if isinstance(child, nodes.Element) else set()
            if isinstance(child, nodes.paragraph) and "term-number" in classes:
                head.append(f"#par(first-line-indent: 0em)[#sans(strong[{self.children(child)}])]")
            elif isinstance(child, nodes.paragraph) and "term-head" in classes:
                head.append(f"#par(first-line-indent: 0em)[{self.term_head(child)}]")
            else:
                rest.append(child)
        body = self.children(node, skip=[c for c in node.children if c not in rest]).strip()
        return "#term-block[" + "\n\n".join(head) + f"][{body}]\n\n"

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
        # "注：" goes in a column of its own, so the text's later lines hang under its first.
        label = next((c for c in node.findall(nodes.inline)
                      if {"std_note-label", "std_example-label"} & set(c["classes"])), None)
        anchor = f"#metadata(none) <{node['note_id']}>" if node.get("note_id") else ""
        if label is None:
            return f"{anchor}#note-block[][{self.children(node).strip()}]\n\n"
        parent = label.parent
        parent.remove(label)
        try:
            body = self.children(node).strip()
        finally:
            parent.insert(0, label)
        return f"{anchor}#note-block[#sans[{self.children(label)}]][{body}]\n\n"

    visit_std_example = visit_std_note

    # -- inline --------------------------------------------------------------------------------

    def visit_inline(self, node: nodes.inline) -> str:
        classes = set(node["classes"])
        inner = self.children(node)
        if "clause-number" in classes:
            # The number and the one-character gap after it in a box that justification
            # cannot stretch.
            parent = node.parent
            position = parent.index(node) + 1
            following = parent[position] if position < len(parent) else None
            if isinstance(following, nodes.Text) and following.astext().startswith("\u3000"):
                self.gap_taken.add(id(following))
                return f"#clause-number[{inner}]"
            return f"#sans(strong[{inner}])"
        if {"table-number", "figure-number"} & classes:
            return f"#sans(strong[{inner}])"
        if "reference-number" in classes:
            return f"#box[{inner}]"
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
        tgroup = node.next_node(nodes.tgroup)
        clause = self.edition.get(node["ids"][0]) if node["ids"] else None
        if tgroup is None:
            return ""
        title = node.next_node(nodes.title)
        caption = "".join(self.render(c) for c in title.children
                          if not (isinstance(c, nodes.inline) and "table-number" in c["classes"])
                          ) if title is not None else ""
        placed = placed_entries(node)
        ncols = int(tgroup["cols"])
        widths = column_widths([Cell(p.col, p.colspan, _plain(p.entry), p.header)
                                for p in placed],
                               ncols, _TABLE_WIDTH_EM, _CELL_PADDING_EM)
        columns = "(" + ", ".join(f"{w}fr" for w in widths) + ",)"
        # Columns of short entries (序号, 分值) are centred, like the header.
        centred = {c for c in range(ncols)
                   if all(len(_plain(p.entry)) <= 4 for p in placed
                          if p.col == c and p.colspan == 1 and not p.header)}
        row_count = max((p.row + p.rowspan for p in placed), default=0)
        filled = {r for p in placed if _plain(p.entry) for r in range(p.row, p.row + p.rowspan)}
        heights = ["auto"] + ["auto" if r in filled else _FILL_IN_ROW for r in range(row_count)]
        head = [self._cell(p, centred) for p in placed if p.header]
        body = [self._cell(p, centred) for p in placed if not p.header]
        anchor = "".join(f" <{i}>" for i in node["ids"][:1])
        # Every table of a standard is numbered (E104/E109 otherwise); the key only has to be
        # unique among the document's tables.
        self.tables += 1
        key = string(clause.id if clause else f"table-{self.tables}")
        number = string(f"表{clause.number}" if clause and clause.number else "表")
        notes = next((c for c in node.children if isinstance(c, table_notes)), None)
        foot = f",\n  notes: [{self.notes_body(notes)}]" if notes is not None else ""
        return (f"#metadata(none){anchor}\n"
                f"#std-table({key}, {number}, [{caption}], columns: {columns},\n"
                f"  rows: ({', '.join(heights)},),\n"
                f"  head: ({''.join(c + ', ' for c in head)}),\n"
                f"  body: ({''.join(c + ', ' for c in body)}){foot})\n\n")

    def notes_body(self, box: nodes.Element) -> str:
        """表注 / 图注 and then the footnotes a, b …, as the notes block inside the frame."""
        return "".join(self.render(child) for child in box.children).strip()

    def visit_table_notes(self, node: table_notes) -> str:
        return ""  # printed by visit_table, inside the table's frame

    def visit_std_footnote(self, node: std_footnote) -> str:
        body = self.children(node).strip()
        return f"{_anchor(node)}#footnote-line({string(node['label'])}, [{body}])\n\n"

    def visit_std_footnote_ref(self, node: std_footnote_ref) -> str:
        return f"#link(<{node['refid']}>)[#super[{escape(node['label'])}]]"

    # -- figures, formulas, reference entries ------------------------------------------------

    def visit_figure(self, node: nodes.figure) -> str:
        clause = self.edition.get(node["ids"][0]) if node["ids"] else None
        image = node.next_node(nodes.image)
        caption = node.next_node(nodes.caption)
        notes = node.next_node(figure_notes)
        if image is None:
            return ""
        uri = image["uri"]
        if sources_url(uri):
            return ""  # refused before writing (a figure shows a file of the standard)
        name = f"images/{len(self.images) + 1:03d}{_suffix(uri)}"
        self.images.append((uri, name))
        width = image.get("width")
        size = f", width: {_length(width)}" if width else ""
        title = "".join(self.render(c) for c in caption.children
                        if not (isinstance(c, nodes.inline) and "figure-number" in c["classes"])
                        ) if caption is not None else ""
        number = string(f"图{clause.number}" if clause and clause.number else "图")
        legend = node.next_node(nodes.legend)
        extra = self.children(legend).strip() if legend is not None else ""
        notes_text = self.notes_body(notes) if notes is not None else ""
        anchor = "".join(f" <{i}>" for i in node["ids"][:1])
        return (f"#metadata(none){anchor}\n"
                f"#std-figure(image({string(name)}{size}), {number}, [{title}], "
                f"legend: [{extra}], notes: [{notes_text}])\n\n")

    def visit_figure_notes(self, node: figure_notes) -> str:
        return ""  # printed by visit_figure

    def visit_formula_node(self, node: formula_node) -> str:
        anchor = f"#metadata(none) <{node['formula_id']}>"
        return (f"{anchor}#formula-block($ {node['typst']} $, "
                f"{string(node.get('number', ''))})\n\n")

    def visit_formula_where(self, node: formula_where) -> str:
        rows = []
        for entry in node.children:
            if isinstance(entry, formula_symbol):
                symbol = next((c for c in entry.children if isinstance(c, std_math)), None)
                meaning = next((c for c in entry.children if isinstance(c, nodes.paragraph)),
                               None)
                rows.append(f"(${symbol['typst'] if symbol else ''}$, "
                            f"[{self.children(meaning) if meaning else ''}])")
        return f"#formula-where(({''.join(r + ', ' for r in rows)}))\n\n"

    def visit_std_math(self, node: std_math) -> str:
        return f"${node['typst']}$"

    def visit_reference_entry(self, node: reference_entry) -> str:
        para = node.next_node(nodes.paragraph)
        body = self.children(para).strip() if para is not None else ""
        return f"#metadata(none) <{node['ref_id']}>#reference-entry[{body}]\n\n"

    def _cell(self, placed: Placed, centred: set[int]) -> str:
        body = self._cell_body(placed.entry)
        args = []
        if placed.colspan > 1:
            args.append(f"colspan: {placed.colspan}")
        if placed.rowspan > 1:
            args.append(f"rowspan: {placed.rowspan}")
        if placed.header or (placed.col in centred and placed.colspan == 1):
            args.append("align: center + horizon")
        return f"table.cell({', '.join(args)})[{body}]" if args else f"[{body}]"

    def _cell_body(self, entry: nodes.entry) -> str:
        return self.children(entry).strip("\n")

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


def _anchor(node: nodes.Element) -> str:
    """An anchor for the node's first id (a footnote's, which a cell's letter links to)."""
    return f"#metadata(none) <{node['ids'][0]}>" if node.get("ids") else ""


def sources_url(uri: str) -> bool:
    return "://" in uri or uri.startswith("data:")


def _suffix(uri: str) -> str:
    suffix = uri.rsplit(".", 1)[-1].lower() if "." in uri else "png"
    return f".{suffix}"


def _length(value: str) -> str:
    """A docutils length (80%, 120px, 6cm) as Typst reads it."""
    text = str(value).strip()
    if text.endswith("px"):
        return f"{float(text[:-2]) * 0.75}pt"
    if text.endswith(("%", "cm", "mm", "pt", "em", "in")):
        return text
    return f"{float(text) * 0.75}pt" if text.replace(".", "", 1).isdigit() else "100%"


def _plain(entry: nodes.Element) -> str:
    """A cell's text as printed, paragraphs on lines of their own."""
    return "\n".join(p.astext() for p in entry.findall(nodes.paragraph)) or entry.astext()


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
        "stage-line": string(stage_line(info)),
        "completed": string(completed_line(info)),
        "patent-call": string(patent_call(info)),
        "issued": string(info.issued or "XXXX-XX-XX"),
        "implemented": string(info.implemented or "XXXX-XX-XX"),
        "issuer": string(info.issuer),
        "date": f"datetime(year: {date[0]}, month: {date[1]}, day: {date[2]})" if date else "none",
    }
    return "(" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + ")"
