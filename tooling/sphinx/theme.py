"""The HTML edition's page frame: what ``_templates/layout.html`` shows around every page.

Sphinx's ``basic`` theme underneath (chosen by measurement, see ``benchmarks/RESULTS.md``); this
module fills the page context on ``html-page-context``:

- ``stdkit_nav``: the sidebar — the edition's 目次 (chapters and annexes with their numbers, the
  current page's 条 under it), the index and tool pages, and downloads of the other outputs;
- ``prev`` / ``next``: the reading order continues after the last annex through the tool pages;
- ``stdkit_page_title``: "5　推选程序" for the ``<title>``, followed by the standard number;
- ``stdkit_banner``: the stage of a draft (征求意见稿 …) on every page.

The output packages say which pages and downloads they contribute (``pages`` and ``downloads``
given to :func:`setup` by the composition root); this module imports none of them. Everything
taken from the sources is HTML-escaped here, because Sphinx's templates do not escape.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from ..io import atomic
from ..model import Edition
from ..model.stages import banner_text
from .env import edition as current_edition
from .env import edition_info
from .nodes import clause_node, term_node

IDEOGRAPHIC_SPACE = "\u3000"
_CURRENT = ' class="current"'


@dataclass(frozen=True)
class NavPage:
    """A generated page of the edition (条款索引, 检查表 …); ``children`` follow it in the
    reading order but are not listed in the sidebar."""

    docname: str
    title: str
    children: tuple[NavPage, ...] = ()


@dataclass(frozen=True)
class Download:
    """A file another target writes next to the HTML edition: ``path`` is relative to the
    output folder (``pdf/G-DEZZ001-2020.pdf``), as ``stdkit build all`` lays them out."""

    path: str
    title: str


PageSource = Callable[[Sphinx], Sequence[NavPage]]
DownloadSource = Callable[[Sphinx], Sequence[Download]]


def e(text: object) -> str:
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class _Entry:
    docname: str
    number: str
    title: str
    anchor: str = ""  # "#annex-b" for a second top-level section in the same file
    toc: nodes.Element | None = None  # the entry's own 条 (Sphinx's toc of the page)

    @property
    def label(self) -> str:
        return f"{self.number}{IDEOGRAPHIC_SPACE}{self.title}" if self.number else self.title


@dataclass(frozen=True)
class _Site:
    """What every page's frame is made of; computed once per build (per writing process)."""

    chapters: tuple[_Entry, ...]
    pages: tuple[NavPage, ...]
    downloads: tuple[Download, ...]
    order: tuple[_Entry, ...]  # reading order: front page, chapters, tool pages


def _number(ref: nodes.Element | None) -> str:
    number = ref.get("secnumber") if ref is not None else None
    return ".".join(map(str, number)) if number else ""


def _secnumber(app: Sphinx, docname: str) -> str:
    toc = app.env.tocs.get(docname)
    return _number(toc.next_node(nodes.reference) if toc is not None else None)


def _title(app: Sphinx, docname: str) -> str:
    title = app.env.titles.get(docname)
    return title.astext() if title is not None else docname


def _sections(app: Sphinx, docname: str) -> Iterator[_Entry]:
    """A document's top-level sections (a file may hold two annexes), with their numbers."""
    toc = app.env.tocs.get(docname)
    items = [c for c in toc.children if isinstance(c, nodes.list_item)] if toc is not None else []
    if not items:
        yield _Entry(docname, "", _title(app, docname))
        return
    for item in items:
        ref = item.next_node(nodes.reference)
        sub = next((c for c in item.children if isinstance(c, nodes.bullet_list)), None)
        yield _Entry(docname, _number(ref), ref.astext() if ref is not None else docname,
                     ref.get("anchorname", "") if ref is not None else "", sub)


def _site(app: Sphinx, pages: Sequence[PageSource], downloads: Sequence[DownloadSource]) -> _Site:
    cached = getattr(app.builder, "_stdkit_site", None)
    if cached is not None:
        return cached
    root = app.config.root_doc
    docs = app.env.toctree_includes.get(root, [])
    chapters = tuple(entry for d in docs for entry in _sections(app, d))
    tool_pages = tuple(page for source in pages for page in source(app))
    files = tuple(item for source in downloads for item in source(app))

    def flat(items: Sequence[NavPage]) -> Iterator[_Entry]:
        for page in items:
            yield _Entry(page.docname, "", page.title)
            yield from flat(page.children)

    first = tuple({entry.docname: entry for entry in reversed(chapters)}.values())[::-1]
    order = (_Entry(root, "", _title(app, root)), *first, *flat(tool_pages))
    site = _Site(chapters, tool_pages, files, order)
    app.builder._stdkit_site = site
    return site


def _local_toc(toc: nodes.Element | None, uri: str, depth: int = 2) -> str:
    """An entry's numbered 条 (from Sphinx's table of contents for the page)."""

    def render(lst: nodes.Element, level: int) -> str:
        items = []
        for item in lst.children:
            if not isinstance(item, nodes.list_item) or not item.children:
                continue
            ref = item.next_node(nodes.reference)
            if ref is None:
                continue
            label = _Entry("", _number(ref), ref.astext()).label
            sub = ""
            child = next((c for c in item.children if isinstance(c, nodes.bullet_list)), None)
            if child is not None and level < depth:
                sub = render(child, level + 1)
            items.append(f'<li><a href="{e(uri + ref.get("anchorname", ""))}">{e(label)}</a>'
                         f"{sub}</li>")
        return f'<ul class="nav-local">{"".join(items)}</ul>' if items else ""

    return render(toc, 1) if toc is not None else ""


def nav_html(app: Sphinx, site: _Site, pagename: str) -> str:
    info = edition_info(app.env)
    rel = app.builder.get_relative_uri
    root = app.config.root_doc
    up = "../" * (pagename.count("/") + 1)  # from this page to the folder holding html/, pdf/

    def link(docname: str, label: str) -> str:
        current = ' aria-current="page"' if docname == pagename else ""
        return f'<a href="{e(rel(pagename, docname))}"{current}>{e(label)}</a>'

    parts = []
    if info is not None:
        parts.append(
            f'<p class="nav-edition"><a href="{e(rel(pagename, root))}">'
            f'<span class="nav-number">{e(info.number)}</span>'
            f'<span class="nav-title">{e(info.title_zh)}</span></a></p>'
        )
    parts.append(
        f'<form id="searchbox" class="nav-search" role="search" '
        f'action="{e(rel(pagename, "search"))}" method="get">'
        '<label for="nav-q" class="visually-hidden">搜索本标准</label>'
        '<input id="nav-q" type="search" name="q" placeholder="搜索条文、术语" '
        'autocomplete="off" spellcheck="false">'
        '<button type="submit">搜索</button></form>'
    )
    items = []
    for chapter in site.chapters:
        here = chapter.docname == pagename
        uri = rel(pagename, chapter.docname)
        current = ' aria-current="page"' if here and not chapter.anchor else ""
        local = _local_toc(chapter.toc, uri) if here else ""
        items.append(f"<li{_CURRENT if here else ''}><a href=\"{e(uri + chapter.anchor)}\""
                     f"{current}>{e(chapter.label)}</a>{local}</li>")
    parts.append(f'<h2 class="nav-heading">目次</h2><ul class="nav-toc">{"".join(items)}</ul>')
    if site.pages:
        tools = "".join(
            f"<li{_CURRENT if _within(page, pagename) else ''}>"
            f"{link(page.docname, page.title)}</li>" for page in site.pages)
        parts.append(f'<h2 class="nav-heading">索引和工具</h2><ul class="nav-tools">{tools}</ul>')
    if site.downloads:
        files = "".join(
            f'<li><a href="{e(up + item.path)}" download>{e(item.title)}</a>'
            f' <span class="nav-file">{e(item.path.rsplit("/", 1)[-1])}</span></li>'
            for item in site.downloads)
        parts.append(f'<h2 class="nav-heading">下载</h2><ul class="nav-downloads">{files}</ul>')
    return "".join(parts)


def _within(page: NavPage, pagename: str) -> bool:
    return page.docname == pagename or any(_within(c, pagename) for c in page.children)


def banner_html(app: Sphinx) -> str:
    info = edition_info(app.env)
    if info is None or not info.is_draft:
        return ""
    return (f'<p class="stdkit-banner" role="note"><strong>{e(info.stage)}</strong>'
            f"{IDEOGRAPHIC_SPACE}{e(banner_text(info) or '')}</p>")


_TABLE = re.compile(r"<table\b.*?</table>", re.S)
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)
_TAG = re.compile(r"<[^>]+>")


def scrollable_tables(body: str) -> str:
    """Each table in its own horizontally scrolling box, so a wide table scrolls and the page
    never does. Keyboard users can focus the box; its name is the table's caption."""

    def wrap(match: re.Match[str]) -> str:
        table = match.group(0)
        caption = _CAPTION.search(table)
        name = _TAG.sub("", caption.group(1)).replace("¶", "").strip() if caption else "表格"
        return (f'<div class="table-scroll" role="region" tabindex="0" '
                f'aria-label="{e(html.unescape(name))}">{table}</div>')

    return _TABLE.sub(wrap, body)


def _css_string(text: str) -> str:
    """A CSS string literal that cannot end the string or the <style> element."""
    return '"' + "".join(c if c.isalnum() or c in " —/-.（）《》、" or ord(c) > 0x2e7f
                         else f"\\{ord(c):x} " for c in text) + '"'


def print_css(number: str, title: str, stage: str | None = None) -> str:
    """Standard number and title at the top of every printed page (CSS page margin boxes),
    and a draft's stage between them (the banner itself is not printed)."""
    centre = f"@top-center {{ content: {_css_string(stage)}; }} " if stage else ""
    return (f"<style>@page {{ @top-left {{ content: {_css_string(number)}; }} {centre}"
            f"@top-right {{ content: {_css_string(title)}; }} }}</style>")


def on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                    doctree: nodes.document | None, pages: Sequence[PageSource],
                    downloads: Sequence[DownloadSource]) -> None:
    if app.builder.format != "html" or current_edition(app.env) is None:
        return
    info = edition_info(app.env)
    site = _site(app, pages, downloads)
    position = next((i for i, entry in enumerate(site.order) if entry.docname == pagename), None)
    if position is not None:
        rel = app.builder.get_relative_uri
        # Sphinx's templates insert titles unescaped: escape what comes from the sources.
        for key, index in (("prev", position - 1), ("next", position + 1)):
            entry = site.order[index] if 0 <= index < len(site.order) else None
            context[key] = (None if entry is None else
                            {"link": rel(pagename, entry.docname), "title": e(entry.label)})
    number = _secnumber(app, pagename) if pagename in app.env.tocs else ""
    title = context.get("title") or ""
    plain = _TAG.sub("", html.unescape(str(title)))
    label = f"{number}{IDEOGRAPHIC_SPACE}{plain}" if number else plain
    context["stdkit_page_title"] = e(label)
    context["stdkit_number"] = e(info.number) if info else ""
    context["stdkit_title_zh"] = e(info.title_zh) if info else ""
    context["stdkit_nav"] = nav_html(app, site, pagename)
    context["stdkit_banner"] = banner_html(app)
    if info is not None:
        context["stdkit_print_css"] = print_css(info.number, info.title_zh,
                                                info.stage if info.is_draft else None)
    if "body" in context:
        context["body"] = scrollable_tables(context["body"])


def add_permalinks(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """A visible ¶ link on every numbered element that has no heading of its own: untitled
    条, term entries and list items with an id (headings and table captions get Sphinx's)."""
    if app.builder.format != "html":
        return
    model: Edition | None = current_edition(app.env)
    if model is None:
        return
    # One pass over the tree, collected first (links are added after it): each findall is
    # a walk over every node of the page.
    found = list(doctree.findall(lambda n: isinstance(n, clause_node | term_node
                                                      | nodes.list_item)))
    for node in found:
        if isinstance(node, clause_node):
            _link_after(node, "clause-number", node.get("clause_id"), model)
        elif isinstance(node, term_node):
            number = node.next_node(nodes.paragraph)
            clause_id = node.get("term_id")
            if number is not None and "term-number" in number["classes"] and clause_id:
                number += _permalink(clause_id, model)
        else:
            ids = node.get("ids") or []
            first = node.next_node(nodes.paragraph) if ids and ids[0] in model else None
            if first is not None:
                first += _permalink(ids[0], model)


def _link_after(node: nodes.Element, css: str, clause_id: str | None, model: Edition) -> None:
    """At the end of the paragraph that carries the element's number."""
    if not clause_id:
        return
    for inline in node.findall(nodes.inline):
        if css in inline["classes"] and isinstance(inline.parent, nodes.paragraph):
            inline.parent += _permalink(clause_id, model)
            return


def _permalink(clause_id: str, model: Edition) -> nodes.reference:
    label = model.reference_text(clause_id)
    return nodes.reference("", "¶", refuri=f"#{clause_id}", internal=True,
                           classes=["headerlink", "stdkit-permalink"],
                           reftitle=f"链接到{label}")


def frame_changed(app: Sphinx, env: Any, pages: Sequence[PageSource],
                  downloads: Sequence[DownloadSource]) -> list[str]:
    """Every page shows the tool pages, the downloads and the edition's number, title and stage:
    when any of them changed (a checklist added, a new stage), rewrite every page, so that an
    incremental build gives what a clean one gives."""
    info = edition_info(env)
    if current_edition(env) is None or info is None:
        return []
    signature = repr((info.number, info.title_zh, info.stage,
                      [page for source in pages for page in source(app)],
                      [item for source in downloads for item in source(app)]))
    old = getattr(env, "stdkit_frame", None)
    env.stdkit_frame = signature
    return sorted(env.found_docs) if old is not None and old != signature else []


def number_search_titles(app: Sphinx, exception: Exception | None) -> None:
    """Search results name pages as the sidebar does ("4　人员要求", not "人员要求"). Titles
    are set from the environment for every page, so an incremental build equals a clean one."""
    if exception is not None or app.builder.name not in ("html", "dirhtml"):
        return
    path = Path(app.outdir) / "searchindex.js"
    if current_edition(app.env) is None or not path.is_file():
        return
    from sphinx.search import js_index

    text = path.read_text("utf-8")
    data = js_index.loads(text)
    titles = []
    for docname, title in zip(data.get("docnames", []), data.get("titles", []), strict=True):
        plain = _title(app, docname) if docname in app.env.titles else title
        number = _secnumber(app, docname) if docname in app.env.tocs else ""
        titles.append(f"{number}{IDEOGRAPHIC_SPACE}{plain}" if number else plain)
    data["titles"] = titles
    new = js_index.dumps(data)
    if new != text:
        atomic.write_text(path, new)


def setup(app: Sphinx, pages: Sequence[PageSource] = (),
          downloads: Sequence[DownloadSource] = ()) -> None:
    """Connect the page frame; ``pages`` and ``downloads`` come from the output packages."""

    def updated(app: Sphinx, env: Any) -> list[str]:
        return frame_changed(app, env, pages, downloads)

    def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                     doctree: nodes.document | None) -> None:
        on_page_context(app, pagename, templatename, context, doctree, pages, downloads)

    app.connect("html-page-context", page_context)
    # After the extension has assembled the edition and its revision (priority 900).
    app.connect("env-get-updated", updated, priority=950)
    app.connect("build-finished", number_search_titles)
    # After tooling.sphinx.resolve has put the numbers in (default priority 500).
    app.connect("doctree-resolved", add_permalinks, priority=600)
