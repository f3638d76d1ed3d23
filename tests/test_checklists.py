"""Checklists: rows exactly as the index marks them, personalised from a roster, bad rosters."""

from __future__ import annotations

import json
import re
import shutil

import pypdf
import pytest

from tooling.model.checklist_specs import load_specs

from .conftest import FIXTURES, ROOT, STANDARD, edit, squash

ROSTER = ROOT / "rosters" / "sample.csv"


def text_of(pdf) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)


def traced(text: str) -> list[tuple[str, str]]:
    """(number, id) of every row, from the small 依据 line printed under it."""
    return re.findall(r"依据\s*(\S+)\s*\u3000?\s*([a-z][a-z0-9]*(?:-[a-z0-9]+)+)", text)


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    from tooling.cli import main

    out = tmp_path_factory.mktemp("checklists")
    assert main(["build", "index", "-q", "--source", str(STANDARD), "--out", str(out)]) == 0
    assert main(["checklist", "-q", "-W", "--source", str(STANDARD), "--out", str(out),
                 "--roster", str(ROSTER), "--year", "2026"]) == 0
    assert main(["build", "html", "-q", "--source", str(STANDARD), "--out", str(out)]) == 0
    return out


def marked(out, checklist_id):
    data = json.loads((out / "index" / "clause-index.json").read_text("utf-8"))
    return [(row.get("number"), row["id"]) for row in data["clauses"]
            if checklist_id in row["metadata"].get("checklist", [])]


SPECS = [s.id for s in load_specs(STANDARD / "checklists.yaml")]


def test_the_real_standard_declares_the_four_checklists():
    assert SPECS == ["steward-monthly", "annual-visit-coverage", "special-household-monthly",
                     "steward-evaluation"]


@pytest.mark.parametrize("checklist_id", SPECS)
def test_pdf_rows_are_exactly_the_clauses_the_index_marks(real, checklist_id):
    rows = [(number, cid) for number, cid in traced(text_of(real / "checklists" / f"{checklist_id}.pdf"))
            if not cid.startswith("table-")]
    expected = marked(real, checklist_id)
    assert [cid for _, cid in rows] == [cid for _, cid in expected]
    data = {row["id"]: row for row in json.loads(
        (real / "index" / "clause-index.json").read_text("utf-8"))["clauses"]}
    for number, cid in rows:
        row = data[cid]
        assert number == (row.get("number") or data[row["parent"]]["number"])


@pytest.mark.parametrize("checklist_id", SPECS)
def test_html_pages_list_the_same_rows(real, checklist_id):
    page = (real / "html" / "checklists" / f"{checklist_id}.html").read_text("utf-8")
    ids = re.findall(r'</a>\u3000([a-z][a-z0-9-]+)</small>', page)
    assert ids == [cid for _, cid in marked(real, checklist_id)]
    assert page.count('class="stdkit-checklist"') == 1


def test_roster_gives_one_filled_header_per_steward(real):
    roster = real / "checklists" / "roster"
    files = sorted(p.name for p in roster.glob("*.pdf"))
    assert files == ["01-示例楼长甲.pdf", "02-示例楼长乙.pdf", "03-示例楼长丙.pdf", "all.pdf"]
    one = squash(text_of(roster / "02-示例楼长乙.pdf"))
    for expected in ("楼长：示例楼长乙", "楼宇：2号楼、3号楼", "负责户数：58户", "特殊家庭户数：5户"):
        assert squash(expected) in one
    assert "示例楼长甲" not in one
    # households to visit this year: one coverage row per household from the roster
    assert squash("年度入户走访覆盖表（共 58 行）") in one
    assert squash("记录（共 5 行）") in one  # one log row per special household
    everyone = text_of(roster / "all.pdf")
    for name in ("示例楼长甲", "示例楼长乙", "示例楼长丙"):
        assert name in everyone
    # each steward's checklists start on a new page and number their own pages
    reader = pypdf.PdfReader(roster / "all.pdf")
    firsts = [i for i, p in enumerate(reader.pages) if "楼长月度工作清单" in p.extract_text()
              and "第 1 页" in p.extract_text()]
    assert len(firsts) == 3


def test_year_is_printed_in_the_period(real):
    assert "2026年____月" in squash(text_of(real / "checklists" / "steward-monthly.pdf"))


BAD_ROSTERS = [
    ("name,community,buildings,households\n,阿胶社区,1号楼,30\n",
     "roster.csv:2: ERROR: E113 花名册第2行：缺少必填项：name [stdkit.roster-row]"),
    ("name,community,buildings,households\n甲,阿胶社区,1号楼,30\n甲,阿胶社区,2号楼,20\n",
     "roster.csv:3: ERROR: E113 花名册第3行：楼长“甲”（阿胶社区）重复，第2行已有 [stdkit.roster-row]"),
    ("name,community,buildings,households\n甲,阿胶社区,1号楼,-3\n",
     "roster.csv:2: ERROR: E113 花名册第2行：“households”不能为负数，现为 -3 [stdkit.roster-row]"),
    ("name,community,buildings,households,phone\n甲,阿胶社区,1号楼,3,123\n",
     "roster.csv:1: ERROR: E113 花名册第1行（表头）：未知的列“phone”（可用的列：name、姓名、楼长姓名、楼长、"
     "community、社区、buildings、楼宇、负责楼宇、households、户数、负责户数、special_households、"
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


def test_a_frequency_change_flows_through_to_the_checklist(tmp_path):
    from tooling.cli import main

    source = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", source)
    out = tmp_path / "out"
    assert main(["checklist", "-q", "--source", str(source), "--out", str(out)]) == 0
    before = squash(text_of(out / "checklists" / "daily.pdf"))
    assert "每日不少于2次" in before
    edit(source / "requirements.md", "frequency: {min: 2, per: day}", "frequency: {min: 3, per: week}")
    assert main(["checklist", "-q", "--source", str(source), "--out", str(out)]) == 0  # incremental
    after = squash(text_of(out / "checklists" / "daily.pdf"))
    assert "每周不少于3次" in after and "每日不少于2次" not in after
    assert "依据4.1.1" in after and "req-daily-clean" in after
