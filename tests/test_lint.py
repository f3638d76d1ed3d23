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
    f"{F}/scope.md:2:1: GB201",
    f"{F}/standard.yaml:7:1: GB701",
    f"{F}/terms.md:2:1: GB102",
    f"{F}/terms.md:4:1: GB201",
    f"{F}/terms.md:6:1: GB501",
]


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
    assert out.splitlines()[-1] == "发现 24 个问题（10 个错误）"
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
    assert [line.split()[1] for line in out.splitlines()[:-1]] == ["GB601", "GB602"]
    _, out = run_lint(capsys, "--source", str(FAULTY), "--out", str(tmp_path),
                      "--ignore", "GB1,GB2,GB3,GB4,GB5,GB60,GB70")
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
    assert {code for code, _ in found} == {"GB301", "GB302", "GB303", "GB304", "GB602"}
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
