"""The drafting linter: every seeded fault found with the right code and place; clean sources
stay clean; output formats; rule selection; the same findings as Sphinx warnings."""

from __future__ import annotations

import json
import re
import shutil
import textwrap

import pytest

from tooling.cli import main, run_sphinx
from tooling.lint.pages import catalogue_markdown
from tooling.lint.rules import RULES

from .conftest import FIXTURES, ROOT, STANDARD

FAULTY = FIXTURES / "faulty"
F = "tests/fixtures/faulty"
EXPECTED = [
    f"{F}/annex-c.md:2:1: GB104",
    f"{F}/annex.md:2:1: GB106",
    f"{F}/annex.md:2:1: GB402",
    f"{F}/annex.md:12:1: GB302",
    f"{F}/annex.md:12:1: GB304",
    f"{F}/annex.md:16:1: GB103",
    f"{F}/requirements.md:2:1: GB101",
    f"{F}/requirements.md:4:1: GB401",
    f"{F}/requirements.md:9:1: GB301",
    f"{F}/requirements.md:36:1: GB303",
    f"{F}/requirements.md:44:12: GB703",
    f"{F}/requirements.md:46:7: GB502",
    f"{F}/requirements.md:49:1: GB304",
    f"{F}/requirements.md:61:23: GB403",
    f"{F}/requirements.md:71:16: GB404",
    f"{F}/requirements.md:83:5: GB405",
    f"{F}/requirements.md:83:13: GB601",
    f"{F}/requirements.md:83:17: GB602",
    f"{F}/requirements.md:86:1: GB702",
    f"{F}/requirements.md:95:1: GB704",
    f"{F}/requirements.md:104:1: GB402",
    f"{F}/review.md:13:12: GB306",
    f"{F}/review.md:22:11: GB307",
    f"{F}/review.md:31:4: GB308",
    f"{F}/review.md:43:2: GB305",
    f"{F}/review.md:65:6: GB406",
    f"{F}/review.md:73:10: GB506",
    f"{F}/review.md:84:14: GB507",
    f"{F}/review.md:96:7: GB603",
    f"{F}/review.md:106:11: GB604",
    f"{F}/review.md:118:1: GB605",
    f"{F}/review.md:131:5: GB705",
    f"{F}/review.md:139:1: GB706",
    f"{F}/review.md:151:5: GB707",
    f"{F}/review.md:159:11: GB709",
    f"{F}/review.md:170:1: GB710",
    f"{F}/scope.md:8:7: GB105",
    f"{F}/standard.yaml:7:1: GB701",
    f"{F}/standard.yaml:10:1: GB708",
    f"{F}/terms.md:2:1: GB102",
    f"{F}/terms.md:4:1: GB201",
    f"{F}/terms.md:6:1: GB501",
    f"{F}/terms.md:21:1: GB503",
    f"{F}/terms.md:30:1: GB504",
    f"{F}/terms.md:39:1: GB505",
    f"{F}/terms.md:46:5: GB508",
]
# The same constructs written right (tests/fixtures/drafting-good, which lints clean): for each
# rule of issue 17, the file, line and text of the good form of what the faulty fixture gets
# wrong.
GOOD_DIR = FIXTURES / "drafting-good"
GOOD = {
    "GB104": ("requirements.md", 78, "按{clause-ref}`annex-patrol`的式样"),  # 附录A cited first
    "GB105": ("scope.md", 4, "给出了巡查表和公示牌的示例"),
    "GB106": ("requirements.md", 87, "按{clause-ref}`annex-board`的示例"),
    "GB305": ("requirements.md", 52, "清洁剂记录的保存见{clause-ref}`record-keeping`。"),
    "GB306": ("requirements.md", 22, "拖把损坏的，保洁员可更换。"),
    "GB307": ("requirements.md", 31, "垃圾桶破损的，应报告管理方。"),
    "GB308": ("requirements.md", 40, "保洁员应佩戴手套。"),
    "GB406": ("requirements.md", 78, "{clause-ref}`annex-patrol`"),
    "GB503": ("terms.md", 12, "保洁员在保洁区域内查看卫生和设施状况的活动。"),
    "GB504": ("terms.md", 21, "公开保洁员姓名和联系方式的标识牌。"),
    "GB505": ("terms.md", 30, "铺在出入口、用于刮除鞋底泥沙的垫子。"),
    "GB506": ("terms.md", 45, "term: 保洁合格率"),
    "GB507": ("requirements.md", 106, "报告街道办事处。"),
    "GB508": ("terms.md", 37, "en: cleaning agent"),
    "GB603": ("requirements.md", 118, "8:00～12:00"),
    "GB604": ("requirements.md", 128, "24 h内"),
    "GB605": ("annex-patrol.md", 10, "2024年6月3日"),
    "GB705": ("requirements.md", 141, "每周清洗地垫不少于1次"),
    "GB706": ("requirements.md", 139, "frequency: {min: 1, per: week}"),
    "GB707": ("requirements.md", 78, "每日巡查不少于1次"),
    "GB708": ("standard.yaml", 11, "drafters: [张××, 李××]"),
    "GB709": ("requirements.md", 64, "清洁剂使用记录"),
    "GB710": ("requirements.md", 150, "保洁组长应清点工具。"),
}
NEW_RULES = {"GB104", "GB105", "GB106", "GB305", "GB306", "GB307", "GB308", "GB406", "GB503",
             "GB504", "GB505", "GB506", "GB507", "GB508", "GB603", "GB604", "GB605", "GB705",
             "GB706", "GB707", "GB708", "GB709", "GB710"}


def run_lint(capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    status = main(["lint", "--conf", str(ROOT), *args])
    return status, capsys.readouterr().out


@pytest.fixture(autouse=True)
def _in_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_every_seeded_fault_is_reported_with_its_code_and_place(capsys, tmp_path):
    status, out = run_lint(capsys, "--source", str(FAULTY), "--out", str(tmp_path))
    assert status == 1
    found = [line.split(" ", 2)[0] + " " + line.split(" ", 2)[1] for line in out.splitlines()[:-1]]
    assert found == EXPECTED
    assert out.splitlines()[-1] == "发现 46 个问题（19 个错误）"
    # every rule in the catalogue is exercised by the fixture
    assert {line.rsplit(" ", 1)[1] for line in EXPECTED} == {rule.code for rule in RULES}


def test_messages_are_chinese_first_with_the_rule_name(capsys, tmp_path):
    _, out = run_lint(capsys, "--source", str(FAULTY), "--out", str(tmp_path))
    assert (f"{F}/requirements.md:36:1: GB303 不应使用“不得”，应使用“不应” [forbidden-modal]"
            in out.splitlines())
    assert (f"{F}/requirements.md:83:13: GB601 中文文本中使用了半角标点“,”，应为“，” "
            "[half-width-punctuation]" in out.splitlines())


@pytest.mark.parametrize("source", [STANDARD, ROOT / "editions" / "db3715t-draft"])
def test_the_real_editions_lint_clean(capsys, tmp_path, source):
    status, out = run_lint(capsys, "--source", str(source), "--out", str(tmp_path))
    assert (status, out) == (0, "未发现问题 (no problems found)\n")


def test_json_and_ci_annotation_formats(capsys, tmp_path):
    _, out = run_lint(capsys, "--source", str(FAULTY), "--out", str(tmp_path), "--format", "json")
    data = json.loads(out)
    first = next(d for d in data if d["code"] == "GB303")
    assert first == {
        "code": "GB303", "name": "forbidden-modal", "severity": "error",
        "message": "不应使用“不得”，应使用“不应”", "message_en": "use 不应 instead of 不得",
        "source": f"{F}/requirements.md", "line": 36, "column": 1,
    }
    _, out = run_lint(capsys, "--source", str(FAULTY), "--out", str(tmp_path), "--format", "github")
    assert (f"::error file={F}/requirements.md,line=36,col=1,title=GB303 forbidden-modal::"
            "不应使用“不得”，应使用“不应”") in out.splitlines()


def test_select_and_ignore(capsys, tmp_path):
    _, out = run_lint(capsys, "--source", str(FAULTY), "--out", str(tmp_path), "--select", "GB6")
    assert [line.split()[1] for line in out.splitlines()[:-1]] == [
        "GB601", "GB602", "GB603", "GB604", "GB605"]
    _, out = run_lint(capsys, "--source", str(FAULTY), "--out", str(tmp_path),
                      "--ignore", "GB1,GB2,GB3,GB4,GB5,GB60,GB7")
    assert [line.split()[1] for line in out.splitlines()[:-1]] == []


def faulty_with(tmp_path, settings: str):
    source = tmp_path / "faulty"
    shutil.copytree(FAULTY, source)
    with (source / "standard.yaml").open("a", encoding="utf-8") as fh:
        fh.write(settings)
    return source


def test_the_standard_chooses_its_rules_and_their_severity(capsys, tmp_path):
    source = faulty_with(tmp_path, textwrap.dedent("""
        lint:
          select: [GB3, GB6]
          ignore: [GB601]
          severity: {GB602: error, GB303: warning}
    """))
    _, out = run_lint(capsys, "--source", str(source), "--out", str(tmp_path / "o"),
                      "--format", "json")
    found = {(f["code"], f["severity"]) for f in json.loads(out)}
    assert {code for code, _ in found} == {"GB301", "GB302", "GB303", "GB304", "GB305", "GB306",
                                           "GB307", "GB308", "GB602", "GB603", "GB604", "GB605"}
    assert ("GB602", "error") in found and ("GB303", "warning") in found
    # The build logs each finding at the same severity.
    capsys.readouterr()
    assert run_sphinx("html", source, tmp_path / "h", tmp_path / "d", ROOT, quiet=True) == 0
    err = capsys.readouterr().err
    assert re.search(r"requirements.md:\d+: ERROR: GB602 ", err)
    assert re.search(r"requirements.md:\d+: WARNING: GB303 ", err)
    assert "GB601" not in err and "GB101" not in err


@pytest.mark.parametrize("settings", [
    "lint:\n  ignore: [GB999]\n", "lint:\n  select: [GB9]\n", "lint:\n  severity: {GB998: warning}\n"])
def test_an_unknown_rule_in_the_settings_is_one_message(capsys, tmp_path, settings):
    source = faulty_with(tmp_path, settings)
    code = settings.split("GB")[1][:3].rstrip("]}\n")
    capsys.readouterr()
    status = main(["lint", "--conf", str(ROOT), "--source", str(source), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 1
    lines = (source / "standard.yaml").read_text("utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if f"GB{code}" in text)
    assert f"standard.yaml:{line}: ERROR: E108 标准元数据（standard.yaml）有误：lint 设置中的规则“GB{code}”不存在" in err
    assert "Traceback" not in err


def test_findings_are_sphinx_warnings_that_can_be_suppressed(capsys, tmp_path):
    capsys.readouterr()
    status = run_sphinx("html", FAULTY, tmp_path / "a", tmp_path / "d1", ROOT, quiet=True)
    err = capsys.readouterr().err
    assert status == 0
    assert (f"{F}/requirements.md:83: WARNING: GB601 中文文本中使用了半角标点“,”，应为“，” "
            "[half-width-punctuation] [stdkit.GB601]") in err.splitlines()
    status = run_sphinx("html", FAULTY, tmp_path / "b", tmp_path / "d2", ROOT, quiet=True,
                        warnings_as_errors=True)
    assert status == 1
    capsys.readouterr()
    status = run_sphinx("html", FAULTY, tmp_path / "c", tmp_path / "d3", ROOT, quiet=True,
                        overrides={"suppress_warnings": "stdkit.GB601"})
    err = capsys.readouterr().err
    assert "GB601" not in err and "GB602" in err


def test_rule_catalogue_is_printed_not_published_in_the_edition(tmp_path, capsys):
    assert main(["rules"]) == 0
    text = capsys.readouterr().out
    assert main(["rules", "--format", "markdown", "--output", str(tmp_path / "rules.md")]) == 0
    markdown = (tmp_path / "rules.md").read_text("utf-8")
    for rule in RULES:
        assert f"{rule.code}　" in text and rule.name in text
        assert f"({rule.code.lower()})=" in markdown and rule.name in markdown
    assert "楼长不应泄露居民信息。" in text  # GB303's good example
    assert "缺少必备要素“〈要素〉”" in text
    for output in (text, markdown):
        assert not re.search(r"\{[a-z_]+\}", output)  # no raw placeholders
    # The catalogue is documentation of the toolkit, not a page of the standard.
    assert main(["build", "html", "-q", "--source", str(STANDARD), "--out", str(tmp_path)]) == 0
    assert not (tmp_path / "html" / "lint-rules.html").exists()


def test_the_docs_carry_the_current_catalogue():
    docs = ROOT / "docs" / "rules.md"
    assert docs.read_text("utf-8") == catalogue_markdown(), "运行 stdkit rules --format markdown --output docs/rules.md"


def test_codes_are_unique_and_documented():
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))
    for rule in RULES:
        assert rule.rationale and rule.bad and rule.good and rule.message and rule.message_en


def test_a_list_item_with_an_id_followed_by_items_without_is_not_the_last():
    from pathlib import Path

    from tooling import model
    from tooling.lint.checks import lint
    from tooling.model.numbering import SECTION, DocElements, RawElement, assemble

    info = model.EditionInfo(doc_class="group", class_line="团体标准", number="T/X 1—2024",
                             title_zh="测试", stage="published", issuer="测试协会",
                             drafting_units=("测试协会",))

    def codes(item_text: str, rest: str) -> list[str]:
        item = RawElement(model.LIST_ITEM, id="it-a", label="a)", segments=(item_text,),
                          source="t.md", line=3)
        clause = RawElement(model.UNTITLED, id="c", segments=(f"应检查：{rest}",),
                            children=(item,), source="t.md", line=1,
                            metadata={"kind": "requirement", "role": "保洁员"})
        chapter = RawElement(SECTION, id="ch", title="要求", children=(clause,), source="t.md",
                             line=1)
        edition, _ = assemble(info, {"index": DocElements("index", (chapter,))}, "index")
        return [f.code for f in lint(edition, root=Path("/nonexistent"))
                if f.code.startswith("GB403")]

    assert codes("地面；", "\nb) 墙面。") == []       # b) follows in the text: a) may end with ；
    assert codes("地面；", "") == ["GB403"]            # a) is the last item: it must end with 。


NESTED = """
:::{clause}
---
id: req-nested
kind: requirement
role: 保洁员
---
保洁员应检查下列设施：

1. {item}`fac-doors` 门，包括：
   1. {item}`fac-doors-main` 大门；
   2. {item}`fac-doors-side` 侧门{END}
2. {item}`fac-windows` 窗{LAST}
:::
"""


@pytest.mark.parametrize(("end", "last", "messages"), [
    ("；", "。", []),  # a nested list inside an earlier item goes on with "；"
    ("；", "；", ["列项“b)”的结尾应为“。”"]),  # only the last item of the whole list ends "。"
])
def test_list_punctuation_runs_across_nesting(capsys, mini_copy, tmp_path, end, last, messages):
    with (mini_copy / "requirements.md").open("a", encoding="utf-8") as fh:
        fh.write(NESTED.replace("{END}", end).replace("{LAST}", last))
    _, out = run_lint(capsys, "--source", str(mini_copy), "--out", str(tmp_path), "--format", "json")
    assert [f["message"] for f in json.loads(out) if f["code"] == "GB403"] == messages


def test_fixed_wording_inside_a_clause_block_counts(capsys, mini_copy, tmp_path):
    scope = mini_copy / "scope.md"
    scope.write_text(scope.read_text("utf-8").replace(
        "本文件规定了公共场所保洁服务的要求。\n\n本文件适用于公共场所的保洁服务。",
        ":::{clause}\n---\nid: scope-text\nkind: statement\nnumbered: false\n---\n"
        "本文件规定了公共场所保洁服务的要求。\n\n本文件适用于公共场所的保洁服务。\n:::"), "utf-8")
    _, out = run_lint(capsys, "--source", str(mini_copy), "--out", str(tmp_path))
    assert "GB201" not in out, out


# -- the rules of issue 17: good forms, the text–metadata check, --fix -----------------------


def test_every_new_rule_has_a_bad_and_a_good_fixture(capsys, tmp_path):
    assert {line.rsplit(" ", 1)[1] for line in EXPECTED} >= NEW_RULES
    assert set(GOOD) == NEW_RULES
    for code, (name, line, text) in GOOD.items():
        assert text in (GOOD_DIR / name).read_text("utf-8").splitlines()[line - 1], code
    status, out = run_lint(capsys, "--source", str(GOOD_DIR), "--out", str(tmp_path))
    assert (status, out) == (0, "未发现问题 (no problems found)\n")


def test_the_good_fixture_builds_without_warnings(capsys, tmp_path):
    capsys.readouterr()
    assert main(["build", "html", "-q", "-W", "--source", str(GOOD_DIR), "--out",
                 str(tmp_path)]) == 0


@pytest.mark.parametrize(("text", "found"), [
    ("楼长应每天巡查负责楼宇不少于1次，发现问题的，记入台账。", [("频次", ("day", 1))]),
    ("社区党组织应每年12月对每名楼长进行1次年度评价。", [("频次", ("year", 1))]),
    ("楼长应参加每月召开的楼长议事会。", [("频次", ("month", 1))]),
    ("应在24 h内处理；不能处理的，应在24小时内报告。",
     [("时限", (24.0, "小时")), ("时限", (24.0, "小时"))]),
    ("社区居委会应在5个工作日内更新。", [("时限", (5.0, "个工作日"))]),
    ("参与评议的户数应不少于该楼长负责户数的20%。", [("限值", (20.0, "%"))]),
    ("楼长年龄应不超过65周岁。", [("限值", (65.0, "周岁"))]),
    ("保存期不少于2届楼长任期。", [("限值", (2.0, "届"))]),
    # conditions, dates and the count of a cadence are not values of the clause
    ("相邻楼宇住户合计不超过60户的，可由1名楼长负责。", []),
    ("6月5日修复，已告知住户。", []),
])
def test_the_text_values_the_consistency_check_reads(text, found):
    from tooling.lint.consistency import stated_in

    assert [(v.what, v.key) for v in stated_in(text)] == found


def test_drift_is_reported_with_both_values():
    from tooling.lint.consistency import drifts
    from tooling.model import Clause, Frequency, Metadata

    def clause(text: str, **meta: object) -> Clause:
        return Clause("c", "untitled-clause", "1.1", "", text, "x.md", 1,
                      metadata=Metadata(kind="requirement", role=("楼长",), **meta))

    only_text = drifts(clause("楼长应每月走访不少于2次。"))
    assert [(d.code, d.text, d.meta) for d in only_text] == [("GB705", "每月走访不少于2次", "")]
    only_meta = drifts(clause("楼长应走访。", frequency=Frequency(min=1, per="month")))
    assert [(d.code, d.field, d.meta) for d in only_meta] == [
        ("GB706", "frequency", "每月不少于1次")]
    both = drifts(clause("楼长应在公示期满后15 d内谈话。",
                         frequency=Frequency(event="不合格", within="30 d"),
                         checklist_text="评价不合格后15日内谈话"))
    assert [(d.code, d.field, d.text, d.meta) for d in both] == [
        ("GB707", "frequency.within", "15 d内", "30 d内")]
    same = drifts(clause("楼长应在3 d内传达。", frequency=Frequency(event="任务", within="3 日"),
                         checklist_text="3日内传达"))
    assert same == []


def _faulty_copy(tmp_path):
    source = tmp_path / "faulty"
    shutil.copytree(FAULTY, source)
    return source


def test_fix_writes_the_references_and_says_what_it_changed(capsys, tmp_path):
    source = _faulty_copy(tmp_path)
    review = source / "review.md"
    # A byte order mark, Windows line endings and the file's mode are kept.
    review.write_bytes(b"\xef\xbb\xbf" + review.read_bytes().replace(b"\n", b"\r\n"))
    review.chmod(0o600)
    status, out = run_lint(capsys, "--source", str(source), "--out", str(tmp_path / "o"),
                           "--fix")
    lines = out.splitlines()
    assert "已改写 review.md:65:6: “附录B” → {clause-ref}`annex-b`" in lines
    assert "已改写 1 处 (fixed 1)" in lines
    assert status == 1 and "GB406" not in out  # the other faults are still reported
    assert "GB104" in out  # 附录C is still cited first: a reference does not reorder annexes
    data = review.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == data.count(b"\n")
    assert "保洁员应按{clause-ref}`annex-b`的式样记录巡查情况。" in data.decode("utf-8-sig")
    assert review.stat().st_mode & 0o777 == 0o600
    assert not list(source.glob(".*.part"))
    # GB405's 附录E has no target: nothing is written for it.
    assert "附录E" in (source / "requirements.md").read_text("utf-8")


def test_fix_leaves_alone_what_changed_since_the_lint_and_what_is_ambiguous(tmp_path):
    from tooling.lint.checks import Finding
    from tooling.lint.fix import apply_fixes

    path = tmp_path / "a.md"
    path.write_text("见附录A。\n按表A.1填写。\n", "utf-8")
    fixable = Finding("a.md", 1, 2, "GB406", fix=("附录A", "{clause-ref}`annex-a`"))
    stale = Finding("a.md", 2, 1, "GB406", fix=("表A.1", "{clause-ref}`table-a`"))  # moved
    ambiguous = Finding("a.md", 2, 2, "GB406")  # no fix: two elements read 表A.1
    changes, skipped = apply_fixes([fixable, stale, ambiguous], [tmp_path])
    assert [c.human() for c in changes] == ["a.md:1:2: “附录A” → {clause-ref}`annex-a`"]
    assert skipped == [stale]
    assert path.read_text("utf-8") == "见{clause-ref}`annex-a`。\n按表A.1填写。\n"


def test_typed_designations_of_another_document_are_not_reported(capsys, mini_copy, tmp_path):
    with (mini_copy / "requirements.md").open("a", encoding="utf-8") as fh:
        fh.write("\n:::{clause}\n---\nid: other-doc\nkind: statement\n---\n"
                 "记录表的格式见GB/T 1.1—2020的第6章和2019年版的附录A。\n:::\n")
    _, out = run_lint(capsys, "--source", str(mini_copy), "--out", str(tmp_path))
    assert "GB406" not in out, out


def test_items_written_in_the_text_need_no_modal_verb_of_their_own(capsys, mini_copy, tmp_path):
    with (mini_copy / "requirements.md").open("a", encoding="utf-8") as fh:
        fh.write("\n:::{clause}\n---\nid: hand-list\nkind: requirement\nrole: 保洁员\n---\n"
                 "保洁员应检查下列部位：\n\na) 地面是否有积水；\n\nb) 墙面是否有污渍。\n:::\n")
    _, out = run_lint(capsys, "--source", str(mini_copy), "--out", str(tmp_path),
                      "--format", "json")
    assert [f for f in json.loads(out) if f["code"] == "GB307"] == []
