"""Both HTML editions in a real browser: Playwright driving Debian's chromium.

Runs wherever /usr/bin/chromium (or $STDKIT_CHROMIUM) exists; CI installs it (see .ci/run)
and sets STDKIT_REQUIRE_BROWSER=1 so that a missing browser fails instead of skipping. Each
edition is built once for the module; one browser serves every test.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

from .conftest import ROOT, STANDARD

DRAFT = ROOT / "editions" / "db3715t-draft"
CHROMIUM = os.environ.get("STDKIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HOW_TO_ENABLE = ("浏览器测试已跳过：未找到 chromium。安装 Debian 的 chromium（apt-get install chromium）"
                 "或设置 STDKIT_CHROMIUM 后即可运行 (browser test skipped: install chromium)")
# Chromium on this network must not try to reach Google's services.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MOBILE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Interface strings of Sphinx and furo that must never reach a reader of the Chinese edition
# (whole words, case-sensitive: the English title of the standard is content, not interface).
ENGLISH_INTERFACE = (
    "Previous", "Next", "On this page", "Back to top", "Skip to content", "Made with",
    "Contents", "Menu", "Toggle", "Light", "Dark", "Auto", "Please activate JavaScript",
    "Search", "Searching", "Search Results", "Index", "Navigation", "Table of Contents",
    "Hide Search Matches", "Copyright", "Created using", "Link to this", "Quick search",
    "Go", "Show Source", "previous", "next", "Permalink", "Expand", "Collapse",
)
_ENGLISH = re.compile(r"(?<![A-Za-z])(" + "|".join(map(re.escape, ENGLISH_INTERFACE))
                      + r")(?![A-Za-z])")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _require_browser() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("STDKIT_REQUIRE_BROWSER"):
            pytest.fail(f"STDKIT_REQUIRE_BROWSER is set but {CHROMIUM} does not exist")
        pytest.skip(HOW_TO_ENABLE)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """Both editions built as `make publish` lays them out, served over HTTP from one root:
    <root>/html (the in-force edition), <root>/draft/html (the municipal draft)."""
    _require_browser()
    from tooling.cli import main

    out = tmp_path_factory.mktemp("browser")
    assert main(["build", "html", "-q", "-W", "--source", str(STANDARD), "--out", str(out)]) == 0
    assert main(["build", "index", "-q", "--source", str(STANDARD), "--out", str(out)]) == 0
    assert main(["build", "html", "-q", "-W", "--source", str(DRAFT),
                 "--out", str(out / "draft")]) == 0
    handler = functools.partial(QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", out
    server.shutdown()


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


class Watch:
    """Console errors, uncaught exceptions and failed requests of one page."""

    def __init__(self, page) -> None:
        self.problems: list[str] = []
        page.on("console", lambda m: m.type in ("error", "warning")
                and self.problems.append(f"console {m.type}: {m.text}"))
        page.on("pageerror", lambda err: self.problems.append(f"page error: {err}"))
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url}"))
        page.on("response", lambda r: r.status >= 400
                and self.problems.append(f"HTTP {r.status}: {r.url}"))


def search_results(page) -> list[tuple[str, str]]:
    page.wait_for_selector("#search-results p.search-summary:not(:empty)", timeout=10_000)
    page.wait_for_function("() => !document.querySelector('#search-results h2 span')"
                           "?.textContent", timeout=10_000)
    items = page.locator("ul.search > li")
    return [(urlparse(items.nth(i).locator("a").first.get_attribute("href")).path.rsplit("/", 1)[-1],
             items.nth(i).inner_text()) for i in range(items.count())]


def test_search_a_chinese_term_from_the_sidebar(site, page):
    base, _out = site
    watch = Watch(page)
    page.goto(f"{base}/html/personnel.html")
    page.fill("#nav-q", "特殊家庭")
    page.press("#nav-q", "Enter")
    page.wait_for_url("**/search.html?q=*")
    results = search_results(page)
    pages = {name for name, _text in results}
    # The definition (3.4), the monthly contact (7.1.2) and the record form (附录B).
    assert {"terms.html", "service-form.html", "annex-special-household-record.html"} <= pages
    assert any("特殊家庭" in text for _name, text in results)  # a snippet with the words
    assert any(text.startswith("7\u3000服务形式") for _name, text in results)  # numbered title
    assert "搜索完成" in page.inner_text("#search-results .search-summary")
    assert page.locator("ul.search span.highlighted").count() > 0
    assert watch.problems == []


def test_search_a_latin_word(site, page):
    base, _out = site
    watch = Watch(page)
    page.goto(f"{base}/html/search.html")
    page.fill("form.search-page-form input[name=q]", "steward")
    page.press("form.search-page-form input[name=q]", "Enter")
    results = search_results(page)
    assert "terms.html" in {name for name, _text in results}
    assert any("steward" in text.lower() for _name, text in results)
    assert watch.problems == []


def test_search_in_the_draft_edition(site, page):
    base, _out = site
    watch = Watch(page)
    page.goto(f"{base}/draft/html/search.html?q=网格员")
    assert "terms.html" in {name for name, _text in search_results(page)}
    assert watch.problems == []


def _crawl(page, start: str) -> dict[str, list[str]]:
    """Every page reachable by links from ``start`` inside its edition folder, each checked;
    returns problems by page."""
    root = start.rsplit("/", 1)[0] + "/"
    seen: set[str] = set()
    queue = [start]
    problems: dict[str, list[str]] = {}
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        watch = Watch(page)
        page.goto(url)
        page.wait_for_load_state("load")
        found = list(watch.problems)
        width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            found.append(f"page scrolls sideways at {width[1]} px: {width[0]} px wide")
        interface = page.evaluate("""() => {
            const texts = [];
            const main = document.querySelector('[role=main]');
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const n = walker.currentNode;
                // The text of the standard may be English (its English title); the frame and
                // the search page may not.
                if (main && main.contains(n) && !location.pathname.endsWith('/search.html'))
                    continue;
                if (n.parentElement.closest('script, style')) continue;
                texts.push(n.textContent);
            }
            for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], input[type=submit], button'))
                for (const a of ['aria-label', 'title', 'placeholder', 'alt', 'value'])
                    if (el.getAttribute(a)) texts.push(el.getAttribute(a));
            texts.push(document.title);
            return texts.join('\\n');
        }""")
        found += [f"English interface string: {m}" for m in sorted(set(_ENGLISH.findall(interface)))]
        if page.evaluate("() => document.documentElement.lang") != "zh-CN":
            found.append("html lang is not zh-CN")
        if found:
            problems[url] = found
        for href in page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
            target = urldefrag(urljoin(url, href))[0].split("?")[0]
            if target.startswith(root) and target.endswith(".html") and target not in seen:
                queue.append(target)
    assert len(seen) > 10
    return problems


@pytest.mark.parametrize("edition", ["html", "draft/html"])
def test_crawl_every_page_at_390_px(site, browser, edition):
    base, out = site
    context = browser.new_context(viewport=MOBILE)
    page = context.new_page()
    try:
        problems = _crawl(page, f"{base}/{edition}/index.html")
    finally:
        context.close()
    assert problems == {}
    pages = {p.relative_to(out / edition).as_posix() for p in (out / edition).rglob("*.html")}
    assert "genindex.html" not in pages and "lint-rules.html" not in pages


def test_every_tool_page_is_in_the_sidebar_and_in_reading_order(site, page):
    base, _out = site
    for edition, tools in (("html", ["条款索引", "术语索引", "检查表"]),
                           ("draft/html", ["条款索引", "术语索引", "检查表", "修订对照"])):
        page.goto(f"{base}/{edition}/annex-evaluation-form.html")
        sidebar = page.locator("#site-nav .nav-tools a")
        assert sidebar.all_inner_texts() == tools
        # After the last annex, the reading order continues with the tool pages.
        assert page.locator(".prev-next a.next .prev-next-title").inner_text() == "条款索引"
        for title in tools:
            page.locator("#site-nav .nav-tools a", has_text=title).click()
            page.wait_for_load_state("load")
            assert page.locator("[role=main] h1").first.inner_text().startswith(title)
            current = page.locator('#site-nav a[aria-current="page"]')
            assert current.inner_text() == title


def test_draft_pages_carry_the_stage_and_titles_carry_numbers(site, page):
    base, _out = site
    page.goto(f"{base}/draft/html/selection.html")
    assert "征求意见稿" in page.inner_text(".stdkit-banner")
    assert page.title() == "6\u3000推选程序 — DB3715/T XXXX—2026"
    page.goto(f"{base}/html/selection.html")
    assert page.locator(".stdkit-banner").count() == 0
    assert page.title() == "5\u3000推选程序 — G/DEZZ001—2020"
    # Every numbered element has a visible permalink: untitled 条 too.
    permalink = page.locator("#steward-one-per-building a.headerlink")
    assert permalink.is_visible() and permalink.get_attribute("href") == "#steward-one-per-building"
    assert permalink.get_attribute("title") == "链接到5.1.1"


def test_downloads_point_next_to_the_html_edition(site, page):
    base, _out = site
    page.goto(f"{base}/html/checklists/index.html")
    hrefs = page.eval_on_selector_all("#site-nav .nav-downloads a", "els => els.map(a => a.href)")
    assert f"{base}/pdf/G-DEZZ001-2020.pdf" in hrefs
    assert f"{base}/checklists/steward-monthly.pdf" in hrefs


def test_wide_tables_scroll_inside_their_box_on_a_phone(site, browser):
    base, _out = site
    context = browser.new_context(viewport=MOBILE)
    page = context.new_page()
    page.goto(f"{base}/html/annex-evaluation-form.html")
    box = page.locator(".table-scroll").first
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls …
    assert page.evaluate("() => document.documentElement.scrollWidth") <= MOBILE["width"]  # … not the page
    styles = page.locator(".table-scroll table td").first.evaluate(
        "el => [getComputedStyle(el).textAlign, getComputedStyle(el).textJustify]")
    assert styles[0] in ("left", "start")
    header = page.locator(".table-scroll table th").first
    assert header.evaluate("el => getComputedStyle(el).textAlign") == "center"
    assert header.evaluate("el => el.getClientRects().length") == 1  # not one character per line
    context.close()


def test_print_carries_the_number_on_every_page_and_keeps_the_table_with_its_annex(site, page,
                                                                                    tmp_path):
    import pypdf

    base, _out = site
    page.goto(f"{base}/html/annex-evaluation-form.html")
    pdf = tmp_path / "annex-e.pdf"
    page.pdf(path=str(pdf), format="A4")
    pages = [p.extract_text() for p in pypdf.PdfReader(pdf).pages]
    assert len(pages) >= 2
    # Latin text only: a machine without CJK fonts prints Chinese as empty boxes.
    for text in pages:
        assert "G/DEZZ001—2020" in text  # the page header (title beside it)
    assert "E.1" in pages[0]  # 表E.1 starts on the annex's first page
    # A draft prints its stage in the page header; its annex starts on the first page too.
    page.goto(f"{base}/draft/html/annex-notice-board.html")
    page.pdf(path=str(pdf), format="A4")
    first = pypdf.PdfReader(pdf).pages[0].extract_text()
    assert "DB3715/T XXXX—2026" in first and "D.1" in first


def test_filter_by_role_matches_the_json_and_links_land_on_the_clause(site, page):
    base, out = site
    data = json.loads((out / "index" / "clause-index.json").read_text("utf-8"))
    expected = [row["id"] for row in data["clauses"]
                if "楼长" in row["metadata"].get("role", [])]
    assert len(expected) > 20

    page.goto(f"{base}/html/clause-index.html")
    total = page.locator("table.stdkit-clause-index tbody tr").count()
    assert total == len(data["clauses"])
    page.select_option("#filter-role", "楼长")
    visible = page.locator("table.stdkit-clause-index tbody tr:not([hidden])")
    assert visible.count() == len(expected)
    assert page.inner_text("#visible-count") == str(len(expected))

    # Narrow further with the text search, then follow a row's link.
    page.fill("#filter-text", "覆盖率")
    assert 0 < visible.count() < len(expected)
    link = page.locator('table.stdkit-clause-index tbody tr:not([hidden]) a[href$="#visit-coverage"]')
    link.click()
    page.wait_for_url("**/service-form.html#visit-coverage")
    in_view = page.evaluate("""() => {
        const r = document.getElementById('visit-coverage').getBoundingClientRect();
        return r.top >= 0 && r.top < window.innerHeight && r.height > 0;
    }""")
    assert in_view


def test_filters_by_kind_and_chapter_combine(site, page):
    base, out = site
    data = json.loads((out / "index" / "clause-index.json").read_text("utf-8"))
    chapter = next(row["id"] for row in data["clauses"] if row["element_type"] == "chapter"
                   and row["title"] == "服务质量")
    expected = [row for row in data["clauses"]
                if row["chapter"] == chapter and row["metadata"].get("kind") == "requirement"]
    page.goto(f"{base}/html/clause-index.html")
    page.select_option("#filter-kind", "requirement")
    page.select_option("#filter-chapter", chapter)
    assert page.locator("table.stdkit-clause-index tbody tr:not([hidden])").count() == len(expected)
