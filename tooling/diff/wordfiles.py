"""The revision diff as Word files: ``redline.docx`` (the new edition's text with tracked
changes) and ``comparison.docx`` (the 条款对照表).

**redline.docx** lays every element of both editions out from the clause model, in the GB/T
styles of the Word edition, and marks what changed as Word revisions: text inserted and
deleted character by character (:func:`tooling.diff.match.char_diff`), paragraphs and table
rows inserted or deleted, and elements that changed place as moves (``w:moveFrom`` where the
old edition had them, ``w:moveTo`` where the new one has them). Accepting every revision gives
the new edition's text, rejecting every one the old edition's. Each revision's author is the
new edition's first drafting unit; its date is fixed (``SOURCE_DATE_EPOCH``, the edition's
dates, or 1 January of the year in its number), so the file is the same from run to run.

Which elements stay in place is the longest run of matched pairs common to both orders
(``difflib``); a matched pair outside it moved. A moved table is deleted and inserted, as Word
tracks no moves of table rows.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .. import model
from ..model import Clause
from ..word import (
    DELETE,
    INSERT,
    MOVE_FROM,
    MOVE_TO,
    PLAIN,
    Format,
    Furniture,
    Properties,
    Revisions,
    WordDocument,
    fixed_date,
)
from ..word import styles as S
from ..word.measure import column_widths
from ..word.ooxml import Element, el, paragraph, runs, set_property
from ..word.tables import CELL_PADDING, Cell, table
from .comparison import HEADER, comparison_table, intro
from .foreword import ChangeList
from .match import char_diff
from .records import ChangeRecord, EditionDiff, Segment

SANS = Format(font=S.SANS)
NUMBER = Format(font=S.SANS, bold=True)
_OPS = {"-": DELETE, "+": INSERT}

Piece = tuple[str, str, Format]  # ("=" | "-" | "+", text, format)


@dataclass
class Para:
    style: str
    pieces: list[Piece] = field(default_factory=list)
    mark: str = "="  # the paragraph mark: kept, deleted ("-") or inserted ("+")


@dataclass
class TableRows:
    """A table: each row (op, cells as pieces), the header rows and the column count."""

    rows: list[tuple[str, list[list[Piece]]]]
    header_rows: int
    columns: int


Block = Para | TableRows


# -- one element, on one side or both -----------------------------------------------------


def _checked(segments: Sequence[Segment], old: str, new: str) -> list[Segment]:
    """The diff's segments if they spell both texts exactly, else a fresh character diff."""
    segs = [s for s in segments if s[1]]
    if ("".join(t for op, t in segs if op != "+") == old
            and "".join(t for op, t in segs if op != "-") == new):
        return segs
    return list(char_diff(old, new)) if old != new else ([("=", new)] if new else [])


def _field_segments(r: ChangeRecord | None, name: str, old: str, new: str) -> list[Segment]:
    f = r.field(name) if r else None
    return _checked(f.diff if f is not None else (), old, new)


def _pieces(segments: Sequence[Segment], fmt: Format = PLAIN) -> list[Piece]:
    return [(op, text, fmt) for op, text in segments if text]


def _same(text: str, fmt: Format = PLAIN) -> list[Piece]:
    return [("=", text, fmt)] if text else []


def _pair(old: str | None, new: str | None, fmt: Format = PLAIN) -> list[Piece]:
    """A short value (a number, a label) shown whole: kept, or old deleted and new inserted."""
    if old == new:
        return _same(new or "", fmt)
    out: list[Piece] = []
    if old:
        out.append(("-", old, fmt))
    if new:
        out.append(("+", new, fmt))
    return out


def _lines(segments: Sequence[Segment]) -> list[tuple[list[Segment], str]]:
    """Split segments at newlines into paragraphs: (segments, op of the mark that ends it)."""
    out: list[tuple[list[Segment], str]] = []
    current: list[Segment] = []
    for op, text in segments:
        parts = text.split("\n")
        for k, part in enumerate(parts):
            if part:
                current.append((op, part))
            if k < len(parts) - 1:
                out.append((current, op))
                current = []
    out.append((current, "="))
    return out


def _line_style(text: str, default: str) -> str:
    """A line of an element's text that is a 列项 of its own (a) …, 1) …, —— …)."""
    head = text.lstrip()[:4]
    if head.startswith("——"):
        return "StdDashList"
    if len(head) > 1 and head[0].isascii() and head[0].isalpha() and head[1] == ")":
        return "StdLetterList"
    if head[:1].isdigit() and ")" in head[:3]:
        return "StdNumberList"
    return default


def _text_paras(segments: Sequence[Segment], default: str) -> list[Para]:
    paras = []
    for segs, mark in _lines(segments):
        shown = "".join(t for op, t in segs if op != "-") or "".join(t for _, t in segs)
        paras.append(Para(_line_style(shown, default), _pieces(segs), mark))
    return paras


def _body_paras(segments: Sequence[Segment], old: str, new: str) -> list[Para]:
    """The paragraphs of an element's text below its heading: none when there is no text on
    either side; when one side has none, the last paragraph mark comes or goes with it."""
    if not segments:
        return []
    paras = _text_paras(segments, "StdPara")
    if not new:
        paras[-1].mark = "-"
    elif not old:
        paras[-1].mark = "+"
    return paras


def _labels(count: int, word: str) -> list[str]:
    return [f"{word}{i + 1 if count > 1 else ''}：" for i in range(count)]


def _note_paras(old: Sequence[str], new: Sequence[str], r: ChangeRecord | None, name: str,
                word: str) -> list[Para]:
    """注 / 示例 paired by position; the label (注：/注1：) follows each side's count."""
    style = "StdNote" if word == "注" else "StdExample"
    out: list[Para] = []
    old_labels, new_labels = _labels(len(old), word), _labels(len(new), word)
    for i in range(max(len(old), len(new))):
        a = old[i] if i < len(old) else None
        b = new[i] if i < len(new) else None
        label = _pair(old_labels[i] if a is not None else None,
                      new_labels[i] if b is not None else None, SANS)
        if a is None or b is None:
            op = "+" if a is None else "-"
            segs: list[Segment] = [(op, (a if b is None else b) or "")]
        else:
            segs = _checked((), a, b)
        paras = _text_paras(segs, "StdNoteText")
        numbered = (len(new) if b is not None else len(old)) > 1
        paras[0].style = f"{style}N" if numbered else style
        paras[0].pieces = label + paras[0].pieces
        for p in paras[1:]:
            p.style = "StdNoteText"
        if a is None or b is None:
            for p in paras:
                p.mark = "+" if a is None else "-"
        out.extend(paras)
    return out


def _list_label(clause: Clause | None) -> str | None:
    if clause is None or not clause.number:
        return None
    return clause.number.rsplit(" ", 1)[-1] if " " in clause.number else clause.number


def element_blocks(old: Clause | None, new: Clause | None, r: ChangeRecord | None) -> list[Block]:
    """The paragraphs (and table) of one element: one side alone (``old`` or ``new`` None) or
    a matched pair with its changes as segments."""
    clause = new or old
    assert clause is not None
    kind = clause.element_type
    o_num, n_num = (old.number if old else None), (new.number if new else None)
    o_title, n_title = (old.title if old else ""), (new.title if new else "")
    o_text, n_text = (old.text if old else ""), (new.text if new else "")
    text = _field_segments(r, "text", o_text, n_text)
    if old is None:
        text = [("+", new.text)] if new and new.text else []
    elif new is None:
        text = [("-", old.text)] if old.text else []
    blocks: list[Block] = []
    annex = bool((n_num or o_num or "")[:1].isalpha())

    def title_pieces() -> list[Piece]:
        if old is None or new is None:
            return _same(n_title or o_title)
        return _pieces(_field_segments(r, "title", o_title, n_title))

    if kind in (model.CHAPTER, model.CLAUSE):
        number = n_num or o_num or ""
        level = 1 if kind == model.CHAPTER else number.count(".") + 1
        head = _pair(o_num, n_num)
        blocks.append(Para(S.heading_style(level, annex),
                           [*head, ("=", "\u3000", PLAIN), *title_pieces()]))
        blocks.extend(_body_paras(text, o_text, n_text))
    elif kind == model.ANNEX:
        o_ob = old.annex_obligation if old else None
        n_ob = new.annex_obligation if new else None
        head = [("=", "附录", PLAIN), *_pair(o_num, n_num), ("=", "\n", PLAIN),
                ("=", "（", PLAIN), *_pair(o_ob, n_ob), ("=", "）\n", PLAIN)]
        blocks.append(Para("StdAnnexChapter", [*head, *title_pieces()]))
        blocks.extend(_body_paras(text, o_text, n_text))
    elif kind in (model.FOREWORD, model.INTRODUCTION, model.BIBLIOGRAPHY, model.INDEX):
        style = {model.FOREWORD: "StdForewordTitle", model.INTRODUCTION: "StdForewordTitle",
                 model.BIBLIOGRAPHY: "StdBibTitle", model.INDEX: "StdIndexTitle"}[kind]
        blocks.append(Para(style, title_pieces()))
        blocks.extend(_body_paras(text, o_text, n_text))
    elif kind == model.TERM:
        blocks.append(Para("StdTermNumber", _pair(o_num, n_num)))
        o_term, n_term = (old.term if old else None), (new.term if new else None)
        if old is None or new is None:
            term = _same((n_term or o_term).term if (n_term or o_term) else "", SANS)
            en_text = (n_term or o_term).en if (n_term or o_term) else None
            en = _same(en_text or "")
        else:
            term = _pieces(_field_segments(r, "term.term", o_term.term if o_term else "",
                                           n_term.term if n_term else ""), SANS)
            en = _pieces(_checked((), (o_term.en or "") if o_term else "",
                                  (n_term.en or "") if n_term else ""))
        o_en = bool(o_term and o_term.en) if old is not None else False
        n_en = bool(n_term and n_term.en) if new is not None else False
        gap = _pair("\u3000" if o_en else None, "\u3000" if n_en else None)
        if old is None or new is None:
            gap = _same("\u3000") if en else []
        blocks.append(Para("StdTerm", [*term, *gap, *en]))
        blocks.extend(_body_paras(text, o_text, n_text))
        o_src = f"[来源：{o_term.source}]" if o_term and o_term.source else ""
        n_src = f"[来源：{n_term.source}]" if n_term and n_term.source else ""
        if old is None or new is None:
            src = [("=", n_src or o_src)] if (n_src or o_src) else []
        else:
            src = _checked((), o_src, n_src)
        if src:
            source = _text_paras(src, "StdPara")
            if o_src and not n_src:
                source[-1].mark = "-"
            elif n_src and not o_src:
                source[-1].mark = "+"
            blocks.extend(source)
    elif kind in (model.TABLE, model.FIGURE):
        word = "表" if kind == model.TABLE else "图"
        style = ("StdAnnexTableTitle" if annex else "StdTableTitle") if kind == model.TABLE \
            else ("StdAnnexFigureTitle" if annex else "StdFigureTitle")
        number = _pair(f"{word}{o_num}" if o_num else None, f"{word}{n_num}" if n_num else None,
                       SANS)
        caption = Para(style, [*number, ("=", "\u3000", SANS), *title_pieces()])
        if kind == model.TABLE:
            blocks.extend(_table_blocks(old, new, r, caption))
        else:
            blocks.append(caption)
    elif kind == model.LIST_ITEM:
        label = _pair(_list_label(old), _list_label(new))
        paras = _text_paras(text, "StdLetterList") if text else [Para("StdLetterList")]
        first_label = (_list_label(new) or _list_label(old) or "a)")
        paras[0].style = _line_style(first_label + " ", "StdLetterList")
        paras[0].pieces = [*label, ("=", "\t", PLAIN), *paras[0].pieces]
        blocks.extend(paras)
    else:  # untitled 条, unnumbered paragraph
        style = S.untitled_style(n_num or o_num or "1.1") if (n_num or o_num) else "StdPara"
        paras = _text_paras(text, "StdPara") if text else [Para(style)]
        if n_num or o_num:
            paras[0].style = style
            paras[0].pieces = [*_pair(o_num, n_num, NUMBER), ("=", "\u3000", PLAIN),
                               *paras[0].pieces]
        blocks.extend(paras)
    blocks.extend(_note_paras(old.notes if old else (), new.notes if new else (), r,
                              "notes", "注"))
    blocks.extend(_note_paras(old.examples if old else (), new.examples if new else (), r,
                              "examples", "示例"))
    return blocks


def _table_blocks(old: Clause | None, new: Clause | None, r: ChangeRecord | None,
                  caption: Para) -> list[Block]:
    clause = new or old
    assert clause is not None
    width = max((len(row) for row in clause.rows), default=0)
    if old is None or new is None:  # the element's own insertion or deletion marks the rows
        rows = [("=", [_same(c) for c in row]) for row in clause.rows]
        return [caption, TableRows(rows, clause.header_rows, width)] if rows else [caption]
    rows_field = r.field("rows") if r else None
    t = rows_field.table if rows_field else None
    same_columns = (t is not None and all(o == n for o, n in t.columns)
                    and len(t.columns) == width
                    and all(len(row) == width for row in (*old.rows, *new.rows)))
    consistent = t is not None and (
        [o for o, _ in t.rows if o is not None] == list(range(len(old.rows)))
        and [n for _, n in t.rows if n is not None] == list(range(len(new.rows))))
    if old.rows == new.rows:
        rows = [("=", [_same(c) for c in row]) for row in new.rows]
        return [caption, TableRows(rows, new.header_rows, width)]
    if t is None or not same_columns or not consistent:
        # Columns changed: the old table goes and the new one comes, whole.
        gone = TableRows([("-", [_same(c) for c in row]) for row in old.rows], old.header_rows,
                         max((len(row) for row in old.rows), default=0))
        came = TableRows([("+", [_same(c) for c in row]) for row in new.rows], new.header_rows,
                         max((len(row) for row in new.rows), default=0))
        return [caption, gone, came]
    rows_out: list[tuple[str, list[list[Piece]]]] = []
    for ro, rn in t.rows:
        if ro is None:
            rows_out.append(("+", [_same(c) for c in new.rows[rn]]))
        elif rn is None:
            rows_out.append(("-", [_same(c) for c in old.rows[ro]]))
        else:
            rows_out.append(("=", [_pieces(_checked((), a, b))
                                   for a, b in zip(old.rows[ro], new.rows[rn], strict=True)]))
    return [caption, TableRows(rows_out, new.header_rows, width)]


# -- where each element goes ---------------------------------------------------------------


Entry = tuple[str, Clause | None, Clause | None]  # (same|del|add|from|to, old, new)


def merged_order(d: EditionDiff) -> list[Entry]:
    """Both editions' elements in one sequence: the old order read without the new-only
    entries, the new order without the old-only ones. Pairs that keep their relative order
    stay in place; the others are moves."""
    assert d.old is not None and d.new is not None
    pairs = {o: n for o, n in d.alignment if o is not None and n is not None}
    back = {n: o for o, n in pairs.items()}
    old_ids = [c.id for c in d.old.walk()]
    new_ids = [c.id for c in d.new.walk()]
    old_keys = [("p", i) if i in pairs else ("o", i) for i in old_ids]
    new_keys = [("p", back[i]) if i in back else ("n", i) for i in new_ids]
    matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    out: list[Entry] = []
    i = j = 0
    for a, b, size in matcher.get_matching_blocks():
        for k in range(i, a):
            oid = old_ids[k]
            if oid in pairs:
                out.append(("from", d.old[oid], d.new[pairs[oid]]))
            else:
                out.append(("del", d.old[oid], None))
        for k in range(j, b):
            nid = new_ids[k]
            if nid in back:
                out.append(("to", d.old[back[nid]], d.new[nid]))
            else:
                out.append(("add", None, d.new[nid]))
        for k in range(size):
            out.append(("same", d.old[old_ids[a + k]], d.new[new_ids[b + k]]))
        i, j = a + size, b + size
    return out


# -- writing -------------------------------------------------------------------------------


class _Writer:
    def __init__(self, word: WordDocument, revisions: Revisions) -> None:
        self.word = word
        self.rev = revisions

    def runs(self, pieces: Sequence[Piece], whole: str | None) -> list[Element]:
        out: list[Element] = []
        for op, text, fmt in pieces:
            made = runs(text, fmt)
            kind = whole or _OPS.get(op)  # an element inserted, deleted or moved whole
            if kind:
                out.append(self.rev.wrap(kind, made))
            else:
                out.extend(made)
        return out

    def paragraph(self, para: Para, whole: str | None) -> Element:
        p = paragraph(para.style, self.runs(para.pieces, whole))
        kind = whole or _OPS.get(para.mark)
        if kind:
            self.rev.mark_paragraph(p, kind)
        return p

    def table(self, rows: TableRows, whole: str | None) -> Element:
        texts = [(r, c, 1, "".join(t for op, t, _ in cell if op != "-"))
                 for r, (_, cells) in enumerate(rows.rows) for c, cell in enumerate(cells)]
        widths, _fits = column_widths(texts, rows.columns, S.TEXT_WIDTH, 2 * CELL_PADDING,
                                      S.SIZE_S5)
        cells = []
        for r, (op, row) in enumerate(rows.rows):
            row_kind = _row_kind(op, whole)
            for c, pieces in enumerate(row):
                header = r < rows.header_rows
                style = "StdTableHead" if header else "StdTableText"
                content = self.runs(pieces, row_kind)
                cells.append(Cell(r, c, content=[paragraph(style, content)], header=header))
        tbl = table(cells, widths, header_rows=rows.header_rows)
        for (op, _row), tr in zip(rows.rows, tbl.findall(_w("tr")), strict=True):
            kind = _row_kind(op, whole)
            if kind:
                self.rev.mark_row(tr, kind)
        return tbl

    def element(self, blocks: Sequence[Block], whole: str | None,
                move: str = "") -> list[Element]:
        out: list[Element] = []
        for block in blocks:
            if isinstance(block, TableRows):
                out.append(self.table(block, whole))
            else:
                out.append(self.paragraph(block, whole))
        if whole in (MOVE_FROM, MOVE_TO) and out:
            start, end = self.rev.move_range(whole, move)
            first = out[0]
            ppr = first.find(_w("pPr"))
            first.insert(1 if ppr is not None else 0, start)
            out[-1].append(end)
        return out


def _row_kind(op: str, whole: str | None) -> str | None:
    if whole in (DELETE, MOVE_FROM):
        return DELETE
    if whole in (INSERT, MOVE_TO):
        return INSERT
    return _OPS.get(op)


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{tag}")


def _page_break_before(p: Element, value: bool) -> None:
    set_property(p, el("w:pageBreakBefore", {"w:val": "1" if value else "0"}))


def _has_body(edition: model.Edition) -> bool:
    return any(c.element_type in (model.CHAPTER, model.ANNEX) for c in edition.clauses)


def _has_table(blocks: Sequence[Block]) -> bool:
    return any(isinstance(b, TableRows) for b in blocks)


def redline_docx(d: EditionDiff) -> bytes:
    """The new edition's text with Word revisions against the old one (see module doc)."""
    assert d.old is not None and d.new is not None
    new, old = d.new_info, d.old_info
    date = fixed_date((new.issued, new.implemented), new.number,
                      os.environ.get("SOURCE_DATE_EPOCH"))
    author = new.drafting_units[0] if new.drafting_units else new.issuer
    title = f"修订对照：{old.number} → {new.number}"
    word = WordDocument(Properties(title=title, subject=new.number, author=author, date=date,
                                   keywords=f"{old.number}；{new.number}",
                                   comments=new.title_zh),
                        track_revisions=True)
    revisions = Revisions(author, date.strftime("%Y-%m-%dT%H:%M:%SZ"), word.next_id)
    writer = _Writer(word, revisions)
    move_names: dict[str, str] = {}
    titled = False
    for kind, o, n in merged_order(d):
        if not titled and (n or o) and (n or o).element_type in (model.CHAPTER, model.ANNEX):
            # The title on the first body page, as in the edition (if either has a body).
            sides = [_has_body(e) for e in (d.old, d.new)]
            whole = None if all(sides) else INSERT if sides[1] else DELETE
            title_para = writer.paragraph(Para("StdBodyTitle", _pieces(_checked(
                (), old.title_zh, new.title_zh))), whole)
            _page_break_before(title_para, True)
            word.append(title_para)
            titled = True
        if kind == "same" and o is not None and n is not None \
                and o.element_type != n.element_type:
            # An element that changed kind (a list item became an untitled 条): each side
            # is laid out as what it is, the old one deleted and the new one inserted.
            word.extend(writer.element(element_blocks(o, None, None), DELETE))
            word.extend(writer.element(element_blocks(None, n, None), INSERT))
            continue
        if kind == "same":
            blocks = element_blocks(o, n, d.record_for(o.id, n.id) if o and n else None)
            word.extend(writer.element(blocks, None))
            continue
        side = o if kind in ("del", "from") else n
        blocks = element_blocks(side if kind in ("del", "from") else None,
                                side if kind in ("add", "to") else None, None)
        whole = {"del": DELETE, "add": INSERT, "from": MOVE_FROM, "to": MOVE_TO}[kind]
        if whole in (MOVE_FROM, MOVE_TO) and _has_table(blocks):
            whole = DELETE if whole == MOVE_FROM else INSERT  # Word tracks no row moves
        move = ""
        if whole in (MOVE_FROM, MOVE_TO) and o is not None:
            move = move_names.setdefault(o.id, revisions.new_move_name())
        word.extend(writer.element(blocks, whole, move))
    word.append(paragraph("StdEndRule"))
    first = word.blocks()[0]
    if first.tag == _w("p"):
        _page_break_before(first, False)  # the 前言 opens the file: no blank first page
    furniture = Furniture(header=new.number, footer_centre=title)
    word.end_section(furniture, number_format="decimal", start=1, last=True)
    return word.to_bytes()


def comparison_docx(d: EditionDiff, changes: ChangeList | None = None, *,
                    all_rows: bool = False) -> bytes:
    """The 条款对照表 as a Word table on landscape A4, its heading row repeated on every page:
    the same rows as the HTML, PDF, CSV and .xlsx (:func:`.comparison.comparison_table`)."""
    new, old = d.new_info, d.old_info
    date = fixed_date((new.issued, new.implemented), new.number,
                      os.environ.get("SOURCE_DATE_EPOCH"))
    author = new.drafting_units[0] if new.drafting_units else new.issuer
    title = f"条款对照表：{old.number} → {new.number}"
    word = WordDocument(Properties(title=title, subject=new.number, author=author, date=date,
                                   comments=new.title_zh), landscape=True)
    word.append(paragraph("StdBodyTitle", runs(title)))
    table_rows = comparison_table(d, changes, all_rows=all_rows)
    word.append(paragraph("StdParaFlush", runs(intro(d, table_rows, all_rows))))
    rows = [list(HEADER)] + [row.cells() for row in table_rows]
    width = S.PAGE_HEIGHT - S.MARGIN_INSIDE - S.MARGIN_OUTSIDE
    ncols = len(rows[0])
    widths, _fits = column_widths([(r, c, 1, text) for r, row in enumerate(rows)
                                   for c, text in enumerate(row)],
                                  ncols, width, 2 * CELL_PADDING, S.SIZE_S5)
    cells = []
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            style = "StdTableHead" if r == 0 else "StdTableText"
            cells.append(Cell(r, c, content=[paragraph(style, runs(text))], header=r == 0))
    word.append(table(cells, widths, header_rows=1))
    word.append(paragraph("StdParaFlush"))
    word.end_section(Furniture(header=new.number), number_format="decimal", start=1, last=True)
    return word.to_bytes()


__all__ = ["comparison_docx", "element_blocks", "merged_order", "redline_docx"]
