"""From one document's doctree to the raw elements the numbering works on.

Runs once per document when Sphinx reads it (``doctree-read``), possibly in a worker process,
so it only looks at that document. It also finishes the doctree's markup: it moves list item
ids onto their items, marks annex sections, and sets the GB/T list styles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from .. import model
from ..io import chars
from ..io.diagnostics import Diagnostic, diagnostic
from ..model import formulas
from ..model.ids import id_problem
from ..model.numbering import (
    INCLUDE,
    REFERENCE,
    SECTION,
    DocElements,
    RawElement,
    Ref,
    Segment,
    annex_letter,
)
from . import tables
from .nodes import (
    annex_marker,
    block_label,
    clause_node,
    clause_ref,
    figure_notes,
    formula_node,
    formula_where,
    item_marker,
    reference_entry,
    std_example,
    std_footnote,
    std_footnote_ref,
    std_math,
    std_note,
    table_notes,
    term_node,
)

Report = Callable[[Diagnostic], None]

#: Set by :mod:`tooling.sphinx.guard` on a node named with ``:name:``: the name as written,
#: before docutils lowercases it.
LABEL_AS_WRITTEN = "stdkit_label"
# Seven or more "#": Markdown has six heading levels, so this line became a paragraph.
_TOO_DEEP = re.compile(r"#{7,}(?:[ \t]|$)")

# Elements whose text never belongs to the clause text (navigation, numbering, invisible).
_SKIP = (
    nodes.title, nodes.target, nodes.comment, nodes.system_message, nodes.substitution_definition,
    nodes.raw, annex_marker, nodes.caption, addnodes.toctree, addnodes.index, formula_where,
)
# What may come before a chapter file's first heading: labels, comments, nothing visible.
_NOT_CONTENT = (nodes.target, nodes.comment, nodes.system_message, nodes.substitution_definition)
# List styles in GB/T order by nesting level: a) b), then 1) 2); dashes —— then ·.
_ENUM_STYLES = (("gbt-alpha", "abcdefghijklmnopqrstuvwxyz"), ("gbt-arabic", None))
_BULLET_STYLES = (("gbt-dash", "——"), ("gbt-dot", "·"))


@dataclass
class _Acc:
    """What the walk gathers for one element: its text, notes, examples and sub-elements."""

    segments: list[Segment] = field(default_factory=list)
    notes: list[tuple[Segment, ...]] = field(default_factory=list)
    examples: list[tuple[Segment, ...]] = field(default_factory=list)
    children: list[RawElement] = field(default_factory=list)

    def add_block(self, segs: list[Segment]) -> None:
        if not segs:
            return
        if self.segments:
            self.segments.append("\n")
        self.segments.extend(segs)


class Collector:
    def __init__(self, document: nodes.document, docname: str, source: str, report: Report,
                 is_root: bool) -> None:
        self.document = document
        self.docname = docname
        self.source = source
        self.report = report
        self.is_root = is_root
        self.refs: list[tuple[str, str, int | None]] = []
        # (label)= targets as written, and their lines, by the id of what they label.
        self.labels: dict[str, tuple[str, int | None]] = {}
        for target in document.findall(nodes.target):
            if target.rawsource and target.get("refid"):
                self.labels.setdefault(target["refid"], (target.rawsource, target.line))

    def fail(self, code: str, line: int | None, **params: object) -> None:
        self.report(diagnostic(code, self.source, line, **params))

    # -- entry point ---------------------------------------------------------------------------

    def collect(self) -> DocElements:
        self.footnotes()
        self.math()
        acc = _Acc()
        sections = [c for c in self.document.children if isinstance(c, nodes.section)]
        if self.is_root and sections:
            # The root document's first heading is the standard's title, not a chapter: its
            # sub-sections are the chapters, and its toctree pulls in the chapter files.
            title_section = sections[0]
            for child in self.document.children:
                if child is title_section:
                    self.walk_children(child, acc, list_level=0)
                else:
                    self.walk(child, acc, list_level=0)
        else:
            self.check_starts_with_heading()
            self.walk_children(self.document, acc, list_level=0)
        for ref in self.document.findall(clause_ref):
            self.refs.append((ref["target"], self.source, ref.line))
        return DocElements(self.docname, tuple(acc.children), tuple(self.refs))

    # -- the walk ------------------------------------------------------------------------------

    def walk_children(self, node: nodes.Element, acc: _Acc, list_level: int) -> None:
        for child in list(node.children):
            self.walk(child, acc, list_level)

    def walk(self, node: nodes.Node, acc: _Acc, list_level: int) -> None:
        if isinstance(node, nodes.section):
            acc.children.append(self.section(node))
        elif isinstance(node, clause_node):
            acc.children.append(self.clause(node))
        elif isinstance(node, term_node):
            acc.children.append(self.term(node))
        elif isinstance(node, nodes.table | nodes.figure):
            element = self.captioned(node)
            if element:
                acc.children.append(element)
        elif isinstance(node, std_note | std_example):
            inner = _Acc()
            self.walk_children(node, inner, list_level)
            if node.get("note_id"):
                # A note with an id is an element of its own, cited as 5.2的注2.
                kind = model.NOTE if isinstance(node, std_note) else model.EXAMPLE
                note_id = self.check_id(node["note_id"], "注", _line(node))
                if note_id:
                    acc.children.append(RawElement(
                        kind, id=note_id, label=block_label(node),
                        segments=tuple(_merge(inner.segments)), source=self.source,
                        line=_line(node), children=tuple(inner.children),
                    ))
                return
            acc.children.extend(inner.children)
            target = acc.notes if isinstance(node, std_note) else acc.examples
            target.append(tuple(inner.segments))
        elif isinstance(node, reference_entry):
            acc.children.append(self.reference(node))
        elif isinstance(node, formula_node):
            acc.children.append(self.formula(node))
        elif isinstance(node, nodes.enumerated_list | nodes.bullet_list):
            self.list_(node, acc, list_level)
        elif isinstance(node, nodes.compound) and node.next_node(addnodes.toctree):
            toctree = node.next_node(addnodes.toctree)
            docnames = tuple(ref for _title, ref in toctree["entries"] if ref != "self")
            acc.children.append(RawElement(INCLUDE, includes=docnames, source=self.source))
        elif isinstance(node, nodes.paragraph | nodes.literal_block | nodes.line_block):
            if isinstance(node, nodes.paragraph) and _TOO_DEEP.match(node.astext()):
                self.fail("E130", _line(node), text=chars.show(node.astext(), 40))
            acc.add_block(self.inline_segments(node))
        elif isinstance(node, _SKIP):
            return
        elif isinstance(node, nodes.Element):
            self.walk_children(node, acc, list_level)

    def inline_segments(self, node: nodes.Element) -> list[Segment]:
        out: list[Segment] = []
        for child in node.children:
            if isinstance(child, clause_ref):
                out.append(Ref(child["target"], child.line))
            elif isinstance(child, nodes.Text):
                out.append(child.astext())
            elif isinstance(child, std_math):
                out.append(child["tex"])
            elif isinstance(child, item_marker | nodes.target | nodes.system_message
                            | std_footnote_ref | nodes.footnote_reference):
                continue
            elif isinstance(child, nodes.Element):
                out.extend(self.inline_segments(child))
        return _merge(out)

    # -- elements ------------------------------------------------------------------------------

    def explicit_id(self, node: nodes.Element) -> tuple[str | None, int | None]:
        """The id the author wrote as a (label)= target or :name:, exactly as written (docutils
        lowercases names and turns invalid ones into machine ids), and the line of the label."""
        for name in node["names"]:
            if self.document.nametypes.get(name):
                if node.get(LABEL_AS_WRITTEN):
                    return node[LABEL_AS_WRITTEN], None
                labelled = (self.labels[i] for i in node["ids"] if i in self.labels)
                return next(labelled, (name, None))
        return None, None

    def check_id(self, element_id: str | None, what: str, line: int | None) -> str | None:
        """The same grammar, and the same message, as a directive's ``id`` (see model.ids)."""
        if element_id is None:
            self.fail("E104", line, element=what)
            return None
        problem = id_problem(element_id)
        if problem:
            self.fail("E105", line, **problem)
            return None
        return element_id

    def check_starts_with_heading(self) -> None:
        """A chapter file's text before its first heading (or in a file without one) would
        belong to no clause: the PDF would print it under the previous chapter's last 条."""
        for child in self.document.children:
            if isinstance(child, nodes.section):
                return
            if isinstance(child, _NOT_CONTENT) or not child.astext().strip():
                continue
            has_heading = self.document.next_node(nodes.section) is not None
            self.fail("E129", _line(child), detail=(
                "第一个标题之前有正文：章节文件应以带标识的标题（章或附录）开始，"
                "标题之前的内容不属于任何章条" if has_heading else
                "文件没有标题：章节文件应以带标识的标题（章或附录）开始，"
                "否则其中的内容不属于任何章条"))
            return

    def section(self, node: nodes.section) -> RawElement:
        title = node.next_node(nodes.title)
        title_text = title.astext() if title else ""
        line = _line(node) or (_line(title) if title else None)
        written, label_line = self.explicit_id(node)
        section_id = self.check_id(written, f"标题“{title_text}”", label_line or line)
        if section_id in node["ids"] and node["ids"][0] != section_id:
            # The stable id must be the first id: Sphinx anchors headings on ids[0].
            node["ids"].remove(section_id)
            node["ids"].insert(0, section_id)
        annex = None
        for marker in list(node.findall(annex_marker)):
            if marker.parent is node and node.parent is not None:
                annex = marker["obligation"]
                node["stdkit_annex"] = annex
            else:
                self.fail("E109", _line(marker),
                          detail="{annex} 只能紧跟在一级标题（附录标题）之下")
            marker.parent.remove(marker)
        acc = _Acc()
        self.walk_children(node, acc, list_level=0)
        return RawElement(
            SECTION, id=section_id, title=title_text, segments=tuple(_merge(acc.segments)),
            source=self.source, line=line, notes=tuple(acc.notes), examples=tuple(acc.examples),
            children=tuple(acc.children), annex=annex,
        )

    def clause(self, node: clause_node) -> RawElement:
        acc = _Acc()
        self.walk_children(node, acc, list_level=0)
        return RawElement(
            node["element_type"], id=node["clause_id"], segments=tuple(_merge(acc.segments)),
            source=self.source, line=_line(node), metadata=dict(node["metadata"]),
            notes=tuple(acc.notes), examples=tuple(acc.examples), children=tuple(acc.children),
        )

    def term(self, node: term_node) -> RawElement:
        acc = _Acc()
        for child in node.children:
            if isinstance(child, nodes.paragraph) and {"term-head", "term-source"} & set(
                child["classes"]
            ):
                continue
            self.walk(child, acc, list_level=0)
        term = model.Term(node["term"], node.get("en"),
                          model.TermSource.from_value(node.get("source")),
                          tuple(node.get("synonyms", ())))
        return RawElement(
            model.TERM, id=node["term_id"], title=node["term"],
            segments=tuple(_merge(acc.segments)), source=self.source, line=_line(node),
            notes=tuple(acc.notes), examples=tuple(acc.examples), children=tuple(acc.children),
            term=term,
        )

    def captioned(self, node: nodes.table | nodes.figure) -> RawElement | None:
        kind = model.TABLE if isinstance(node, nodes.table) else model.FIGURE
        caption = node.next_node(nodes.title if kind == model.TABLE else nodes.caption)
        what = "表" if kind == model.TABLE else "图"
        line = _line(node)
        if caption is None:
            self.fail("E109", line,
                      detail=f"{what}没有标题：GB/T 1.1—2020 要求每个{what}都有编号和标题")
            return None
        written, label_line = self.explicit_id(node)
        element_id = self.check_id(written, f"{what}“{caption.astext()}”", label_line or line)
        if element_id is None:
            return None
        if element_id in node["ids"] and node["ids"][0] != element_id:
            node["ids"].remove(element_id)
            node["ids"].insert(0, element_id)
        acc = _Acc()
        for body in node.findall(nodes.entry):
            acc.add_block(self.inline_segments_deep(body))
        # A rectangle: a merged cell's text at every position it covers.
        rows = tuple(
            tuple(tuple(_merge(self.inline_segments_deep(e))) if e is not None else ()
                  for e in row)
            for row in tables.grid(node)
        ) if isinstance(node, nodes.table) else ()
        header_rows = sum(len(list(head.findall(nodes.row))) for head in node.findall(nodes.thead))
        # 表注 and 图注 (and their footnotes) belong to the table or figure.
        notes = _Acc()
        footnotes: list[tuple[Segment, ...]] = []
        for box in node.findall(lambda n: isinstance(n, table_notes | figure_notes)):
            for child in box.children:
                if isinstance(child, std_footnote):
                    inner = _Acc()
                    self.walk_children(child, inner, list_level=0)
                    footnotes.append(tuple(_merge(inner.segments)))
                else:
                    self.walk(child, notes, list_level=0)
        if isinstance(node, nodes.figure):
            for legend in node.findall(nodes.legend):
                self.walk_children(legend, acc, list_level=0)
        return RawElement(kind, id=element_id, title=caption.astext(),
                          segments=tuple(_merge(acc.segments)), source=self.source, line=line,
                          rows=rows, header_rows=header_rows, notes=tuple(notes.notes),
                          examples=tuple(notes.examples), children=tuple(notes.children),
                          footnotes=tuple(footnotes),
                          metadata=dict(node.get("stdkit_metadata", {})))

    def reference(self, node: reference_entry) -> RawElement:
        document = model.Document(node["doc_title"], node.get("designation"))
        return RawElement(REFERENCE, id=node["ref_id"], title=document.title,
                          segments=(document.describe(),), source=self.source, line=_line(node),
                          document=document)

    def formula(self, node: formula_node) -> RawElement:
        where = tuple((str(s), str(m)) for s, m in node.get("where", ()))
        text = "\n".join(f"{symbol}——{meaning}" for symbol, meaning in where)
        return RawElement(model.FORMULA, id=node["formula_id"], segments=(text,) if text else (),
                          source=self.source, line=_line(node),
                          formula=model.Formula(node["tex"], where))

    # -- footnotes and math ----------------------------------------------------------------

    def footnotes(self) -> None:
        """Footnotes of a table or figure: lettered a, b, c … within it (GB/T 1.1—2020), and
        printed inside its frame. A cell may not point at a footnote written elsewhere."""
        by_id = {fid: fn for fn in self.document.findall(nodes.footnote) for fid in fn["ids"]}
        for owner in list(self.document.findall(lambda n: isinstance(n, nodes.table
                                                                      | nodes.figure))):
            box = next((c for c in owner.children
                        if isinstance(c, table_notes | figure_notes)), None)
            own = [c for c in box.children if isinstance(c, nodes.footnote)] if box else []
            letters = {id(fn): annex_letter(i).lower() for i, fn in enumerate(own)}
            for ref in list(owner.findall(nodes.footnote_reference)):
                target = by_id.get(ref.get("refid", ""))
                if target is None or id(target) not in letters:
                    self.fail("E154", _line(ref), detail=(
                        f"表或图中的脚注“{ref.astext()}”应写在同一个表或图之内"
                        "（表格之后、表格指令结束之前写 [^…]: 脚注内容）"))
                    ref.parent.remove(ref)
                    continue
                label = letters[id(target)]
                ref.replace_self(std_footnote_ref(label, label=label, refid=target["ids"][0]))
            for fn in own:
                assert box is not None
                label = letters[id(fn)]
                note = std_footnote(ids=list(fn["ids"]), label=label)
                note.line = fn.line
                note.source = fn.source
                for child in fn.children:
                    if not isinstance(child, nodes.label):
                        note += child.deepcopy()
                box.replace(fn, note)

    def math(self) -> None:
        """Inline ``{math}`` is rendered like a formula (MathML, Typst; never a script from a
        CDN); display math has no number, so it is written as ``{formula}``."""
        for node in list(self.document.findall(nodes.math)):
            try:
                rendered = formulas.parse(node.astext(), display=False)
            except formulas.FormulaError as err:
                self.fail("E152", _line(node), detail=str(err))
                node.parent.remove(node)
                continue
            node.replace_self(std_math(rendered.tex, tex=rendered.tex, mathml=rendered.mathml,
                                       typst=rendered.typst))
        for node in list(self.document.findall(nodes.math_block)):
            self.fail("E109", _line(node), detail="不编号的显示公式不符合 GB/T 1.1—2020："
                      "公式请用 {formula}（带标识和编号）")
            node.parent.remove(node)

    def inline_segments_deep(self, node: nodes.Element) -> list[Segment]:
        out: list[Segment] = []
        for para in node.findall(nodes.paragraph):
            if out:
                out.append(" ")
            out.extend(self.inline_segments(para))
        return out

    def list_(self, node: nodes.Element, acc: _Acc, list_level: int) -> None:
        enumerated = isinstance(node, nodes.enumerated_list)
        styles = _ENUM_STYLES if enumerated else _BULLET_STYLES
        css, marks = styles[min(list_level, len(styles) - 1)]
        node["classes"].append(css)
        for position, item in enumerate(node.children):
            if not isinstance(item, nodes.list_item):
                continue
            if enumerated:
                label = f"{annex_letter(position).lower() if marks else position + 1})"
            else:
                label = marks or "——"
            marker = next(iter(item.findall(item_marker)), None)
            if marker is not None and _belongs_to(marker, item):
                item_id = self.check_id(marker["item_id"], f"列项“{label}”", _line(marker))
                metadata = dict(marker.get("metadata") or {})
                _remove_marker(marker)
                inner = _Acc()
                self.walk_children(item, inner, list_level + 1)
                if item_id:
                    item["ids"].insert(0, item_id)
                    acc.children.append(RawElement(
                        model.LIST_ITEM, id=item_id, label=label,
                        segments=tuple(_strip_leading(_merge(inner.segments))),
                        source=self.source, line=_line(marker) or _line(item),
                        notes=tuple(inner.notes), children=tuple(inner.children),
                        metadata=metadata,
                    ))
            else:
                inner = _Acc()
                self.walk_children(item, inner, list_level + 1)
                acc.add_block([f"{label} ", *inner.segments])
                acc.children.extend(inner.children)


class NeutraliseRawHtml(SphinxTransform):
    """Markdown lets authors write raw HTML; a standard never needs it, and the HTML edition
    must not carry markup it did not generate. Comments go; anything else becomes visible text
    (so ``<script>`` prints as ``<script>``, escaped). Runs before the table of contents and
    the clause model are taken from the doctree."""

    default_priority = 200

    def apply(self, **kwargs: object) -> None:
        _neutralise_raw_html(self.document)


def _neutralise_raw_html(document: nodes.document) -> None:
    for raw in list(document.findall(nodes.raw)):
        if "html" not in raw.get("format", "").split():
            continue
        text = raw.astext()
        if text.strip().startswith("<!--") and text.strip().endswith("-->"):
            raw.parent.remove(raw)
        elif isinstance(raw.parent, nodes.TextElement):
            # parent.replace, not replace_self: a raw role's node has classes to lose.
            raw.parent.replace(raw, nodes.Text(text))
        else:
            raw.parent.replace(raw, nodes.paragraph(text, text))


def _belongs_to(marker: nodes.Node, item: nodes.list_item) -> bool:
    """True if the marker is in this item's own text, not in a nested list's item."""
    parent = marker.parent
    while parent is not None and parent is not item:
        if isinstance(parent, nodes.list_item):
            return False
        parent = parent.parent
    return parent is item


def _remove_marker(marker: nodes.Element) -> None:
    """Drop the {item} marker and the space the author typed after it."""
    parent = marker.parent
    index = parent.index(marker)
    parent.remove(marker)
    if index < len(parent) and isinstance(parent[index], nodes.Text):
        text = parent[index]
        parent.replace(text, nodes.Text(text.astext().lstrip()))


def _line(node: nodes.Node | None) -> int | None:
    while node is not None:
        if getattr(node, "line", None):
            return node.line
        node = node.parent
    return None


def _merge(segments: list[Segment]) -> list[Segment]:
    """Join adjacent strings so text compares and serialises simply."""
    out: list[Segment] = []
    for seg in segments:
        if isinstance(seg, str) and out and isinstance(out[-1], str):
            out[-1] = out[-1] + seg
        elif seg != "":
            out.append(seg)
    return out


def _strip_leading(segments: list[Segment]) -> list[Segment]:
    if segments and isinstance(segments[0], str):
        segments[0] = segments[0].lstrip()
    return segments
