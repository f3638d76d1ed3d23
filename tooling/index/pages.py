"""The clause index page and the term index page of the HTML edition.

Both are generated from the clause model on every HTML build (``html-collect-pages``), so
they always show the current text and numbers, also after an incremental build. Everything
taken from the sources is HTML-escaped; the filter script is a local file (works offline).
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

from sphinx.application import Sphinx

from ..model import KIND_ZH, TERM, Clause, Edition
from ..sphinx.env import edition as current_edition
from ..sphinx.theme import Download, NavPage
from .collation import Reading, learn, reading
from .export import INDEX_CSV, INDEX_XLSX, chapters

CLAUSE_INDEX_PAGE = "clause-index"
TERM_INDEX_PAGE = "term-index"
_EXCERPT = 60


def e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _href(app: Sphinx, clause_id: str) -> str:
    docname = app.env.stdkit_id_docs.get(clause_id, app.config.root_doc)
    return f"{app.builder.get_target_uri(docname)}#{clause_id}"


def _link(app: Sphinx, clause_id: str, label: str) -> str:
    return f'<a href="{e(_href(app, clause_id))}">{e(label)}</a>'


def _label(edition: Edition, clause: Clause) -> str:
    return edition.reference_text(clause.id)


def _excerpt(clause: Clause) -> str:
    if clause.title:
        return clause.title
    text = clause.text.replace("\n", " ")
    return text if len(text) <= _EXCERPT else text[:_EXCERPT] + "…"


def _select(element_id: str, label: str, values: list[tuple[str, str]]) -> str:
    options = "".join(f'<option value="{e(v)}">{e(text)}</option>' for v, text in values)
    return (f'<label>{e(label)} <select id="{element_id}"><option value="">全部</option>'
            f"{options}</select></label>")


def _row(clause: Clause, top: Clause, link: str) -> str:
    meta = clause.metadata
    search = " ".join([clause.number or "", clause.title, clause.text, *meta.role])
    return (
        f'<tr data-kind="{e(meta.kind or "")}" data-roles="{e("|".join(meta.role))}" '
        f'data-chapter="{e(top.id)}" data-search="{e(search)}">'
        f"<td>{link}</td>"
        f"<td>{e(_excerpt(clause))}</td>"
        f"<td>{e(KIND_ZH.get(meta.kind or '', ''))}</td>"
        f"<td>{e('、'.join(meta.role))}</td>"
        f"<td>{e(meta.frequency.describe() if meta.frequency else '')}</td>"
        f"<td>{e(meta.target.describe() if meta.target else '')}</td>"
        "</tr>"
    )


def clause_index_body(app: Sphinx, edition: Edition) -> str:
    """The 条款索引 page; each element's link is kept for the 术语索引, which lists the same
    elements again (at 5,000 clauses, rendering the links twice took a third of the pages)."""
    tops = chapters(edition)
    clauses = list(edition.walk())
    kinds = sorted({c.kind for c in clauses if c.kind}, key=list(KIND_ZH).index)
    roles = sorted({r for c in clauses for r in c.metadata.role})
    chapter_options = [(c.id, f"{_label(edition, c) if c.number else ''} {c.title}".strip())
                       for c in edition.clauses]
    links: dict[str, str] = {}
    rows = []
    for clause in clauses:
        link = links[clause.id] = _link(app, clause.id, _label(edition, clause))
        rows.append(_row(clause, tops[clause.id], link))
    app.builder.stdkit_index_links = links  # type: ignore[attr-defined]
    return f"""
<section id="clause-index">
<h1>条款索引</h1>
<p>本页列出{e(edition.info.number)}的全部编号要素，可按类型、执行主体和章筛选，或输入文字检索。
数据与条款索引文件 <code>clause-index.xlsx</code>（Excel）和
<code>clause-index.json</code> 相同。</p>
<form class="stdkit-filters" onsubmit="return false">
{_select("filter-kind", "类型", [(k, KIND_ZH[k]) for k in kinds])}
{_select("filter-role", "执行主体", [(r, r) for r in roles])}
{_select("filter-chapter", "章", chapter_options)}
<label>检索 <input id="filter-text" type="search" placeholder="编号或文字"></label>
</form>
<noscript><p class="stdkit-noscript">筛选需要启用浏览器的 JavaScript；下表列出全部条款。</p>
</noscript>
<p class="stdkit-count" aria-live="polite">
显示 <span id="visible-count">{len(rows)}</span> / {len(rows)} 条</p>
<table class="docutils stdkit-clause-index">
<caption>条款索引</caption>
<thead><tr><th scope="col">编号</th><th scope="col">标题或条文</th><th scope="col">类型</th>\
<th scope="col">执行主体</th><th scope="col">频次</th><th scope="col">目标</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
<script src="_static/stdkit-index.js"></script>
</section>
"""


def term_uses(edition: Edition, term: Clause) -> Iterator[Clause]:
    """Elements (other than term entries) whose title or text uses the term."""
    yield from all_term_uses(edition, [term])[term.id]


def all_term_uses(edition: Edition, terms: list[Clause]) -> dict[str, list[Clause]]:
    """:func:`term_uses` of every term, in one pass over the edition."""
    words = [(t.id, [w for w in (t.title, *(t.term.synonyms if t.term else ())) if w])
             for t in terms]
    uses: dict[str, list[Clause]] = {t.id: [] for t in terms}
    for clause in edition.walk():
        if clause.element_type == TERM:
            continue
        text, title = clause.text, clause.title
        for term_id, names in words:
            if clause.id != term_id and any(w in text or w in title for w in names):
                uses[term_id].append(clause)
    return uses


def term_readings(app: Sphinx, terms: list[Clause]) -> dict[str, Reading]:
    """Each term's reading, kept in the build environment: pypinyin is asked only for new
    terms."""
    cache: dict[str, Reading] = getattr(app.env, "stdkit_pinyin", {})
    learn(t.title for t in terms if t.title not in cache)  # one pass over the dictionary
    readings = {t.title: cache.get(t.title) or reading(t.title) for t in terms}
    app.env.stdkit_pinyin = readings
    return readings


def term_index_body(app: Sphinx, edition: Edition) -> str:
    """Terms in 汉语拼音 order (:mod:`.collation`), under their index letter, each with its
    number (linked to the definition) and the clauses that use it."""
    terms = [c for c in edition.walk() if c.element_type == TERM]
    readings = term_readings(app, terms)
    terms.sort(key=lambda t: (readings[t.title].key, t.number or ""))
    groups: dict[str, list[Clause]] = {}
    for term in terms:
        groups.setdefault(readings[term.title].letter, []).append(term)
    used = all_term_uses(edition, terms)
    known: dict[str, str] = getattr(app.builder, "stdkit_index_links", {})
    rows = []
    for letter, members in groups.items():
        rows.append(f'<tr class="term-letter"><th colspan="4" id="letter-{e(letter)}" '
                    f'scope="colgroup">{e(letter)}</th></tr>')
        for term in members:
            pinyin = readings[term.title].pinyin
            uses = used[term.id]
            links = "、".join(known.get(c.id) or _link(app, c.id, _label(edition, c))
                             for c in uses) or "（未在其他条款中使用）"
            english = term.term.en if term.term else None
            en = f'<span class="term-en" lang="en">{e(english)}</span>' if english else ""
            rows.append(
                f'<tr id="term-index-{e(term.id)}"><td><strong>{e(term.title)}</strong>{en}</td>'
                f'<td class="term-pinyin" lang="zh-Latn-pinyin">{e(pinyin)}</td>'
                f'<td><a href="{e(_href(app, term.id))}">{e(term.number or "")}</a></td>'
                f"<td>{links}</td></tr>"
            )
    jump = "　".join(f'<a href="#letter-{e(letter)}">{e(letter)}</a>' for letter in groups)
    return f"""
<section id="term-index">
<h1>术语索引</h1>
<p>本文件定义的全部术语，按汉语拼音顺序排列，给出术语的条目编号（链接到定义）和使用该术语的条款。</p>
<p class="term-jump">{jump}</p>
<table class="docutils stdkit-term-index">
<caption>术语索引（汉语拼音顺序）</caption>
<thead><tr><th scope="col">术语</th><th scope="col">汉语拼音</th><th scope="col">编号</th>\
<th scope="col">使用该术语的条款</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>
</section>
"""


def nav_pages(app: Sphinx) -> list[NavPage]:
    """The two index pages, for the sidebar and the reading order after the annexes."""
    return [NavPage(CLAUSE_INDEX_PAGE, "条款索引"), NavPage(TERM_INDEX_PAGE, "术语索引")]


def downloads(app: Sphinx) -> list[Download]:
    """The spreadsheets ``stdkit build index`` writes next to the HTML edition."""
    return [Download(f"index/{INDEX_XLSX}", "条款索引（Excel）"),
            Download(f"index/{INDEX_CSV}", "条款索引（CSV）")]


def prepare(app: Sphinx, env: Any) -> list[str]:
    """On ``env-get-updated``, before Sphinx saves the environment (it does so before writing):
    the terms' readings, kept there so that the next build, in this process or another, asks
    pypinyin only for new terms. Rewrites no document."""
    model = current_edition(env)
    if model is not None and app.builder.name in ("html", "dirhtml"):
        term_readings(app, [c for c in model.walk() if c.element_type == TERM])
    return []


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    model = current_edition(app.env)
    if model is None or app.builder.name not in ("html", "dirhtml"):
        return
    clause_page = {"title": "条款索引", "body": clause_index_body(app, model)}
    yield CLAUSE_INDEX_PAGE, clause_page, "page.html"
    yield TERM_INDEX_PAGE, {"title": "术语索引", "body": term_index_body(app, model)}, "page.html"
