"""Docutils doctree → the blocks of a Word document, for the Word edition.

The translator walks the whole standard as one doctree (chapter files inlined, numbers put in
by :mod:`tooling.sphinx.resolve`), as the PDF edition's does, and writes WordprocessingML
paragraphs and tables in the named styles of :mod:`tooling.word.styles`. Element types and
numbers come from the clause model, never from the text. Every element of the model gets a
bookmark named after its id, so cross-references are links and the 目次 can point at headings.

What Word cannot take (a picture in a format it does not read, a table wider than the page, a
formula outside the LaTeX subset :mod:`tooling.word.omml` converts) is reported with the
element named (E190–E192) and replaced by a visible, framed placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes
from docx.oxml.ns import qn
from sphinx import addnodes

from .. import model
from ..model.numbering import annex_letter
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
from ..sphinx.tables import placed_entries
from ..word import PLAIN, Format, PictureError, WordDocument
from ..word import styles as S
from ..word.measure import column_widths, text_em
from ..word.omml import FormulaError, to_omml
from ..word.ooxml import (
    Element,
    bookmark,
    bookmark_name,
    el,
    internal_link,
    paragraph,
    runs,
    set_property,
    twips,
)
from ..word.tables import CELL_PADDING, Cell, table

Warn = Callable[[str, nodes.Node, dict[str, object]], None]

_SKIP = (
    nodes.target, nodes.comment, nodes.substitution_definition, nodes.system_message,
    nodes.raw, addnodes.index, addnodes.toctree, nodes.title,
)
# A quantity and its unit (400 mm, 24 h) and a standard's code and its number (GB/T 1.1) are
# joined by a no-break space, as in the PDF edition: a line never ends between them.
_UNIT = r"(?:mm|cm|dm|km|m²|m³|m|kg|mg|g|t|min|h|s|d|mL|L|kW|W|kV|V|A|Hz|dB|lx|°C|℃|%)"
_QUANTITY_GAP = re.compile(rf"(?<=\d) +(?={_UNIT}(?![A-Za-z]))")
_DESIGNATION_GAP = re.compile(r"\b((?:GB|DB|QB|T)(?:\d{2}|\d{4})?(?:/[TZ])?|ICS|CCS) +(?=\w)")
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
SANS = Format(font=S.SANS)
FILL_IN_ROW = 22.7  # pt (8 mm): a row with every cell empty is a row to fill in by hand


def keep_joined(text: str) -> str:
    return _DESIGNATION_GAP.sub("\\1\u00a0", _QUANTITY_GAP.sub("\u00a0", text))


def join_lines(text: str) -> str:
    """A source line break between two CJK characters is no space; elsewhere one space."""
    if "\n" not in text:
        return text
    parts = text.split("\n")
    out = parts[0]
    for part in parts[1:]:
        if not (_CJK.match(out[-1:] or " ") and _CJK.match(part[:1] or " ")):
            out += " "
        out += part
    return out


@dataclass
class Heading:
    """A heading the 目次 lists: level 1 (章, 前言, 附录) or 2 (一级条)."""

    level: int
    text: str
    bookmark: str


@dataclass
class Parts:
    """What the walk produced, by where it goes in the document."""

    notices: list[Element] = field(default_factory=list)  # before the 目次: on the cover
    front: list[Element] = field(default_factory=list)  # 前言, 引言
    body: list[Element] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)


class WordTranslator:
    """Renders the doctree into :class:`Parts`; unknown nodes keep their text (with a warning
    once per kind)."""

    def __init__(self, word: WordDocument, edition: model.Edition, warn: Warn,
                 read_image: Callable[[str], bytes]) -> None:
        self.word = word
        self.edition = edition
        self.warn = warn
        self.read_image = read_image
        self.parts = Parts()
        self.body_started = False
        self.warned: set[str] = set()
        self.bookmarks: set[str] = set()
        self.depth = 0  # enclosing elements of the model: at 0, blocks go out as made

    def render(self, tree: nodes.document) -> Parts:
        self.emit(self.blocks(tree))
        return self.parts

    def emit(self, blocks: list[Element]) -> None:
        (self.parts.body if self.body_started else self.parts.front).extend(blocks)

    # -- blocks --------------------------------------------------------------------------------

    def blocks(self, node: nodes.Element, style: str = "StdPara",
               indent: float | None = None) -> list[Element]:
        if isinstance(node, nodes.container) and "std-cover" in node["classes"]:
            return []  # the cover is drawn from standard.yaml
        """The block elements for a node's children. Outside the model's elements (the root
        document, the chapter files around their top-level sections) blocks go straight to
        the part in progress, so the body starts where the first chapter does."""
        out: list[Element] = []
        kids = [c for c in node.children if not isinstance(c, _SKIP)]
        for i, child in enumerate(kids):
            made = self.block(child, style, indent)
            if made and made[-1].tag == _q("w:p") and _keeps_with_next(child, kids[i + 1:]):
                _set_keep_next(made[-1])
            if self.depth == 0:
                self.emit(made)
            else:
                out.extend(made)
        return out

    def block(self, node: nodes.Node, style: str, indent: float | None) -> list[Element]:
        if isinstance(node, nodes.Element) and node.tagname in _TRANSPARENT:
            return self.blocks(node, style, indent)
        # Below here, what an element's children make belongs to the element.
        self.depth += 1
        try:
            return self._block(node, style, indent)
        finally:
            self.depth -= 1

    def _block(self, node: nodes.Node, style: str, indent: float | None) -> list[Element]:
        if isinstance(node, nodes.Text):
            text = node.astext().strip()
            return [paragraph(style, self.text_runs(text))] if text else []
        if isinstance(node, nodes.section):
            return self.section(node)
        if isinstance(node, nodes.paragraph):
            return [self.paragraph(node, style, indent)]
        if isinstance(node, clause_node):
            return self.clause(node)
        if isinstance(node, term_node):
            return self.term(node)
        if isinstance(node, std_note | std_example):
            return self.note(node)
        if isinstance(node, reference_entry):
            return self.reference_entry(node)
        if isinstance(node, formula_node):
            return [self.numbered_formula(node)]
        if isinstance(node, formula_where):
            return self.formula_where(node)
        if isinstance(node, std_footnote):
            return [self.footnote(node)]
        if isinstance(node, table_notes | figure_notes):
            return self.blocks(node, style, indent)
        if isinstance(node, nodes.enumerated_list | nodes.bullet_list):
            return self.list_(node, S.INDENT_2 if indent is None else indent)
        if isinstance(node, nodes.table):
            return self.table(node)
        if isinstance(node, nodes.figure):
            return self.figure(node)
        if isinstance(node, nodes.image):
            return [self.picture_paragraph(node, None)]
        if isinstance(node, nodes.math_block):
            return [self.formula(node)]
        if isinstance(node, nodes.Admonition):
            return self.admonition(node)
        if isinstance(node, nodes.literal_block | nodes.line_block):
            text = "\n".join(line.astext() for line in node.children) \
                if isinstance(node, nodes.line_block) else node.astext()
            return [paragraph("StdParaFlush", runs(text))]
        if isinstance(node, nodes.transition):
            return [paragraph("StdEndRule")]
        if isinstance(node, nodes.Element) and node.tagname in (
            "block_quote", "topic", "sidebar", "legend", "definition_list",
            "definition_list_item", "definition", "field_list", "field", "field_body",
            "glossary", "rubric", "term", "classifier", "field_name",
        ):
            if node.tagname in ("rubric", "term", "field_name"):
                return [paragraph("StdParaFlush", self.inline_children(node, SANS))]
            return self.blocks(node, style, indent)
        if isinstance(node, nodes.Element):
            self.unsupported(node)
            if isinstance(node, nodes.TextElement):
                return [paragraph(style, self.inline_children(node))]
            return self.blocks(node, style, indent)
        return []

    def unsupported(self, node: nodes.Element) -> None:
        if node.tagname not in self.warned:
            self.warned.add(node.tagname)
            self.warn("E193", node, {"element": node.tagname})

    # -- structure -----------------------------------------------------------------------------

    def section(self, node: nodes.section) -> list[Element]:
        clause = self.edition.get(node["ids"][0]) if node["ids"] else None
        if clause is None:  # the root document's title section: the cover carries the title
            self.depth -= 1  # its content is the document's flow
            try:
                return self.blocks(node)
            finally:
                self.depth += 1
        kind = clause.element_type
        title = node.next_node(nodes.title)
        title_runs = self.title_runs(title) if title is not None else []
        out: list[Element] = []
        if kind in (model.FOREWORD, model.INTRODUCTION):
            out.append(self.heading("StdForewordTitle", clause, title_runs, clause.title))
            return out + self.blocks(node)
        if not self.body_started and kind in (model.CHAPTER, model.ANNEX, model.BIBLIOGRAPHY,
                                              model.INDEX):
            # Everything before goes to the front matter; the body starts here.
            self.body_started = True
        if kind == model.ANNEX:
            letter = clause.number or ""
            content = [*runs("附录", Format(spacing=S.SIZE_S4 / 2)), *runs(letter),
                       *runs("\n"), *runs(f"（{clause.annex_obligation}）",
                                           Format(size=S.SIZE_5)),
                       *runs("\n"), *title_runs]
            text = f"附录{letter}（{clause.annex_obligation}）\u3000{clause.title}"
            out.append(self.heading("StdAnnexChapter", clause, content, text))
            return out + self.blocks(node)
        if kind in (model.BIBLIOGRAPHY, model.INDEX):
            style = "StdBibTitle" if kind == model.BIBLIOGRAPHY else "StdIndexTitle"
            out.append(self.heading(style, clause, title_runs, clause.title))
            return out + self.blocks(node)
        number = clause.number or ""
        level = 1 if kind == model.CHAPTER else number.count(".") + 1
        annex = number[:1].isalpha()
        content = [*runs(number), *runs("\u3000"), *title_runs] if number else title_runs
        text = f"{number}\u3000{clause.title}" if number else clause.title
        out.append(self.heading(S.heading_style(level, annex), clause, content, text,
                                level=level))
        return out + self.blocks(node)

    def heading(self, style: str, clause: model.Clause, content: list[Element], text: str,
                level: int = 1) -> Element:
        name = self.bookmark_for(clause.id)
        if level <= 2:
            self.parts.headings.append(Heading(level, text, name))
        return paragraph(style, self.bookmarked(name, content))

    def bookmark_for(self, element_id: str) -> str:
        name = bookmark_name(element_id)
        self.bookmarks.add(name)
        return name

    def bookmarked(self, name: str, content: list[Element]) -> list[Element]:
        start, end = bookmark(self.word.next_id(), name)
        return [start, *content, end]

    def title_runs(self, title: nodes.title) -> list[Element]:
        # Annex titles carry the designation for HTML; the heading lays it out itself.
        parts = [c for c in title.children
                 if not (isinstance(c, nodes.inline)
                         and {"annex-designation", "annex-obligation"} & set(c["classes"]))]
        out: list[Element] = []
        for child in parts:
            out.extend(self.inline(child, Format()))
        return out

    def paragraph(self, node: nodes.paragraph, style: str, indent: float | None) -> Element:
        classes = set(node["classes"])
        if "term-number" in classes:
            return paragraph("StdTermNumber", self.inline_children(node))
        if "term-head" in classes:
            return paragraph("StdTerm", self.term_head(node))
        if "clause-number-line" in classes:
            return paragraph("StdParaFlush", self.inline_children(node))
        p = paragraph(style, self.inline_children(node))
        if indent is not None and style in _INDENTED:
            _set_indent(p, indent, 0.0)
        return p

    def clause(self, node: clause_node) -> list[Element]:
        clause = self.edition.get(node["clause_id"])
        name = self.bookmark_for(node["clause_id"])
        out = self.blocks(node)
        if not out:
            return [paragraph("StdPara", self.bookmarked(name, []))]
        first = out[0]
        _insert_bookmark(first, *bookmark(self.word.next_id(), name))
        if (clause is not None and clause.number and node.get("element_type") == model.UNTITLED
                and first.tag == _q("w:p")):
            _set_style(first, S.untitled_style(clause.number))
        return out

    def term(self, node: term_node) -> list[Element]:
        out = self.blocks(node)
        if out:
            _insert_bookmark(out[0], *bookmark(self.word.next_id(),
                                               self.bookmark_for(node["term_id"])))
        return out

    def term_head(self, node: nodes.paragraph) -> list[Element]:
        out: list[Element] = []
        for child in node.children:
            if isinstance(child, nodes.strong):
                out.extend(self.inline_children(child, SANS))
            elif isinstance(child, nodes.inline) and "term-en" in child["classes"]:
                out.extend(runs("\u3000"))
                out.extend(self.inline_children(child, Format(font=S.SERIF)))
            else:
                out.extend(self.inline(child, SANS))
        return out

    def note(self, node: std_note | std_example) -> list[Element]:
        label = next((c for c in node.findall(nodes.inline)
                      if {"std_note-label", "std_example-label"} & set(c["classes"])), None)
        word = "注" if isinstance(node, std_note) else "示例"
        numbered = label is not None and label.astext() != f"{word}："
        style = {("注", False): "StdNote", ("注", True): "StdNoteN",
                 ("示例", False): "StdExample", ("示例", True): "StdExampleN"}[word, numbered]
        spec = S.style(style)
        out = self.blocks(node, "StdNoteText", spec.left)
        if out and out[0].tag == _q("w:p"):
            _set_style(out[0], style)
            ind = out[0].find(f"{_q('w:pPr')}/{_q('w:ind')}")
            if ind is not None:  # the style's hanging indent lays out "注："
                ind.getparent().remove(ind)
        return out

    # -- lists ---------------------------------------------------------------------------------

    def list_(self, node: nodes.Element, label_at: float) -> list[Element]:
        classes = set(node["classes"])
        enumerated = isinstance(node, nodes.enumerated_list)
        if "gbt-arabic" in classes:
            kind = "arabic"
        elif "gbt-dot" in classes:
            kind = "dot"
        elif "gbt-dash" in classes or not enumerated:
            kind = "dash"
        else:
            kind = "alpha"
        items = [c for c in node.children if isinstance(c, nodes.list_item)]
        labels = [_label(kind, i) for i in range(len(items))]
        style = {"alpha": "StdLetterList", "arabic": "StdNumberList", "dash": "StdDashList",
                 "dot": "StdDotList"}[kind]
        box = max(-S.style(style).first_line,
                  max((text_em(x) for x in labels), default=0) * S.SIZE_5 + 6.0)
        left = label_at + box
        out: list[Element] = []
        for item, label in zip(items, labels, strict=True):
            made = self.blocks(item, style, left)
            item_id = item["ids"][0] if item.get("ids") else None
            first = next((b for b in made if b.tag == _q("w:p")), None)
            if first is None:
                first = paragraph(style)
                made.insert(0, first)
            _set_indent(first, left, -box)
            _prepend(first, [*runs(label), *runs("\t")])
            if item_id and item_id in self.edition:
                _insert_bookmark(first, *bookmark(self.word.next_id(),
                                                  self.bookmark_for(item_id)))
            out.extend(made)
        return out

    # -- tables and figures --------------------------------------------------------------------

    def table(self, node: nodes.table) -> list[Element]:
        tgroup = node.next_node(nodes.tgroup)
        clause = self.edition.get(node["ids"][0]) if node["ids"] else None
        title = node.next_node(nodes.title)
        annex = bool(clause and clause.number and clause.number[:1].isalpha())
        out: list[Element] = []
        name = self.bookmark_for(clause.id) if clause else None
        if title is not None:
            content: list[Element] = []
            for child in title.children:
                content.extend(self.inline(child, Format()))
            style = "StdAnnexTableTitle" if annex else "StdTableTitle"
            out.append(paragraph(style, self.bookmarked(name, content) if name else content))
        if tgroup is None:
            return out
        placed = placed_entries(node)
        ncols = int(tgroup["cols"])
        plain = {id(p.entry): _plain(p.entry) for p in placed}
        widths, fits = column_widths([(p.row, p.col, p.colspan, plain[id(p.entry)])
                                      for p in placed],
                                     ncols, S.TEXT_WIDTH, 2 * CELL_PADDING, S.SIZE_S5)
        what = f"表{clause.number}" if clause and clause.number else "表格"
        if not fits:
            self.warn("E191", node, {"element": what, "columns": ncols})
            out.append(self.placeholder(f"〔{what}共{ncols}列，超出版心宽度，未能排入 Word 版；"
                                        "请见本标准的 PDF 版或 HTML 版〕"))
            return out
        # Columns of short entries (序号, 分值) are centred, like the header.
        centred = {c for c in range(ncols)
                   if all(len(plain[id(p.entry)]) <= 4 for p in placed
                          if p.col == c and p.colspan == 1 and not p.header)}
        rows = max((p.row + p.rowspan for p in placed), default=0)
        filled = {r for p in placed if plain[id(p.entry)]
                  for r in range(p.row, p.row + p.rowspan)}
        cells = []
        for p in placed:
            centre = p.header or (p.col in centred and p.colspan == 1)
            style = "StdTableHead" if centre else "StdTableText"
            content = self.blocks(p.entry, style, 0.0) or [paragraph(style)]
            cells.append(Cell(p.row, p.col, p.rowspan, p.colspan, content, p.header, centre,
                              None if p.row in filled else FILL_IN_ROW))
        header_rows = sum(1 for r in range(rows) if any(p.header and p.row == r for p in placed))
        notes = node.next_node(table_notes)
        if notes is not None:  # 表注 and footnotes inside the table's frame (GB/T 1.1—2020)
            content = self.blocks(notes, "StdTableText", 0.0)
            if content:
                cells.append(Cell(rows, 0, 1, ncols, content, False, False, None))
        out.append(table(cells, widths, header_rows=header_rows))
        return out

    def figure(self, node: nodes.figure) -> list[Element]:
        clause = self.edition.get(node["ids"][0]) if node["ids"] else None
        what = f"图{clause.number}" if clause and clause.number else "图"
        out: list[Element] = []
        for image in node.findall(nodes.image):
            out.append(self.picture_paragraph(image, what))
        notes = node.next_node(figure_notes)
        if notes is not None:  # 图注 and footnotes come before 图1 and its title
            out.extend(self.blocks(notes))
        caption = node.next_node(nodes.caption)
        if caption is not None:
            annex = bool(clause and clause.number and clause.number[:1].isalpha())
            style = "StdAnnexFigureTitle" if annex else "StdFigureTitle"
            content = self.inline_children(caption)
            if clause is not None:
                content = self.bookmarked(self.bookmark_for(clause.id), content)
            out.append(paragraph(style, content))
        for legend in node.findall(nodes.legend):
            out.extend(self.blocks(legend))
        return out

    def picture_paragraph(self, node: nodes.image, what: str | None) -> Element:
        uri = node.get("uri", "")
        element = what or f"图片“{uri}”"
        try:
            data = self.read_image(uri)
            run = self.word.picture(data, S.TEXT_WIDTH, S.TEXT_HEIGHT * 0.7)
        except (OSError, PictureError) as err:
            detail = getattr(err, "strerror", None) or str(err)
            self.warn("E190", node, {"element": element, "detail": f"“{uri}”：{detail}"})
            return self.placeholder(f"〔{element}：图片“{uri}”无法放入 Word 版（{detail}）〕")
        return paragraph("StdFigure", [run])

    def formula(self, node: nodes.math_block) -> Element:
        latex = node.astext()
        try:
            math = to_omml(latex, display=True)
        except FormulaError as err:
            self.warn("E192", node, {"element": _formula_name(latex), "detail": str(err)})
            return self.placeholder(f"〔公式未能转换为 Word 公式：{latex}〕")
        return paragraph("StdFormula", [math])

    def numbered_formula(self, node: formula_node) -> Element:
        """A numbered formula: the equation centred, its number (1) / (A.1) after it."""
        latex = node.get("tex", node.astext())
        number = node.get("number", "")
        try:
            math = to_omml(latex, display=False)
        except FormulaError as err:
            self.warn("E192", node, {"element": _formula_name(latex), "detail": str(err)})
            return self.placeholder(f"〔公式{number}未能转换为 Word 公式：{latex}〕")
        content = [math, *runs(f"\u3000\u3000{number}")] if number else [math]
        name = self.bookmark_for(node["formula_id"]) if node.get("formula_id") else None
        return paragraph("StdFormula", self.bookmarked(name, content) if name else content)

    def formula_where(self, node: formula_where) -> list[Element]:
        """式中： then each symbol, "——" and its meaning (punctuated by the toolkit)."""
        out = [paragraph("StdPara", runs("式中："))]
        for entry in node.children:
            if not isinstance(entry, formula_symbol):
                continue
            symbol = next((c for c in entry.children if isinstance(c, std_math)), None)
            meaning = next((c for c in entry.children if isinstance(c, nodes.paragraph)), None)
            content = self.inline(symbol, PLAIN) if symbol is not None else []
            content += runs("——")
            if meaning is not None:
                content += self.inline_children(meaning)
            out.append(paragraph("StdPara", content))
        return out

    def reference_entry(self, node: reference_entry) -> list[Element]:
        """An entry of 规范性引用文件 or 参考文献, bookmarked so references link to it."""
        para = node.next_node(nodes.paragraph)
        content = self.inline_children(para) if para is not None else []
        name = self.bookmark_for(node["ref_id"]) if node.get("ref_id") else None
        return [paragraph("StdPara", self.bookmarked(name, content) if name else content)]

    def footnote(self, node: std_footnote) -> Element:
        """A table's or figure's footnote: its letter raised, then its text."""
        content = runs(node.get("label", ""), Format(vert="superscript"))
        content += runs("\u3000")
        for para in node.findall(nodes.paragraph):
            content += self.inline_children(para)
        return paragraph("StdNoteText", content)

    def placeholder(self, text: str) -> Element:
        return paragraph("StdPlaceholder", runs(text, Format(font=S.SANS)))

    def admonition(self, node: nodes.Element) -> list[Element]:
        made = self.blocks(node, "StdNotice", 0.0)
        for block in made:
            if block.tag == _q("w:p"):
                _set_style(block, "StdCoverNotice" if not self.body_started else "StdNotice")
        if not self.body_started:
            self.parts.notices.extend(made)
            return []
        return made

    # -- inline --------------------------------------------------------------------------------

    def inline_children(self, node: nodes.Element, fmt: Format = PLAIN) -> list[Element]:
        out: list[Element] = []
        for child in node.children:
            out.extend(self.inline(child, fmt))
        return out

    def text_runs(self, text: str, fmt: Format = PLAIN) -> list[Element]:
        return runs(keep_joined(join_lines(text)), fmt)

    def inline(self, node: nodes.Node, fmt: Format) -> list[Element]:
        if isinstance(node, nodes.Text):
            return self.text_runs(node.astext(), fmt)
        if isinstance(node, _SKIP):
            return []
        if isinstance(node, nodes.strong):
            return self.inline_children(node, fmt.with_(bold=True))
        if isinstance(node, nodes.emphasis):
            return self.inline_children(node, fmt.with_(italic=True))
        if isinstance(node, nodes.superscript):
            return self.inline_children(node, fmt.with_(vert="superscript"))
        if isinstance(node, nodes.subscript):
            return self.inline_children(node, fmt.with_(vert="subscript"))
        if isinstance(node, nodes.literal):
            return runs(node.astext(), fmt)
        if isinstance(node, nodes.inline):
            classes = set(node["classes"])
            if "clause-number" in classes:
                return self.inline_children(node, fmt.with_(font=S.SANS, bold=True))
            if {"table-number", "figure-number", "std_note-label",
                "std_example-label"} & classes:
                return self.inline_children(node, fmt.with_(font=S.SANS))
            return self.inline_children(node, fmt)
        if isinstance(node, nodes.reference):
            return self.reference(node, fmt)
        if isinstance(node, clause_ref):
            return self.inline_children(node, fmt)
        if isinstance(node, std_footnote_ref):
            return runs(node.get("label", ""), fmt.with_(vert="superscript"))
        if isinstance(node, std_math):
            try:
                return [to_omml(node.get("tex", node.astext()), display=False)]
            except FormulaError as err:
                self.warn("E192", node, {"element": _formula_name(node.astext()),
                                         "detail": str(err)})
                return runs(f"〔公式：{node.get('tex', '')}〕", fmt.with_(font=S.SANS))
        if isinstance(node, nodes.math):
            try:
                return [to_omml(node.astext(), display=False)]
            except FormulaError as err:
                self.warn("E192", node, {"element": _formula_name(node.astext()),
                                         "detail": str(err)})
                return runs(f"〔公式：{node.astext()}〕", fmt.with_(font=S.SANS))
        if isinstance(node, nodes.image):
            try:
                return [self.word.picture(self.read_image(node.get("uri", "")),
                                          S.TEXT_WIDTH, S.TEXT_HEIGHT * 0.7)]
            except (OSError, PictureError) as err:
                uri = node.get("uri", "")
                self.warn("E190", node, {"element": f"图片“{uri}”", "detail": str(err)})
                return runs(f"〔图片“{uri}”〕", fmt.with_(font=S.SANS))
        if isinstance(node, nodes.Element):
            if not isinstance(node, nodes.Inline | nodes.TextElement):
                self.unsupported(node)
            return self.inline_children(node, fmt)
        return []

    def reference(self, node: nodes.reference, fmt: Format) -> list[Element]:
        content = self.inline_children(node, fmt)
        uri = node.get("refuri", "")
        target = node.get("refid") or (uri[1:] if uri.startswith("#") else None)
        if target:
            return [internal_link(bookmark_name(target), content)]
        if uri.startswith(("http://", "https://", "mailto:")):
            rid = self.word.doc.part.relate_to(uri, _HYPERLINK, is_external=True)
            link = el("w:hyperlink", {"r:id": rid, "w:history": "1"})
            for child in content:
                link.append(child)
            return [link]
        return content


# Containers whose content is the document's own flow (chapter files, the toctree wrapper).
_TRANSPARENT = {"document", "start_of_file", "compound", "container"}
_INDENTED = {"StdLetterList", "StdNumberList", "StdDashList", "StdDotList", "StdNoteText"}
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def _formula_name(latex: str) -> str:
    text = " ".join(latex.split())
    return f"公式“{text if len(text) <= 30 else text[:29] + '…'}”"


def _label(kind: str, position: int) -> str:
    if kind == "alpha":
        return f"{annex_letter(position).lower()})"
    if kind == "arabic":
        return f"{position + 1})"
    return "——" if kind == "dash" else "·"


def _plain(entry: nodes.Element) -> str:
    """A cell's text as printed, paragraphs on lines of their own."""
    return "\n".join(p.astext() for p in entry.findall(nodes.paragraph)) or entry.astext()


def _keeps_with_next(node: nodes.Node, following: list[nodes.Node]) -> bool:
    """The text a 注 or 示例 belongs to, and a 列项's lead-in sentence, stay on the page where
    what follows them starts."""
    nxt = next(iter(following), None)
    if nxt is None:
        return False
    if isinstance(nxt, std_note | std_example):
        return isinstance(node, nodes.paragraph | clause_node)
    if isinstance(nxt, nodes.enumerated_list | nodes.bullet_list):
        return isinstance(node, nodes.paragraph) and node.astext().rstrip().endswith("：")
    return False


_q = qn


def _set_style(p: Element, style_id: str) -> None:
    set_property(p, el("w:pStyle", {"w:val": style_id}))


def _set_keep_next(p: Element) -> None:
    set_property(p, el("w:keepNext"))


def _set_indent(p: Element, left: float, first_line: float) -> None:
    attrs: dict[str, str | int | float] = {"w:left": twips(left)}
    attrs["w:hanging" if first_line < 0 else "w:firstLine"] = twips(abs(first_line))
    set_property(p, el("w:ind", attrs))


def _prepend(p: Element, children: Iterable[Element]) -> None:
    ppr = p.find(_q("w:pPr"))
    position = 1 if ppr is not None else 0
    for offset, child in enumerate(children):
        p.insert(position + offset, child)


def _insert_bookmark(p: Element, start: Element, end: Element) -> None:
    """Around a paragraph's content (inside the first cell's paragraph for a table)."""
    if p.tag != _q("w:p"):
        p = next(p.iter(_q("w:p")))
    ppr = p.find(_q("w:pPr"))
    p.insert(1 if ppr is not None else 0, start)
    p.append(end)


def read_inside(root: Path) -> Callable[[str], bytes]:
    """A reader of pictures that refuses anything outside the standard's folder."""
    base = root.resolve()

    def read(uri: str) -> bytes:
        if "://" in uri or uri.startswith("data:"):
            raise OSError(0, "只能使用标准目录内的图片文件")
        path = (base / uri).resolve()
        if not path.is_relative_to(base):
            raise OSError(0, "图片位于标准目录之外，已拒绝")
        if not path.is_file():
            raise OSError(0, "找不到图片文件")
        return path.read_bytes()

    return read
