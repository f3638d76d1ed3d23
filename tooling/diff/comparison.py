"""The 条款对照表 a 编制说明 annexes: 原条款号 | 原条文 | 新条款号 | 新条文 | 修订说明.

One row per provision that changed (a clause with its list items, a heading, a term, a table),
in the new edition's order: the technical changes, and the editorial and metadata-only ones
with their 修订说明 saying so. Clauses that were only renumbered, or whose cross-references
print other numbers, are left out unless asked (``all_rows``). :func:`comparison_table` is the
one source of the rows; the CSV, the .xlsx, the HTML page and the Typst (PDF) table below, and
any other writer (Word), take them from there.

Pure: no Sphinx.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .. import model
from ..io.tables import Column, to_csv, to_xlsx
from ..model import Clause, Edition
from .foreword import (
    CITED,
    CONSEQUENCE,
    EDITORIAL_ONLY,
    LISTED,
    METADATA,
    OMITTED,
    Change,
    ChangeList,
    change_list,
    letter,
)
from .match import char_diff
from .records import (
    ADDED,
    CHANGED,
    FRONT_MATTER,
    REMOVED,
    STRUCTURAL,
    ChangeRecord,
    EditionDiff,
    Segment,
)
from .render import Show

HEADER = ("原条款号", "原条文", "新条款号", "新条文", "修订说明")
STRUCTURE = "structural"  # a row's status when it only moved or was renumbered


@dataclass(frozen=True)
class Row:
    """One row of the 条款对照表. ``old_segments``/``new_segments``: the two texts with what
    was deleted ("-") and inserted ("+") marked, for writers that can show it."""

    old_number: str
    old_text: str
    new_number: str
    new_text: str
    note: str  # 修订说明
    key: str  # the change it belongs to (developer detail, not shown)
    status: str  # listed / cited / consequence / editorial / metadata / omitted / structural
    old_segments: tuple[Segment, ...] = ()
    new_segments: tuple[Segment, ...] = ()

    def cells(self) -> list[str]:
        return [self.old_number, self.old_text, self.new_number, self.new_text, self.note]


def comparison_columns(d: EditionDiff | None = None) -> list[Column]:
    """Widths in characters (a Chinese character counts about 2): texts wide, numbers narrow."""
    return [Column(HEADER[0], 10), Column(HEADER[1], 56, wrap=True), Column(HEADER[2], 10),
            Column(HEADER[3], 56, wrap=True), Column(HEADER[4], 40, wrap=True)]


def title(d: EditionDiff) -> str:
    return f"条款对照表（{d.new_info.number}与{d.old_info.number}）"


# -- texts ------------------------------------------------------------------------------------


def _label(clause: Clause) -> str:
    """A list item's own label (a), 1)), from its number."""
    number = clause.number or ""
    return number.rsplit(" ", 1)[-1] if " " in number else number


@dataclass(frozen=True)
class _Part:
    """One line of a row's text: ``field`` says which part of which element it is."""

    field: str
    prefix: str
    text: str

    @property
    def full(self) -> str:
        return self.prefix + self.text


def _parts(clause: Clause) -> list[_Part]:
    """What a row shows for an element: term or title, text, list items, notes."""
    parts: list[_Part] = []
    if clause.term is not None:
        en = f"　{clause.term.en}" if clause.term.en else ""
        parts.append(_Part("term.term", "", clause.term.term + en))
    elif clause.title:
        parts.append(_Part("title", "", clause.title))
    if clause.text:
        parts.append(_Part("text", "", clause.text))
    for child in clause.children:
        if child.element_type == model.LIST_ITEM:
            for item in child.walk():
                parts.append(_Part(f"item:{item.id}", _label(item) + " ", item.text))
    for i, note in enumerate(clause.notes):
        label = "注：" if len(clause.notes) == 1 else f"注{i + 1}："
        parts.append(_Part(f"note:{i}", label, note))
    return parts


def _table_parts(clause: Clause, record: ChangeRecord | None, side: str,
                 same: Callable[[str, str], bool]) -> list[_Part]:
    """A table: its caption and, when it changed, only the rows that differ (with the header
    row when columns changed); all its rows when it was added or removed."""
    parts = [_Part("title", "", clause.title)]
    rows_field = record.field("rows") if record is not None else None
    if rows_field is None or rows_field.table is None:
        if record is not None and record.change == CHANGED:
            return parts
        return parts + [_Part(f"row:{i}", "", "｜".join(r)) for i, r in enumerate(clause.rows)]
    t = rows_field.table
    mine, theirs = (0, 1) if side == "old" else (1, 0)
    own = rows_field.old if side == "old" else rows_field.new
    other_rows = rows_field.new if side == "old" else rows_field.old
    shown: set[int] = set()
    if t.columns_added or t.columns_removed:
        shown.update(range(clause.header_rows or 1))
    for pair in t.rows:
        i, j = pair[mine], pair[theirs]
        if i is None:
            continue
        if j is None:
            shown.add(i)
            continue
        a, b = (own[i], other_rows[j]) if side == "old" else (other_rows[j], own[i])
        if len(a) != len(b) or not all(x == y or same(x, y) for x, y in zip(a, b, strict=True)):
            shown.add(i)
    # Rows are named by their pair, so the two sides of one row line up in the diff.
    names = {pair[mine]: f"row:{pair[0]}:{pair[1]}" for pair in t.rows if pair[mine] is not None}
    return parts + [_Part(names.get(i, f"row:{i}"), "", "｜".join(own[i]))
                    for i in sorted(shown)]


# -- rows -------------------------------------------------------------------------------------


def _note(change: Change | None, changes: ChangeList, record: ChangeRecord | None,
          d: EditionDiff, notes: dict[str, str]) -> str:
    """The 修订说明: what the change does (the 前言's words for it), or why the 前言 leaves it
    out; the editor's note when changes.yaml gives one."""
    if change is None:
        if record is None:
            return ""
        return _structure_note(record, d)
    if change.key in notes:
        return notes[change.key]
    where = changes.item_of(change.key) or (changes.item_of(change.cause)
                                            if change.cause else None)
    listed = f"；见前言{letter(where[0])}" if where else ""
    if change.status == LISTED:
        return (change.phrase or "") + listed
    if change.status == CITED:
        return change.reason + listed
    if change.status == CONSEQUENCE:
        return change.reason + listed
    if change.status in (EDITORIAL_ONLY, METADATA):
        return change.reason
    if change.status == OMITTED:
        return f"{change.phrase}（不列入前言）"
    return change.phrase


def _structure_note(r: ChangeRecord, d: EditionDiff) -> str:
    parts = []
    if "moved" in r.aspects and r.old and r.new:
        parts.append(f"条文未变，由{_parent_name(d, r.old.parent, 'old')}移至"
                     f"{_parent_name(d, r.new.parent, 'new')}")
    elif "references_renumbered" in r.aspects:
        parts.append("条文未变，所引条款的编号随之变化")
    elif r.renumbered_only:
        parts.append("仅编号变化")
    else:
        parts.append("结构调整")
    return "；".join(parts)


def _parent_name(d: EditionDiff, parent: str | None, side: str) -> str:
    edition = d.new if side == "new" else d.old
    if edition is None or parent is None or parent not in edition:
        return "顶层"
    clause = edition[parent]
    ref = edition.reference_text(parent)
    return f"{ref}“{clause.title}”" if clause.title else ref


def comparison_table(d: EditionDiff, changes: ChangeList | None = None, *,
                     all_rows: bool = False) -> list[Row]:
    """The rows of the 条款对照表 (see the module docstring)."""
    old, new = d.old, d.new
    assert old is not None and new is not None
    changes = changes if changes is not None else change_list(d)
    show = Show(d)
    notes = dict(changes.notes)
    key_of: dict[str, Change] = {}
    for c in changes.changes:
        for r in c.records:
            key_of[_record_key(r)] = c

    # Rows: one per element that is not a list item; list items join their clause's row.
    order: list[tuple[str | None, str | None]] = []
    members: dict[tuple[str | None, str | None], list[ChangeRecord]] = {}
    to_new = {o: n for o, n in d.alignment if o is not None and n is not None}
    to_old = {n: o for o, n in to_new.items()}

    def holder(edition: Edition, clause_id: str) -> str:
        clause = edition[clause_id]
        while clause.element_type == model.LIST_ITEM:
            parent = edition.parent(clause.id)
            if parent is None:
                break
            clause = parent
        return clause.id

    for r in d.records:
        if r.category == FRONT_MATTER:
            continue
        if r.new is not None:
            h = holder(new, r.new.id)
            slot = (to_old.get(h), h)
        else:
            assert r.old is not None
            h = holder(old, r.old.id)
            slot = (h, to_new.get(h))
        if slot not in members:
            order.append(slot)
            members[slot] = []
        members[slot].append(r)

    rows: list[Row] = []
    for slot in order:
        records = members[slot]
        oid, nid = slot
        own = next((r for r in records if (r.old.id if r.old else None) == oid
                    and (r.new.id if r.new else None) == nid), None)
        change = next((key_of[_record_key(r)] for r in records if _record_key(r) in key_of),
                      None)
        moved = own is not None and "moved" in own.aspects
        if change is None and not all_rows and not moved:
            continue
        o = old[oid] if oid else None
        n = new[nid] if nid else None
        status = change.status if change else STRUCTURE
        old_parts = _parts_for(o, own, "old", show)
        new_parts = _parts_for(n, own, "new", show)
        old_segs, new_segs = _segments(old_parts, new_parts, records, show)
        note = _note(change, changes, own or records[0], d, notes)
        if change is not None and own is not None and "moved" in own.aspects:
            note += "；" + _structure_note(own, d)
        if change is not None and change.change in (ADDED, REMOVED):
            top = change.new_id if change.change == ADDED else change.old_id
            if top not in (oid, nid):
                note = "新增" if change.change == ADDED else "删除"
        rows.append(Row(
            old.reference_text(oid) if oid else "", "".join(t for _op, t in old_segs),
            new.reference_text(nid) if nid else "", "".join(t for _op, t in new_segs),
            note, change.key if change else (nid or oid or ""), status,
            tuple(old_segs), tuple(new_segs)))
    return rows


def _record_key(r: ChangeRecord) -> str:
    return f"{r.old.id if r.old else ''}>{r.new.id if r.new else ''}"


def _parts_for(clause: Clause | None, record: ChangeRecord | None, side: str,
               show: Show) -> list[_Part]:
    if clause is None:
        return []
    if clause.rows:
        return _table_parts(clause, record, side, show.same)
    return _parts(clause)


def _segments(old_parts: list[_Part], new_parts: list[_Part], records: Sequence[ChangeRecord],
              show: Show) -> tuple[list[Segment], list[Segment]]:
    """Both texts as segments: a part that changed is diffed (with references compared by
    what they point at, so a renumbering elsewhere is not marked), the rest is plain."""
    ref_diffs: dict[str, Sequence[Segment]] = {}
    for r in records:
        f = r.field("text")
        if f is None or not f.ref_diff:
            continue
        clause_id = r.new.id if r.new else r.old.id if r.old else ""
        is_item = (r.new or r.old) is not None and (r.new or r.old).element_type == \
            model.LIST_ITEM
        ref_diffs[f"item:{clause_id}" if is_item else "text"] = f.ref_diff
    old_map = {p.field: p for p in old_parts}
    new_map = {p.field: p for p in new_parts}
    fields = list(dict.fromkeys([p.field for p in new_parts] + [p.field for p in old_parts]))
    if not new_parts:
        fields = [p.field for p in old_parts]
    o_out: list[Segment] = []
    n_out: list[Segment] = []
    for name in fields:
        a, b = old_map.get(name), new_map.get(name)
        if a is not None:
            if o_out:
                o_out.append(("=", "\n"))
            if b is None:
                o_out.append(("-", a.full))
                continue
        if b is not None:
            if n_out:
                n_out.append(("=", "\n"))
            if a is None:
                n_out.append(("+", b.full))
                continue
        assert a is not None and b is not None
        o_out.append(("=" if a.prefix == b.prefix else "-", a.prefix))
        n_out.append(("=" if a.prefix == b.prefix else "+", b.prefix))
        if a.text == b.text:
            o_out.append(("=", a.text))
            n_out.append(("=", b.text))
            continue
        sides = _shown(ref_diffs.get(name, ()), show, a.text, b.text)
        o_out.extend(sides[0])
        n_out.extend(sides[1])
    return _merge(o_out), _merge(n_out)


def _shown(ref_diff: Sequence[Segment], show: Show, a: str, b: str
           ) -> tuple[list[Segment], list[Segment]]:
    """The two sides of a diff. From the diff over ⟦references⟧ when there is one (each side
    printing its own numbers: 见7.4.2 and 见8.4.2 are the same reference), else by character."""
    if ref_diff:
        old_side = [(op, show.text(t, "old")) for op, t in ref_diff if op != "+"]
        new_side = [(op, show.text(t, "new")) for op, t in ref_diff if op != "-"]
        if "".join(t for _, t in old_side) == a and "".join(t for _, t in new_side) == b:
            return old_side, new_side
    segments = char_diff(a, b)
    return ([(op, t) for op, t in segments if op != "+"],
            [(op, t) for op, t in segments if op != "-"])


def _merge(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for op, text in segments:
        if not text:
            continue
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    return out


# -- writers ----------------------------------------------------------------------------------


def comparison_rows(d: EditionDiff, changes: ChangeList | None = None, *,
                    all_rows: bool = False) -> list[list[str]]:
    """The 条款对照表 as text: the header row, then one row per change."""
    return [list(HEADER)] + [row.cells() for row in comparison_table(d, changes,
                                                                      all_rows=all_rows)]


def comparison_csv(d: EditionDiff, changes: ChangeList | None = None, *,
                   all_rows: bool = False) -> str:
    """UTF-8 with BOM (Excel, WPS), CRLF, formula cells neutralised."""
    return to_csv(comparison_columns(d), comparison_rows(d, changes, all_rows=all_rows)[1:])


def comparison_xlsx(d: EditionDiff, date: tuple[int, int, int] | None = None,
                    changes: ChangeList | None = None, *, all_rows: bool = False) -> bytes:
    """An Excel workbook: clause numbers stay text (3.10 is not 3.1), texts wrap."""
    return to_xlsx("条款对照表", comparison_columns(d),
                   comparison_rows(d, changes, all_rows=all_rows)[1:], title=title(d), date=date)


def _esc(text: str) -> str:
    return html.escape(text, quote=True).replace("\n", "<br>")


def _cell_html(segments: Sequence[Segment], side: str) -> str:
    out = []
    for op, text in segments:
        if op == "-" and side == "old":
            out.append(f"<del>{_esc(text)}</del>")
        elif op == "+" and side == "new":
            out.append(f"<ins>{_esc(text)}</ins>")
        else:
            out.append(_esc(text))
    return "".join(out)


_STYLE = """
@page{size:A4 landscape;margin:12mm}
body{font-family:"Noto Serif CJK SC","Source Han Serif SC",SimSun,serif;margin:0 auto;
padding:1em 1.5em;max-width:80em;color:#1f2328;line-height:1.55}
h1{font-size:1.3em;text-align:center;margin:.4em 0}
p.intro{font-size:.9em;color:#444;margin:.3em 0 .8em}
table{border-collapse:collapse;width:100%;table-layout:fixed;font-size:.88em}
th,td{border:1px solid #555;padding:.3em .45em;vertical-align:top;text-align:left;
overflow-wrap:anywhere}
th{background:#eef1f5;text-align:center;font-family:"Noto Sans CJK SC",SimHei,sans-serif;
font-weight:bold;white-space:nowrap}
thead{display:table-header-group}
tr{break-inside:avoid}
col.num{width:6.5%}col.text{width:32%}col.note{width:23%}
td.num{white-space:nowrap}
ins{color:#1a7f37;text-decoration:underline}
del{color:#cf222e;text-decoration:line-through}
tr.editorial td,tr.metadata td,tr.structural td{color:#57606a}
""".strip()


def comparison_html(d: EditionDiff, changes: ChangeList | None = None, *,
                    all_rows: bool = False) -> str:
    """The 条款对照表 as a page that prints on A4 landscape."""
    rows = comparison_table(d, changes, all_rows=all_rows)
    head = "".join(f"<th>{_esc(h)}</th>" for h in HEADER)
    body = []
    for row in rows:
        body.append(
            f'<tr class="{html.escape(row.status)}">'
            f'<td class="num">{_esc(row.old_number)}</td>'
            f"<td>{_cell_html(row.old_segments, 'old')}</td>"
            f'<td class="num">{_esc(row.new_number)}</td>'
            f"<td>{_cell_html(row.new_segments, 'new')}</td>"
            f"<td>{_esc(row.note)}</td></tr>")
    page = (f"<h1>{_esc(title(d))}</h1>"
            f'<p class="intro">{_esc(intro(d, rows, all_rows))}</p>'
            '<table><colgroup><col class="num"><col class="text"><col class="num">'
            '<col class="text"><col class="note"></colgroup>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_esc(title(d))}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
            f"{page}\n</body>\n</html>\n")


def intro(d: EditionDiff, rows: Sequence[Row], all_rows: bool = False) -> str:
    """The line above the table: what it lists and what it leaves out."""
    technical = sum(1 for r in rows if r.status in (LISTED, CITED, CONSEQUENCE, OMITTED))
    editorial = sum(1 for r in rows if r.status == EDITORIAL_ONLY)
    metadata = sum(1 for r in rows if r.status == METADATA)
    text = (f"《{d.new_info.title_zh}》{d.new_info.number}与{d.old_info.number}的条款对照。"
            f"技术性变化{technical}处，编辑性修改{editorial}处，仅元数据变化{metadata}处")
    if not all_rows:
        skipped = sum(1 for r in d.records if r.category == STRUCTURAL
                      and "moved" not in r.aspects)
        if skipped:
            text += f"；另有{skipped}个要素仅编号（或所引条款的编号）变化，未列出"
    return text + "。"


def comparison_typst(d: EditionDiff, serif: str, sans: str, changes: ChangeList | None = None,
                     *, all_rows: bool = False) -> str:
    """The 条款对照表 as a Typst document: A4 landscape, the header row repeated on every page,
    deletions struck through in the old text and insertions underlined in the new."""
    from ..typeset import typst_date
    from .reports import typ, typ_string

    rows = comparison_table(d, changes, all_rows=all_rows)

    def cell(segments: Sequence[Segment], side: str) -> str:
        out = []
        for op, text in segments:
            if op == "-" and side == "old":
                out.append(f"#del[{typ(text)}]")
            elif op == "+" and side == "new":
                out.append(f"#ins[{typ(text)}]")
            else:
                out.append(typ(text))
        return "".join(out)

    cells = []
    for row in rows:
        cells.extend([
            f"[{typ(row.old_number)}]", f"[{cell(row.old_segments, 'old')}]",
            f"[{typ(row.new_number)}]", f"[{cell(row.new_segments, 'new')}]",
            f"[{typ(row.note)}]",
        ])
    header = ", ".join(f"table.cell(align: center)[*{typ(h)}*]" for h in HEADER)
    return "\n".join([
        "// Generated by stdkit: 条款对照表 (no imports, no packages).",
        f"#set document(title: {typ_string(title(d))}, "
        f"date: {typst_date(d.new_info.issued, d.new_info.implemented)})",
        '#set page(paper: "a4", flipped: true, margin: (x: 1.5cm, y: 1.4cm),'
        ' numbering: "1 / 1", number-align: center)',
        f"#set text(font: ({typ_string(serif)},), size: 9pt, lang: \"zh\", region: \"cn\","
        " cjk-latin-spacing: none)",
        "#set par(justify: false, leading: 0.55em)",
        f"#show strong: set text(font: ({typ_string(sans)},))",
        '#let ins(body) = underline(stroke: 0.5pt + rgb("#1a7f37"), text(fill: rgb("#1a7f37"),'
        " body))",
        '#let del(body) = strike(stroke: 0.5pt + rgb("#cf222e"), text(fill: rgb("#cf222e"),'
        " body))",
        f"#align(center, text(font: ({typ_string(sans)},), size: 14pt)[{typ(title(d))}])",
        f"#text(size: 8.5pt)[{typ(intro(d, rows, all_rows))}]",
        "#table(columns: (1.7cm, 1fr, 1.7cm, 1fr, 6.2cm), inset: 4pt, stroke: 0.5pt,",
        "  fill: (_, y) => if y == 0 { luma(235) },",
        f"  table.header({header}),",
        "  " + ",\n  ".join(cells) + ("," if cells else ""),
        ")",
        "",
    ])

