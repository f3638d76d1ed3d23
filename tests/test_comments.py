"""The comments round, as a drafting group goes through it: the form for a 征求意见稿, three units
answering (overlapping comments; one naming clauses by number only; one in Word), collecting,
the editor's dispositions, the next draft (a clause inserted so numbers shift, comments
applied), the 征求意见汇总处理表 with both clause numbers, the statistics and the cross-checks.
Then every bad form the issue lists, each with its one message. Two builds for the module (the
draft's and the next draft's clause index); everything else is pure."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl
import pypdf
import pytest
import xlsxwriter

from tests.conftest import FIXTURES, ROOT, squash
from tooling.cli import main
from tooling.comments import comment_statistics, load_comments
from tooling.comments.store import CommentStatistics

FORM = "征求意见稿-意见反馈表"
TABLE = "征求意见稿-意见汇总处理表"
YAML = Path("draft/comments/征求意见稿.yaml")


@dataclass
class Run:
    status: int
    out: str
    err: str


def stdkit(*argv: str | Path) -> Run:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(a) for a in argv])
    return Run(status, out.getvalue(), err.getvalue())


def fill_xlsx(form: Path, dest: Path) -> None:
    """甲物业公司 answers in the .xlsx form: two clauses, one disposition already in the sheet,
    one comment by number in an empty row — and a formula-like comment."""
    wb = openpyxl.load_workbook(form)
    ws = wb["征求意见表"]
    ws["C3"], ws["F3"], ws["H3"] = "甲物业公司", "王××", "2025-04-10"
    rows = {ws.cell(r, 2).value: r for r in range(7, ws.max_row + 1) if ws.cell(r, 2).value}
    ws.cell(rows["4.1.1"], 5, "每日2次不足以保持清洁")
    ws.cell(rows["4.1.1"], 6, "改为每日至少3次")
    ws.cell(rows["4.1.1"], 7, "人流量大的场所")
    ws.cell(rows["4.1.2"], 5, "“宜”改为“应”")
    ws.cell(rows["4.1.2"], 8, "未采纳")
    ws.cell(rows["4.1.2"], 9, "分区使用不是所有场所都能做到")
    blank = max(rows.values()) + 1
    ws.cell(blank, 2, "B.1")
    ws.cell(blank, 5, '=HYPERLINK("http://x","见附件")')
    wb.save(dest)


def fill_csv(dest: Path) -> None:
    """乙街道办事处 answers in a spreadsheet of its own, by clause number only."""
    with dest.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["提出单位", "乙街道办事处"])
        w.writerow(["章条编号", "意见内容", "修改建议", "理由"])
        w.writerow(["4.1.1", "清扫次数偏少", "改为每日3次", ""])
        w.writerow(["表A.1", "记录表增加签字栏", "", ""])
        w.writerow(["9.9", "不存在的条", "", ""])


def fill_docx(form: Path, dest: Path) -> None:
    """丙社区 answers in the Word form: a whole-draft comment and one on 第4章."""
    d = docx.Document(str(form))
    head, body = d.tables
    head.rows[0].cells[1].text = "丙社区"
    head.rows[0].cells[3].text = "李××"
    head.rows[0].cells[5].text = "2025-04-12"
    body.rows[1].cells[1].text = "总体"
    body.rows[1].cells[2].text = "建议增加保洁质量评价"
    body.rows[2].cells[1].text = "第4章"
    body.rows[2].cells[2].text = "服务要求应分场所"
    d.save(str(dest))


DISPOSITIONS = [
    # (text after which to add, lines to add): the editor's work in the comments file
    ("      source: {file: 丙.docx, row: 2}\n",
     "      disposition: 未采纳\n      disposition_reason: 质量评价另行制定标准\n"),
    ("      source: {file: 丙.docx, row: 3}\n",
     "      disposition: 部分采纳\n      disposition_reason: 增加培训要求，不按场所分列\n"),
    ("      source: {file: 乙.csv, row: 3}\n", "      disposition: 采纳\n"),
    ("      source: {file: 甲.xlsx, sheet: 征求意见表, row: 18}\n", "      disposition: 采纳\n"),
    ("      source: {file: 乙.csv, row: 4}\n", "      disposition: 采纳\n"),
    ("      source: {file: 甲.xlsx, sheet: 征求意见表, row: 34}\n", "      disposition: 采纳\n"),
]


def next_draft(draft: Path, dest: Path) -> None:
    """The 送审稿: a clause inserted before 4.1.1 (numbers shift), 4.1.1's comments applied,
    B.1 deleted, 表A.1 left as it was although its comment is marked 采纳."""
    shutil.copytree(draft, dest)
    req = dest / "requirements.md"
    text = req.read_text("utf-8")
    text = text.replace(":::{clause}\n---\nid: req-daily-clean",
                        ":::{clause}\n:id: req-training\n:kind: requirement\n:role: 保洁员\n"
                        "保洁员上岗前应接受培训。\n:::\n\n:::{clause}\n---\nid: req-daily-clean",
                        1)
    req.write_text(text.replace("保洁员应每日至少清扫2次", "保洁员应每日至少清扫3次"), "utf-8")
    annexes = dest / "annexes.md"
    annexes.write_text(annexes.read_text("utf-8").replace(
        ":::{clause}\n---\nid: chem-storage\nkind: requirement\nrole: 保洁员\n---\n"
        "清洁剂应单独存放。\n:::\n", ""), "utf-8")
    meta = dest / "standard.yaml"
    meta.write_text(meta.read_text("utf-8").replace("stage: 征求意见稿", "stage: 送审稿"), "utf-8")


@pytest.fixture(scope="module")
def rnd(tmp_path_factory: pytest.TempPathFactory):
    """The whole round, run once in a folder of its own (paths in messages are relative)."""
    base = tmp_path_factory.mktemp("comments")
    before = Path.cwd()
    os.chdir(base)
    try:
        shutil.copytree(FIXTURES / "mini", "draft")
        r: dict[str, object] = {"base": base}
        r["form"] = stdkit("comments", "form", "--source", "draft", "--out", "out",
                           "--conf", ROOT)
        back = Path("back")
        back.mkdir()
        fill_xlsx(Path("out/comments") / f"{FORM}.xlsx", back / "甲.xlsx")
        fill_csv(back / "乙.csv")
        fill_docx(Path("out/comments") / f"{FORM}.docx", back / "丙.docx")
        files = [back / "甲.xlsx", back / "乙.csv", back / "丙.docx"]
        r["collect"] = stdkit("comments", "collect", *files, "--source", "draft")
        r["collected"] = YAML.read_text("utf-8")
        r["rejects"] = Path("draft/comments/征求意见稿.rejects.yaml").read_text("utf-8")
        r["again"] = stdkit("comments", "collect", *files, "--source", "draft")
        r["collected_again"] = YAML.read_text("utf-8")
        r["table_same_stage"] = stdkit("comments", "table", "--source", "draft", "--out", "out")
        text = YAML.read_text("utf-8")
        for after, add in DISPOSITIONS:
            assert after in text, after
            text = text.replace(after, after + add)
        YAML.write_text(text, "utf-8")
        r["decided"] = text
        # Collecting once more (a late copy of the same files) keeps every disposition.
        r["late"] = stdkit("comments", "collect", *files, "--source", "draft")
        r["after_late"] = YAML.read_text("utf-8")
        next_draft(Path("draft"), Path("next"))
        r["table"] = stdkit("comments", "table", "--source", "next", "--out", "out2",
                            "--conf", ROOT)
        out2 = Path("out2/comments")
        r["files"] = {p.suffix: p.read_bytes() for p in sorted(out2.glob(f"{TABLE}.*"))}
        r["table2"] = stdkit("comments", "table", "--source", "next", "--out", "out2",
                             "--conf", ROOT)
        r["files2"] = {p.suffix: p.read_bytes() for p in sorted(out2.glob(f"{TABLE}.*"))}
        # Without the snapshot of the draft commented on: typed numbers, ids for the next draft.
        shutil.copytree("next", "bare")
        Path("bare/comments/征求意见稿.draft.json").unlink()
        r["bare"] = stdkit("comments", "table", "--source", "bare", "--out", "out3",
                           "--conf", ROOT)
        yield r
    finally:
        os.chdir(before)


def test_form_xlsx_lists_every_clause_with_its_id_hidden_and_protected(rnd):
    assert rnd["form"].status == 0, rnd["form"].err
    book = openpyxl.load_workbook(rnd["base"] / "out/comments" / f"{FORM}.xlsx")
    ws = book["征求意见表"]
    assert ws["B1"].value == "《公共场所保洁服务规范》（征求意见稿）征求意见反馈表"
    assert [ws.cell(6, c).value for c in range(1, 10)] == [
        "标识", "章条编号", "标题", "条文（摘要）", "意见内容", "修改建议", "理由", "处理意见",
        "处理理由"]
    assert ws.column_dimensions["A"].hidden and ws.protection.sheet
    assert ws.cell(7, 1).protection.locked and not ws.cell(7, 5).protection.locked
    rows = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(7, 34)]
    assert rows[:6] == [("foreword", "前言"), ("introduction", "引言"), ("intro-purpose", "0.1"),
                        ("intro-structure", "0.2"), ("scope", "第1章"),
                        ("normative-references", "第2章")]
    assert ("req-daily-clean", "4.1.1") in rows and ("table-a-record", "表A.1") in rows
    assert len([r for r in rows if r[0]]) == 27
    hidden = book["stdkit-numbering"]
    assert hidden.sheet_state == "hidden"
    assert hidden["A1"].value == "format" and hidden["B1"].value == "stdkit-comment-form"
    assert (rnd["base"] / "draft/comments/征求意见稿.draft.json").is_file()


def test_form_docx_has_the_header_and_the_table_to_fill_in(rnd):
    d = docx.Document(str(rnd["base"] / "out/comments" / f"{FORM}.docx"))
    assert d.paragraphs[0].text == "《公共场所保洁服务规范》（征求意见稿）征求意见反馈表"
    head, body = d.tables
    assert [c.text for c in head.rows[0].cells][::2] == ["提出单位", "联系人", "日期"]
    assert [c.text for c in body.rows[0].cells] == ["序号", "章条编号", "意见内容", "修改建议",
                                                    "理由"]
    assert len(body.rows) == 16
    assert d.core_properties.keywords.startswith("stdkit-comment-form;征求意见稿;")


def test_collect_keys_comments_by_clause_and_keeps_the_bad_row(rnd):
    run = rnd["collect"]
    assert run.status == 1
    assert run.err.splitlines() == [
        "back/甲.xlsx:34: WARNING: E216 工作表“征求意见表”第34行的意见内容以“=”开头：按文字保存，"
        "不作为公式 [stdkit.formula-text]",
        "back/乙.csv:5: ERROR: E215 第5行：章条编号“9.9”在《公共场所保洁服务规范》征求意见稿中"
        "不存在；该行已原样保存在 draft/comments/征求意见稿.rejects.yaml 中"
        " [stdkit.clause-number-unknown]",
        "无法读入 1 行，已原样保存在 draft/comments/征求意见稿.rejects.yaml",
    ]
    assert run.out == "已读入 3 个文件：新增意见 7 条，已有 0 条 → draft/comments/征求意见稿.yaml\n"
    text = rnd["collected"]
    assert text.splitlines()[:5] == [
        "draft: {number: T/TEST 7—2024, title: 公共场所保洁服务规范, stage: 征求意见稿, "
        "fingerprint: " + text.split("fingerprint: ")[1].split("}")[0] + "}",
        "replies:",
        "  - {unit: 甲物业公司, contact: 王××, date: '2025-04-10', file: 甲.xlsx}",
        "  - {unit: 乙街道办事处, file: 乙.csv}",
        "  - {unit: 丙社区, contact: 李××, date: '2025-04-12', file: 丙.docx}",
    ]
    cs = load_comments(rnd["base"] / "draft", "征求意见稿")
    got = [(c.clause, c.unit, c.number, c.source.describe()) for c in cs.comments]
    assert got == [
        ("_general", "丙社区", "总体", "丙.docx 第2行"),
        ("requirements", "丙社区", "第4章", "丙.docx 第3行"),
        ("req-daily-clean", "甲物业公司", "4.1.1", "甲.xlsx 工作表“征求意见表” 第18行"),
        ("req-daily-clean", "乙街道办事处", "4.1.1", "乙.csv 第3行"),
        ("req-tools", "甲物业公司", "4.1.2", "甲.xlsx 工作表“征求意见表” 第19行"),
        ("table-a-record", "乙街道办事处", "表A.1", "乙.csv 第4行"),
        ("chem-storage", "甲物业公司", "B.1", "甲.xlsx 工作表“征求意见表” 第34行"),
    ]
    # the formula stays text; the disposition in the returned sheet was read with its reason
    assert cs.for_clause("chem-storage")[0].comment == '=HYPERLINK("http://x","见附件")'
    tools = cs.for_clause("req-tools")[0]
    assert (tools.disposition, tools.disposition_reason) == ("未采纳", "分区使用不是所有场所都能做到")
    assert "problem: E215 第5行：章条编号“9.9”在《公共场所保洁服务规范》征求意见稿中不存在\n" in \
        rnd["rejects"]
    assert "cells: ['9.9', 不存在的条, '', '']" in rnd["rejects"]
    assert comment_statistics(cs).unresolved == 1


def test_collecting_the_same_files_again_adds_nothing(rnd):
    assert "新增意见 0 条，已有 7 条" in rnd["again"].out
    assert rnd["collected_again"] == rnd["collected"]


def test_collecting_again_keeps_the_editors_dispositions(rnd):
    assert rnd["after_late"] == rnd["decided"]
    assert "新增意见 0 条，已有 7 条" in rnd["late"].out


def test_statistics(rnd):
    cs = load_comments(rnd["base"] / "next", "征求意见稿")
    assert comment_statistics(cs) == CommentStatistics(
        units_consulted=3, units_replied=3, replied_with_comments=3, replied_without_comments=0,
        units_not_replied=0, received=7, adopted=4, partly_adopted=1, not_adopted=2, undecided=0,
        unresolved=1)


def test_table_before_the_draft_moves_on_has_one_number_column(rnd):
    run = rnd["table_same_stage"]
    assert run.status == 0 and run.err == ""
    book = openpyxl.load_workbook(rnd["base"] / "out/comments" / f"{TABLE}.xlsx")
    ws = book.active
    assert [ws.cell(5, c).value for c in range(1, 7)] == [
        "序号", "标准章条编号", "意见内容", "提出单位", "处理意见", "备注"]
    assert ws.cell(10, 2).value == "4.1.2" and ws.cell(10, 5).value == "未采纳"
    assert ws.cell(6, 5).value == "（待处理）"


def table_rows(data: bytes) -> list[list[str | None]]:
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[ws.cell(r, c).value for c in range(1, 8)] for r in range(1, ws.max_row + 1)]


def test_table_gives_both_clause_numbers(rnd):
    rows = table_rows(rnd["files"][".xlsx"])
    assert rows[0][0] == "《公共场所保洁服务规范》征求意见汇总处理表"
    assert rows[1][0] == "标准名称：《公共场所保洁服务规范》（T/TEST 7—2024）"
    assert rows[2][0] == "负责起草单位：测试标准化协会　　　　日期：2025年4月12日"
    assert rows[3][0] == (
        "说明：发送《征求意见稿》的单位数：3个；收到《征求意见稿》后，回函的单位数：3个；"
        "收到《征求意见稿》后，回函并有建议或意见的单位数：3个；回函没有建议或意见的单位数：0个；"
        "没有回函的单位数：0个。共收到意见7条，其中采纳4条，部分采纳1条，未采纳2条。"
        "另有1行意见无法读入，原样保留在 comments/征求意见稿.rejects.yaml 中，未计入上述条数。")
    assert rows[4][:3] == ["序号", "标准章条编号", None] and rows[5][1:3] == ["征求意见稿", "送审稿"]
    body = [r for r in rows[6:]]
    assert [(r[0], r[1], r[2], r[4], r[5]) for r in body] == [
        ("1", "总体", "总体", "丙社区", "未采纳"),
        ("2", "第4章", "第4章", "丙社区", "部分采纳"),
        ("3", "4.1.1", "4.1.2", "甲物业公司", "采纳"),
        ("4", "4.1.1", "4.1.2", "乙街道办事处", "采纳"),
        ("5", "4.1.2", "4.1.3", "甲物业公司", "未采纳"),
        ("6", "表A.1", "表A.1", "乙街道办事处", "采纳"),
        ("7", "B.1", "已删除", "甲物业公司", "采纳"),
    ]
    assert body[2][3] == "每日2次不足以保持清洁\n修改建议：改为每日至少3次\n理由：人流量大的场所"
    assert body[0][6] == "质量评价另行制定标准"


def test_cross_checks_with_the_next_draft(rnd):
    run = rnd["table"]
    assert run.status == 0
    assert run.err.splitlines() == [
        "next/comments/征求意见稿.yaml:43: WARNING: E220 表A.1的意见（乙街道办事处）处理意见为"
        "“采纳”，但送审稿没有修改这一条 [stdkit.adopted-unchanged]",
        "next/requirements.md:7: WARNING: E221 4.1.1有技术性变化（新增条：保洁员上岗前应接受"
        "培训。），但没有相应的意见，编制说明中也没有说明 [stdkit.change-without-comment]",
    ]


def test_cross_check_takes_what_the_explanation_covers(rnd):
    from tooling.comments.checks import cross_check
    from tooling.model import Edition

    base = rnd["base"]
    old = Edition.loads((base / "next/comments/征求意见稿.draft.json").read_text("utf-8"))
    index = next(p for p in (base / "out2/.cache").glob("*/index/clause-index.json")
                 if "req-training" in p.read_text("utf-8"))  # the next draft's, not the draft's
    new = Edition.loads(index.read_text("utf-8"))
    cs = load_comments(base / "next", "征求意见稿")
    check = cross_check(cs, old, new, {"req-training"})
    assert [w.code for w in check.warnings] == ["E220"]
    assert check.unexplained == ()
    assert check.fates["chem-storage"].new_id is None
    assert check.fates["req-daily-clean"].new_label == "4.1.2"


def test_table_in_word_html_and_pdf(rnd):
    files = rnd["files"]
    assert set(files) == {".xlsx", ".docx", ".html", ".pdf"}
    d = docx.Document(io.BytesIO(files[".docx"]))
    t = d.tables[0]
    assert [c.text for c in t.rows[1].cells][1:3] == ["征求意见稿", "送审稿"]
    assert [c.text for c in t.rows[8].cells][:3] == ["7", "B.1", "已删除"]
    html = files[".html"].decode("utf-8")
    assert '<td class="c deleted">已删除</td>' in html
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;见附件&quot;)" in html
    text = squash("".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(files[".pdf"])).pages))
    assert "《公共场所保洁服务规范》征求意见汇总处理表" in text
    assert "4.1.14.1.2" in text and "B.1已删除" in text


def test_table_is_byte_identical_on_rebuild(rnd):
    assert rnd["files"] == rnd["files2"]
    # the PDF carries the table's date (the latest reply), never the clock
    assert b"/CreationDate(D:20250412000000Z)" in rnd["files"][".pdf"]


def test_no_formula_in_the_table(rnd):
    ws = openpyxl.load_workbook(io.BytesIO(rnd["files"][".xlsx"])).active
    cell = ws.cell(13, 4)
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"


# --- bad forms ----------------------------------------------------------------------------------


@pytest.fixture
def bad(rnd, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A folder with the draft's standard.yaml and numbering snapshot (collect needs no
    build), the form, and a function to collect one file and return the run."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "std/comments").mkdir(parents=True)
    shutil.copy(rnd["base"] / "draft/standard.yaml", tmp_path / "std")
    shutil.copy(rnd["base"] / "draft/comments/征求意见稿.draft.json", tmp_path / "std/comments")
    form = rnd["base"] / "out/comments" / f"{FORM}.xlsx"

    def collect(path: Path, *extra: str) -> Run:
        return stdkit("comments", "collect", path, "--source", "std", *extra)

    return form, collect


def _form_with(form: Path, dest: Path, edit) -> Path:
    wb = openpyxl.load_workbook(form)
    ws = wb["征求意见表"]
    ws["C3"] = "丁单位"
    edit(ws)
    wb.save(dest)
    return dest


def test_rows_reordered_are_read_by_their_ids(bad, tmp_path: Path):
    form, collect = bad

    def edit(ws):
        ws.cell(18, 5, "意见一")  # 4.1.1
        ws.cell(19, 5, "意见二")  # 4.1.2
        for c in range(1, 5):  # swap the two rows, as sorting the sheet would
            a, b = ws.cell(18, c).value, ws.cell(19, c).value
            ws.cell(18, c, b)
            ws.cell(19, c, a)
        ws.cell(18, 5, "意见二")
        ws.cell(19, 5, "意见一")

    run = collect(_form_with(form, tmp_path / "丁.xlsx", edit))
    assert run.status == 0
    assert run.err.splitlines() == [
        "丁.xlsx:19: WARNING: E218 工作表“征求意见表”第19行：行的顺序与意见表不同（从这一行起）；"
        "各行按其标识读取，顺序不影响结果 [stdkit.form-notice]"]
    cs = load_comments(tmp_path / "std", "征求意见稿")
    assert [(c.clause, c.comment) for c in cs.comments] == [
        ("req-daily-clean", "意见一"), ("req-tools", "意见二")]


def test_merged_cells_are_rejected_and_kept(bad, tmp_path: Path):
    form, collect = bad

    def edit(ws):
        ws.protection.sheet = False
        ws.cell(18, 5, "两条共用的意见")
        ws.merge_cells("E18:E19")

    run = collect(_form_with(form, tmp_path / "丁.xlsx", edit))
    assert run.status == 1
    assert run.err.splitlines()[0] == (
        "丁.xlsx:18: ERROR: E214 工作表“征求意见表”第18行：意见在合并单元格中（E18:E19），"
        "无法确定它针对哪一条；该行已原样保存在 std/comments/征求意见稿.rejects.yaml 中"
        " [stdkit.form-row]")
    cs = load_comments(tmp_path / "std", "征求意见稿")
    assert cs.comments == () and comment_statistics(cs).unresolved == 1
    assert cs.rejects[0].cells[:2] == ("req-daily-clean", "4.1.1")


def test_id_column_deleted_resolves_by_number(bad, tmp_path: Path):
    form, collect = bad

    def edit(ws):
        ws.cell(18, 5, "意见一")
        ws.delete_cols(1)

    run = collect(_form_with(form, tmp_path / "丁.xlsx", edit))
    assert run.status == 0
    assert run.err.splitlines() == [
        "丁.xlsx: WARNING: E218 工作表“征求意见表”：标识列（A 列）已被删除；各行按章条编号对应到"
        "《公共场所保洁服务规范》征求意见稿的条款 [stdkit.form-notice]"]
    cs = load_comments(tmp_path / "std", "征求意见稿")
    assert [(c.clause, c.number) for c in cs.comments] == [("req-daily-clean", "4.1.1")]


def test_number_changed_against_its_id_is_rejected(bad, tmp_path: Path):
    form, collect = bad

    def edit(ws):
        ws.protection.sheet = False
        ws.cell(18, 2, "4.1.2")
        ws.cell(18, 5, "意见一")

    run = collect(_form_with(form, tmp_path / "丁.xlsx", edit))
    assert run.status == 1
    assert run.err.splitlines()[0] == (
        "丁.xlsx:18: ERROR: E214 工作表“征求意见表”第18行：本行的标识对应 4.1.1，章条编号却是"
        "“4.1.2”（行被改动或错位）；该行已原样保存在 std/comments/征求意见稿.rejects.yaml 中"
        " [stdkit.form-row]")


def test_vertically_merged_word_cells_are_rejected(rnd, bad, tmp_path: Path):
    _form, collect = bad
    d = docx.Document(str(rnd["base"] / "out/comments" / f"{FORM}.docx"))
    head, body = d.tables
    head.rows[0].cells[1].text = "戊单位"
    body.rows[1].cells[1].text = "4.1.1"
    body.rows[1].cells[2].text = "两行共用"
    body.cell(1, 2).merge(body.cell(2, 2))
    d.save(str(tmp_path / "戊.docx"))
    run = collect(tmp_path / "戊.docx")
    assert run.status == 1
    assert run.err.splitlines()[0] == (
        "戊.docx:2: ERROR: E214 Word 表格第2行：意见在合并单元格中（纵向合并的单元格），"
        "无法确定它针对哪一条；该行已原样保存在 std/comments/征求意见稿.rejects.yaml 中"
        " [stdkit.form-row]")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("a.xlsx", b"\xef\xbb\xbf\xe7\xab\xa0\xe6\x9d\xa1,x\n",
     "a.xlsx: ERROR: E212 意见表无法读取：扩展名是 .xlsx，内容却是文本；请用原来的程序另存为"
     " .xlsx [stdkit.form-file]"),
    ("b.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
     "b.xlsx: ERROR: E212 意见表无法读取：扩展名是 .xlsx，内容却是 Excel 97-2003 工作簿（.xls）；"
     "请用原来的程序另存为 .xlsx [stdkit.form-file]"),
    ("c.csv", b"PK\x03\x04" + b"\0" * 30,
     "c.csv: ERROR: E212 意见表无法读取：扩展名是 .csv，内容却不是文本，也不是 Office 文件；"
     "请用原来的程序另存为 .csv [stdkit.form-file]"),
    ("d.pdf", b"%PDF-1.7\n",
     "d.pdf: ERROR: E212 意见表无法读取：不支持的文件类型“.pdf”：请用 .xlsx、.csv 或 .docx"
     " [stdkit.form-file]"),
])
def test_file_not_what_its_extension_says(bad, tmp_path: Path, name: str, content: bytes,
                                          message: str):
    _form, collect = bad
    (tmp_path / name).write_bytes(content)
    run = collect(tmp_path / name)
    assert run.status == 1
    assert run.err.splitlines() == [message, "未写入任何意见（nothing written）"]
    assert not (tmp_path / "std/comments/征求意见稿.yaml").exists()


def test_word_file_named_xlsx(rnd, bad, tmp_path: Path):
    _form, collect = bad
    shutil.copy(rnd["base"] / "out/comments" / f"{FORM}.docx", tmp_path / "e.xlsx")
    run = collect(tmp_path / "e.xlsx")
    assert run.err.splitlines()[0] == (
        "e.xlsx: ERROR: E212 意见表无法读取：扩展名是 .xlsx，内容却是 Word 文档（.docx）；"
        "请用原来的程序另存为 .xlsx [stdkit.form-file]")


def test_many_sheets(bad, tmp_path: Path):
    _form, collect = bad
    book = xlsxwriter.Workbook(str(tmp_path / "f.xlsx"))
    for i in range(60):
        book.add_worksheet(f"s{i}")
    book.close()
    run = collect(tmp_path / "f.xlsx")
    assert run.err.splitlines()[0] == (
        "f.xlsx: ERROR: E213 意见表过大：共有 60 个工作表（最多 50 个）；请只保留意见表的工作表和"
        "填写了意见的行 [stdkit.form-too-large]")


def test_a_million_rows_is_refused_before_reading(bad, tmp_path: Path):
    _form, collect = bad
    book = xlsxwriter.Workbook(str(tmp_path / "g.xlsx"), {"constant_memory": True})
    ws = book.add_worksheet("意见")
    ws.write_row(0, 0, ["章条编号", "意见内容"])
    ws.write_string(1_048_575, 0, "x")
    book.close()
    run = collect(tmp_path / "g.xlsx")
    assert run.err.splitlines()[0] == (
        "g.xlsx: ERROR: E213 意见表过大：工作表“意见”有 1048576 行（最多 20000 行）；请只保留意见表"
        "的工作表和填写了意见的行 [stdkit.form-too-large]")


def test_gbk_csv_and_general_comment(bad, tmp_path: Path):
    _form, collect = bad
    (tmp_path / "h.csv").write_bytes(
        "提出单位,己单位\n章条编号,意见内容\n总体,全文术语统一\n".encode("gbk"))
    run = collect(tmp_path / "h.csv")
    assert run.status == 0, run.err
    cs = load_comments(tmp_path / "std", "征求意见稿")
    assert [(c.clause, c.unit, c.comment) for c in cs.comments] == [
        ("_general", "己单位", "全文术语统一")]


def test_a_hand_typed_unknown_id_is_named(rnd, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from tooling.comments.checks import unknown_clauses
    from tooling.comments.store import Comment, CommentSet
    from tooling.model import Edition

    monkeypatch.chdir(tmp_path)
    old = Edition.loads((rnd["base"] / "next/comments/征求意见稿.draft.json").read_text("utf-8"))
    cs = CommentSet("征求意见稿", path=Path("c.yaml"),
                    comments=(Comment("req-daily-clean", "甲", "x"),
                              Comment("no-such-clause", "甲", "y", "9.1", line=12)))
    assert [str(d) for d in unknown_clauses(cs, old, "征求意见稿")] == [
        "c.yaml:12: E219 “no-such-clause”不是征求意见稿中条款的标识：汇总处理表按意见上写的编号"
        "“9.1”列出 [comment-clause-unknown]"]


def test_forms_are_byte_identical(rnd):
    from tooling.comments import forms
    from tooling.comments.numbering import from_edition
    from tooling.model import Edition

    old = Edition.loads((rnd["base"] / "next/comments/征求意见稿.draft.json").read_text("utf-8"))
    numbering = from_edition(old)
    info = forms.form_info(old.info, "征求意见稿", numbering, "2025-03-01")
    assert forms.form_xlsx(info, numbering) == forms.form_xlsx(info, numbering)
    assert forms.form_docx(info) == forms.form_docx(info)
    saved = (rnd["base"] / "out/comments" / f"{FORM}.xlsx").read_bytes()
    assert forms.form_xlsx(forms.form_info(old.info, "征求意见稿", numbering), numbering) == saved


def test_table_without_the_snapshot_uses_typed_numbers_and_ids(rnd):
    run = rnd["bare"]
    assert run.status == 0
    assert run.err == ("注意：没有征求意见稿的编号快照（bare/comments/征求意见稿.draft.json），"
                       "征求意见稿的编号按意见上写的列出，未与送审稿的修改核对\n")
    rows = table_rows((rnd["base"] / "out3/comments" / f"{TABLE}.xlsx").read_bytes())
    assert [(r[1], r[2]) for r in rows[6:]] == [
        ("总体", "总体"), ("第4章", "第4章"), ("4.1.1", "4.1.2"), ("4.1.1", "4.1.2"),
        ("4.1.2", "4.1.3"), ("表A.1", "表A.1"), ("B.1", "已删除")]


def test_a_change_the_explanation_cites_needs_no_comment(tmp_path):
    """E221 asks for a comment only on changes the 编制说明 does not explain: the ids it cites
    with {clause-ref} are read from explanation.md in the standard's folder."""
    from tooling.comments.command import explained_ids

    assert explained_ids(tmp_path) == frozenset()
    (tmp_path / "explanation.md").write_text(
        "## 主要内容的论据\n\n{clause-ref}`visit-frequency`的频次由每季度改为每月。"
        "另见{clause-ref}`annex-ledger`。\n", "utf-8")
    assert explained_ids(tmp_path) == {"visit-frequency", "annex-ledger"}
