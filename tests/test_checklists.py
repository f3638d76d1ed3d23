"""Checklists, read from the PDFs as a steward or an officer would read the paper: rows exactly
as the clause index marks them, one sheet for a month's list, no ruling line through a glyph,
enough log rows, plain words (no ids, no "24 h"), the score sheet equal to the standard's
tables, the community's own checklists, rosters of any field, and bad declarations."""

from __future__ import annotations

import json
import re
import shutil
from functools import cache
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from tooling.checklists.builder import person_filename
from tooling.model import Edition
from tooling.model.checklist_specs import load_specs
from tooling.model.units import parse_duration, plain_units, say_duration

from .conftest import FIXTURES, ROOT, STANDARD, edit, squash

ROSTER = ROOT / "rosters" / "sample.csv"
DRAFT = ROOT / "editions" / "db3715t-draft"
EDITIONS = {"standard": STANDARD, "draft": DRAFT}
# "依据7.1.2", "依据6.3.1 a)", "依据A.2": the number a row prints, never an id
TRACE = re.compile(r"依据[ \t]?(\d+(?:\.\d+)*(?:\s?[a-z]\))?|[A-Z]\.\d+(?:\.\d+)*)")


def text_of(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Both editions: clause index, blank and roster checklists, HTML pages."""
    from tooling.cli import main

    outs = {}
    for name, source in EDITIONS.items():
        out = tmp_path_factory.mktemp(name)
        assert main(["build", "index", "-q", "--source", str(source), "--out", str(out)]) == 0
        assert main(["checklist", "-q", "-W", "--source", str(source), "--out", str(out),
                     "--roster", str(ROSTER), "--year", "2026"]) == 0
        assert main(["build", "html", "-q", "--source", str(source), "--out", str(out)]) == 0
        outs[name] = out
    return outs


@cache
def index_of(out: Path) -> dict:
    return json.loads((out / "index" / "clause-index.json").read_text("utf-8"))


def marked(out: Path, checklist_id: str) -> list[dict]:
    """The clauses whose metadata names a checklist, from the clause index, in order."""
    return [row for row in index_of(out)["clauses"]
            if checklist_id in row["metadata"].get("checklist", [])]


def number_of(out: Path, row: dict) -> str:
    by_id = {r["id"]: r for r in index_of(out)["clauses"]}
    return row.get("number") or by_id[row["parent"]]["number"]


def specs(edition: str):
    return load_specs(EDITIONS[edition] / "checklists.yaml")


ALL = [(e, s.id) for e in EDITIONS for s in specs(e)]


def test_the_real_standard_declares_its_checklists():
    ids = [s.id for s in specs("standard")]
    assert ids == ["steward-monthly", "annual-visit-coverage", "special-household-monthly",
                   "steward-evaluation", "community-party", "community-committee"]
    assert [s.id for s in specs("draft")] == ids


@pytest.mark.parametrize(("edition", "checklist_id"), ALL)
def test_pdf_rows_are_exactly_the_clauses_the_index_marks(built, edition, checklist_id):
    out = built[edition]
    printed = TRACE.findall(text_of(out / "checklists" / f"{checklist_id}.pdf"))
    expected = [number_of(out, row) for row in marked(out, checklist_id)]
    assert [squash(n) for n in printed] == [squash(n) for n in expected]


@pytest.mark.parametrize(("edition", "checklist_id"), ALL)
def test_html_pages_list_the_same_rows(built, edition, checklist_id):
    page = (built[edition] / "html" / "checklists" / f"{checklist_id}.html").read_text("utf-8")
    linked = re.findall(r'依据<a href="[^"#]*#([a-z][a-z0-9-]+)">', page)
    assert linked == [row["id"] for row in marked(built[edition], checklist_id)]
    assert page.count('class="stdkit-checklist"') == 1


# -- the paper ------------------------------------------------------------------------------


def monthly_lists(edition: str) -> list[str]:
    return [s.id for s in specs(edition) if s.layout == "list" and s.period == "month"]


def sheets_in(pdf: Path) -> dict[str, list[int]]:
    """The pages of each sheet in a PDF, by the sheet name in the running header."""
    names = {s.name for e in EDITIONS for s in specs(e)}
    names |= {s.name for s in load_specs(FIXTURES / "mini" / "checklists.yaml")}
    pages: dict[str, list[int]] = {}
    for i, page in enumerate(pypdf.PdfReader(pdf).pages):
        head = page.extract_text().splitlines()[0]
        name = next(n for n in names if head.rstrip().endswith(n))
        pages.setdefault(name, []).append(i)
    return pages


@pytest.mark.parametrize("edition", EDITIONS)
def test_each_monthly_list_is_one_sheet_blank_and_for_every_steward(built, edition):
    out = built[edition] / "checklists"
    assert monthly_lists(edition)
    for checklist_id in monthly_lists(edition):
        name = next(s.name for s in specs(edition) if s.id == checklist_id)
        assert len(pypdf.PdfReader(out / f"{checklist_id}.pdf").pages) == 1
        for personal in sorted((out / "roster").glob("0*.pdf")):
            assert len(sheets_in(personal)[name]) == 1, personal.name


def crossings(pdf: Path) -> list[str]:
    """Glyphs a ruling line runs through: a horizontal or vertical edge inside the core of a
    character's box (its body, without the side bearings and the descent)."""
    found = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            edges = page.edges
            for ch in page.chars:
                if not ch["text"].strip():
                    continue
                size = ch["bottom"] - ch["top"]
                x0, x1 = ch["x0"] + 0.12 * size, ch["x1"] - 0.12 * size
                top, bottom = ch["top"] + 0.12 * size, ch["bottom"] - 0.2 * size
                for e in edges:
                    if e["orientation"] == "h":
                        hit = top < e["top"] < bottom and e["x0"] < x1 and e["x1"] > x0
                    else:
                        hit = x0 < e["x0"] < x1 and e["top"] < bottom and e["bottom"] > top
                    if hit:
                        found.append(f"p{page.page_number} {ch['text']!r} at "
                                     f"({ch['x0']:.0f}, {ch['top']:.0f})")
                        break
    return found


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_ruling_line_runs_through_a_glyph(built, edition):
    out = built[edition] / "checklists"
    for pdf in [*sorted(out.glob("*.pdf")), out / "roster" / "02-示例楼长乙.pdf"]:
        assert crossings(pdf) == [], pdf.name


def test_the_crossing_check_sees_a_header_crossed_by_a_rule(tmp_path):
    """The check can fail: a header row of fixed height, as the first sheets had."""
    import typst

    from tooling.typeset import choose_fonts

    fonts = choose_fonts()
    (tmp_path / "t.typ").write_text(
        f'#set text(font: "{fonts.serif}", size: 12pt)\n'
        "#table(columns: (4.5em, 4.5em), rows: 2.4em, [方式（走访/电话/视频）], [家庭状况和需求],"
        " [], [])\n",
        "utf-8")
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(typst.Compiler(root=str(tmp_path), font_paths=list(fonts.font_paths))
                    .compile(input=str(tmp_path / "t.typ"), format="pdf"))
    assert crossings(pdf)


def log_rows(pdf: Path, sheet: str) -> list[int]:
    """The row numbers printed in the first column of a log sheet's table."""
    numbers = []
    with pdfplumber.open(pdf) as doc:
        for index in sheets_in(pdf)[sheet]:
            page = doc.pages[index]
            words = page.extract_words()
            head = next(w for w in words if w["text"].startswith("序"))
            numbers += [int(w["text"]) for w in words
                        if w["text"].isdigit() and w["top"] > head["bottom"]
                        and w["x0"] < head["x1"] + 6]
    return numbers


@pytest.mark.parametrize("edition", EDITIONS)
def test_log_sheets_have_a_row_per_contact_and_fill_the_page(built, edition):
    out = built[edition] / "checklists"
    edition_model = Edition.loads((built[edition] / "index" / "clause-index.json")
                                  .read_text("utf-8"))
    log = next(s for s in specs(edition) if s.layout == "log")
    per_month = edition_model[log.log.cadence].metadata.frequency.min
    for person, households in (("01-示例楼长甲", 3), ("02-示例楼长乙", 5)):
        rows = log_rows(out / "roster" / f"{person}.pdf", log.name)
        assert rows == list(range(1, len(rows) + 1))
        assert len(rows) >= households * per_month
        assert squash(f"本期至少记录{households * per_month}次") in squash(
            text_of(out / "roster" / f"{person}.pdf"))
    # no special household, no empty log sheet
    assert log.name not in sheets_in(out / "roster" / "03-示例楼长丙.pdf")
    # a blank log is ruled to the foot of its page, just above the signatures
    with pdfplumber.open(out / f"{log.id}.pdf") as doc:
        page = doc.pages[-1]
        rule = max(e["top"] for e in page.edges if e["orientation"] == "h"
                   and e["width"] > page.width / 2 and e["top"] < page.height - 60)
        sign = min(w["top"] for w in page.extract_words() if "签名" in w["text"])
        assert 0 < sign - rule < 2 * 9 * 72 / 25.4  # less than two 9 mm rows left


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_ids_and_no_unit_symbols_on_paper(built, edition):
    out = built[edition] / "checklists"
    ids = [row["id"] for row in index_of(built[edition])["clauses"]]
    for pdf in [*sorted(out.glob("*.pdf")), *sorted((out / "roster").glob("0*.pdf"))]:
        text = text_of(pdf)
        assert re.findall(r"[a-z]{2,}", text) == [], pdf.name
        assert [i for i in ids if i in text] == [], pdf.name
        assert re.findall(r"\d\s*(?:h|d|min)(?![A-Za-z])", text) == [], pdf.name
    monthly = squash(text_of(out / "steward-monthly.pdf"))
    for words in ("24小时内", "2小时内", "3日内", "7日内", "2个工作日内"):
        assert words in monthly


@pytest.mark.parametrize("edition", EDITIONS)
def test_recommendations_are_marked_and_explained(built, edition):
    out = built[edition]
    for spec in specs(edition):
        text = squash(text_of(out / "checklists" / f"{spec.id}.pdf"))
        rows = marked(out, spec.id)
        recommended = [r for r in rows if r["metadata"].get("kind") == "recommendation"]
        mark = squash("（建议）")
        assert text.count(mark) - text.count(squash("标“（建议）”")) == len(recommended), spec.id
        if recommended:
            assert squash("标“（建议）”的是标准中的推荐做法（“宜”）") in text


# -- the score sheet ------------------------------------------------------------------------


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_evaluation_sheet_is_the_standards_scoring_table(built, edition):
    out = built[edition]
    spec = next(s for s in specs(edition) if s.layout == "score")
    clauses = {r["id"]: r for r in index_of(out)["clauses"]}
    form, grades = clauses[spec.score.table], clauses[spec.score.grades]
    text = squash(text_of(out / "checklists" / f"{spec.id}.pdf"))
    head = form["rows"][0]
    item, points = head.index(spec.score.item), head.index(spec.score.points)
    body = [r for r in form["rows"][1:] if r[0] != spec.score.total]
    at = 0
    for row in body:  # every item with its points, in the standard's order
        found = text.find(squash(plain_units(row[item]) + row[points]), at)
        assert found >= 0, row
        at = found
    total = next(r for r in form["rows"] if r[0] == spec.score.total)
    assert sum(int(r[points]) for r in body) == int(total[points])
    assert squash(f"{spec.score.total}{total[points]}") in text
    ghead = grades["rows"][0]
    names = [r[ghead.index(spec.score.grade)] for r in grades["rows"][1:]]
    at = 0
    for row in grades["rows"][1:]:  # 优秀 总分≥90分 … as 表C.2 words it, with a box to tick
        found = text.find(squash(row[0] + row[ghead.index(spec.score.range)]), at)
        assert found >= 0, row
        at = found
    assert names == ["优秀", "合格", "不合格"]
    assert "60～89" not in text
    # the signatures are the ones the annex names: 楼长本人签名、评价人签名和评价日期
    annex = clauses[form["parent"]]["text"]
    assert spec.signatures and all(s in annex for s in spec.signatures)
    assert all(squash(f"{s}：") in text for s in spec.signatures)
    for wrong in ("填表人签名", "审核人签名"):
        assert wrong not in text


def test_score_sheet_reads_a_table_with_spanned_group_cells():
    """Row spans may arrive in the model as the group repeated on every row it covers."""
    from tooling.checklists.selection import score_sheet
    from tooling.model import Clause, EditionInfo
    from tooling.model.checklist_specs import ScoreSpec

    rows = (("项目", "内容", "分值"), ("甲（20分）", "一", "10"), ("甲（20分）", "二", "10"),
            ("乙（5分）", "三", "5"), ("合计", "—", "25"))
    table = Clause("t", "table", "1", "评分", "", "x.md", 1, rows=rows, header_rows=1)
    info = EditionInfo("other", "x", "T 1—2024", "标题", "published", "x", ("x",))
    sheet = score_sheet(Edition(info, (table,)), ScoreSpec("t", "内容", "分值", group="项目",
                                                           total="合计"))
    assert [(i.group, i.item, i.points) for i in sheet.items] == [
        ("甲（20分）", "一", "10"), ("甲（20分）", "二", "10"), ("乙（5分）", "三", "5")]
    assert sheet.total_points == "25"


# -- the community's own checklists -------------------------------------------------------


COMMUNITY = ("社区党组织", "社区居委会")


@pytest.mark.parametrize("edition", EDITIONS)
def test_community_checklists_hold_the_communitys_own_duties(built, edition):
    out = built[edition]
    declared = specs(edition)
    community = [s for s in declared if s.audience in COMMUNITY and not s.personal]
    assert {s.audience for s in community} == set(COMMUNITY)
    for spec in community:
        rows = marked(out, spec.id)
        assert rows, spec.id
        for row in rows:  # each names the audience as who acts, and has a cadence
            meta = row["metadata"]
            assert spec.audience in meta["role"], row["id"]
            assert "frequency" in meta or "target" in meta, row["id"]
    # every duty of a community body with a cadence reaches a checklist that body fills in
    audience = {s.id: s.audience for s in declared}
    for row in index_of(out)["clauses"]:
        meta = row["metadata"]
        roles = set(meta.get("role", ())) & set(COMMUNITY)
        if roles and "frequency" in meta:
            on = {audience[c] for c in meta.get("checklist", ())}
            assert on & set(meta["role"]), row["id"]
    for clause_id in ("monthly-council", "quarterly-check", "community-reply",
                      "complaint-handling", "result-publicity", "result-failed-interview",
                      "improvement-review"):
        assert any(clause_id in [r["id"] for r in marked(out, s.id)] for s in community)


@pytest.mark.parametrize("edition", EDITIONS)
def test_steward_deadlines_reach_the_monthly_list(built, edition):
    ids = [r["id"] for r in marked(built[edition], "steward-monthly")]
    for clause_id in ("information-update", "opinion-feedback", "record-timeliness",
                      "steward-reachable"):
        assert clause_id in ids


def test_grids_fit_the_cadence(built):
    text = squash(text_of(built["standard"] / "checklists" / "steward-monthly.pdf"))
    assert squash(" ".join(str(d) for d in range(1, 32))) in text  # a day grid
    assert squash("1周2周3周4周5周") in text  # a week grid
    assert "备注" in text
    party = squash(text_of(built["standard"] / "checklists" / "community-party.pdf"))
    assert squash(" ".join(f"{m}月" for m in range(1, 13))) in party  # monthly 议事会
    assert "一季度二季度三季度四季度" in party  # quarterly selection
    coverage = squash(text_of(built["standard"] / "checklists" / "roster" / "02-示例楼长乙.pdf"))
    assert squash("已走访户／负责户数58户，走访覆盖率%（应达到100%）") in coverage


# -- stages, rosters ----------------------------------------------------------------------


def test_draft_sheets_carry_the_stage(built):
    out = built["draft"] / "checklists"
    for pdf in sorted(out.glob("*.pdf")):
        for page in pypdf.PdfReader(pdf).pages:
            lines = page.extract_text().splitlines()
            assert lines[0].startswith("DB3715/T XXXX—2026（征求意见稿）"), pdf.name
            assert any(line.startswith("征求意见稿") for line in lines[-2:]), pdf.name
        assert "依据 DB3715/T XXXX—2026（征求意见稿）《" in text_of(pdf)
    assert "征求意见稿" not in text_of(built["standard"] / "checklists" / "steward-monthly.pdf")


def test_roster_gives_one_filled_header_per_steward(built):
    roster = built["standard"] / "checklists" / "roster"
    files = sorted(p.name for p in roster.glob("*.pdf"))
    assert files == ["01-示例楼长甲.pdf", "02-示例楼长乙.pdf", "03-示例楼长丙.pdf", "all.pdf"]
    one = squash(text_of(roster / "02-示例楼长乙.pdf"))
    for expected in ("楼长：示例楼长乙", "楼宇：2号楼、3号楼", "负责户数：58户", "特殊家庭户数：5户"):
        assert squash(expected) in one
    assert "示例楼长甲" not in one
    # the community's own sheets are not printed per steward
    assert "社区居委会楼长工作年度检查表" not in one
    everyone = text_of(roster / "all.pdf")
    for name in ("示例楼长甲", "示例楼长乙", "示例楼长丙"):
        assert name in everyone
    reader = pypdf.PdfReader(roster / "all.pdf")
    firsts = [i for i, p in enumerate(reader.pages) if "楼长月度工作清单" in p.extract_text()
              and "第 1 页" in p.extract_text()]
    assert len(firsts) == 3


def test_coverage_rows_are_the_households_of_the_roster(built):
    pdf = built["standard"] / "checklists" / "roster" / "02-示例楼长乙.pdf"
    rows = log_rows(pdf, "年度入户走访覆盖表")
    assert rows == list(range(1, len(rows) + 1)) and len(rows) >= 58


def test_year_is_printed_in_the_period(built):
    assert "2026年____月" in squash(text_of(built["standard"] / "checklists" /
                                            "steward-monthly.pdf"))


def test_a_standard_of_another_field_declares_its_own_roster_and_header(tmp_path):
    """The mini fixture (a cleaning standard): 保洁员, 区域数 — nothing about 楼长."""
    from tooling.cli import main

    roster = tmp_path / "roster.csv"
    roster.write_text("姓名,社区,区域数\n王保洁,东区,4\n", "utf-8")
    out = tmp_path / "out"
    assert main(["checklist", "-q", "--source", str(FIXTURES / "mini"), "--out", str(out),
                 "--roster", str(roster)]) == 0
    text = squash(text_of(out / "checklists" / "roster" / "01-王保洁.pdf"))
    assert squash("保洁员：王保洁") in text and squash("区域数：4处") in text
    for word in ("楼长", "楼宇", "负责户数", "特殊家庭"):
        assert word not in text
    assert log_rows(out / "checklists" / "roster" / "01-王保洁.pdf", "保洁日检查表")[-1] >= 4


BAD_ROSTERS = [
    ("name,community,buildings,households\n,阿胶社区,1号楼,30\n",
     "roster.csv:2: ERROR: E113 花名册第2行：缺少必填项：name（楼长） [stdkit.roster-row]"),
    ("name,community,buildings,households\n甲,阿胶社区,1号楼,30\n甲,阿胶社区,2号楼,20\n",
     "roster.csv:3: ERROR: E113 花名册第3行：楼长“甲”（阿胶社区）重复，第2行已有 [stdkit.roster-row]"),
    ("name,community,buildings,households\n甲,阿胶社区,1号楼,-3\n",
     "roster.csv:2: ERROR: E113 花名册第2行：“households”不能为负数，现为 -3 [stdkit.roster-row]"),
    ("name,community,buildings,households,phone\n甲,阿胶社区,1号楼,3,123\n",
     "roster.csv:1: ERROR: E113 花名册第1行（表头）：未知的列“phone”（可用的列：name、楼长、姓名、楼长姓名、"
     "community、社区、buildings、楼宇、负责楼宇、households、负责户数、户数、special_households、"
     "特殊家庭户数、特殊家庭） [stdkit.roster-row]"),
    ("name,community,buildings,households\n=cmd|'/c calc'!A1,阿胶社区,1号楼,3\n",
     "roster.csv:2: ERROR: E113 花名册第2行：“name”以“=”开头，疑似电子表格公式，请改为纯文字 [stdkit.roster-row]"),
    ("name,community,buildings,households\n甲,阿胶社区,1号楼,三十\n",
     "roster.csv:2: ERROR: E113 花名册第2行：“households”应为整数，现为“三十” [stdkit.roster-row]"),
]


@pytest.mark.parametrize(("content", "message"), BAD_ROSTERS)
def test_bad_roster_rows_are_named_and_nothing_is_written(tmp_path, capsys, content, message):
    from tooling.cli import main

    roster = tmp_path / "roster.csv"
    roster.write_text(content, "utf-8")
    status = main(["checklist", "-q", "--source", str(STANDARD), "--out", str(tmp_path / "out"),
                   "--roster", str(roster)])
    err = capsys.readouterr().err
    assert status == 1
    assert "Traceback" not in err
    assert err.splitlines()[0].endswith(message.split("roster.csv", 1)[1]), err
    assert "roster.csv" in err.splitlines()[0]
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_yaml_roster_is_accepted_and_its_errors_have_lines(tmp_path, capsys):
    from tooling.cli import main

    roster = tmp_path / "roster.yaml"
    roster.write_text("- {name: 甲, community: 阿胶社区, buildings: 1号楼, households: 12}\n"
                      "- {name: 乙, community: 阿胶社区, buildings: 2号楼, households: -1}\n", "utf-8")
    assert main(["checklist", "-q", "--source", str(STANDARD), "--out", str(tmp_path / "o"),
                 "--roster", str(roster)]) == 1
    assert "roster.yaml:2: ERROR: E113 花名册第2行：“households”不能为负数，现为 -1" in capsys.readouterr().err


BAD_DECLARATIONS = [
    ("header: [community, name, households]", "header: [community, phone]",
     "checklists.yaml:9: ERROR: E114 检查表定义（checklists.yaml）有误：检查表“daily”的表头栏目“phone”"
     "不是花名册的列（可用：name、community、buildings、households；只留空栏写 {label: 栏名}）"),
    ("grid: {rows: households, label: 区域}", "grid: {rows: name, label: 区域}",
     "checklists.yaml:9: ERROR: E114 检查表定义（checklists.yaml）有误：检查表“daily”的 grid.rows 为"
     "“name”，应为计数列（type: count）"),
    ("layout: grid", "layout: score",
     "checklists.yaml:9: ERROR: E114 检查表定义（checklists.yaml）有误：检查表“daily”的版式为 score，"
     "不应有 grid"),
    ("    - {id: community, label: 社区}", "    - {id: community, label: 保洁员}",
     "checklists.yaml:1: ERROR: E114 检查表定义（checklists.yaml）有误：花名册的列名“保洁员”同时指 name 和 "
     "community"),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD_DECLARATIONS)
def test_bad_declarations_are_one_message_with_file_and_line(tmp_path, capsys, old, new, message):
    from tooling.cli import main

    source = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", source)
    edit(source / "checklists.yaml", old, new)
    status = main(["checklist", "-q", "--source", str(source), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 1 and "Traceback" not in err
    assert err.splitlines()[0].endswith(message + " [stdkit.checklist-declaration]"), err
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_a_score_column_the_table_lacks_is_named(tmp_path, capsys):
    from tooling.cli import main

    source = tmp_path / "std"
    shutil.copytree(STANDARD, source)
    edit(source / "checklists.yaml", "      points: 分值", "      points: 分数")
    assert main(["checklist", "-q", "--source", str(source), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "checklists.yaml:58: ERROR: E114" in err
    assert "检查表“steward-evaluation”的 score.points 为“分数”，但表E.1的表头中没有此列" in err


def test_a_frequency_change_flows_through_to_the_checklist(tmp_path):
    from tooling.cli import main

    source = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", source)
    out = tmp_path / "out"
    assert main(["checklist", "-q", "--source", str(source), "--out", str(out)]) == 0
    before = squash(text_of(out / "checklists" / "daily.pdf"))
    assert "每日至少2次" in before
    edit(source / "requirements.md", "frequency: {min: 2, per: day}", "frequency: {min: 3, per: week}")
    assert main(["checklist", "-q", "--source", str(source), "--out", str(out)]) == 0  # incremental
    after = squash(text_of(out / "checklists" / "daily.pdf"))
    assert "每周至少3次" in after and "每日至少2次" not in after
    assert "依据4.1.1" in after and "req-daily-clean" not in after


# -- units ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("written", "said"), [
    ("24 h", "24小时"), ("2 h", "2小时"), ("3 d", "3日"), ("30 d", "30日"), ("30 min", "30分钟"),
    ("5 个工作日", "5个工作日"), ("2个工作日", "2个工作日"), ("1 个月", "1个月"), ("3 个月", "3个月"),
    ("3 年", "3年"), ("1.5 h", "1.5小时"),
])
def test_durations_are_said_in_words(written, said):
    assert say_duration(written) == said
    assert parse_duration(written) is not None


@pytest.mark.parametrize(("text", "plain"), [
    ("一般事项24 h内处理或报告", "一般事项24小时内处理或报告"),
    ("最迟不宜超过2 d", "最迟不宜超过2日"),
    ("公示牌尺寸一般为400 mm×300 mm", "公示牌尺寸一般为400 mm×300 mm"),
    ("宜安排在8:00—12:00", "宜安排在8:00—12:00"),
    ("覆盖率为100%", "覆盖率为100%"),
    ("3 dB", "3 dB"),
])
def test_running_text_gets_plain_units_and_nothing_else_changes(text, plain):
    assert plain_units(text) == plain


def test_what_is_not_a_duration_is_kept():
    assert parse_duration("立即") is None
    assert say_duration("立即") == "立即"


def test_a_long_roster_is_typeset_in_parallel_batches_and_equals_a_serial_build(
        tmp_path, monkeypatch):
    """The print batches are shared among worker processes: the files are the same bytes as
    when one process typesets them all, and every person lands in their batch in order —
    also after Typst has run in this process (a forked worker would hang on its thread pool)."""
    from tooling.typeset import batch as binding
    from tooling.typeset import choose_fonts

    total, fonts = 10, choose_fonts()
    monkeypatch.setattr(binding, "CHUNK", 3)  # a batch of 4 in two worker processes

    def personal(position: int) -> tuple[str, str, str]:
        return (f"roster/{person_filename(position, f'甲{position}', total)}",
                f"{position}. 甲{position}",
                f'#set document(date: none)\n#set text(font: "{fonts.serif}")\n'
                f"= 甲{position}的检查表\n")

    blank = [("blank.pdf", f'#set document(date: none)\n#set text(font: "{fonts.serif}")\n'
                           "= 空白表\n")]
    trees = {}
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        (out / "roster").mkdir(parents=True)
        sheets = binding.Sheets("checklist.typ", "", fonts.font_paths, out)
        roster = binding.Roster(total, "楼长检查表", personal)
        assert binding.typeset(sheets, blank, roster, workers=workers, size=4) == 1 + total + 3
        trees[workers] = {p.relative_to(out).as_posix(): p.read_bytes()
                          for p in out.rglob("*.pdf")}
    assert [n for n in sorted(trees[2]) if n.startswith("roster/all")] == [
        "roster/all-0001-0004.pdf", "roster/all-0005-0008.pdf", "roster/all-0009-0010.pdf"]
    assert trees[1] == trees[2]
    third = pypdf.PdfReader(tmp_path / "w2" / "roster" / "all-0009-0010.pdf")
    assert [o.title for o in third.outline if not isinstance(o, list)] == ["9. 甲9", "10. 甲10"]
