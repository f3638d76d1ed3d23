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

from .conftest import ROOT, STANDARD, BuildResult, squash

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
    # The article's "年龄原则上不超过65周岁，身体健康、积极热心参与社区工作的，年龄可适当放宽"
    # is a rule and its exception: a requirement and a permission (one provision, one kind; no
    # 原则上应), the exception in the article's own words.
    assert age.text == "楼长年龄应不超过65周岁。"
    assert age.metadata.target == Target(metric="楼长年龄", value=65, unit="周岁", op="<=")
    exception = edition["steward-age-exception"]
    assert exception.text == "身体健康、积极热心参与社区工作的，年龄可适当放宽。"
    assert exception.metadata.kind == "permission"
    for clause in (quality, health, age):
        assert clause.metadata.kind == "requirement"
        assert clause.metadata.role == ("楼长",)  # role: who complies (the schema's definition)
        assert edition.parent(clause.id).id == "personnel-basic"
    assert edition.parent("personnel-basic").id == "personnel"
    assert not any("原则上" in c.text for c in edition.walk())


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
    # The grades are stated once, in the normative 表E.2, and 9.2 cites it (no list repeating
    # it); the scoring rules of 表E.1 are normative too, cited by evaluation-scoring.
    grades = edition["table-evaluation-grades"]
    assert [row[:2] for row in grades.rows[1:]] == [
        ("优秀", "总分≥90分"), ("合格", "60分≤总分<90分"), ("不合格", "总分<60分")]
    assert edition.reference_text("table-evaluation-grades") in edition["evaluation-grades"].text
    assert not [c for c in edition["evaluation-grades"].children]
    scoring = edition["evaluation-scoring"].text
    assert edition.reference_text("table-evaluation-form") in scoring
    assert "扣完为止，不计负分" in scoring
    form = edition.parent("table-evaluation-form")
    assert form.annex_obligation == "规范性"
    assert f"按附录{form.number}的规定" in edition["annual-evaluation"].text


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


def test_annexes_in_order_of_first_citation_and_informative_ones_state_no_requirements(
        edition):
    annexes = [c for c in edition.clauses if c.element_type == model.ANNEX]
    assert [(a.number, a.title, a.annex_obligation) for a in annexes] == [
        ("A", "楼宇住户信息表", "资料性"), ("B", "楼长走访工作台账", "资料性"),
        ("C", "特殊家庭走访联系记录表", "资料性"), ("D", "楼长公示牌", "资料性"),
        ("E", "楼长服务评价表", "规范性")]
    # First cited in 6.5.2, 7.1.8 (B, C), 7.4.1, 9.1.1 — and listed in that order in 范围.
    first = {"annex-household-info": "information-collection",
             "annex-visit-ledger": "visit-record",
             "annex-special-household-record": "visit-record",
             "annex-notice-board": "notice-board-setting",
             "annex-evaluation-form": "annual-evaluation"}
    order = [c.id for c in edition.walk()]
    assert [order.index(first[a.id]) for a in annexes] == sorted(
        order.index(first[a.id]) for a in annexes)
    for annex in annexes:
        assert f"⟦{annex.id}⟧" in edition[first[annex.id]].ref_text
    scope = edition["scope"].text
    listed = [scope.index(a.title) for a in annexes[:4]]
    assert listed == sorted(listed)
    for annex in annexes:
        if annex.annex_obligation != "资料性":
            continue
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


# -- issue 17: the review's findings, fixed in both editions ----------------------------------

DRAFT = ROOT / "editions" / "db3715t-draft"
TYPED = re.compile(r"附录[A-Z](?![A-Za-z])|表[A-Z]?\.?\d|第\d+章")


@pytest.fixture(scope="module")
def draft_result(tmp_path_factory) -> BuildResult:
    out = tmp_path_factory.mktemp("draft-facts")
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(["build", "html", "-q", "-W", "--source", str(DRAFT), "--out", str(out),
                       "--conf", str(ROOT)])
    return BuildResult(status, out, stdout.getvalue(), stderr.getvalue())


@pytest.fixture(scope="module")
def draft(draft_result) -> model.Edition:
    assert draft_result.status == 0, draft_result.stderr
    return draft_result.edition()


@pytest.fixture(scope="module", params=["standard", "draft"])
def either(request, edition, draft) -> model.Edition:
    return edition if request.param == "standard" else draft


def test_no_element_is_designated_by_a_typed_number(either):
    for clause in either.walk():
        written = clause.ref_text if clause.ref_text is not None else clause.text
        if clause.element_type != model.FOREWORD:
            assert not TYPED.search(re.sub(r"⟦[^⟧]*⟧", "", written)), (clause.id, written)


def test_the_article_wording_of_the_service_contents_ends_with_deng(either):
    overview = either["service-content-overview"].text
    assert "传达党的方针政策、协助处理楼宇事务、调解矛盾纠纷、反映社情民意、维护平安稳定等" in overview


def test_definitions_pass_the_substitution_test(either):
    special = either["term-special-household"].text
    assert special == "鳏寡孤独、老加残、长期空巢等需要重点关注的居民家庭。"
    board = either["term-notice-board"].text
    assert "入口" not in board and "设置" not in board  # where it stands is 7.4.1's business
    assert "楼栋" not in either["term-building"].text
    assert either["term-community-organizations"].term.en == "community organization"
    # 联系 is used normatively (7.1.3): its own entry, not a note to 走访.
    assert either["term-contact"].term.term == "联系"
    assert either["term-visit"].notes == ()
    for term in (c for c in either.walk() if c.element_type == model.TERM):
        assert not re.search("应|宜|须|不少于|至少", NOT_MODAL.sub("", term.text)), term.id


def test_the_measures_are_defined_terms_with_a_calculation(either):
    terms = {c.term.term for c in either.walk() if c.element_type == model.TERM}
    for clause in either.walk():
        target = clause.metadata.target
        if target is not None and target.metric.endswith("率"):
            assert target.metric in terms, clause.id
    calculation = either["visit-coverage-calculation"]
    rules = "".join(c.text for c in calculation.children)
    for case in ("全年无人居住的房屋", "全年不在本楼宇居住的家庭", "年内迁出", "迁入不足1个月",
                 "按1户计"):
        assert case in rules, case
    assert "÷" in calculation.text and "÷" in either["satisfaction-calculation"].text
    assert either["satisfaction-target"].metadata.target.metric == "居民满意率"
    assert "居民满意率" in either["satisfaction-target"].text


def test_one_provision_one_kind(either):
    kinds = {"resident-survey-methods": "permission", "resident-survey-sample": "requirement",
             "steward-age": "requirement", "steward-age-exception": "permission",
             "vacancy-by-election": "requirement", "vacancy-acting": "requirement"}
    for clause_id, kind in kinds.items():
        assert either[clause_id].metadata.kind == kind, clause_id
    assert either["vacancy-acting"].metadata.role == ("社区居委会",)
    assert "社区居委会" not in either["vacancy-by-election"].text


def test_wording_conventions(either):
    assert "8:00～12:00或14:30～20:00" in either["conduct-visit-hours"].text
    for clause in either.walk():
        for text in (clause.text, *clause.notes, *("".join(r) for r in clause.rows)):
            assert "社区居民委员会" not in text, clause.id
            assert not re.search(r"(?<![月\d])\d+\s*(?:小时|天|日)(?:内|的)", text), (clause.id, text)
            assert not re.search(r"\d:\d\d\s*[—-]", text), clause.id
    for clause in either.walk():
        within = clause.metadata.frequency.within if clause.metadata.frequency else None
        if within:
            assert not re.search(r"\d\s*(?:日|天|小时)$", within), clause.id


def test_the_reconstruction_notice_says_what_is_assumed(result):
    notice = squash(result.article("index"))
    assert "聊城日报" not in notice
    assert "2020年6月2日的一篇报纸报道" in notice
    for assumed in ("推定", "2020-05-28", "阿胶社区", "张××", "2020-10-01"):
        assert assumed in notice, assumed


def test_drafters_are_placeholders_for_natural_persons(either):
    assert either.info.drafters and all(re.fullmatch(r"[\u4e00-\u9fff]××", d)
                                        for d in either.info.drafters)


def test_plausibility(either):
    urgent, ordinary = either["response-urgent"], either["response-ordinary"]
    assert "火情" in urgent.text and "火灾隐患" not in urgent.text
    assert "火灾隐患" in ordinary.text  # hazards go the 24 h route
    term = either["records-retention-term"].text
    for record in ("楼长名册", "楼长推选记录", "楼长服务评价表"):
        assert record in term
    assert either["records-retention-term"].metadata.target.unit == "届"
    kept = term + either["records-retention"].text
    evidence = {e for c in either.walk() for e in c.metadata.evidence}
    not_records = {"楼长公示牌", "楼长信息公示牌", "楼长工作档案"}
    assert sorted(e for e in evidence - not_records if e not in kept) == []
    household = either["annex-household-info"]
    assert household.annex_obligation == "资料性"
    assert either["table-household-info"].element_type == model.TABLE
    assert "最高的星级" in either["star-rating"].text
    consent = either["information-minimum"].text
    assert "必需" in consent and "同意" in consent and "健康状况" in consent
    assert "同意" in either["notice-board-consent"].text


def test_the_quota_rounds_up_to_one(edition):
    assert "不足1名的按1名计" in edition["quarterly-selection-quota"].text


def test_metadata_follows_the_text(either):
    assert "每月" in either["council-attendance"].text
    assert either["steward-reachable"].metadata.role == ("楼长",)
    assert either["steward-absence-notice"].metadata.role == ("楼长",)
    interview = either["result-failed-interview"]
    assert "公示期满" in interview.metadata.frequency.event
    assert "公示期满后15 d内" in interview.text
    timeliness = either["record-timeliness"]
    assert timeliness.metadata.kind == "requirement"  # 表E.1 deducts for a late record
    assert either["record-same-day"].metadata.kind == "recommendation"
    on_evaluation = {c.id for c in either.walk() if "steward-evaluation" in c.metadata.checklist}
    familiarise = ("steward-know-building" if "steward-know-building" in either
                   else "steward-building-familiarisation")
    assert {familiarise, "steward-rectification", "volunteer-activities"} <= on_evaluation


def test_the_2020_edition_backs_up_monthly(edition):
    backup = edition["records-backup"]
    assert backup.metadata.frequency == Frequency(min=1, per="month")
    assert "community-committee" in backup.metadata.checklist


# -- the municipal draft ------------------------------------------------------------------------


def test_the_draft_is_a_municipal_standard_made_on_the_basis_of_the_county_document(
        draft, draft_result):
    info = draft.info
    assert info.class_line == "聊城市地方标准"
    assert info.based_on is not None and info.based_on.number == "G/DEZZ001—2020"
    assert info.replaces == () and info.history == ()
    assert info.proposer == "中共聊城市委社会工作部"
    foreword = squash(draft_result.article("foreword"))
    assert squash("本文件在G/DEZZ001—2020《城市社区楼长管理与服务规范》的基础上制定，"
                  "与G/DEZZ001—2020相比，除结构调整和编辑性改动外，主要技术变化如下：") in foreword
    assert "代替" not in foreword and "历次版本" not in foreword
    cover = squash(draft_result.article("index"))
    assert "代替" not in cover and "聊城市地方标准" in cover


def test_the_draft_is_consistent_with_itself(draft):
    privacy = draft["conduct-privacy"]
    assert privacy.ref_text and "⟦grid-reporting⟧" in privacy.ref_text and "除" in privacy.text
    # One clause for the time limits, one for the channel.
    grid = draft["grid-reporting"]
    assert grid.metadata.frequency is None or grid.metadata.frequency.within is None
    assert not re.search(r"\d+\s*h|即时", grid.text)
    assert "⟦response-ordinary⟧" in grid.ref_text and "⟦response-urgent⟧" in grid.ref_text
    assert "平台" not in draft["response-ordinary"].text
    assert draft["grid-reporting-phone"].metadata.kind == "permission"
    # Two contacts a month, two rows a month in 表C.2.
    assert draft["special-household-contact"].metadata.frequency == Frequency(min=2, per="month")
    months = [row[0] for row in draft["table-special-household-monthly"].rows[1:]]
    assert all(months.count(f"{m}月") == 2 for m in range(1, 13))
    # No 2020 dates in the examples of a 2026 draft.
    for annex in (c for c in draft.clauses if c.element_type == model.ANNEX):
        for element in annex.walk():
            assert "2020" not in element.text + "".join("".join(r) for r in element.rows)
    assert "补选产生的楼长，任期应至本届届满时止" in draft["steward-term-of-office"].text
    assert draft["steward-digital-skills"].metadata.kind == "recommendation"
    items = "".join(c.text for c in draft["evaluation-items"].children)
    assert "网格化服务" in items and "培训学时" in items
    form = draft["table-evaluation-form"].text
    for clause_id in ("grid-reporting", "training-hours"):
        assert draft.reference_text(clause_id) in form
    points = [int(re.search(r"(\d+)分[；。]$", c.text).group(1))
              for c in draft["evaluation-items"].children]
    assert sum(points) == 100
    # A general 突发事件 clause replaces the deleted epidemic one; the 疫情防控 mentions stay.
    assert "epidemic-prevention" not in draft and "突发事件" in draft["emergency-response"].text
    assert "网格员" not in draft["service-boundary"].text
    burden = draft["no-extra-burden"]
    assert burden.metadata.role == ("社区党组织", "社区居委会")
    assert "考核评比、报表填报" in burden.text
