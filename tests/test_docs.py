"""The toolkit's own docs (`make docs`): the Chinese user guide from the README, the rule
catalogue, in the same Chinese page frame as the editions."""

from __future__ import annotations

import re

import pytest
from sphinx.cmd.build import build_main

from .conftest import ROOT, strip_tags
from .test_browser import _ENGLISH

START, END = "<!-- 用户指南开始 -->", "<!-- 用户指南结束 -->"


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    out = tmp_path_factory.mktemp("docs")
    assert build_main(["-b", "html", "-q", "-W", "-E", str(ROOT / "docs"), str(out)]) == 0
    return out


def test_the_readme_guide_is_chinese_and_comes_first():
    readme = (ROOT / "README.md").read_text("utf-8")
    guide = readme[readme.index(START):readme.index(END)]
    assert readme.index(START) < readme.index("## Code map")
    headings = re.findall(r"^## (.+)$", guide, re.M)
    for topic in ("快速开始", "编辑", "构建", "出错", "检查表", "修订"):
        assert any(topic in h for h in headings), topic
    assert all(re.search(r"[\u4e00-\u9fff]", h) for h in headings)


def test_the_docs_publish_the_same_guide(docs):
    page = (docs / "guide.html").read_text("utf-8")
    readme = (ROOT / "README.md").read_text("utf-8")
    guide = readme[readme.index(START) + len(START):readme.index(END)]
    for heading in re.findall(r"^## (.+)$", guide, re.M):
        assert heading.replace("`", "") in strip_tags(page)
    rules = (docs / "rules.html").read_text("utf-8")
    assert "GB101" in rules and "缺少必备要素“〈要素〉”" in strip_tags(rules)


def test_the_docs_frame_is_chinese(docs):
    for path in sorted(docs.glob("*.html")):
        page = path.read_text("utf-8")
        frame = page[:page.index('role="main"')] + page[page.index("</article>"):]
        frame = re.sub(r"<script.*?</script>|<style.*?</style>|<link [^>]*>|<meta [^>]*>", "",
                       frame, flags=re.S)
        visible = strip_tags(frame) + " ".join(re.findall(
            r'(?:aria-label|title|placeholder|alt)="([^"]*)"', frame))
        assert _ENGLISH.findall(visible) == [], path.name
