"""Sphinx builds of fixture standards and of the real standard, through the stdkit CLI."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import FIXTURES, STANDARD, edit, strip_tags

MINI = FIXTURES / "mini"


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    from tooling.cli import main

    from .conftest import BuildResult

    out = tmp_path_factory.mktemp("mini")
    status = main(["build", "html", "-q", "-W", "--source", str(MINI), "--out", str(out)])
    assert status == 0
    return BuildResult(status, out, "", "")


def heading(article: str, anchor: str) -> str:
    match = re.search(rf'<section id="{anchor}">\s*(?:<span id="[^"]+"></span>)?<h\d>(.*?)<a class="headerlink"',
                      article, re.S)
    assert match, anchor
    return strip_tags(match.group(1))


def test_headings_carry_gbt_numbers_and_stable_anchors(mini):
    art = mini.article("requirements")
    assert heading(art, "requirements") == "4　服务要求"
    assert heading(art, "req-general") == "4.1　一般要求"
    assert heading(art, "req-detail-floor-wet-sign") == "4.2.1.1.1　警示"
    intro = mini.article("introduction")
    assert heading(intro, "introduction") == "引言"
    assert heading(intro, "intro-structure") == "0.2　结构"


def test_untitled_clauses_list_items_and_paragraphs(mini):
    art = mini.article("requirements")
    assert ('<div class="std-clause untitled-clause" id="req-wet-sign">\n<p>'
            '<span class="clause-number">4.2.1.1.1.1</span>　湿拖地面时应放置警示标志') in art
    assert ('<li id="item-walls"><p>墙面，包括：<a class="headerlink stdkit-permalink reference internal" '
            'href="#item-walls" title="链接到4.2.1.1.1.2 b)">¶</a></p>') in art
    # the unnumbered paragraph has no number of its own
    assert re.search(r'id="req-paragraph">\s*<p>保洁员可使用', art)


def test_references_render_numbers_and_link_to_anchors(mini):
    art = mini.article("requirements")
    refs = re.findall(r'<a class="clause-ref reference internal" href="([^"]+)">([^<]+)</a>', art)
    assert refs == [
        ("annexes.html#table-a-record", "表A.1"),
        ("#table-signs", "表1"),
        ("#item-walls", "4.2.1.1.1.2 b)"),
        ("#req-general", "4.1"),
        ("terms.html#term-cleaner", "3.1"),
        ("#requirements", "第4章"),
        ("annexes.html#annex-chemicals", "附录B"),
    ]


def test_tables_annexes_notes_and_examples(mini):
    annexes = mini.article("annexes")
    assert strip_tags(re.search(r"<h1>(.*?)<a", annexes).group(1)) == "附录A（资料性）保洁记录表"
    assert '<span class="annex-designation">附录B</span><span class="annex-obligation">（规范性）</span>' in annexes
    captions = [strip_tags(c) for c in re.findall(r"<caption>(.*?)</caption>", annexes, re.S)]
    assert [c.rstrip("¶") for c in captions] == ["表A.1　保洁记录表", "表B.1　清洁剂分类"]
    reqs = mini.article("requirements")
    assert "表1　警示标志" in strip_tags(reqs)
    terms = strip_tags(mini.article("terms"))
    assert "注1：第一个注。" in terms and "注2：第二个注。" in terms
    assert "[来源：示例来源 1—2000，2.1]" in terms
    assert "注：本条的注。" in strip_tags(reqs)
    assert "示例：示例内容。" in strip_tags(reqs)


def test_term_entry_layout(mini):
    terms = mini.article("terms")
    assert re.search(
        r'<div class="std-term" id="term-cleaner">\s*<p class="term-number"><span>3.1</span><a [^>]*href="#term-cleaner"[^>]*>¶</a></p>\s*'
        r'<p class="term-head"><strong class="term-zh">保洁员</strong>'
        r'<span class="term-en">cleaner</span></p>', terms)


def test_navigation_shows_numbers(mini):
    page = mini.html("scope")
    nav = strip_tags(page[page.index('<nav id="site-nav"'):])
    for entry in ("前言", "引言", "1　范围", "2　规范性引用文件", "3　术语和定义", "4　服务要求", "附录A　保洁记录表",
                  "附录B　清洁剂使用要求"):
        assert entry in nav


def test_cover_and_foreword_from_standard_yaml(mini):
    cover = strip_tags(mini.article("index"))
    for line in ("ICS 03.080.99", "CCS A16", "T/TEST 7—2024", "代替T/TEST 7—2019", "团体标准",
                 "公共场所保洁服务规范", "（征求意见稿）", "XXXX-XX-XX发布", "测试标准化协会　发布"):
        assert line in cover
    foreword = [strip_tags(p) for p in re.findall(r"<p>(.*?)</p>", mini.article("foreword"))]
    assert foreword == [
        "本文件按照GB/T 1.1—2020《标准化工作导则\u3000第1部分：标准化文件的结构和起草规则》的规定起草。",
        "本文件代替T/TEST 7—2019《公共场所保洁服务要求》。",
        "请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。",
        "本文件由测试标准化协会提出并归口。",
        "本文件起草单位：测试标准化协会、示例物业服务公司。",
        "本文件及其所代替文件的历次版本发布情况为：",
        "2019年首次发布为T/TEST 7—2019；",
        "本次为第1次修订。",
    ]


def test_chinese_search_index_uses_word_segmentation(mini):
    text = (mini.out / "html" / "searchindex.js").read_text("utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    # jieba splits 保洁工具宜分区使用 into words; without it Chinese text is not searchable.
    assert {"保洁", "分区", "警示"} <= set(index["terms"])


def test_renumbering_keeps_anchors_and_updates_references(build, mini_copy):
    first = build(mini_copy)
    assert first.status == 0
    edit(mini_copy / "requirements.md", "(req-general)=\n## 一般要求",
         "(req-new)=\n## 新增要求\n\n(req-general)=\n## 一般要求")
    second = build(mini_copy, out=first.out)  # incremental
    assert second.status == 0, second.stderr
    art = second.article("requirements")
    assert heading(art, "req-general") == "4.2　一般要求"
    assert heading(art, "req-detail") == "4.3　详细要求"
    assert '<a class="clause-ref reference internal" href="#req-general">4.2</a>' in art
    fresh = build(mini_copy, "-E")
    for doc in ("requirements", "annexes", "terms", "index"):
        assert second.article(doc) == fresh.article(doc), doc


def test_real_standard_builds_warning_free(build):
    result = build(STANDARD, "-W")
    assert result.status == 0, result.stderr
    assert result.stderr == ""
    edition = result.edition()
    steward = edition["term-building-steward"]
    assert steward.number == "3.1"
    assert steward.text == "在城市社区范围内，以楼宇为单位设置，协助社区组织从事社区公共事务管理和服务的人员。"
    notice = strip_tags(result.article("index"))
    assert "重构" in notice and "并非官方发布的正式文本" in notice


# -- bad input: one clear message with file and line, exit 1, nothing written --------------

def assert_stopped(result, message: str) -> None:
    assert result.status == 1
    assert "Traceback" not in result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert lines[0].endswith(message), result.stderr
    assert lines[-1] == "构建已停止：1 个错误，未写出成果（build stopped: 1 error(s)）"
    assert len(lines) == 2, result.stderr
    assert not (result.out / "html" / "index.html").exists()


def test_bad_yaml_names_file_and_line(build, mini_copy):
    edit(mini_copy / "requirements.md", "frequency: {min: 2, per: day}", "frequency: {min: 2, per: day")
    result = build(mini_copy)
    assert_stopped(result, "requirements.md:13: ERROR: E101 元数据不是有效的 YAML："
                   "expected ',' or '}', but got ':' [stdkit.yaml-syntax]")


def test_unknown_metadata_key(build, mini_copy):
    edit(mini_copy / "requirements.md", ":role: 保洁员\n保洁工具", ":role: 保洁员\n:owner: 张三\n保洁工具")
    result = build(mini_copy)
    assert_stopped(result, "requirements.md:23: ERROR: E102 未知的元数据键“owner”（允许的键："
                   "applies_to、checklist、checklist_text、evidence、frequency、id、kind、numbered、"
                   "role、target） [stdkit.unknown-metadata-key]")


def test_wrong_metadata_type(build, mini_copy):
    edit(mini_copy / "requirements.md", "frequency: {min: 2, per: day}", "frequency: 每天两次")
    result = build(mini_copy)
    assert_stopped(result, "requirements.md:12: ERROR: E103 元数据“frequency”的值无效：frequency 为 "
                   '"每天两次"，格式不符合要求（见元数据说明） [stdkit.metadata-type]')


def test_duplicate_id_names_both_places(build, mini_copy):
    edit(mini_copy / "annexes.md", "id: chem-storage", "id: req-tools")
    result = build(mini_copy)
    assert_stopped(result, "annexes.md:26: ERROR: E106 标识“req-tools”重复，已在 "
                   "requirements.md:19 使用 [stdkit.duplicate-id]")


def test_missing_id_on_a_clause(build, mini_copy):
    edit(mini_copy / "annexes.md", "id: chem-storage\n", "")
    result = build(mini_copy)
    assert_stopped(result, "annexes.md:26: ERROR: E104 条款缺少标识（id） [stdkit.missing-id]")


def test_missing_id_on_a_heading(build, mini_copy):
    edit(mini_copy / "requirements.md", "(req-detail)=\n", "")
    result = build(mini_copy)
    assert_stopped(result, "requirements.md:30: ERROR: E104 标题“详细要求”缺少标识（id） [stdkit.missing-id]")


def test_reference_to_missing_id(build, mini_copy):
    edit(mini_copy / "scope.md", "保洁服务的要求。", "保洁服务的要求（见{clause-ref}`no-such-clause`）。")
    result = build(mini_copy)
    assert_stopped(result, "scope.md:4: ERROR: E107 引用的标识“no-such-clause”不存在 [stdkit.unknown-reference]")


def test_bad_standard_yaml_stops_before_reading(build, mini_copy):
    edit(mini_copy / "standard.yaml", "stage: 征求意见稿", "stage: 草稿")
    result = build(mini_copy)
    assert_stopped(result, "standard.yaml:10: ERROR: E108 标准元数据（standard.yaml）有误：字段 stage 为 "
                   '"草稿"，应为以下之一：工作组讨论稿、征求意见稿、送审稿、报批稿、published [stdkit.edition-metadata]')
