"""Print-friendly checklist pages in the HTML edition (one checklist per printed page)."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ..io.diagnostics import StandardInputError
from ..model import Edition
from ..model.checklist_specs import CHECKLISTS_FILE, ChecklistSpec, load_specs
from ..sphinx.env import edition as current_edition
from ..sphinx.env import log_diagnostic
from ..sphinx.theme import Download, NavPage
from .selection import SUB_PERIODS, rows_for

PAGE_DIR = "checklists"


def e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _box() -> str:
    return '<span class="stdkit-box" aria-label="勾选框"></span>'


def _href(app: Sphinx, pagename: str, clause_id: str) -> str:
    docname = app.env.stdkit_id_docs.get(clause_id, app.config.root_doc)
    return f"{app.builder.get_relative_uri(pagename, docname)}#{clause_id}"


def sheet_html(app: Sphinx, edition: Edition, spec: ChecklistSpec, pagename: str) -> str:
    info = edition.info
    rows = rows_for(edition, spec)
    blank = '<span class="stdkit-blank"></span>'
    parts = [
        f'<section class="stdkit-checklist" id="checklist-{e(spec.id)}">',
        f"<h1>{e(spec.name)}</h1>",
        f'<p class="stdkit-checklist-source">依据 {e(info.number)}《{e(info.title_zh)}》'
        f"（{e(spec.audience)}填写）</p>",
        '<table class="stdkit-checklist-head"><tr>'
        f"<th>社区</th><td>{blank}</td><th>周期</th><td>{e(spec.period_label)}</td></tr>"
        f"<tr><th>楼长</th><td>{blank}</td><th>楼宇</th><td>{blank}</td></tr>"
        f"<tr><th>负责户数</th><td>{blank}</td><th>特殊家庭户数</th><td>{blank}</td></tr></table>",
    ]
    if spec.instructions:
        parts.append(f'<p class="stdkit-instructions">填表说明：{e(spec.instructions)}</p>')
    body = "".join(
        f"<tr><td>{i}</td><td>{e(row.action)}<br><small>依据 "
        f'<a href="{e(_href(app, pagename, row.clause_id))}">{e(row.reference)}</a>　'
        f"{e(row.clause_id)}</small></td><td>{e(row.cadence)}</td><td>{e(row.evidence)}</td>"
        f"<td>{_box()}</td></tr>"
        for i, row in enumerate(rows, start=1)
    )
    parts.append(
        '<table class="docutils stdkit-checklist-rows"><thead><tr><th>序号</th><th>工作内容</th>'
        "<th>频次或目标</th><th>记录</th><th>完成</th></tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )
    if spec.layout == "periods":
        columns = SUB_PERIODS[spec.period]
        head = "".join(f"<th>{e(c)}</th>" for c in columns)
        cells = "".join(f"<td>{_box()}</td>" for _ in columns)
        grid = "".join(f"<tr><td>{i}.</td>{cells}<td></td></tr>"
                       for i in range(1, spec.blank_rows + 1))
        parts.append(f'<table class="docutils stdkit-checklist-grid"><thead><tr>'
                     f"<th>{e(spec.row_label)}</th>{head}<th>合计</th></tr></thead>"
                     f"<tbody>{grid}</tbody></table>")
    elif spec.layout == "log":
        columns = spec.log_columns or ("日期", "内容", "备注")
        head = "".join(f"<th>{e(c)}</th>" for c in columns)
        empty = "".join("<td></td>" for _ in columns)
        grid = "".join(f"<tr><td>{i}</td>{empty}</tr>" for i in range(1, spec.blank_rows + 1))
        parts.append(f'<table class="docutils stdkit-checklist-grid"><thead><tr><th>序号</th>'
                     f"{head}</tr></thead><tbody>{grid}</tbody></table>")
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
    parts.append('<p class="stdkit-signatures">填表人签名：<span class="stdkit-blank"></span>'
                 '　日期：<span class="stdkit-blank"></span>'
                 '　审核人签名：<span class="stdkit-blank"></span></p></section>')
    return "\n".join(parts)


def _specs(app: Sphinx) -> tuple[ChecklistSpec, ...]:
    try:
        return load_specs(Path(app.srcdir) / CHECKLISTS_FILE)
    except StandardInputError:
        return ()  # reported by collect_pages and by the checklists builder


def nav_pages(app: Sphinx) -> list[NavPage]:
    """检查表 and its sheets, for the sidebar and the reading order."""
    specs = _specs(app)
    if not specs:
        return []
    sheets = tuple(NavPage(f"{PAGE_DIR}/{spec.id}", spec.name) for spec in specs)
    return [NavPage(f"{PAGE_DIR}/index", "检查表", sheets)]


def downloads(app: Sphinx) -> list[Download]:
    """The checklist PDFs ``stdkit build checklists`` writes (tooling.checklists.builder)."""
    files = [Download(f"checklists/{spec.id}.pdf", f"{spec.name}（PDF）") for spec in _specs(app)]
    if files and app.config.stdkit_roster:
        files.append(Download("checklists/roster/all.pdf", "按花名册填好表头的全部检查表（PDF）"))
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
