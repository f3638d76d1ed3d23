"""`stdkit diff`: every side kind, every output, the CI exit status, the draft's 前言, and the
editor's changes.yaml (on the command line and inside the draft's own build)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess

import jsonschema
import pypdf
import pytest

from tooling.cli import main

from .conftest import ROOT, STANDARD, edit, squash, strip_tags

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
    assert names == ["comparison.csv", "comparison.docx", "comparison.html", "comparison.pdf",
                     "comparison.xlsx", "diff.json", "diff.schema.json", "foreword.txt",
                     "redline.docx", "redline.html", "redline.pdf"]


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
    # The new 前言 with its list, as in the redline.html.
    lead = text.index(squash("主要技术变化如下："))
    assert text.index(squash("a) 更改了范围"), lead) < text.index(squash("请注意本文件"))


def test_redline_is_for_reviewers(diffed):
    page = (diffed / "diff" / "redline.html").read_text("utf-8")
    body = strip_tags(page.split("</style>", 1)[1])
    # The new 前言 shows its generated list between the lead sentence and the patent one.
    lead = body.index("主要技术变化如下：")
    items = (diffed / "diff" / "foreword.txt").read_text("utf-8").splitlines()[1:]
    for line in items:
        assert line.split(" ", 1)[1] in body[lead:body.index("请注意本文件")]
    # No developer detail; clauses only renumbered are one line per chapter.
    for developer in ("steward-know-building", "相似度", "frequency", "checklist_text", "0.97"):
        assert developer not in body
    assert re.search(r"另有 ?\d+ 个要素仅编号变化", body)
    assert page.count('class="card') < 80
    # The detail view keeps everything, and names the keys changes.yaml uses.
    assert main(["diff", str(STANDARD), str(DRAFT), "--out", str(diffed / "detail"), "-q",
                 "--detail"]) == 0
    detail = (diffed / "detail" / "diff" / "redline.html").read_text("utf-8")
    assert "special-household-contact" in detail and "相似度" in detail


def test_comparison_table(diffed):
    rows = list(csv.reader(io.StringIO((diffed / "diff" / "comparison.csv").read_text("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header == ["原条款号", "原条文", "新条款号", "新条文", "修订说明"]
    by_new = {row[2]: row for row in body if row[2]}
    old, old_text, new, new_text, note = by_new["8.1.3"]  # renumbered and tightened
    assert (old, new) == ("7.1.3", "8.1.3")
    assert "不少于1次" in old_text and "不少于2次" in new_text
    assert "由不少于1次改为不少于2次" in note and "见前言" in note
    removed = next(row for row in body if row[0] == "6.6.2")
    # The epidemic clause is replaced by a general 突发事件 clause (matched by similarity).
    assert removed[2] == "7.6.2" and "突发事件" in removed[3] and removed[4]  # the editor's note
    assert "a) 人员排查和登记" in removed[1]  # the list with its clause
    # Metadata only: the texts are the same and the 修订说明 says what changed.
    role = by_new["6.1.1"]
    assert role[1] == role[3] and role[4].startswith("条文未变，仅元数据变化：执行主体")
    # Only renumbered: left out, unless asked.
    assert "5.1" not in by_new and "第5章" not in by_new
    assert main(["diff", str(STANDARD), str(DRAFT), "--out", str(diffed / "all"), "-q",
                 "--all"]) == 0
    every = list(csv.reader(io.StringIO(
        (diffed / "all" / "diff" / "comparison.csv").read_text("utf-8-sig"))))
    assert {"5.1", "第5章"} <= {row[2] for row in every} and len(every) > len(rows) + 100


def test_comparison_pdf_is_a4_landscape(diffed):
    reader = pypdf.PdfReader(diffed / "diff" / "comparison.pdf")
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    text = squash("".join(p.extract_text() for p in reader.pages))
    for word in ("原条款号", "原条文", "新条款号", "新条文", "修订说明", "不少于2次"):
        assert squash(word) in text


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
    letters = [line.split(" ", 1)[0] for line in lines[1:]]
    assert letters == [f"{chr(ord('a') + i)})" for i in range(len(letters))]
    assert all(line.endswith("；") for line in lines[1:-1])
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


# -- the editor's changes.yaml -------------------------------------------------------------

OVERRIDES = """\
# 编辑对前言清单的修改
special-household-contact:
  text: 将特殊家庭每月走访联系次数由不少于1次改为不少于2次
  was: 将楼长每月走访或联系特殊家庭的次数由不少于1次改为不少于2次
  note: 根据试点，每月1次不能及时发现特殊家庭的困难
no-such-clause:
  text: 这一项已经没有了
"""


def test_changes_file_on_the_command_line(tmp_path, capsys):
    changes = tmp_path / "changes.yaml"
    changes.write_text(OVERRIDES, "utf-8")
    assert main(["diff", str(STANDARD), str(DRAFT), "--out", str(tmp_path), "-q",
                 "--changes", str(changes)]) == 0
    err = capsys.readouterr().err
    assert ("changes.yaml:6: WARNING: E201 changes.yaml 中的“no-such-clause”没有用上：" in err)
    assert err.count("WARNING") == 1
    foreword = (tmp_path / "diff" / "foreword.txt").read_text("utf-8")
    assert "将特殊家庭每月走访联系次数由不少于1次改为不少于2次（见8.1.3，2020年版的7.1.3）；" \
        in foreword
    table = (tmp_path / "diff" / "comparison.csv").read_text("utf-8-sig")
    assert "根据试点，每月1次不能及时发现特殊家庭的困难" in table


@pytest.mark.parametrize(("text", "line", "message"), [
    ("a: [1\n", 2, "YAML 有误"),
    ("special-household-contact:\n  wording: x\n", 1, "含有未知的键：wording"),
    ("special-household-contact:\n  list: yes please\n", 1, "类型应为 boolean"),
    ("Special_Contact:\n  text: x\n", 1, "不是变化的标识"),
    ("a: &x {text: y}\nb: *x\n", 1, "锚点或别名"),
    ("a:\n  text: x\na:\n  text: y\n", 3, "重复"),
    ("- a\n- b\n", 1, "映射"),
])
def test_a_bad_changes_file_is_one_message_and_nothing_written(tmp_path, capsys, text, line,
                                                               message):
    changes = tmp_path / "changes.yaml"
    changes.write_text(text, "utf-8")
    assert main(["diff", str(STANDARD), str(DRAFT), "--out", str(tmp_path / "out"), "-q",
                 "--changes", str(changes)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert f"changes.yaml:{line}: ERROR: E200 修订说明文件 changes.yaml 有误：" in err[0]
    assert message in err[0] and "[stdkit.changes-file]" in err[0]
    assert not (tmp_path / "out" / "diff").exists()


def test_changes_file_in_the_draft_folder_reaches_its_build(tmp_path, capsys):
    """The draft's own build applies its changes.yaml: the 前言 shows the editor's words; an
    override that matches nothing is a warning with file and line, an error with -W."""
    draft = tmp_path / "draft"
    shutil.copytree(DRAFT, draft)
    edit(draft / "standard.yaml", "previous_edition: ../../standard",
         f"previous_edition: {STANDARD}")
    (draft / "changes.yaml").write_text(OVERRIDES, "utf-8")
    out = tmp_path / "out"
    assert main(["build", "html", "-q", "--source", str(draft), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "changes.yaml:6: WARNING: E201" in err and "[stdkit.changes-unmatched]" in err
    foreword = strip_tags((out / "html" / "foreword.html").read_text("utf-8"))
    assert "将特殊家庭每月走访联系次数由不少于1次改为不少于2次（见8.1.3，2020年版的7.1.3）" \
        in foreword
    assert main(["build", "html", "-q", "-W", "--source", str(draft), "--out", str(out)]) != 0
    # Fixed: the build is clean again, and a rewording of the text survives it.
    (draft / "changes.yaml").write_text(OVERRIDES.split("no-such-clause")[0], "utf-8")
    capsys.readouterr()
    assert main(["build", "html", "-q", "-W", "--source", str(draft), "--out", str(out)]) == 0
    assert "将特殊家庭每月走访联系次数" in strip_tags(
        (out / "html" / "foreword.html").read_text("utf-8"))
    # A file that is not valid stops the build with one message.
    (draft / "changes.yaml").write_text("a: [1\n", "utf-8")
    assert main(["build", "html", "-q", "--source", str(draft), "--out", str(out)]) == 1
    assert "E200" in capsys.readouterr().err
