"""The real standard carries every fact of the published summary, found by clause id and metadata.

Source of the facts: /work/shared/sources/README.md ("Facts from the article"). Each test looks an
element up by its stable id and checks its metadata or exact wording, so a rewording elsewhere
or a renumbering does not break it, but losing or changing a fact does.
"""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from tooling import model
from tooling.cli import main
from tooling.model import Frequency, Target

from .conftest import ROOT, STANDARD, BuildResult

SERVICE_CONTENTS = {
    "service-policy": "传达党的方针政策",
    "service-building-affairs": "协助处理楼宇事务",
    "service-mediation": "调解矛盾纠纷",
    "service-public-opinion": "反映社情民意",
    "service-safety": "维护平安稳定",
}
CHAPTERS = [
    "范围", "规范性引用文件", "术语和定义", "人员要求", "推选程序", "服务内容", "服务形式",
    "服务质量", "服务评价与改进", "日常管理", "激励奖励措施",
]
CHECKLISTS = {"steward-monthly", "annual-visit-coverage", "special-household-monthly",
              "steward-evaluation", "community-party", "community-committee"}
NUMBERED = (model.CLAUSE, model.UNTITLED, model.PARAGRAPH, model.LIST_ITEM)
# 应 inside these words is not the modal verb.
NOT_MODAL = re.compile("相应|响应|应急|适应|应用|供应|对应|反应")


@pytest.fixture(scope="module")
def result(tmp_path_factory) -> BuildResult:
    out = tmp_path_factory.mktemp("standard-facts")
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(["build", "html", "-q", "-W", "--source", str(STANDARD), "--out", str(out),
                       "--conf", str(ROOT)])
    return BuildResult(status, out, stdout.getvalue(), stderr.getvalue())


@pytest.fixture(scope="module")
def edition(result) -> model.Edition:
    assert result.status == 0, result.stderr
    return result.edition()


def descendants(clause: model.Clause) -> list[model.Clause]:
    return list(clause.walk())[1:]


def test_build_is_warning_free(result):
    assert result.status == 0, result.stderr
    assert result.stderr == ""


def test_chapters_in_gbt_order(edition):
    chapters = [c.title for c in edition.clauses if c.element_type == model.CHAPTER]
    assert chapters == CHAPTERS
    assert [c.number for c in edition.clauses if c.element_type == model.CHAPTER] == [
        str(n) for n in range(1, 12)
    ]


def test_building_steward_definition_is_verbatim(edition):
    steward = edition["term-building-steward"]
    assert steward.element_type == model.TERM
    assert steward.number == "3.1"
    assert steward.term == model.Term("楼长", "building steward")
    assert steward.text == "在城市社区范围内，以楼宇为单位设置，协助社区组织从事社区公共事务管理和服务的人员。"


def test_terms_have_english_equivalents_and_end_with_full_stop(edition):
    terms = [c for c in edition.walk() if c.element_type == model.TERM]
    assert len(terms) >= 5
    for term in terms:
        assert term.term and term.term.en, term.id
        assert term.text.endswith("。"), term.id
    assert "鳏寡孤独、老加残、长期空巢" in edition["term-special-household"].text


def test_person_requirements(edition):
    quality = edition["steward-political-quality"]
    assert "思想觉悟高，热心和支持社区公益事务，有较广泛的群众基础，威信高" in quality.text
    health = edition["steward-health-time"]
    assert "身体健康，有充足的时间从事此项工作的社区居民" in health.text
    age = edition["steward-age"]
    # The article's wording, with the GB/T modal verb 应 that makes it a requirement.
    assert "年龄原则上应不超过65周岁" in age.text
    assert "身体健康、积极热心参与社区工作的，年龄可适当放宽" in age.text
    for clause in (quality, health, age):
        assert clause.metadata.kind == "requirement"
        assert edition.parent(clause.id).id == "personnel-basic"
    assert edition.parent("personnel-basic").id == "personnel"


def test_priority_candidates(edition):
    priority = edition["steward-priority-candidates"]
    assert priority.metadata.kind == "recommendation"
    assert "优先推选" in priority.text
    items = {c.id: c.text for c in priority.children if c.element_type == model.LIST_ITEM}
    assert items == {
        "candidate-retired-cadres": "本楼宇离退休老干部；",
        "candidate-veteran-members": "本楼宇老党员；",
        "candidate-permanent-residents": "本楼宇常住居民。",
    }


@pytest.mark.parametrize(("clause_id", "title"), SERVICE_CONTENTS.items())
def test_five_service_contents(edition, clause_id, title):
    clause = edition[clause_id]
    section = edition.parent(clause_id)
    assert section.element_type == model.CLAUSE
    assert section.title == title
    assert section.children[0].id == clause_id  # the first clause under the titled 条
    assert edition.parent(section.id).id == "service-content"
    assert clause.metadata.kind == "requirement"
    assert "楼长" in clause.metadata.role


def test_service_content_sections_are_in_article_order(edition):
    titles = [c.title for c in edition["service-content"].children if c.element_type == model.CLAUSE]
    assert titles[-5:] == list(SERVICE_CONTENTS.values())


def test_assisted_organisations(edition):
    clause = edition["assist-organisations"]
    for organisation in ("社区党组织", "社区居委会", "社区社会组织"):
        assert organisation in clause.text
    assert clause.metadata.kind == "requirement"
    assert clause.metadata.role == ("楼长",)
    scope = edition["scope"].text
    assert "社区党组织、社区居委会、社区社会组织" in scope


def test_work_areas_and_volunteer_roles(edition):
    overview = edition["service-content-overview"].text
    assert "疫情防控、矛盾调解、信息采集和为民服务" in overview
    team = edition["volunteer-team"].text
    assert "离退休党员、热心居民、党员志愿者" in team
    assert "疫情防控、矛盾调解、信息采集和为民服务" in team


def test_annual_visit_coverage(edition):
    clause = edition["visit-coverage"]
    assert clause.metadata.kind == "requirement"
    assert clause.metadata.role == ("楼长",)
    assert clause.metadata.target == Target(metric="走访覆盖率", value=100, unit="%", per="year",
                                            op="=")
    assert "annual-visit-coverage" in clause.metadata.checklist
    assert "楼长走访工作台账" in clause.metadata.evidence
    assert "100%" in clause.text


def test_special_households_monthly(edition):
    clause = edition["special-household-contact"]
    assert clause.metadata.kind == "requirement"
    assert clause.metadata.frequency == Frequency(min=1, per="month")
    assert clause.metadata.applies_to == ("特殊家庭",)
    assert "special-household-monthly" in clause.metadata.checklist
    assert "特殊家庭走访联系记录表" in clause.metadata.evidence
    assert "鳏寡孤独、老加残、长期空巢" in clause.text
    assert "走访或联系不少于1次" in clause.text
    more = edition["special-household-extra-visits"]
    assert more.metadata.kind == "permission"
    assert "增加走访频次" in more.text


def test_routine_cadences(edition):
    assert edition["daily-patrol"].metadata.frequency == Frequency(min=1, per="day")
    assert edition["weekly-report"].metadata.frequency == Frequency(min=1, per="week")
    assert edition["monthly-council"].metadata.frequency == Frequency(min=1, per="month")
    assert edition["quarterly-selection"].metadata.frequency == Frequency(min=1, per="quarter")
    assert edition["response-ordinary"].metadata.frequency.within == "24 h"
    assert edition["response-urgent"].metadata.frequency.within == "2 h"
    assert edition["records-retention"].metadata.target == Target(
        metric="档案保存期限", value=3, unit="年", op=">=")
    assert edition["selection-publicity"].metadata.target.value == 5


def test_selection_methods(edition):
    items = [c.text for c in edition["selection-methods-list"].children]
    for method in ("党员认领", "居民自荐", "群众举荐", "组织推荐"):
        assert any(text.startswith(method) for text in items), method


def test_evaluation_points_and_grades_are_consistent(edition):
    points = [int(re.search(r"(\d+)分[；。]$", c.text).group(1))
              for c in edition["evaluation-items"].children]
    assert sum(points) == 100
    grades = {c.id: c.text for c in edition["evaluation-grades"].children}
    assert grades["grade-excellent"] == "优秀：总分不低于90分；"
    assert grades["grade-pass"] == "合格：总分不低于60分且低于90分；"
    assert grades["grade-fail"] == "不合格：总分低于60分。"
    table = edition["table-evaluation-grades"].text
    for grade_id in grades:
        assert edition.reference_text(grade_id) in table


def test_every_requirement_and_recommendation_has_a_role(edition):
    missing = [c.id for c in edition.walk()
               if c.metadata.kind in ("requirement", "recommendation") and not c.metadata.role]
    assert missing == []


def test_checklist_ids_are_the_known_ones(edition):
    used = {cid for c in edition.walk() for cid in c.metadata.checklist}
    assert used == CHECKLISTS


def test_at_least_eighty_numbered_clauses_and_items(edition):
    numbered = [c for c in edition.walk() if c.element_type in NUMBERED]
    assert len(numbered) >= 80


def test_annexes_are_informative_and_state_no_requirements(edition):
    annexes = [c for c in edition.clauses if c.element_type == model.ANNEX]
    assert [a.number for a in annexes] == ["A", "B", "C", "D"]
    for annex in annexes:
        assert annex.annex_obligation == "资料性"
        for element in annex.walk():
            for text in (element.title, element.text, *element.notes):
                plain = NOT_MODAL.sub("", text)
                assert "应" not in plain, (element.id, text)
                assert "宜" not in plain and "必须" not in plain, (element.id, text)


def test_annex_tables_trace_to_clauses(edition):
    for table_id in ("table-visit-ledger-fields", "table-special-household-info",
                     "table-evaluation-form", "table-evaluation-grades", "table-notice-board"):
        table = edition[table_id]
        assert table.element_type == model.TABLE
        assert "依据条款" in table.text
    form = edition["table-evaluation-form"].text
    for clause_id in SERVICE_CONTENTS:
        assert edition.reference_text(clause_id) in form


def test_notes_state_no_requirements(edition):
    for clause in edition.walk():
        for note in clause.notes:
            plain = NOT_MODAL.sub("", note)
            assert not re.search("应|宜|必须", plain), (clause.id, note)


def test_kind_matches_modal_verb(edition):
    verbs = {"requirement": "应", "recommendation": "宜", "permission": "可"}
    wrong = []
    for clause in edition.walk():
        verb = verbs.get(clause.metadata.kind)
        if verb:
            plain = NOT_MODAL.sub("", clause.text).replace("可疑", "")
            if verb not in plain:
                wrong.append(clause.id)
    assert wrong == []
    assert not any(re.search("必须|不得|不可(?!疑)", c.text) for c in edition.walk())


def test_lists_and_clause_structure_follow_gbt(edition):
    for clause in edition.walk():
        items = [c for c in clause.children if c.element_type == model.LIST_ITEM]
        if items:
            assert clause.text.endswith("："), clause.id
            assert all(i.text.endswith("；") for i in items[:-1]), clause.id
            assert items[-1].text.endswith("。"), clause.id
        titled = [c for c in clause.children if c.element_type == model.CLAUSE]
        untitled = [c for c in clause.children if c.element_type in (model.UNTITLED, model.PARAGRAPH)]
        assert not (titled and untitled), f"{clause.id}: titled and untitled 条 as siblings"
        assert not (titled and clause.text.strip()), f"{clause.id}: 悬置段"
        if clause.element_type in (model.CHAPTER, model.CLAUSE):
            assert len(titled) + len(untitled) != 1, f"{clause.id}: a single sub-条"
