"""The Word edition assembled: cover, 目次 (a TOC field, pre-filled), front matter with Roman page
numbers, the body with Arabic ones from 1, the closing rule, the document properties.

:func:`assemble` takes what :class:`~tooling.docx.writer.WordTranslator` made from the doctree
and the edition's metadata; the page numbers of the 目次 and the room left on the cover come
from :func:`tooling.word.pagination.estimate`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import pairwise

from docx.oxml.ns import qn

from .. import model
from ..model.stages import PATENT_CALL, completed_line, patent_call, stage_line
from ..word import Format, Furniture, Properties, WordDocument, fixed_date
from ..word import styles as S
from ..word.ooxml import (
    Element,
    el,
    field,
    field_begin,
    field_end,
    internal_link,
    page_break,
    paragraph,
    runs,
    set_property,
    twips,
)
from ..word.pagination import Layout, block_height, estimate
from ..word.tables import Cell, table
from .writer import Heading, Parts

TOC_INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u'
SANS = Format(font=S.SANS)


def properties(info: model.EditionInfo, date: dt.datetime) -> Properties:
    return Properties(
        title=info.title_zh,
        subject=info.number,
        author="、".join(info.drafting_units) or info.issuer,
        date=date,
        keywords="；".join([info.number, *info.ics, *([info.ccs] if info.ccs else [])]),
        comments=info.title_en or "",
        status=info.stage if info.is_draft else "",
    )


def document_date(info: model.EditionInfo, epoch: str | None) -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` if set, else the issue or implementation date, else the year of
    the number: never the clock."""
    return fixed_date((info.issued, info.implemented), info.number, epoch)


def cover(info: model.EditionInfo, notices: Sequence[Element]) -> list[Element]:
    """The cover (GB/T 1.1—2020 附录F), as the PDF edition draws it; the vertical room is
    shared out later (:func:`_spread_cover`)."""
    out: list[Element] = []
    codes = []
    if info.ics:
        codes.append(f"ICS {'；'.join(info.ics)}")
    if info.ccs:
        codes.append(f"CCS {info.ccs}")
    if info.filing_number:
        codes.append(f"备案号：{info.filing_number}")
    left = [paragraph("StdCoverCode", runs(text)) for text in codes] or [
        paragraph("StdCoverCode")]
    if info.code_mark:
        right = [paragraph("StdCoverMark", runs(info.code_mark))]
        half = S.TEXT_WIDTH / 2
        out.append(table([Cell(0, 0, content=left), Cell(0, 1, content=right)], [half, half],
                         borders=False))
    else:
        out.extend(left)
    out.append(paragraph("StdCoverClass", runs(info.class_line)))
    out.append(paragraph("StdCoverNumber", runs(info.number)))
    if info.replaces:
        out.append(paragraph("StdCoverReplaces",
                             runs("代替" + "、".join(r.number for r in info.replaces))))
    out.append(paragraph("StdCoverRule"))
    out.append(paragraph("StdCoverTitle", runs(info.title_zh)))
    if info.title_en:
        out.append(paragraph("StdCoverTitleEn", runs(info.title_en)))
    stage = stage_line(info)
    if stage:
        out.append(paragraph("StdCoverStage", runs(stage)))
    completed = completed_line(info)
    if completed:
        out.append(paragraph("StdCoverPatent", runs(completed)))
    call = patent_call(info)
    if call:
        out.append(paragraph("StdCoverPatent", runs(call)))
    out.extend(notices)
    issued = info.issued or "XXXX-XX-XX"
    implemented = info.implemented or "XXXX-XX-XX"
    out.append(paragraph("StdCoverDates", runs(f"{issued}发布\t{implemented}实施")))
    out.append(paragraph("StdCoverIssuer", runs(f"{info.issuer}\u3000发布")))
    return out


def _spread_cover(blocks: list[Element]) -> None:
    """Put the room the cover leaves above the title and above the notice (or the dates), as
    the PDF edition's 1fr spacers do."""
    room = S.TEXT_HEIGHT - sum(block_height(b) for b in blocks) - 12.0
    if room <= 0:
        return
    title = next(b for b in blocks if _style(b) == "StdCoverTitle")
    after = next(b for b in blocks if _style(b) in ("StdCoverNotice", "StdCoverDates"))
    _space_before(title, room / 2)
    _space_before(after, room / 2)


def _style(block: Element) -> str | None:
    node = block.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return node.get(qn("w:val")) if node is not None else None


def _space_before(p: Element, points: float) -> None:
    set_property(p, el("w:spacing", {"w:before": twips(points)}))


def _space_after_tables(blocks: Sequence[Element]) -> None:
    """The text after a table starts half a line below it (a table has no spacing of its
    own); captions and headings bring their own."""
    for table_block, after in pairwise(blocks):
        if table_block.tag != qn("w:tbl") or after.tag != qn("w:p"):
            continue
        spec = S.BY_ID.get(_style(after) or "", S.BY_ID["StdPara"])
        if spec.before == 0 and after.find(f"{qn('w:pPr')}/{qn('w:spacing')}") is None:
            _space_before(after, S.BODY_PITCH / 2)


def toc_entries(headings: Sequence[Heading], pages: dict[str, str] | None) -> list[Element]:
    """The 目次 as a TOC field whose result is pre-filled: one paragraph per heading (toc 1 /
    toc 2), each a link to the heading's bookmark with a PAGEREF page number."""
    out: list[Element] = []
    for k, heading in enumerate(headings):
        number = (pages or {}).get(heading.bookmark, "1")
        page = field(f"PAGEREF {heading.bookmark} \\h", runs(number))
        link = internal_link(heading.bookmark, [*runs(heading.text), *runs("\t"), *page])
        children: list[Element] = []
        if k == 0:
            children.extend(field_begin(TOC_INSTRUCTION))
        children.append(link)
        if k == len(headings) - 1:
            children.append(field_end())
        out.append(paragraph("TOC1" if heading.level <= 1 else "TOC2", children))
    return out


def assemble(word: WordDocument, info: model.EditionInfo, parts: Parts) -> Layout:
    """Lay the document out: cover | 目次, 前言, 引言 (I, II …) | body (1, 2 …). Duplex
    (``pdf: {duplex: true}``): mirrored margins, a blank back of the cover, and the body's
    section starting on an odd page."""
    stage = stage_line(info)
    furniture = Furniture(header=info.number, footer_centre=stage)
    cover_blocks = cover(info, parts.notices)
    word.extend(cover_blocks)
    if word.duplex:  # printed on both sides: the back of the cover stays blank
        word.append(paragraph("StdParaFlush", [page_break()]))
    word.end_section(None)
    front: list[Element] = []
    if parts.headings:
        front.append(paragraph("StdTocTitle", runs("目次")))
        toc = toc_entries(parts.headings, None)
        front.extend(toc)
    front.extend(parts.front)
    if front:
        word.extend(front)
        word.end_section(furniture, number_format="upperRoman", start=1)
    body = [paragraph("StdBodyTitle", runs(info.title_zh)), *parts.body,
            paragraph("StdEndRule")]
    _space_after_tables(front)
    _space_after_tables(body)
    word.extend(body)
    # Duplex: the body starts on a right-hand page, as the PDF edition's does.
    word.end_section(furniture, number_format="decimal", start=1, odd_page=word.duplex,
                     last=True)
    final = word.body.find(qn("w:sectPr"))
    _spread_cover(cover_blocks)
    layout = estimate(word.blocks(), final)
    if parts.headings:
        pages = {name: layout.printed(page) for name, page in layout.bookmarks.items()}
        for old, new in zip(toc, toc_entries(parts.headings, pages), strict=True):
            old.getparent().replace(old, new)
    return layout


__all__ = ["PATENT_CALL", "assemble", "cover", "document_date", "properties", "toc_entries"]
