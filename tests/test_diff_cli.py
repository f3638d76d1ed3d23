"""`stdkit diff`: every side kind, every output, the CI exit status, and the draft's 前言."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess

import jsonschema
import pypdf
import pytest

from tooling.cli import main

from .conftest import ROOT, STANDARD, squash, strip_tags

DRAFT = ROOT / "editions" / "db3715t-draft"


@pytest.fixture(scope="module")
def diffed(tmp_path_factory):
    out = tmp_path_factory.mktemp("diff")
    assert main(["build", "html", "-q", "-W", "--source", str(DRAFT), "--out", str(out / "draft")]) == 0
    assert main(["diff", str(STANDARD), str(DRAFT), "--out", str(out), "-q",
                 "--new-html", str(out / "draft" / "html")]) == 0
    return out


def test_outputs_are_written(diffed):
    names = sorted(p.name for p in (diffed / "diff").iterdir() if not p.name.startswith("."))
    assert names == ["comparison.csv", "comparison.docx", "comparison.html", "comparison.xlsx",
                     "diff.json", "diff.schema.json", "foreword.txt", "redline.docx",
                     "redline.html", "redline.pdf"]


def test_json_validates_against_its_schema(diffed):
    schema = json.loads((diffed / "diff" / "diff.schema.json").read_text("utf-8"))
    data = json.loads((diffed / "diff" / "diff.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []


def test_redline_links_into_the_new_edition_html(diffed):
    page = (diffed / "diff" / "redline.html").read_text("utf-8")
    link = re.search(r'href="(\.\./draft/html/service-form\.html#special-household-contact)"', page)
    assert link, "special-household-contact should link to the draft's HTML"
    assert (diffed / "draft" / "html" / "service-form.html").is_file()
    assert "<del>1</del>" in page and "<ins>2</ins>" in page  # 每月不少于1次 → 2次


def test_redline_pdf_marks_the_changes(diffed):
    text = squash("".join(p.extract_text() for p in pypdf.PdfReader(diffed / "diff" / "redline.pdf").pages))
    assert squash("楼长信息公示牌") in text and squash("DB3715/T XXXX—2026") in text


def test_comparison_table(diffed):
    rows = list(csv.reader(io.StringIO((diffed / "diff" / "comparison.csv").read_text("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header == ["原条款（G/DEZZ001—2020）", "新条款（DB3715/T XXXX—2026）", "变化类型", "说明",
                      "标识"]
    by_id = {row[4]: row for row in body}
    old, new, change, summary, _ = by_id["special-household-contact"]  # renumbered and tightened
    assert (old, new, change) == ("7.1.3", "8.1.3", "修改")
    assert "“不少于1次”改为“不少于2次”" in summary
    assert by_id["epidemic-order"][:3] == ["6.6.2 d)", "", "删除"]


def test_comparison_workbook_matches_the_csv_with_numbers_as_text(diffed):
    import openpyxl

    rows = list(csv.reader(io.StringIO((diffed / "diff" / "comparison.csv").read_text("utf-8-sig"))))
    sheet = openpyxl.load_workbook(diffed / "diff" / "comparison.xlsx").active
    assert sheet.title == "条款对照表" and sheet.freeze_panes == "A2"
    cells = [[c.value or "" for c in row] for row in sheet.iter_rows()]
    assert cells == [[c.lstrip("'") for c in row] for row in rows]
    for row in sheet.iter_rows(min_row=2, max_col=2):
        assert all(c.value is None or c.data_type == "s" for c in row)


def test_foreword_text_and_the_draft_foreword_agree(diffed):
    lines = (diffed / "diff" / "foreword.txt").read_text("utf-8").splitlines()
    assert lines[0] == ("本文件在G/DEZZ001—2020《城市社区楼长管理与服务规范》的基础上制定，"
                        "与G/DEZZ001—2020相比，除结构调整和编辑性改动外，主要技术变化如下：")
    assert lines[1].startswith("a) ") and lines[-1].endswith("。")
    assert len(lines) > 28 and lines[27].startswith("aa) ")  # letters go on after z)
    items = [line.split(" ", 1)[1] for line in lines[1:]]
    foreword = strip_tags((diffed / "draft" / "html" / "foreword.html").read_text("utf-8"))
    for item in items:  # the 前言 of the draft carries the same list, generated
        assert item in foreword
    revision = (diffed / "draft" / "html" / "revision.html").read_text("utf-8")
    assert 'class="stdkit-redline"' in revision


def test_fail_on_technical_for_ci(tmp_path):
    assert main(["diff", str(STANDARD), str(DRAFT), "--out", str(tmp_path), "-q",
                 "--fail-on", "technical"]) == 1
    assert main(["diff", str(STANDARD), str(STANDARD), "--out", str(tmp_path), "-q",
                 "--fail-on", "any"]) == 0


def test_sides_can_be_an_index_json_or_a_git_revision(tmp_path, capsys):
    assert main(["build", "index", "-q", "--source", str(STANDARD), "--out", str(tmp_path / "o")]) == 0
    index = tmp_path / "o" / "index" / "clause-index.json"
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    capsys.readouterr()
    assert main(["diff", str(index), f"{head}:standard", "--out", str(tmp_path), "-q"]) == 0
    summary = capsys.readouterr().out
    assert "技术性变化 0" in summary


def test_unknown_side_is_one_clear_error(tmp_path, capsys):
    assert main(["diff", "no-such-thing", str(STANDARD), "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        "no-such-thing: E142 无法读取比较的一方：“no-such-thing”既不是 clause-index.json、源文件目录，"
        "也不是 git 版本 [diff-side]\n")
