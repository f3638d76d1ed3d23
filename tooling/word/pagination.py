"""On which page each paragraph falls: an estimate of how a word processor lays the document out.

The Word files use exact line pitches (:mod:`.styles`), so a page holds a known number of
lines whatever fonts are substituted; what remains to estimate is where lines break (from
character widths, :mod:`.measure`) and where pages break (paragraphs kept with the next one,
kept together, tables whose rows do not split and whose heading rows repeat). The 目次 is
pre-filled with the page numbers found here; Word recomputes them when the field is updated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from docx.oxml.ns import qn

from . import styles as S
from .measure import line_count
from .ooxml import Element, text_of
from .tables import CELL_PADDING, CELL_PADDING_Y

_ROMAN = (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90),
          ("L", 50), ("XL", 40), ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))


def format_number(n: int, fmt: str) -> str:
    """A page number as Word prints it in a section of format ``fmt``."""
    if fmt in ("upperRoman", "lowerRoman"):
        out = ""
        for letters, value in _ROMAN:
            while n >= value:
                out += letters
                n -= value
        return out if fmt == "upperRoman" else out.lower()
    return str(n)


@dataclass
class Layout:
    """Where things fell: each physical page's (section, printed number), the page of each
    bookmark, and of each block (by position in the body)."""

    pages: list[tuple[int, int]] = field(default_factory=list)
    bookmarks: dict[str, int] = field(default_factory=dict)  # name -> physical page (0-based)
    blocks: list[int] = field(default_factory=list)  # block index -> physical page
    formats: list[str] = field(default_factory=list)  # per section

    def printed(self, physical: int) -> str:
        section, number = self.pages[physical]
        return format_number(number, self.formats[section])

    @property
    def page_count(self) -> int:
        return len(self.pages)


@dataclass
class _Para:
    height_first: float  # space before and the first line
    pitch: float
    lines: int
    before: float
    after: float
    keep_next: bool
    keep_lines: bool
    break_before: bool
    extra: float = 0.0  # pictures taller than the lines


def _style_of(p: Element) -> S.ParagraphStyle:
    ppr = p.find(qn("w:pPr"))
    style_id = None
    if ppr is not None:
        ps = ppr.find(qn("w:pStyle"))
        if ps is not None:
            style_id = ps.get(qn("w:val"))
    return S.BY_ID.get(style_id or "", S.BY_ID["StdParaFlush"])


def _flag(ppr: Element | None, tag: str, default: bool) -> bool:
    if ppr is None:
        return default
    node = ppr.find(qn(tag))
    if node is None:
        return default
    return node.get(qn("w:val"), "1") not in ("0", "false")


def _twips_attr(node: Element | None, name: str) -> float | None:
    if node is None:
        return None
    value = node.get(qn(name))
    return int(value) / 20 if value is not None else None


def _paragraph(p: Element, width: float) -> _Para:
    spec = _style_of(p)
    ppr = p.find(qn("w:pPr"))
    ind = ppr.find(qn("w:ind")) if ppr is not None else None
    left = _twips_attr(ind, "w:left")
    left = spec.left if left is None else left
    first = spec.first_line
    if ind is not None and ind.get(qn("w:firstLine")) is not None:
        first = int(ind.get(qn("w:firstLine"))) / 20
    if ind is not None and ind.get(qn("w:hanging")) is not None:
        first = -int(ind.get(qn("w:hanging"))) / 20
    spacing = ppr.find(qn("w:spacing")) if ppr is not None else None
    before = _twips_attr(spacing, "w:before")
    before = spec.before if before is None else before
    pitch = spec.pitch
    if spacing is not None and spacing.get(qn("w:lineRule")) == "auto":
        pitch = None
    size = spec.size
    sizes = [int(s.get(qn("w:val"))) / 2 for s in p.iter(qn("w:sz"))]
    if sizes:
        size = max(sizes)
    line_pitch = pitch if pitch is not None else size * 1.35
    usable = max(width - left - spec.right, size)
    text = text_of(p).replace("\t", "  ")
    lines = line_count(text, usable / size, first / size) if text else 1
    extra = 0.0
    for extent in p.iter(qn("wp:extent")):
        extra += int(extent.get("cy", "0")) / 12700
    if p.find(f".//{qn('m:oMathPara')}") is not None or p.find(f".//{qn('m:oMath')}") is not None:
        extra += size * 1.6
    return _Para(before + line_pitch, line_pitch, lines, before, spec.after,
                 _flag(ppr, "w:keepNext", spec.keep_next),
                 _flag(ppr, "w:keepLines", spec.keep_lines),
                 _flag(ppr, "w:pageBreakBefore", spec.page_break_before), extra)


def _cell_height(tc: Element, width: float) -> float:
    height = 0.0
    for p in tc.findall(qn("w:p")):
        para = _paragraph(p, width - 2 * CELL_PADDING)
        height += para.before + para.lines * para.pitch + para.after + para.extra
    return height + 2 * CELL_PADDING_Y


def _rows(tbl: Element) -> list[tuple[float, bool]]:
    """(height, is header row) of each row."""
    widths = [int(g.get(qn("w:w"))) / 20 for g in tbl.iter(qn("w:gridCol"))]
    out = []
    for tr in tbl.findall(qn("w:tr")):
        col = 0
        height = 0.0
        for tc in tr.findall(qn("w:tc")):
            span_node = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
            span = int(span_node.get(qn("w:val"))) if span_node is not None else 1
            cell_width = sum(widths[col:col + span]) or S.TEXT_WIDTH
            height = max(height, _cell_height(tc, cell_width))
            col += span
        trpr = tr.find(qn("w:trPr"))
        minimum = trpr.find(qn("w:trHeight")) if trpr is not None else None
        if minimum is not None:
            height = max(height, int(minimum.get(qn("w:val"))) / 20)
        header = trpr is not None and trpr.find(qn("w:tblHeader")) is not None
        out.append((height, header))
    return out


def block_height(block: Element, width: float = S.TEXT_WIDTH) -> float:
    """The height a paragraph or table takes when nothing breaks it."""
    if block.tag == qn("w:tbl"):
        return sum(h for h, _ in _rows(block))
    p = _paragraph(block, width)
    return p.before + p.lines * p.pitch + p.after + p.extra


def _sections(blocks: Sequence[Element], final: Element) -> list[Element]:
    found = [b.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") for b in blocks if b.tag == qn("w:p")]
    return [s for s in found if s is not None] + [final]


def estimate(blocks: Sequence[Element], final_sectpr: Element) -> Layout:
    """Lay the body's blocks out on A4 pages of the document's geometry."""
    layout = Layout()
    sections = _sections(blocks, final_sectpr)
    for sectpr in sections:
        num = sectpr.find(qn("w:pgNumType"))
        layout.formats.append(num.get(qn("w:fmt"), "decimal") if num is not None else "decimal")
    height = S.TEXT_HEIGHT
    state = {"y": 0.0, "section": 0, "number": 1}

    def start(section: int) -> None:
        num = sections[section].find(qn("w:pgNumType"))
        restart = num is not None and num.get(qn("w:start")) is not None
        if restart:
            state["number"] = int(num.get(qn("w:start")))
        layout.pages.append((section, state["number"]))

    def new_page() -> None:
        state["y"] = 0.0
        state["number"] += 1
        layout.pages.append((state["section"], state["number"]))

    start(0)
    chain: list[tuple[int, float]] = []  # blocks kept with the next one: (index, height)
    for index, block in enumerate(blocks):
        if block.tag == qn("w:tbl"):
            rows = _rows(block)
            header = sum(h for h, is_header in rows if is_header)
            for k, (row, is_header) in enumerate(rows):
                if state["y"] + row > height and state["y"] > 0:
                    kept = sum(h for _, h in chain)
                    if k == 0 and chain and kept + row < height:
                        # The caption moves with the table's first row.
                        new_page()
                        for i, _h in chain:
                            layout.blocks[i] = len(layout.pages) - 1
                        state["y"] = kept
                    else:
                        new_page()
                        if not is_header:
                            state["y"] = header
                if k == 0:
                    layout.blocks.append(len(layout.pages) - 1)
                state["y"] += row
            chain = []
            continue
        para = _paragraph(block, S.TEXT_WIDTH)
        if para.break_before and state["y"] > 0:
            new_page()
        first = para.height_first + para.extra
        whole = para.before + para.lines * para.pitch + para.after + para.extra
        if state["y"] + first > height and state["y"] > 0:
            kept = sum(h for _, h in chain)
            new_page()
            if chain and kept + whole < height:
                for i, _h in chain:
                    layout.blocks[i] = len(layout.pages) - 1
                state["y"] = kept
        elif state["y"] + whole > height and state["y"] > 0:
            room = int((height - state["y"] - para.before - para.extra) // para.pitch)
            if para.keep_lines or para.lines < 4 or room < 2 or para.lines - room < 2:
                new_page()
            else:
                layout.blocks.append(len(layout.pages) - 1)
                new_page()
                state["y"] = (para.lines - room) * para.pitch + para.after
                chain = [(index, 0.0)] if para.keep_next else []
                _section_end(block, sections, state, start)
                continue
        layout.blocks.append(len(layout.pages) - 1)
        state["y"] += whole
        chain = [*chain, (index, whole)] if para.keep_next else []
        for br in block.iter(qn("w:br")):
            if br.get(qn("w:type")) == "page":
                new_page()
        _section_end(block, sections, state, start)
    for index, block in enumerate(blocks):
        for mark in block.iter(qn("w:bookmarkStart")):
            layout.bookmarks.setdefault(mark.get(qn("w:name")), layout.blocks[index])
    return layout


def _section_end(block: Element, sections: list[Element], state: dict, start) -> None:
    sectpr = block.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
    if sectpr is None:
        return
    state["section"] += 1
    state["y"] = 0.0
    state["number"] += 1
    start(state["section"])


__all__ = ["Layout", "block_height", "estimate", "format_number"]
