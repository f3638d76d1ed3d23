"""Reports of a revision diff (:class:`tooling.diff.EditionDiff`): pure functions returning text.

- :func:`summary_text` — a few lines for the terminal;
- :func:`redline_html` — the new edition as one HTML page with insertions (``<ins>``) and
  deletions (``<del>``) marked, a table of contents of the changes, and every element linking
  into the new edition's HTML (``href(clause_id)``, None for no link);
- :func:`comparison_csv` / :func:`comparison_html` — the 条款对照表 (old number, new number,
  change type, summary, id);
- :func:`foreword_items` — the 前言 change list in GB/T 1.1—2020 phrasing, without final
  punctuation (``foreword.list_items`` adds "；" and "。");
- :func:`redline_typst` — the redline as a self-contained Typst document, for a PDF.

The JSON is :meth:`EditionDiff.to_json` (schema: ``tooling/schemas/diff.schema.json``).
Every text taken from the sources is escaped for its output format.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from .. import model
from ..io.tables import Column, to_csv, to_xlsx
from ..io.tables import neutralise as neutralise  # re-exported: the CSV rule lives in io
from ..model import Clause, Edition
from .match import char_diff
from .records import (
    ADDED,
    CHANGED,
    EDITORIAL,
    FRONT_MATTER,
    REMOVED,
    STRUCTURAL,
    TECHNICAL,
    TECHNICAL_ASPECTS,
    ChangeRecord,
    EditionDiff,
    FieldChange,
    Segment,
    TableDiff,
)
from .wording import (
    METADATA_ZH,
    PROVISION_ZH,
    merged,
    metadata_value_zh,
    old_year,
    row_name,
)

Href = Callable[[str], str | None]

CATEGORY_ZH = {
    TECHNICAL: "技术性变化", EDITORIAL: "编辑性修改", STRUCTURAL: "结构调整", FRONT_MATTER: "前言",
}


def change_label(r: ChangeRecord) -> str:
    """The 变化类型 column: 新增, 删除, 修改（加严）, 编辑性修改, 移动, 仅编号变化 …"""
    if r.change == ADDED:
        return "新增"
    if r.change == REMOVED:
        return "删除"
    aspects = set(r.aspects)
    if r.category == FRONT_MATTER:
        return "前言"
    if r.category == TECHNICAL:
        label = "修改"
        if "strengthened" in aspects:
            label += "（加严）"
        elif "weakened" in aspects:
            label += "（放宽）"
        return label + ("、移动" if "moved" in aspects else "")
    if r.category == EDITORIAL:
        return "编辑性修改"
    if "moved" in aspects:
        return "移动"
    if "id_changed" in aspects:
        return "标识变更"
    if "type_changed" in aspects:
        return "层次调整"
    if r.renumbered_only:
        return "仅编号变化"
    return "引用编号更新"


# -- terminal ---------------------------------------------------------------------------------


def summary_text(d: EditionDiff) -> str:
    """A short report for the terminal: counts, then one line per non-structural record."""
    c = d.counts()
    modified = sum(1 for r in d.records if r.change == CHANGED and r.category == TECHNICAL)
    lines = [
        f"条款级修订差异：{d.old_info.number} → {d.new_info.number}",
        f"旧版 {c['old_elements']} 个元素，新版 {c['new_elements']} 个元素；"
        f"未变 {c['unchanged']} 个。",
        f"技术性变化 {c['technical']}（新增 {c['added']}，删除 {c['removed']}，修改 {modified}），"
        f"编辑性修改 {c['editorial']}，结构调整 {c['structural']}"
        f"（其中仅编号变化 {c['renumbered_only']}，移动 {c['moved']}），前言 {c['front_matter']}。",
        f"加严 {c['strengthened']}，放宽 {c['weakened']}；按相似度匹配 "
        f"{c['matched_by_similarity']}（阈值 {d.threshold:g}）。",
    ]
    shown = [r for r in d.records if r.category in (TECHNICAL, EDITORIAL)]
    if shown:
        lines.append("")
    for r in shown:
        mark = {ADDED: "+", REMOVED: "-"}.get(r.change, "~" if r.category == TECHNICAL else "·")
        where = r.new.reference if r.new else ""
        if r.old and (not r.new or r.old.reference != r.new.reference):
            where += f"（原{r.old.reference}）" if r.new else f"原{r.old.reference}"
        label = f"{change_label(r)}：" if r.change == CHANGED else ""
        lines.append(f"  {mark} {where}  {label}{r.summary}")
    return "\n".join(lines) + "\n"


# -- HTML -------------------------------------------------------------------------------------


def esc(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def _br(text: str) -> str:
    return esc(text).replace("\n", "<br>")


def segments_html(segments: Iterable[Segment]) -> str:
    out = []
    for op, text in segments:
        if op == "=":
            out.append(_br(text))
        elif op == "-":
            out.append(f"<del>{_br(text)}</del>")
        else:
            out.append(f"<ins>{_br(text)}</ins>")
    return "".join(out)


def _field_segments(r: ChangeRecord | None, name: str, old: str, new: str) -> list[Segment]:
    f = r.field(name) if r else None
    if f is not None and f.diff:
        return list(f.diff)
    if old == new:
        return [("=", new)] if new else []
    return list(char_diff(old, new))


_STYLE = """
body{font-family:"Noto Serif CJK SC","Source Han Serif SC",SimSun,serif;max-width:60em;
margin:0 auto;padding:1em 2em;line-height:1.7;color:#1f2328}
h1{font-size:1.4em}h2{font-size:1.2em}
ins{color:#1a7f37;background:#dafbe1;text-decoration:underline}
del{color:#cf222e;background:#ffebe9;text-decoration:line-through}
nav#toc{border:1px solid #d0d7de;padding:.5em 1em;margin:1em 0;font-size:.92em}
nav#toc ul{padding-left:1.4em;margin:.2em 0}
.el{margin:.35em 0;padding:.1em .6em;border-left:3px solid transparent}
.el.technical{border-left-color:#cf222e}.el.editorial{border-left-color:#bf8700}
.el.structural{border-left-color:#8c959f}.el.front_matter{border-left-color:#0969da}
.el.added{background:#f6fff8}.el.removed{background:#fff8f8}
.num{font-weight:bold;margin-right:.6em}.title{font-weight:bold}
.badge{font-family:sans-serif;font-size:.75em;background:#eaeef2;border-radius:3px;
padding:0 .4em;margin-left:.4em;color:#57606a}
.to-new{font-family:sans-serif;font-size:.75em;margin-left:.6em}
.summary{font-size:.85em;color:#57606a;margin:.1em 0}
.meta{font-size:.85em;margin:.2em 0 .2em 1em}
table{border-collapse:collapse;margin:.4em 0;font-size:.9em}
td,th{border:1px solid #8c959f;padding:.15em .5em;vertical-align:top}
tr.row-added td{background:#dafbe1}tr.row-removed td{background:#ffebe9}
td.col-added{background:#dafbe1}td.col-removed{background:#ffebe9}
.legend{font-size:.9em}
""".strip()


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{esc(title)}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def anchor(old: Clause | None, new: Clause | None) -> str:
    """The HTML anchor of an element of the redline: c-<new id>, or removed-<old id>."""
    if new is not None:
        return f"c-{new.id}"
    assert old is not None
    return f"removed-{old.id}"


def _number_html(old: Clause | None, new: Clause | None) -> str:
    a = old.number if old else None
    b = new.number if new else None
    if new is None:
        return f"<del>{esc(a)}</del>" if a else ""
    if old is None:
        return f"<ins>{esc(b)}</ins>" if b else ""
    if a == b:
        return esc(b)
    return " ".join(x for x in (f"<del>{esc(a)}</del>" if a else "",
                                f"<ins>{esc(b)}</ins>" if b else "") if x)


def _whole(op: str, text: str) -> list[Segment]:
    return [(op, text)] if text else []


def _table_html(old: Clause | None, new: Clause | None, t: TableDiff | None) -> str:
    grid = table_grid(old, new, t)
    if not grid:
        return ""
    header = (new or old).header_rows if (new or old) else 0
    rows = []
    for k, (status, cells) in enumerate(grid):
        tag = "th" if k < header else "td"
        cls = {"+": ' class="row-added"', "-": ' class="row-removed"'}.get(status, "")
        tds = []
        for col_status, segments in cells:
            ccls = {"+": ' class="col-added"', "-": ' class="col-removed"'}.get(col_status, "")
            tds.append(f"<{tag}{ccls}>{segments_html(segments)}</{tag}>")
        rows.append(f"<tr{cls}>{''.join(tds)}</tr>")
    return "<table>" + "".join(rows) + "</table>"


Cell = tuple[str, list[Segment]]


def table_grid(old: Clause | None, new: Clause | None, t: TableDiff | None
               ) -> list[tuple[str, list[Cell]]]:
    """Rows of the merged table: (row status, [(column status, segments)]); status is
    "=", "+" (added), "-" (removed)."""
    if t is None:
        clause = new or old
        if clause is None or not clause.rows:
            return []
        op = "+" if old is None else "-" if new is None else "="
        return [(op, [("=", [(op, c)] if c else []) for c in row]) for row in clause.rows]
    assert old is not None and new is not None

    def cell(rows: Sequence[Sequence[str]], r: int | None, c: int | None) -> str:
        if r is None or c is None or r >= len(rows) or c >= len(rows[r]):
            return ""
        return rows[r][c]

    grid = []
    for ro, rn in t.rows:
        row_status = "+" if ro is None else "-" if rn is None else "="
        cells: list[Cell] = []
        for co, cn in t.columns:
            col_status = "+" if co is None else "-" if cn is None else "="
            a, b = cell(old.rows, ro, co), cell(new.rows, rn, cn)
            if row_status == "+" or col_status == "+":
                segments = _whole("+", b)
            elif row_status == "-" or col_status == "-":
                segments = _whole("-", a)
            else:
                segments = list(char_diff(a, b)) if a != b else _whole("=", b)
            cells.append((col_status, segments))
        grid.append((row_status, cells))
    return grid


def _meta_html(r: ChangeRecord) -> str:
    items = []
    for f in r.fields:
        if f.field.startswith("metadata."):
            name = f.field.split(".", 1)[1]
            items.append(
                f"<li>{esc(METADATA_ZH.get(name, name))}（{esc(name)}）："
                f"<del>{esc(metadata_value_zh(name, f.old))}</del> → "
                f"<ins>{esc(metadata_value_zh(name, f.new))}</ins></li>")
        elif f.field.startswith("term.") and f.field != "term.term":
            items.append(f"<li>{esc(f.field)}：<del>{esc(_plain(f.old))}</del> → "
                         f"<ins>{esc(_plain(f.new))}</ins></li>")
        elif f.field == "annex_obligation":
            items.append(f"<li>附录性质：<del>{esc(f.old)}</del> → <ins>{esc(f.new)}</ins></li>")
    return f'<ul class="meta">{"".join(items)}</ul>' if items else ""


def _plain(value: object) -> str:
    if value is None:
        return "无"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def _element_html(old: Clause | None, new: Clause | None, r: ChangeRecord | None,
                  href: Href) -> str:
    clause = new or old
    assert clause is not None
    status = r.change if r else "unchanged"
    cat = r.category if r else "unchanged"
    classes = f"el {esc(status)} {esc(cat)} type-{esc(clause.element_type)}"
    parts = [f'<div class="{classes}" id="{esc(anchor(old, new))}">', '<div class="head">']
    number = _number_html(old, new)
    if number:
        parts.append(f'<span class="num">{number}</span>')
    if clause.term is not None or (old and old.term is not None):
        a = old.term.term if old and old.term else ""
        b = new.term.term if new and new.term else ""
        segs = _entire(old, new, a, b, r, "term.term")
        parts.append(f'<span class="title">{segments_html(segs)}</span>')
        en_a = old.term.en if old and old.term else ""
        en_b = new.term.en if new and new.term else ""
        if en_a or en_b:
            segs = _entire(old, new, en_a or "", en_b or "", r, "term.en")
            parts.append(f" <span class=\"en\">{segments_html(segs)}</span>")
    else:
        a, b = (old.title if old else ""), (new.title if new else "")
        if a or b:
            segs = _entire(old, new, a, b, r, "title")
            parts.append(f'<span class="title">{segments_html(segs)}</span>')
    if r is not None:
        parts.append(f'<span class="badge">{esc(change_label(r))}</span>')
    if new is not None:
        link = href(new.id)
        if link:
            parts.append(f'<a class="to-new" href="{esc(link)}">新版</a>')
    parts.append("</div>")
    if r is not None and r.summary and r.change == CHANGED and not r.renumbered_only:
        parts.append(f'<p class="summary">{esc(r.summary)}</p>')
    if not clause.rows and not (old and old.rows):
        a, b = (old.text if old else ""), (new.text if new else "")
        segs = _entire(old, new, a, b, r, "text")
        if segs:
            parts.append(f'<p class="text">{segments_html(segs)}</p>')
    for name, label in (("notes", "注"), ("examples", "示例")):
        a = "\n".join(getattr(old, name)) if old else ""
        b = "\n".join(getattr(new, name)) if new else ""
        segs = _entire(old, new, a, b, r, name)
        if segs:
            parts.append(f'<p class="{name}">{label}：{segments_html(segs)}</p>')
    rows_field = r.field("rows") if r else None
    parts.append(_table_html(old, new, rows_field.table if rows_field else None))
    if r is not None:
        parts.append(_meta_html(r))
    parts.append("</div>")
    return "".join(parts)


def _entire(old: Clause | None, new: Clause | None, a: str, b: str,
            r: ChangeRecord | None, name: str) -> list[Segment]:
    """The segments to show for one text field of an element of the merged document."""
    if new is None:
        return _whole("-", a)
    if old is None:
        return _whole("+", b)
    return _field_segments(r, name, a, b)


def _toc(d: EditionDiff) -> str:
    """One entry per top-level element, and below it the records that are not only
    structural (moves are listed)."""
    assert d.new is not None and d.old is not None
    tops: list[tuple[str, str, list[str]]] = []
    current: list[str] | None = None
    for old, new, r in merged(d):
        clause = new or old
        assert clause is not None
        edition = d.new if new is not None else d.old
        if edition.parent(clause.id) is None:
            current = []
            label = (edition.reference_text(clause.id) + " " if clause.number else "")
            tops.append((anchor(old, new), label + clause.title, current))
        if r is None or current is None:
            continue
        if r.category == STRUCTURAL and "moved" not in r.aspects:
            continue
        if edition.parent(clause.id) is None and not r.summary:
            continue
        where = (r.new or r.old).reference if (r.new or r.old) else ""
        current.append(
            f'<li><a href="#{esc(anchor(old, new))}">{esc(where)}</a> '
            f'<span class="badge">{esc(change_label(r))}</span> {esc(r.summary)}</li>')
    items = []
    for a, label, entries in tops:
        sub = f"<ul>{''.join(entries)}</ul>" if entries else ""
        items.append(f'<li><a href="#{esc(a)}">{esc(label)}</a>{sub}</li>')
    return f'<nav id="toc"><h2>目录（变化）</h2><ul>{"".join(items)}</ul></nav>'


def redline_html(d: EditionDiff, href: Href) -> str:
    """The whole new edition as one page, removed elements in place, changes marked."""
    title = f"修订对照：{d.old_info.number} → {d.new_info.number}"
    return _page(title, redline_body(d, href))


def redline_fragment(d: EditionDiff, href: Href) -> str:
    """The redline for a page of the HTML edition: its own styles, scoped to one block."""
    style = re.sub(r"(^|\})\s*([^{}@]+)\{", lambda m: m.group(1) + "\n" + ", ".join(
        f".stdkit-redline {sel.strip()}" for sel in m.group(2).split(",")) + " {", _STYLE)
    return (f'<style>\n{style}\n</style>\n<div class="stdkit-redline">\n'
            f"{redline_body(d, href)}\n</div>")


def redline_body(d: EditionDiff, href: Href) -> str:
    title = f"修订对照：{d.old_info.number} → {d.new_info.number}"
    c = d.counts()
    head = (
        f"<header><h1>{esc(title)}</h1>"
        f"<p>{esc(d.new_info.title_zh)}</p>"
        f"<p>新增 {c['added']}，删除 {c['removed']}，技术性变化 {c['technical']}，"
        f"编辑性修改 {c['editorial']}，结构调整 {c['structural']}，未变 {c['unchanged']}。</p>"
        '<p class="legend">图例：<ins>增加的文字</ins>　<del>删除的文字</del>　'
        "左边线：红色为技术性变化，黄色为编辑性修改，灰色为结构调整（编号、位置、引用）。</p>"
        "</header>"
    )
    body = [head, _toc(d), "<main>"]
    for old, new, r in merged(d):
        body.append(_element_html(old, new, r, href))
    body.append("</main>")
    return "\n".join(body)


# -- 条款对照表 -------------------------------------------------------------------------------


def comparison_rows(d: EditionDiff) -> list[list[str]]:
    """The 条款对照表: the header row, then one row per change (the developer column last)."""
    header = [column.header for column in comparison_columns(d)]
    rows = [header]
    for r in d.records:
        ident = r.new.id if r.new else r.old.id if r.old else ""
        if r.old and r.new and r.old.id != r.new.id:
            ident = f"{r.old.id} → {r.new.id}"
        rows.append([r.old.reference if r.old else "", r.new.reference if r.new else "",
                     change_label(r), r.summary, ident])
    return rows


def comparison_columns(d: EditionDiff) -> list[Column]:
    return [Column(f"原条款（{d.old_info.number}）", 16),
            Column(f"新条款（{d.new_info.number}）", 16),
            Column("变化类型", 12), Column("说明", 70, wrap=True), Column("标识", 30)]


def comparison_csv(d: EditionDiff) -> str:
    """The 条款对照表 as CSV: UTF-8 with BOM (Excel, WPS), CRLF, formula cells neutralised."""
    return to_csv(comparison_columns(d), comparison_rows(d)[1:])


def comparison_xlsx(d: EditionDiff, date: tuple[int, int, int] | None = None) -> bytes:
    """The 条款对照表 as an Excel workbook: clause numbers stay text (3.10 is not 3.1)."""
    return to_xlsx("条款对照表", comparison_columns(d), comparison_rows(d)[1:],
                   title=f"条款对照表：{d.old_info.number} → {d.new_info.number}", date=date)


def comparison_html(d: EditionDiff) -> str:
    title = f"条款对照表：{d.old_info.number} → {d.new_info.number}"
    rows = comparison_rows(d)
    head = "".join(f"<th>{esc(c)}</th>" for c in rows[0])
    body = []
    for r, row in zip(d.records, rows[1:], strict=True):
        cells = "".join(f"<td>{esc(c)}</td>" for c in row)
        body.append(f'<tr class="{esc(r.change)} {esc(r.category)}">{cells}</tr>')
    page = (f"<h1>{esc(title)}</h1>"
            f"<p>{esc(d.new_info.title_zh)}：共 {len(d.records)} 处变化，"
            f"未变 {d.unchanged} 个元素。</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
    return _page(title, page)


# -- 前言 change list ------------------------------------------------------------------------

_KIND_WORD = {"requirement": "要求", "recommendation": "要求", "instruction": "要求"}
_LEAD_IN = re.compile(r"下列(.{4,15}?)[：:]")


@dataclass
class _Group:
    kind: str  # added / removed / pair
    element: str  # id in the new edition (added, pair) or the old one (removed)
    records: list[ChangeRecord] = field(default_factory=list)


def _titled_ancestor(edition: Edition, clause: Clause) -> Clause | None:
    parent = edition.parent(clause.id)
    while parent is not None and not parent.title:
        parent = edition.parent(parent.id)
    return parent


def _topic(edition: Edition, clause: Clause) -> str:
    """What an item of the 前言 names: “标题” for headed elements, 术语“…”, or for an untitled
    clause the thing its lead-in lists (下列……：) or its heading, with 的要求 / 的规定."""
    if clause.term is not None:
        return f"术语“{clause.term.term}”"
    if clause.title and clause.element_type not in (model.UNTITLED, model.PARAGRAPH,
                                                     model.LIST_ITEM):
        return f"“{clause.title}”"
    m = _LEAD_IN.search(clause.text)
    if m:
        base = m.group(1)
    else:
        heading = _titled_ancestor(edition, clause)
        base = heading.title if heading else clause.text[:12]
    if base.endswith(("要求", "规定")):
        return base
    return f"{base}的{_KIND_WORD.get(clause.kind or 'requirement', '规定')}"


def _join_refs(refs: Sequence[str]) -> str:
    """5.1、5.3; three or more siblings in a row read as a range: 3.8～3.10."""
    seen: list[str] = []
    for ref in refs:
        if ref not in seen:
            seen.append(ref)
    out: list[str] = []
    run: list[tuple[str, int]] = []

    def flush() -> None:
        if len(run) >= 3:
            out.append(f"{run[0][0]}{run[0][1]}～{run[-1][0]}{run[-1][1]}")
        else:
            out.extend(f"{p}{n}" for p, n in run)
        run.clear()

    for ref in seen:
        m = re.fullmatch(r"(.*\.)(\d+)", ref)
        if m and run and run[-1][0] == m.group(1) and run[-1][1] + 1 == int(m.group(2)):
            run.append((m.group(1), int(m.group(2))))
            continue
        flush()
        if m:
            run.append((m.group(1), int(m.group(2))))
        else:
            out.append(ref)
    flush()
    return "、".join(out)


def _where(new_refs: Sequence[str], old_refs: Sequence[str], old_label: str) -> str:
    parts = []
    if new_refs:
        parts.append(_join_refs(new_refs))
    if old_refs:
        parts.append(f"{old_label}的{_join_refs(old_refs)}")
    return "（见" + "，".join(parts) + "）"


def _table_clause(t: TableDiff) -> str:
    parts = []
    if t.columns_added:
        parts.append("增加了" + "".join(f"“{c}”" for c in t.columns_added) + "列")
    if t.columns_removed:
        parts.append("删除了" + "".join(f"“{c}”" for c in t.columns_removed) + "列")
    if t.rows_added:
        parts.append("增加了" + "".join(f"“{row_name(r)}”" for r in t.rows_added) + "行")
    if t.rows_removed:
        parts.append("删除了" + "".join(f"“{row_name(r)}”" for r in t.rows_removed) + "行")
    if t.cells_changed:
        parts.append("更改了部分内容")
    return "，".join(parts)



def _pair_phrase(d: EditionDiff, group: _Group) -> str:
    """The item text (without the reference part) for a matched element and the changes
    below it that are rolled up into it (list items)."""
    assert d.new is not None and d.old is not None
    new = d.new[group.element]
    own = next((r for r in group.records if r.new and r.new.id == group.element
                and r.change == CHANGED), None)
    others = [r for r in group.records if r is not own]
    topic = _topic(d.new, new)
    if own is None:
        changes = {r.change for r in others}
        verb = "增加了" if changes == {ADDED} else "删除了" if changes == {REMOVED} else "更改了"
        return f"{verb}{topic}"
    tech = set(own.aspects) & TECHNICAL_ASPECTS
    renamed: FieldChange | None = own.field("term.term") or own.field("title")
    extra = []
    if renamed is not None and renamed.nature == TECHNICAL:
        head = f"将“{renamed.old}”更改为“{renamed.new}”"
        rest = tech - {"term_renamed", "title_changed"}
        if rest - {"table_changed"} or others:
            extra.append("并更改了其定义" if new.term is not None else "并更改了其内容")
    else:
        if new.term is not None and own.field("text") is not None:
            topic = f"{topic}的定义"
        head = f"更改了{topic}"
    rows = own.field("rows")
    if rows is not None and rows.table is not None and "table_changed" in tech:
        phrase = _table_clause(rows.table)
        if phrase:
            extra.append(phrase)
    if own.obligation is not None:
        old_kind, new_kind = _provision(own.obligation.old), _provision(own.obligation.new)
        if old_kind and new_kind and old_kind != new_kind:
            extra.append(f"由{old_kind}更改为{new_kind}")
    return "，".join([head, *extra])


def _provision(value: str) -> str | None:
    """要求型条款 … from a kind or from the modal verbs of an obligation change."""
    from ..model.modal import MODALS

    if value in PROVISION_ZH:
        return PROVISION_ZH[value]
    word = value.split("、")[0]
    if word in MODALS:
        return PROVISION_ZH[MODALS[word][0]]
    return PROVISION_ZH["statement"] if word == "" else None


def foreword_items(d: EditionDiff) -> list[str]:
    """The 前言's list of main technical changes, in the new edition's order, GB/T 1.1—2020
    phrasing, without final punctuation:

    - 增加了……（见5.3） for added elements (an added element with everything added below it
      is one item; untitled clauses added under one heading share an item);
    - 删除了……（见2020年版的6.2） likewise for removed elements;
    - 将“旧”更改为“新”（见3.7，2020年版的3.7） for renamed terms and changed titles;
    - 更改了……（见7.1，2020年版的6.1） for other changes (list items count as changes of
      their clause; a change of obligation adds “由推荐型条款更改为要求型条款”).

    Editorial changes, renumbering, moves and the 前言 itself are left out, as GB/T 1.1—2020
    lists the technical changes "除结构调整和编辑性改动外". The year is the old edition's.
    """
    old, new = d.old, d.new
    assert old is not None and new is not None
    year = old_year(d.old_info)
    old_label = f"{year}年版" if year else d.old_info.number
    added = {r.new.id for r in d.records if r.change == ADDED and r.new}
    removed = {r.old.id for r in d.records if r.change == REMOVED and r.old}
    to_new = {o: n for o, n in d.alignment if o is not None and n is not None}

    def climb(edition: Edition, clause_id: str, within: set[str]) -> str:
        parent = edition.parent(clause_id)
        while parent is not None and parent.id in within:
            clause_id = parent.id
            parent = edition.parent(clause_id)
        return clause_id

    def non_list(edition: Edition, clause_id: str) -> str:
        clause = edition[clause_id]
        while clause.element_type == model.LIST_ITEM:
            parent = edition.parent(clause.id)
            if parent is None:
                break
            clause = parent
        return clause.id

    def unit(r: ChangeRecord) -> tuple[str, str]:
        if r.change == REMOVED and r.old is not None:
            top = climb(old, r.old.id, removed)
            holder = non_list(old, top)
            if holder != top and holder in to_new:
                return ("pair", to_new[holder])
            return ("removed", top)
        assert r.new is not None
        top = climb(new, r.new.id, added) if r.change == ADDED else r.new.id
        holder = non_list(new, top)
        if holder in added:
            return ("added", climb(new, holder, added))
        return ("pair", holder)

    groups: dict[tuple[str, str], _Group] = {}
    for r in d.records:
        if r.category != TECHNICAL:
            continue
        key = unit(r)
        groups.setdefault(key, _Group(*key)).records.append(r)

    # (phrase, merge key) per group; groups whose phrases are equal are merged.
    items: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}
    for g in groups.values():
        if g.kind == "added":
            clause = new[g.element]
            parent = new.parent(clause.id)
            if clause.term is not None:
                key: tuple[str, ...] = ("terms+", parent.id if parent else "")
                phrase_parts = [f"“{clause.term.term}”"]
            else:
                key = ("+", f"增加了{_topic(new, clause)}")
                phrase_parts = []
            refs_new, refs_old = [new.reference_text(clause.id)], []
        elif g.kind == "removed":
            clause = old[g.element]
            parent = old.parent(clause.id)
            if clause.term is not None:
                key = ("terms-", parent.id if parent else "")
                phrase_parts = [f"“{clause.term.term}”"]
            else:
                key = ("-", f"删除了{_topic(old, clause)}")
                phrase_parts = []
            refs_new, refs_old = [], [old.reference_text(clause.id)]
        else:
            back = next(o for o, n in d.alignment if n == g.element)
            key = ("~", _pair_phrase(d, g))
            phrase_parts = []
            refs_new = [new.reference_text(g.element)]
            refs_old = [old.reference_text(back)] if back else []
        slot = items.setdefault(key, ([], []))
        slot[0].extend(phrase_parts)
        # refs: new then old, kept apart
        slot[1].extend([f"n:{x}" for x in refs_new] + [f"o:{x}" for x in refs_old])

    out = []
    for key, (terms, refs) in items.items():
        new_refs = [x[2:] for x in refs if x.startswith("n:")]
        old_refs = [x[2:] for x in refs if x.startswith("o:")]
        if key[0] == "terms+":
            text = f"增加了术语{''.join(terms)}"
        elif key[0] == "terms-":
            text = f"删除了术语{''.join(terms)}"
        else:
            text = key[1]
        out.append(text + _where(new_refs, old_refs, old_label))
    return out


# -- Typst ------------------------------------------------------------------------------------


def typ(text: str) -> str:
    """Typst markup for literal text: ASCII symbols escaped, line breaks kept."""
    out = []
    for ch in text:
        if ch == "\n":
            out.append(" #linebreak() ")
        elif ch.isascii() and not ch.isalnum() and not ch.isspace():
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def typ_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def segments_typst(segments: Iterable[Segment]) -> str:
    out = []
    for op, text in segments:
        if not text:
            continue
        if op == "=":
            out.append(typ(text))
        elif op == "-":
            out.append(f"#del[{typ(text)}]")
        else:
            out.append(f"#ins[{typ(text)}]")
    return "".join(out)


_TYPST_PREAMBLE = """// Generated by stdkit: revision redline (no imports, no packages).
#set document(title: {title})
#set page(paper: "a4", margin: (x: 2cm, y: 2.2cm), numbering: "1")
#set text(font: ({serif},), size: 10.5pt, lang: "zh", region: "cn")
#set par(justify: true, leading: 0.75em)
#show heading: set text(font: ({sans},), weight: "bold")
#let ins(body) = text(fill: rgb("#1a7f37"), underline(stroke: 0.6pt + rgb("#1a7f37"), body))
#let del(body) = text(fill: rgb("#cf222e"), strike(stroke: 0.6pt + rgb("#cf222e"), body))
#let badge(body) = box(inset: (x: 3pt, y: 1pt), radius: 2pt, fill: luma(232),
  text(font: ({sans},), size: 7.5pt, fill: luma(70), body))
#let summary(body) = block(spacing: 0.4em, text(size: 8.5pt, fill: luma(90), body))
"""


def redline_typst(d: EditionDiff, serif: str, sans: str) -> str:
    """The redline as Typst source: insertions underlined in green, deletions struck through
    in red; fonts by family name. Compile with ``typst.compile``."""
    assert d.old is not None and d.new is not None
    title = f"修订对照：{d.old_info.number} → {d.new_info.number}"
    c = d.counts()
    parts = [
        _TYPST_PREAMBLE.format(title=typ_string(title), serif=typ_string(serif),
                               sans=typ_string(sans)),
        f"#align(center, text(font: ({typ_string(sans)},), size: 16pt)[{typ(title)}])",
        f"#align(center)[{typ(d.new_info.title_zh)}]",
        "",
        typ(f"新增 {c['added']}，删除 {c['removed']}，技术性变化 {c['technical']}，"
            f"编辑性修改 {c['editorial']}，结构调整 {c['structural']}，未变 {c['unchanged']}。")
        + " 图例：#ins[增加的文字] #del[删除的文字]",
        "",
        "#outline(depth: 1)",
        "",
    ]
    for old, new, r in merged(d):
        parts.append(_element_typst(d, old, new, r))
    return "\n".join(parts) + "\n"


def _element_typst(d: EditionDiff, old: Clause | None, new: Clause | None,
                   r: ChangeRecord | None) -> str:
    clause = new or old
    assert clause is not None and d.new is not None and d.old is not None
    edition = d.new if new is not None else d.old
    depth = 0
    parent = edition.parent(clause.id)
    while parent is not None:
        depth += 1
        parent = edition.parent(parent.id)
    num_a, num_b = (old.number if old else None), (new.number if new else None)
    if new is None:
        number = f"#del[{typ(num_a)}]" if num_a else ""
    elif old is None:
        number = f"#ins[{typ(num_b)}]" if num_b else ""
    elif num_a != num_b:
        number = " ".join(x for x in (f"#del[{typ(num_a)}]" if num_a else "",
                                      f"#ins[{typ(num_b)}]" if num_b else "") if x)
    else:
        number = typ(num_b or "")
    if clause.term is not None or (old is not None and old.term is not None):
        a = old.term.term if old and old.term else ""
        b = new.term.term if new and new.term else ""
        title = segments_typst(_entire(old, new, a, b, r, "term.term"))
    else:
        title = segments_typst(_entire(old, new, old.title if old else "",
                                       new.title if new else "", r, "title"))
    badge = f" #badge[{typ(change_label(r))}]" if r is not None else ""
    lines = []
    is_heading = clause.element_type in (
        model.CHAPTER, model.CLAUSE, model.ANNEX, model.FOREWORD, model.INTRODUCTION,
        model.BIBLIOGRAPHY, model.INDEX)
    if is_heading:
        level = min(depth + 1, 6)
        lines.append(f"#heading(level: {level}, outlined: {'true' if depth == 0 else 'false'})"
                     f"[{number} {title}]{badge}")
    text = ""
    if not clause.rows and not (old and old.rows):
        segs = _entire(old, new, old.text if old else "", new.text if new else "", r, "text")
        text = segments_typst(segs)
    if not is_heading:
        # Number, title and text of a 条 or list item run on as one paragraph.
        head = f"*{number}*" if number else ""
        if title:
            head += f" {title}"
        first = " #h(0.5em) ".join(x for x in (head, text) if x)
        if first or badge:
            lines.append(f"{first}{badge}")
    if r is not None and r.change == CHANGED and r.summary and not r.renumbered_only:
        lines.append(f"#summary[{typ(r.summary)}]")
    if is_heading and text:
        lines.append(text)
    for name, label in (("notes", "注："), ("examples", "示例：")):
        a = "\n".join(getattr(old, name)) if old else ""
        b = "\n".join(getattr(new, name)) if new else ""
        segs = _entire(old, new, a, b, r, name)
        if segs:
            lines.append(f"#text(size: 9pt)[{typ(label)}{segments_typst(segs)}]")
    rows_field = r.field("rows") if r else None
    grid = table_grid(old, new, rows_field.table if rows_field else None)
    if grid:
        header = clause.header_rows
        cells = []
        for k, (status, row) in enumerate(grid):
            for _col, segs in row:
                content = segments_typst(segs)
                if k < header:
                    content = f"*{content}*" if content else ""
                fill = {"+": "rgb(\"#dafbe1\")", "-": "rgb(\"#ffebe9\")"}.get(status)
                cells.append(f"table.cell(fill: {fill})[{content}]" if fill else f"[{content}]")
        columns = len(grid[0][1]) or 1
        lines.append(f"#text(size: 9pt, table(columns: {columns}, {', '.join(cells)}))")
    if r is not None:
        for f in r.fields:
            if f.field.startswith("metadata."):
                name = f.field.split(".", 1)[1]
                lines.append(
                    f"#text(size: 9pt)[{typ(METADATA_ZH.get(name, name))}："
                    f"#del[{typ(metadata_value_zh(name, f.old))}] → "
                    f"#ins[{typ(metadata_value_zh(name, f.new))}]]")
    indent = min(depth, 4) * 1.0
    body = "\n\n".join(lines)
    if indent and not is_heading:
        return f"#pad(left: {indent:g}em)[\n{body}\n]\n"
    return body + "\n"
