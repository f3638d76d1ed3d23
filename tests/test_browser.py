"""The clause index page in a real browser: Playwright driving Debian's chromium.

Runs wherever /usr/bin/chromium (or $STDKIT_CHROMIUM) exists; CI installs it (see .ci/run)
and sets STDKIT_REQUIRE_BROWSER=1 so that a missing browser fails instead of skipping.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
from pathlib import Path

import pytest

from .conftest import STANDARD

CHROMIUM = os.environ.get("STDKIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
HOW_TO_ENABLE = ("浏览器测试已跳过：未找到 chromium。安装 Debian 的 chromium（apt-get install chromium）"
                 "或设置 STDKIT_CHROMIUM 后即可运行 (browser test skipped: install chromium)")
# Chromium on this network must not try to reach Google's services.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _require_browser() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("STDKIT_REQUIRE_BROWSER"):
            pytest.fail(f"STDKIT_REQUIRE_BROWSER is set but {CHROMIUM} does not exist")
        pytest.skip(HOW_TO_ENABLE)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    _require_browser()
    from tooling.cli import main

    out = tmp_path_factory.mktemp("browser")
    assert main(["build", "html", "-q", "--source", str(STANDARD), "--out", str(out)]) == 0
    assert main(["build", "index", "-q", "--source", str(STANDARD), "--out", str(out)]) == 0
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out / "html"))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", out
    server.shutdown()


@pytest.fixture(scope="module")
def page(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context.new_page()
        browser.close()


def test_filter_by_role_matches_the_json_and_links_land_on_the_clause(site, page):
    base, out = site
    data = json.loads((out / "index" / "clause-index.json").read_text("utf-8"))
    expected = [row["id"] for row in data["clauses"]
                if "楼长" in row["metadata"].get("role", [])]
    assert len(expected) > 20

    page.goto(f"{base}/clause-index.html")
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
    page.goto(f"{base}/clause-index.html")
    page.select_option("#filter-kind", "requirement")
    page.select_option("#filter-chapter", chapter)
    assert page.locator("table.stdkit-clause-index tbody tr:not([hidden])").count() == len(expected)
