"""The rule catalogue as a page of the HTML edition (起草规则检查)."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

from sphinx.application import Sphinx

from .rules import ERROR, RULES

PAGE = "lint-rules"


def e(text: object) -> str:
    return html.escape(str(text), quote=True)


def catalogue_body() -> str:
    rows = []
    for rule in RULES:
        severity = "错误" if rule.severity == ERROR else "警告"
        rows.append(
            f'<section id="rule-{e(rule.code.lower())}" class="stdkit-rule">'
            f"<h2>{e(rule.code)}　{e(rule.name)}</h2>"
            f"<p><strong>{severity}</strong>　{e(rule.message)}<br>"
            f'<span lang="en">{e(rule.message_en)}</span></p>'
            f"<p>{e(rule.rationale)}</p>"
            f'<table class="docutils"><tr><th>不符合</th><td><code>{e(rule.bad)}</code></td></tr>'
            f"<tr><th>符合</th><td><code>{e(rule.good)}</code></td></tr></table></section>"
        )
    return (
        '<section id="lint-rules"><h1>起草规则检查</h1>'
        "<p><code>stdkit lint</code> 按 GB/T 1.1—2020 检查标准源文件；每次构建也会把发现的问题作为"
        "警告报告（<code>-W</code> 时构建失败）。在 <code>pyproject.toml</code> 的 "
        "<code>[tool.stdkit.lint]</code> 中用 <code>select</code> / <code>ignore</code> 选择规则，"
        "在 <code>conf.py</code> 中用 <code>suppress_warnings = [\"stdkit.GB601\"]</code> "
        "关闭某条规则的构建警告。</p>" + "".join(rows) + "</section>"
    )


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    if app.builder.name in ("html", "dirhtml"):
        yield PAGE, {"title": "起草规则检查", "body": catalogue_body()}, "page.html"
