"""The HTML edition's frame without a browser: downloads that exist, a permalink on every
numbered element, the reading order, page titles, the stage of a draft."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from tooling.cli import main
from tooling.sphinx.theme import scrollable_tables

from .conftest import FIXTURES, ROOT, BuildResult

MINI = FIXTURES / "mini"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> BuildResult:
    """The mini fixture with every target, as `stdkit build all` lays them out."""
    out = tmp_path_factory.mktemp("published")
    assert main(["build", "all", "-q", "--source", str(MINI), "--out", str(out),
                 "--conf", str(ROOT)]) == 0
    return BuildResult(0, out, "", "")


def _pages(result: BuildResult) -> list[Path]:
    return sorted((result.out / "html").rglob("*.html"))


def test_every_download_link_is_a_file_the_build_wrote(published):
    html_dir = published.out / "html"
    checked = set()
    for path in _pages(published):
        page = path.read_text("utf-8")
        nav = page[page.index('<nav id="site-nav"'):]
        for href in re.findall(r'<a href="([^"]+)" download>', nav):
            base = path.relative_to(html_dir).as_posix()
            target = urljoin(f"http://x/html/{base}", html.unescape(href))
            assert target.startswith("http://x/"), href
            file = published.out / unquote(target.removeprefix("http://x/"))
            assert file.is_file(), f"{path.name}: {href}"
            checked.add(file.relative_to(published.out).as_posix())
    pdf = next((published.out / "pdf").glob("*.pdf")).name
    assert {f"pdf/{pdf}", "index/clause-index.xlsx", "index/clause-index.csv"} <= checked
    assert any(c.startswith("checklists/") for c in checked)


def test_every_numbered_element_has_a_permalink(published):
    edition = published.edition()
    links: set[str] = set()
    for path in _pages(published):
        page = path.read_text("utf-8")
        links |= set(re.findall(r'<a class="headerlink[^"]*" href="#([^"]+)"', page))
    numbered = {c.id for c in edition.walk() if c.number}
    assert numbered and numbered <= links, sorted(numbered - links)


def test_reading_order_runs_from_the_cover_through_the_annexes_to_the_tool_pages(published):
    order = []
    page = "index"
    while page and page not in order:
        order.append(page)
        text = published.html(page)
        found = re.search(r'<a class="next" href="([^"]+)\.html"', text)
        page = (Path(page).parent / found.group(1)).as_posix().removeprefix("./") if found else None
    assert order[:2] == ["index", "foreword"]
    assert order.index("annexes") < order.index("clause-index") < order.index("term-index")
    assert order[order.index("term-index") + 1] == "checklists/index"
    assert all((published.out / "html" / f"{p}.html").is_file() for p in order)


def test_titles_sidebar_and_stage(published):
    page = published.html("requirements")
    assert "<title>4　服务要求 — T/TEST 7—2024</title>" in page
    nav = page[page.index('<nav id="site-nav"'):]
    assert '<li class="current"><a href="" aria-current="page">4　服务要求</a>' in nav
    assert "4.1　" in nav  # the current chapter's 条 under it
    # The mini fixture is a 征求意见稿: every page says so.
    for path in _pages(published):
        assert 'class="stdkit-banner"' in path.read_text("utf-8"), path.name
    assert "lint-rules.html" not in page and not (published.out / "html" / "genindex.html").exists()


def test_tables_are_wrapped_in_a_named_scroll_box():
    body = ('<table class="docutils"><caption><span class="caption-number">表1　</span>'
            '<span class="caption-text">评&amp;分</span><a class="headerlink">¶</a></caption>'
            "<tr><td>1</td></tr></table><p>x</p><table><tr><td>2</td></tr></table>")
    out = scrollable_tables(body)
    assert out.count('<div class="table-scroll" role="region" tabindex="0"') == 2
    assert 'aria-label="表1　评&amp;分"' in out and 'aria-label="表格"' in out
