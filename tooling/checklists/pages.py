"""Print-friendly checklist pages in the HTML edition (one checklist per printed page).

The same rows, record cells, score sheet and plain wording as the PDF sheets
(:mod:`.sheets`), from the same functions of :mod:`.selection`; a row links its "依据7.1.2"
to the clause, and prints no id.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ..io.diagnostics import StandardInputError
from ..model import Edition
from ..model.checklist_specs import CHECKLISTS_FILE, ChecklistFile, ChecklistSpec, load_specs
from ..sphinx.env import edition as current_edition
from ..sphinx.env import log_diagnostic
from ..sphinx.theme import Download, NavPage
from ..typeset.batch import batch_names
from .selection import Record, Row, grid_cells, load_roster, rows_for, score_sheet
from .sheets import edition_line, instructions

PAGE_DIR = "checklists"
# Layout the shared stylesheet does not know (grids of cells); printed as the PDF sheets are.
_STYLE = """<style>
.stdkit-checklist .stdkit-cells { border-collapse: collapse; width: 100%; margin: 0; }
.stdkit-checklist .stdkit-cells td { border: 1px solid currentColor; text-align: center;
  font-size: 0.75em; padding: 0; height: 1.2em; }
.stdkit-checklist .stdkit-cells tr + tr td { height: 1.8em; }
.stdkit-checklist .stdkit-trace { font-size: 0.8em; color: #555; }
.stdkit-checklist .stdkit-items { margin: 0.2em 0 0 0.6em; padding: 0; list-style: none; }
.stdkit-checklist-rows .stdkit-blank { min-width: 2.5em; }
.stdkit-checklist-rows th:nth-child(1) { width: 2.5em; }
.stdkit-checklist-rows th:nth-child(3) { width: 7.5em; }
.stdkit-checklist-rows th:nth-child(4) { width: 12em; }
.stdkit-checklist-rows th:nth-child(5) { width: 4em; }
</style>"""


def e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _box() -> str:
    return '<span class="stdkit-box" aria-label="勾选框"></span>'


_BLANK = '<span class="stdkit-blank"></span>'


def _href(app: Sphinx, pagename: str, clause_id: str) -> str:
    docname = app.env.stdkit_id_docs.get(clause_id, app.config.root_doc)
    return f"{app.builder.get_relative_uri(pagename, docname)}#{clause_id}"


def _cells(labels: tuple[str, ...]) -> str:
    head = "".join(f"<td>{e(c)}</td>" for c in labels)
    empty = "".join("<td></td>" for _ in labels)
    return f'<table class="stdkit-cells"><tr>{head}</tr><tr>{empty}</tr></table>'


def _record(record: Record) -> str:
    if record.kind == "grid":
        return _cells(record.cells)
    if record.kind == "count":
        return f"共{_BLANK}次"
    if record.kind == "events":
        return f"共{_BLANK}次，按时{_BLANK}次"
    if record.kind == "value":
        return f"{_BLANK}{e(record.unit)}"
    return _box()


def _row(app: Sphinx, pagename: str, number: int, row: Row) -> str:
    items = "".join(f"<li>{e(i)}</li>" for i in row.items)
    items = f'<ul class="stdkit-items">{items}</ul>' if items else ""
    evidence = f'<span class="stdkit-trace">　记入{e(row.evidence)}</span>' if row.evidence else ""
    trace = (f'<span class="stdkit-trace">依据<a href="{e(_href(app, pagename, row.clause_id))}">'
             f"{e(row.reference)}</a></span>")
    wide = row.record.kind == "grid" and len(row.record.cells) > 5
    record = f"在下行逐{e(row.record.unit)}打“√”" if wide else _record(row.record)
    span = ' rowspan="2"' if wide else ""
    out = (f"<tr><td{span}>{number}</td>"
           f"<td>{e(row.action)}{evidence}{items}</td>"
           f"<td>{e(row.requirement)}<br>{trace}</td><td>{record}</td><td></td></tr>")
    if wide:  # a day (month) grid gets a row of its own, as on the printed sheet
        out += f'<tr><td colspan="4">{_cells(row.record.cells)}</td></tr>'
    return out


def _list_table(app: Sphinx, pagename: str, rows: list[Row]) -> str:
    body = "".join(_row(app, pagename, i, r) for i, r in enumerate(rows, start=1))
    return ('<table class="docutils stdkit-checklist-rows"><thead><tr><th>序号</th>'
            "<th>工作内容</th><th>要求</th><th>完成情况</th><th>备注</th></tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _numbered_grid(heads: list[str], count: int) -> str:
    head = "".join(f"<th>{e(h)}</th>" for h in heads)
    empty = "".join("<td></td>" for _ in heads[1:])
    body = "".join(f"<tr><td>{i}</td>{empty}</tr>" for i in range(1, count + 1))
    return (f'<table class="docutils stdkit-checklist-grid"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _score(edition: Edition, spec: ChecklistSpec) -> str:
    assert spec.score is not None
    sheet = score_sheet(edition, spec.score)
    keys = [k for k in ("group", "item", "points", "method", "basis") if k in sheet.columns]
    head = "".join(f"<th>{e(sheet.columns[k])}</th>" for k in keys)
    rows = []
    for item in sheet.items:
        cells = "".join(f"<td>{e(getattr(item, k))}</td>" for k in keys)
        rows.append(f"<tr>{cells}<td></td></tr>")
    if sheet.total_label is not None:
        at = keys.index("points")
        rows.append(f'<tr><th colspan="{at}">{e(sheet.total_label)}</th>'
                    f"<td>{e(sheet.total_points or '')}</td>"
                    + "<td></td>" * (len(keys) - at) + "</tr>")
    table = edition[spec.score.table]
    out = [f"<h2>{e(sheet.table_reference)}　{e(table.title)}</h2>",
           f'<table class="docutils"><thead><tr>{head}<th>{e(sheet.columns["score"])}</th>'
           f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"]
    if sheet.grades:
        grades = "".join(f"<tr><th>{e(g.name)}</th><td>{e(g.range)}</td>"
                         f"<td>{e(g.condition or '—')}</td><td>{_box()}</td></tr>"
                         for g in sheet.grades)
        out.append(f"<h2>评价等级（{e(sheet.grades_reference)}，选择一项打“√”）</h2>"
                   '<table class="docutils"><thead><tr><th>等级</th><th>总分</th><th>附加条件</th>'
                   f"<th>选择</th></tr></thead><tbody>{grades}</tbody></table>")
    return "".join(out)


def sheet_html(app: Sphinx, edition: Edition, spec: ChecklistSpec, pagename: str) -> str:
    info = edition.info
    rows = rows_for(edition, spec)
    fields = [(f.label, _BLANK) for f in spec.header] + [("周期", e(spec.period_label))]
    head = "".join(
        "<tr>" + "".join(f"<th>{e(label)}</th><td>{value}</td>" for label, value in
                         fields[i:i + 2]) + "</tr>" for i in range(0, len(fields), 2))
    parts = [
        _STYLE,
        f'<section class="stdkit-checklist" id="checklist-{e(spec.id)}">',
        f"<h1>{e(spec.name)}</h1>",
        f'<p class="stdkit-checklist-source">依据 {e(edition_line(edition))}《{e(info.title_zh)}》'
        f"（{e(spec.audience)}填写）</p>",
        f'<table class="stdkit-checklist-head">{head}</table>',
    ]
    note = instructions(spec, rows)
    if note:
        parts.append(f'<p class="stdkit-instructions">填表说明：{e(note)}</p>')
    if spec.layout == "list":
        parts.append(_list_table(app, pagename, rows))
    elif spec.layout == "score":
        parts.append(_score(edition, spec))
        if rows:
            parts.append("<h2>评价要求</h2>" + _list_table(app, pagename, rows))
    else:
        parts.append("<h2>本表依据</h2>" + _list_table(app, pagename, rows))
        if spec.grid is not None:
            cells = list(grid_cells(spec.period))
            parts.append(_numbered_grid(["序号", spec.grid.label, *cells, "备注"], 12))
        elif spec.log is not None:
            parts.append(_numbered_grid(["序号", *spec.log.columns], 15))
    for table_id in spec.tables:
        table = edition.get(table_id)
        if table is None:
            continue
        header = "".join(
            "<tr>" + "".join(f"<th>{e(c)}</th>" for c in r) + "</tr>"
            for r in table.rows[: table.header_rows])
        body_rows = "".join(
            "<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>"
            for r in table.rows[table.header_rows :])
        parts.append(f"<h2>{e(edition.reference_text(table_id))}　{e(table.title)}</h2>"
                     f'<table class="docutils"><thead>{header}</thead><tbody>{body_rows}</tbody>'
                     "</table>")
    signatures = "　".join(f"{e(s)}：{_BLANK}" for s in spec.signatures)
    parts.append(f'<p class="stdkit-signatures">{signatures}</p>')
    if info.is_draft:
        parts.append(f'<p class="stdkit-checklist-source">{e(info.stage)}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _specs(app: Sphinx) -> ChecklistFile:
    try:
        return load_specs(Path(app.srcdir) / CHECKLISTS_FILE)
    except StandardInputError:
        return ChecklistFile()  # reported by collect_pages and by the checklists builder


def nav_pages(app: Sphinx) -> list[NavPage]:
    """检查表 and its sheets, for the sidebar and the reading order."""
    specs = _specs(app)
    if not specs:
        return []
    sheets = tuple(NavPage(f"{PAGE_DIR}/{spec.id}", spec.name) for spec in specs)
    return [NavPage(f"{PAGE_DIR}/index", "检查表", sheets)]


def downloads(app: Sphinx) -> list[Download]:
    """The checklist PDFs ``stdkit build checklists`` writes (tooling.checklists.builder)."""
    specs = _specs(app)
    files = [Download(f"checklists/{spec.id}.pdf", f"{spec.name}（PDF）") for spec in specs]
    if not (files and app.config.stdkit_roster):
        return files
    try:
        total = len(load_roster(Path(app.config.stdkit_roster), specs.roster))
    except StandardInputError:
        return files  # reported, with its row, by the checklists builder
    names = batch_names(total)
    for name in names:
        first, last = (int(n) for n in name[4:13].split("-")) if len(names) > 1 else (0, 0)
        span = f"（第{first}—{last}人）" if first else ""
        label = f"按花名册填好表头的全部检查表{span}（PDF）"
        files.append(Download(f"checklists/roster/{name}", label))
    return files


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    model = current_edition(app.env)
    if model is None or app.builder.name not in ("html", "dirhtml"):
        return
    path = Path(app.srcdir) / CHECKLISTS_FILE
    try:
        specs = load_specs(path)
    except StandardInputError as err:
        for diag in err.diagnostics:
            log_diagnostic(diag)
        return
    if not specs:
        return
    links = []
    for spec in specs:
        pagename = f"{PAGE_DIR}/{spec.id}"
        links.append(f'<li><a href="{e(spec.id)}.html">{e(spec.name)}</a>（{e(spec.audience)}，'
                     f"共 {len(rows_for(model, spec))} 项）</li>")
        body = sheet_html(app, model, spec, pagename)
        yield pagename, {"title": spec.name, "body": body}, "page.html"
    index_body = ('<section id="checklists"><h1>检查表</h1><p>由条款元数据生成的空白检查表，'
                  "可直接打印（每张检查表单独成页）。逐人填好表头的 PDF 见 "
                  "<code>stdkit build checklists --roster 花名册.csv</code>。</p>"
                  f"<ul>{''.join(links)}</ul></section>")
    yield f"{PAGE_DIR}/index", {"title": "检查表", "body": index_body}, "page.html"
