"""Stages, the 编制说明 and the 报批 package (tooling/approval, tooling/model/stages.py).

One module fixture takes a copy of the property fixture through the process: a previous
edition where the daily cleaning was 1次, comments on the 征求意见稿 with their dispositions,
``stdkit stage`` to 送审稿 and 报批稿, then ``stdkit dossier`` twice and ``stdkit explanation``.
Everything else is pure and needs no build.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pypdf
import pytest
from docx import Document

from tooling.approval import dossier as D
from tooling.approval import stage as S
from tooling.approval.explanation import (
    ExplanationError,
    Generated,
    assemble,
    read_authored,
    statistics_sentence,
)
from tooling.cli import main
from tooling.comments.store import CommentStatistics
from tooling.docx.document import cover
from tooling.model.edition_metadata import load_edition_info
from tooling.model.explanation import SECTIONS, referenced_ids, template
from tooling.model.stages import (
    PATENT_CALL,
    STAGES,
    banner_text,
    file_stem,
    patent_call,
    stage_line,
)
from tooling.pdf.writer import meta_dict
from tooling.word.ooxml import text_of

from .conftest import FIXTURES, ROOT, squash, strip_tags

PROPERTY = FIXTURES / "property"
COMMENTS = """\
draft: {number: DB3715/T 99—2025, stage: 征求意见稿}
consulted: [聊城市物业管理协会, 东昌府区住建局, 某物业公司]
replies:
  - {unit: 某物业公司, no_comments: true}
comments:
  cleaning-daily:
    - unit: 聊城市物业管理协会
      comment: 每日1次清扫不够
      disposition: 采纳
    - unit: 东昌府区住建局
      comment: 建议每日3次
      disposition: 部分采纳
      disposition_reason: 改为至少2次
  _general:
    - unit: 东昌府区住建局
      comment: 建议删除附录
      disposition: 未采纳
      disposition_reason: 附录是资料性的，便于使用
"""


def _explanation_md() -> str:
    """The template with two sections written (one under a short heading with a number)."""
    return (template("住宅小区物业服务规范")
            .replace("## 工作简况\n", "## 一、工作简况\n\n### 任务来源\n\n本项目列入示例计划。\n\n"
                     "重点是{clause-ref}`cleaning-daily`的清扫次数。\n", 1)
            .replace("## 贯彻标准的要求和措施建议\n",
                     "## 贯彻建议\n\n- 组织培训；\n- 先行试点。\n\n### 附注\n", 1))


def _folder(root: Path) -> Path:
    """root/prev (1次) and root/new (2次, previous_edition: ../prev, explanation.md, comments)."""
    prev, new = root / "prev", root / "new"
    shutil.copytree(PROPERTY, prev)
    shutil.copytree(PROPERTY, new)
    services = prev / "services.md"
    services.write_text(services.read_text("utf-8").replace("至少清扫公共区域2次",
                                                            "至少清扫公共区域1次"), "utf-8")
    yaml_path = new / "standard.yaml"
    yaml_path.write_text(yaml_path.read_text("utf-8").replace(
        "stage: 征求意见稿\n", "stage: 征求意见稿      # 阶段（保留这条注释）\n")
        + "previous_edition: ../prev\n", "utf-8")
    (new / "comments").mkdir()
    (new / "comments" / "征求意见稿.yaml").write_text(COMMENTS, "utf-8")
    return new


@pytest.fixture(scope="module")
def process(tmp_path_factory):
    root = tmp_path_factory.mktemp("approval")
    new = _folder(root)
    (new / "explanation.md").write_text(_explanation_md(), "utf-8")
    before = (new / "standard.yaml").read_text("utf-8")
    moves = [main(["stage", "送审稿", "--source", str(new), "--date", "2026-03-01"]),
             main(["stage", "报批稿", "--source", str(new), "--date", "2026-04-01"])]
    out = root / "out"
    args = ["--source", str(new), "--out", str(out), "--conf", str(ROOT), "-q"]
    first = main(["dossier", *args])
    name = D.dossier_name(load_edition_info(new / "standard.yaml"))
    zip_first = (out / "dossier" / f"{name}.zip").read_bytes()
    second = main(["dossier", *args])
    explanation = main(["explanation", *args])
    return {"root": root, "new": new, "out": out, "before": before, "moves": moves,
            "status": (first, second, explanation), "name": name, "zip_first": zip_first}


# -- stages: one source of truth ---------------------------------------------------------------


@pytest.fixture(scope="module")
def info():
    return load_edition_info(PROPERTY / "standard.yaml")


def test_every_stage_says_the_same_on_cover_footer_banner_and_file_name(info):
    seen = {}
    for stage in STAGES:
        edition = dataclasses.replace(info, stage=stage, draft_completed="2026-03-01")
        seen[stage] = (stage_line(edition), file_stem(edition), patent_call(edition),
                       banner_text(edition))
    assert seen["工作组讨论稿"][:3] == ("（工作组讨论稿）", "DB3715-T_99-2025_工作组讨论稿", None)
    assert seen["征求意见稿"][:3] == ("（征求意见稿）", "DB3715-T_99-2025_征求意见稿", PATENT_CALL)
    assert seen["送审稿"][2] == PATENT_CALL
    assert seen["报批稿"][:3] == ("（报批稿）", "DB3715-T_99-2025_报批稿", None)
    assert seen["published"] == (None, "DB3715-T_99-2025", None, None)
    assert seen["报批稿"][3] == ("本文件是DB3715/T 99—2025的报批稿（本稿完成日期：2026-03-01），"
                                 "不是正式发布的标准，不能作为依据使用。")


def test_word_and_pdf_covers_follow_the_stage(info):
    for stage, call in (("工作组讨论稿", False), ("征求意见稿", True), ("报批稿", False)):
        edition = dataclasses.replace(info, stage=stage, draft_completed="2026-03-01")
        words = "".join(text_of(block) for block in cover(edition, []))
        assert f"（{stage}）" in words and "本稿完成日期：2026-03-01" in words
        assert (PATENT_CALL in words) is call
        meta = meta_dict(edition, None)
        assert f'stage-line: "（{stage}）"' in meta
        assert 'completed: "本稿完成日期：2026-03-01"' in meta
    published = dataclasses.replace(info, stage="published", draft_completed="2026-03-01",
                                    issued="2026-05-01", implemented="2026-06-01")
    words = "".join(text_of(block) for block in cover(published, []))
    assert "本稿完成日期" not in words
    assert not any(f"（{stage}）" in words for stage in STAGES)
    assert 'completed: none' in meta_dict(published, None)


# -- stdkit stage ------------------------------------------------------------------------------


def test_stage_moves_rewrite_one_line_and_append_to_history(process):
    assert process["moves"] == [0, 0]
    after = (process["new"] / "standard.yaml").read_text("utf-8")
    before = process["before"]
    assert "stage: 报批稿      # 阶段（保留这条注释）\ndraft_completed: 2026-04-01\n" in after
    # Every other line as it was: comments, quoting, order.
    assert after.replace("stage: 报批稿", "stage: 征求意见稿").replace(
        "draft_completed: 2026-04-01\n", "") == before
    history = (process["new"] / "history.yaml").read_text("utf-8")
    assert history.endswith("- {from: 征求意见稿, to: 送审稿, date: 2026-03-01}\n"
                            "- {from: 送审稿, to: 报批稿, date: 2026-04-01}\n")
    assert [(m.old, m.new, m.date) for m in S.read_history(process["new"])] == [
        ("征求意见稿", "送审稿", "2026-03-01"), ("送审稿", "报批稿", "2026-04-01")]


def _refusal(capsys, folder: Path, *args: str) -> str:
    capsys.readouterr()
    yaml_before = (folder / "standard.yaml").read_bytes()
    assert main(["stage", *args, "--source", str(folder), "--date", "2026-03-01"]) == 1
    assert (folder / "standard.yaml").read_bytes() == yaml_before  # nothing written
    assert not (folder / "history.yaml").exists()
    err = capsys.readouterr().err
    assert err.endswith("阶段未改变（stage not changed）\n")
    return err.splitlines()[0].replace(str(folder) + "/", "")


def test_stage_refusals_say_why(tmp_path, capsys):
    folder = _folder(tmp_path)
    assert _refusal(capsys, folder, "报批稿") == (
        "standard.yaml:17: ERROR: E230 不能从“征求意见稿”改为“报批稿”：下一阶段是“送审稿”"
        "（阶段依次为 工作组讨论稿 → 征求意见稿 → 送审稿 → 报批稿 → published，每次前进一个）"
        " [stdkit.stage-order]")
    assert _refusal(capsys, folder, "定稿").startswith(
        "standard.yaml:17: ERROR: E230 不能从“征求意见稿”改为“定稿”：没有这个阶段")
    comments = folder / "comments" / "征求意见稿.yaml"
    comments.write_text(COMMENTS.replace("      disposition: 采纳\n", ""), "utf-8")
    assert _refusal(capsys, folder, "送审稿") == (
        "comments/征求意见稿.yaml: ERROR: E232 征求意见稿的意见还没有处理完：1 条没有处理意见，"
        "0 条无法对应到条款；送审前每条意见都要写明处理意见（采纳 / 部分采纳 / 未采纳）"
        " [stdkit.stage-comments-open]")
    comments.unlink()
    assert _refusal(capsys, folder, "送审稿") == (
        "comments/征求意见稿.yaml: ERROR: E231 改为送审稿之前需要征求意见稿的意见记录"
        "（stdkit comments collect 写出此文件），现在没有 [stdkit.stage-no-comments]")
    yaml_path = folder / "standard.yaml"
    text = yaml_path.read_text("utf-8")
    yaml_path.write_text(text.replace("stage: 征求意见稿", "stage: 送审稿"), "utf-8")
    assert _refusal(capsys, folder, "报批稿") == (
        "explanation.md: ERROR: E233 改为报批稿之前需要编制说明 explanation.md（stdkit new 写出"
        "各节的标题，stdkit explanation 生成编制说明） [stdkit.stage-no-explanation]")
    yaml_path.write_text(text.replace("stage: 征求意见稿", "stage: 报批稿"), "utf-8")
    assert _refusal(capsys, folder, "published") == (
        "standard.yaml:18: ERROR: E234 正式发布之前要写明：发布日期（issued: XXXX-XX-XX 或未写）、"
        "实施日期（implemented: XXXX-XX-XX 或未写） [stdkit.stage-placeholders]")


def test_stage_to_published_keeps_the_completion_date_line(tmp_path):
    folder = _folder(tmp_path)
    path = folder / "standard.yaml"
    path.write_text(path.read_text("utf-8").replace("stage: 征求意见稿", "stage: 报批稿")
                    .replace("issued: XXXX-XX-XX", "issued: 2026-05-01")
                    .replace("implemented: XXXX-XX-XX", "implemented: \"2026-06-01\""), "utf-8")
    move = S.plan(folder, "published", "2026-05-01")
    assert "stage: published      # 阶段（保留这条注释）\n" in move.standard_yaml
    assert "draft_completed" not in move.standard_yaml
    assert 'implemented: "2026-06-01"' in move.standard_yaml


# -- the 编制说明 ----------------------------------------------------------------------------


def test_explanation_headings_are_checked_with_their_line(tmp_path):
    path = tmp_path / "explanation.md"
    path.write_text("# 说明\n\n## 工作简况\n\n文字。\n\n## 经费预算\n\n文字。\n", "utf-8")
    with pytest.raises(ExplanationError) as err:
        read_authored(path)
    assert str(err.value.diagnostic).startswith(
        f"{path}:7: E236 编制说明 explanation.md 有误：“经费预算”不是编制说明的一节；各节依次为：工作简况、")
    path.write_text("## 1. 工作简况\n\n甲。\n\n## 工作简况\n\n乙。\n", "utf-8")
    with pytest.raises(ExplanationError) as err:
        read_authored(path)
    assert "“工作简况”与第1行是同一节，只能写一次" in str(err.value)
    path.write_text("正文。\n\n## 工作简况\n", "utf-8")
    with pytest.raises(ExplanationError) as err:
        read_authored(path)
    assert err.value.diagnostic.line == 1


def test_explanation_merges_what_the_toolkit_knows(info, tmp_path):
    path = tmp_path / "explanation.md"
    path.write_text(_explanation_md(), "utf-8")
    authored = read_authored(path)
    stats = CommentStatistics(units_consulted=3, units_replied=2, replied_with_comments=1,
                              replied_without_comments=1, units_not_replied=1, received=3,
                              adopted=1, partly_adopted=1, not_adopted=1, undecided=0,
                              unresolved=0)
    gen = Generated(lead="本文件代替……，主要技术变化如下：", changes=("甲（见5.1）", "乙（见6.2）"),
                    comparison_rows=(("原条款号", "原条文", "新条款号", "新条文", "修订说明"),
                                     ("5.1", "旧", "5.1", "新", "修改")),
                    statistics=(("征求意见稿", stats),))
    doc = assemble(info, authored, gen, tmp_path)
    assert [s.number + s.title for s in doc.sections] == [
        "一、工作简况", "二、标准编制原则和确定主要内容的论据",
        "三、主要试验（或验证）的分析、综述报告，技术经济论证，预期的经济效果",
        "四、采用国际标准和国外先进标准的情况", "五、与有关的现行法律、法规和强制性国家标准的关系",
        "六、重大分歧意见的处理经过和依据", "七、标准作为强制性或推荐性的建议",
        "八、贯彻标准的要求和措施建议", "九、废止现行有关标准的建议", "十、其他应予说明的事项"]
    by_key = {s.key: s.blocks for s in doc.sections}
    assert [b.text or b.items for b in by_key["work"]][:5] == [
        "任务来源", "本项目列入示例计划。", "重点是\u27e6cleaning-daily\u27e7的清扫次数。", "（待填写）",
        "本文件起草单位：聊城市物业管理协会、示例物业服务有限公司。"]
    assert by_key["principles"][-2].items == ("a) 甲（见5.1）；", "b) 乙（见6.2）。")
    assert by_key["implementation"][0].items == ("——组织培训；", "——先行试点。")
    assert by_key["disputes"][-2].text == statistics_sentence("征求意见稿", stats) == (
        "征求意见稿征求了3个单位的意见，收到回复2个（其中有意见的1个，无意见的1个），未回复1个；"
        "共收到意见3条，采纳1条，部分采纳1条，未采纳1条。")
    unfinished = [str(p).split(": ", 1)[1] for p in doc.problems]
    assert "E238 编制说明的“标准编制原则和确定主要内容的论据”仍是“（待填写）” [explanation-unfinished]" \
        in unfinished


def test_clause_references_in_the_explanation_are_ids():
    assert referenced_ids("见{clause-ref}`visit-coverage`和{clause-ref}`table-a`。") == {
        "visit-coverage", "table-a"}


def test_new_standard_template_lists_every_section():
    text = template("某规范")
    assert [line[3:] for line in text.splitlines() if line.startswith("## ")] == [
        s.title for s in SECTIONS]


def _pdf_text(path: Path) -> str:
    return squash("".join(page.extract_text() for page in pypdf.PdfReader(path).pages))


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return squash("".join(p.text for p in document.paragraphs) + "".join(cells))


def test_explanation_in_html_pdf_and_word_carries_the_generated_parts(process):
    assert process["status"] == (0, 0, 0)
    folder = process["out"] / "explanation"
    stem = "DB3715-T_99-2025_报批稿_编制说明"
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        f"{stem}.docx", f"{stem}.html", f"{stem}.pdf"]
    change = squash("将保洁员每日至少清扫公共区域的次数由1次改为2次")
    statistics = squash("征求意见稿征求了3个单位的意见，收到回复3个（其中有意见的2个，无意见的1个），"
                        "未回复0个；共收到意见3条，采纳1条，部分采纳1条，未采纳1条。")
    for text in (squash(strip_tags((folder / f"{stem}.html").read_text("utf-8"))),
                 _pdf_text(folder / f"{stem}.pdf"), _docx_text(folder / f"{stem}.docx")):
        assert squash("《住宅小区物业服务规范》编制说明DB3715/T99—2025（报批稿）") in text
        assert squash("本稿完成日期：2026-04-01") in text
        assert squash("重点是5.1.1的清扫次数。") in text  # {clause-ref} resolved
        assert squash("本文件起草单位：聊城市物业管理协会、示例物业服务有限公司。") in text
        assert squash("本文件主要起草人：张××、李××。") in text
        assert squash("——2026-03-01：完成送审稿——2026-04-01：完成报批稿") in text
        assert change in text, text[:3000]
        assert squash("本文件规范性引用了下列文件：——GB 2894　安全标志及其使用导则；"
                      "——GB/T 20647.9—2006　社区服务指南　第9部分：物业服务。") in text
        assert statistics in text
        assert squash("附件　条款对照表") in text
        assert squash("十、其他应予说明的事项") in text


# -- the 报批 package ----------------------------------------------------------------------


def test_dossier_holds_every_file_with_its_hash_and_rebuilds_byte_identical(process):
    target = process["out"] / "dossier"
    name = process["name"]
    assert name == "DB3715-T_99-2025_报批稿_报批材料"
    zipped = (target / f"{name}.zip").read_bytes()
    assert zipped == process["zip_first"]  # two runs, the same bytes
    files = sorted(p.name for p in (target / name).iterdir())
    assert files == [
        "DB3715-T_99-2025_报批稿.docx", "DB3715-T_99-2025_报批稿.pdf",
        "DB3715-T_99-2025_报批稿_审查意见及汇总处理表（模板）.docx",
        "DB3715-T_99-2025_报批稿_审查意见及汇总处理表（模板）.xlsx",
        "DB3715-T_99-2025_报批稿_征求意见汇总处理表.docx",
        "DB3715-T_99-2025_报批稿_征求意见汇总处理表.pdf",
        "DB3715-T_99-2025_报批稿_征求意见汇总处理表.xlsx",
        "DB3715-T_99-2025_报批稿_编制说明.docx", "DB3715-T_99-2025_报批稿_编制说明.pdf",
        "SHA256SUMS", "manifest.json"]
    table = openpyxl.load_workbook(target / name / "DB3715-T_99-2025_报批稿_征求意见汇总处理表.xlsx")
    cells = [c.value for row in table.active.iter_rows() for c in row if c.value]
    assert "每日1次清扫不够" in cells and "附录是资料性的，便于使用" in cells  # the comments
    manifest = json.loads((target / name / "manifest.json").read_text("utf-8"))
    assert manifest["stage"] == "报批稿" and manifest["preview"] is False
    listed = {e["file"]: e["sha256"] for e in manifest["files"]}
    assert set(listed) == set(files) - {"SHA256SUMS", "manifest.json"}
    for file, digest in listed.items():
        assert hashlib.sha256((target / name / file).read_bytes()).hexdigest() == digest
    sums = (target / name / "SHA256SUMS").read_text("utf-8").splitlines()
    assert sums == [f"{listed[f]}  {f}" for f in sorted(listed)]
    with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
        entries = archive.infolist()
        assert [e.filename for e in entries] == sorted(f"{name}/{f}" for f in files)
        assert {e.date_time for e in entries} == {(1980, 1, 1, 0, 0, 0)}
        for entry in entries:
            assert archive.read(entry) == (target / entry.filename).read_bytes()
    # The 报批稿 text itself: the cover of this stage.
    cover_text = squash(pypdf.PdfReader(target / name / "DB3715-T_99-2025_报批稿.pdf")
                        .pages[0].extract_text())
    assert squash("（报批稿）本稿完成日期：2026-04-01") in cover_text
    assert "在提交反馈意见时" not in cover_text
    word = _docx_text(target / name / "DB3715-T_99-2025_报批稿.docx")
    assert squash("（报批稿）本稿完成日期：2026-04-01") in word


def test_review_templates_have_the_resolution_columns(process, info):
    folder = process["out"] / "dossier" / process["name"]
    book = openpyxl.load_workbook(folder / "DB3715-T_99-2025_报批稿_审查意见及汇总处理表（模板）.xlsx")
    sheet = book["审查意见汇总处理表"]
    assert [c.value for c in sheet[7]] == list(D.RESOLUTION_COLUMNS)
    assert (sheet["A2"].value, sheet["C2"].value) == ("标准名称", "住宅小区物业服务规范（DB3715/T 99—2025）")
    assert [sheet.cell(8 + i, 1).value for i in range(3)] == ["1", "2", "3"]
    word = Document(str(folder / "DB3715-T_99-2025_报批稿_审查意见及汇总处理表（模板）.docx"))
    heads = [[c.text for c in t.rows[0].cells] for t in word.tables]
    assert list(D.RESOLUTION_COLUMNS) in heads
    assert D.review_xlsx(info) == D.review_xlsx(info) and D.review_docx(info) == D.review_docx(info)


def test_dossier_refuses_a_draft_that_is_not_the_报批稿(tmp_path, capsys):
    folder = _folder(tmp_path)
    capsys.readouterr()
    assert main(["dossier", "--source", str(folder), "--out", str(tmp_path / "out"),
                 "--conf", str(ROOT)]) == 1
    err = capsys.readouterr().err
    assert err.replace(str(folder) + "/", "") == (
        "standard.yaml: ERROR: E239 报批材料只为报批稿生成，现在的阶段是“征求意见稿”（先用 stdkit "
        "stage 改为报批稿；只想看看效果，加 --preview） [stdkit.dossier-stage]\n")
    assert not (tmp_path / "out" / "dossier").exists()


def test_html_banner_and_file_names_follow_the_stage(process, capsys):
    out = process["root"] / "html"
    capsys.readouterr()
    assert main(["build", "html", "-q", "--source", str(process["new"]), "--out", str(out),
                 "--conf", str(ROOT)]) == 0
    page = (out / "html" / "index.html").read_text("utf-8")
    assert ("<strong>报批稿</strong>\u3000本文件是DB3715/T 99—2025的报批稿（本稿完成日期：2026-04-01），"
            "不是正式发布的标准，不能作为依据使用。") in page
    assert 'href="../pdf/DB3715-T_99-2025_报批稿.pdf"' in page
    cover = page[page.index("std-cover"):]
    assert "（报批稿）" in cover and "本稿完成日期：2026-04-01" in cover  # the HTML cover too
    assert "在提交反馈意见时" not in cover
    assert not (out / "html" / "explanation.html").exists()  # not a chapter
    assert not list((out / "html").glob("comments*"))
