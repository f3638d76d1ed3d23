"""The clause-level revision diff (tooling.diff.match) and its reports (tooling.diff.reports).

Editions are built by hand from RawElement trees with tooling.model.numbering.assemble, so numbers,
cross-references and ref_text are exactly what a real build produces. Property-based tests
apply random edits to a small fixture edition.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tooling import model
from tooling.diff.match import (
    ADDED,
    CHANGED,
    REMOVED,
    char_diff,
    diff_editions,
    editorial_form,
    similarity,
)
from tooling.diff.reports import (
    change_list,
    comparison_csv,
    comparison_html,
    comparison_table,
    comparison_typst,
    foreword_items,
    neutralise,
    redline_html,
    redline_typst,
    summary_text,
)
from tooling.model.foreword import list_items
from tooling.model.numbering import SECTION, DocElements, RawElement, Ref, assemble

from .conftest import strip_tags

SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "tooling" / "schemas" / "diff.schema.json")
    .read_text("utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

OLD_INFO = model.EditionInfo(
    doc_class="group", class_line="团体标准", number="T/X 1—2019", title_zh="测试规范",
    stage="published", issuer="测试协会", drafting_units=("测试协会",),
)
NEW_INFO = model.EditionInfo(
    doc_class="group", class_line="团体标准", number="T/X 1—2024", title_zh="测试规范",
    stage="published", issuer="测试协会", drafting_units=("测试协会",),
    replaces=(model.Replaced("T/X 1—2019", "测试规范"),),
)


# -- building editions from a small nested spec ---------------------------------------------
#
# A spec is a list of nodes (dicts): {"t": type, "id", "title", "text": [str | ("ref", id)],
# "kind", "children": [...], "annex", "term", "rows"}. Types: sec, clause, para, item, term,
# table.


def sec(id_, title, *children, annex=None, text=()):
    return {"t": "sec", "id": id_, "title": title, "children": list(children), "annex": annex,
            "text": list(text)}


def cl(id_, *text, kind=None, children=(), numbered=True, **meta):
    return {"t": "clause" if numbered else "para", "id": id_, "text": list(text), "kind": kind,
            "children": list(children), "meta": meta}


def item(id_, *text, children=()):
    return {"t": "item", "id": id_, "text": list(text), "children": list(children)}


def term(id_, name, definition, en=None):
    return {"t": "term", "id": id_, "title": name, "text": [definition], "en": en,
            "children": []}


def table(id_, title, *rows, header=1):
    return {"t": "table", "id": id_, "title": title, "rows": [list(r) for r in rows],
            "header": header, "children": []}


def ref(target):
    return ("ref", target)


def _segments(parts):
    return tuple(Ref(p[1]) if isinstance(p, tuple) else p for p in parts)


def _raw(node, siblings_items=None):
    kind = node["t"]
    children = []
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    for child in node["children"]:
        label = f"{next(letters)})" if child["t"] == "item" else None
        children.append(_raw(child, label))
    children = tuple(children)
    common = {"id": node["id"], "source": "t.md", "line": 1}
    if kind == "sec":
        return RawElement(SECTION, title=node["title"], children=children, annex=node["annex"],
                          segments=_segments(node["text"]), **common)
    if kind in ("clause", "para"):
        meta = dict(node.get("meta") or {})
        if node.get("kind"):
            meta["kind"] = node["kind"]
        return RawElement(model.UNTITLED if kind == "clause" else model.PARAGRAPH,
                          segments=_segments(node["text"]), children=children, metadata=meta,
                          **common)
    if kind == "item":
        return RawElement(model.LIST_ITEM, segments=_segments(node["text"]), label=siblings_items,
                          children=children, **common)
    if kind == "term":
        return RawElement(model.TERM, title=node["title"], segments=_segments(node["text"]),
                          term=model.Term(node["title"], node.get("en")), **common)
    if kind == "table":
        rows = tuple(tuple(_segments(c if isinstance(c, list) else [c]) for c in row)
                     for row in node["rows"])
        return RawElement(model.TABLE, title=node["title"], rows=rows,
                          header_rows=node["header"], **common)
    raise AssertionError(kind)


def edition(spec, info=OLD_INFO) -> model.Edition:
    tops = tuple(_raw(n) for n in spec)
    result, problems = assemble(info, {"index": DocElements("index", tops)}, "index")
    assert [p for p in problems if p.code != "E107"] == []
    return result


def base_spec():
    return [
        sec("scope", "范围", text=["本文件规定了楼长的服务要求。"]),
        sec("terms", "术语和定义",
            term("t-steward", "楼长", "协助社区开展公共事务管理的居民。", en="building steward"),
            term("t-board", "楼长公示牌", "公开楼长身份和联系方式的标识牌。")),
        sec("req", "服务要求",
            sec("req-visit", "入户走访",
                cl("visit-monthly", "楼长应每月走访负责楼宇的居民家庭不少于1次。",
                   kind="requirement", role="楼长", frequency={"min": 1, "per": "month"}),
                cl("visit-record", "楼长宜将走访情况记入台账，记录格式见", ref("tb-ledger"), "。",
                   kind="recommendation"),
                cl("visit-topics", "走访时应了解下列情况：", kind="requirement", children=[
                    item("topic-family", "家庭成员的变化；"),
                    item("topic-needs", "居民的困难和诉求，按", ref("visit-monthly"), "处理；"),
                ])),
            sec("req-patrol", "日常巡查",
                cl("patrol-daily", "楼长可每天巡查负责楼宇，发现问题的按", ref("req-visit"),
                   "报告。", kind="permission"),
                cl("patrol-note", "巡查结果见", ref("mgmt"), "。", kind="statement",
                   numbered=False))),
        sec("mgmt", "管理",
            cl("mgmt-training", "社区应每年组织楼长培训，培训内容见", ref("annex-forms"), "。",
               kind="requirement"),
            cl("mgmt-archive", "楼长工作档案保存期限为3年。", kind="statement")),
        sec("annex-forms", "记录表格",
            table("tb-ledger", "楼长走访台账",
                  ["日期", "住户", "依据条款"],
                  ["6月1日", "3号楼", [ref("visit-monthly")]],
                  ["6月2日", "5号楼", [ref("visit-record")]]),
            annex="informative"),
    ]


def ids(spec):
    for node in spec:
        yield node["id"]
        yield from ids(node["children"])


def nodes(spec, path=()):
    """(path of indexes, node) for every node."""
    for i, node in enumerate(spec):
        yield (*path, i), node
        yield from nodes(node["children"], (*path, i))


def accounted(d, old, new):
    """Every element of both editions exactly once in the records or the unchanged count."""
    old_seen = [r.old.id for r in d.records if r.old]
    new_seen = [r.new.id for r in d.records if r.new]
    assert len(old_seen) == len(set(old_seen))
    assert len(new_seen) == len(set(new_seen))
    matched = sum(1 for r in d.records if r.change == CHANGED)
    n_old, n_new = len(list(old.walk())), len(list(new.walk()))
    assert len(old_seen) + d.unchanged == n_old
    assert len(new_seen) + d.unchanged == n_new
    assert n_old - sum(1 for r in d.records if r.change == REMOVED) == matched + d.unchanged
    unchanged_ids = {c.id for c in old.walk()} - set(old_seen)
    assert all(i in new and i not in new_seen for i in unchanged_ids)


def valid(d):
    data = json.loads(json.dumps(d.to_json(), ensure_ascii=False, sort_keys=True))
    errors = list(VALIDATOR.iter_errors(data))
    assert errors == [], errors[:3]


def rec(d, clause_id):
    found = [r for r in d.records if r.id == clause_id
             or (r.old and r.old.id == clause_id)]
    assert len(found) == 1, (clause_id, found)
    return found[0]


OLD = edition(base_spec())


def new_edition(mutate):
    spec = base_spec()
    mutate(spec)
    return edition(spec, NEW_INFO)


def find(spec, clause_id):
    for _, node in nodes(spec):
        if node["id"] == clause_id:
            return node
    raise KeyError(clause_id)


def parent_list(spec, clause_id):
    if any(n["id"] == clause_id for n in spec):
        return spec
    for _, node in nodes(spec):
        if any(c["id"] == clause_id for c in node["children"]):
            return node["children"]
    raise KeyError(clause_id)


def remove(spec, clause_id):
    siblings = parent_list(spec, clause_id)
    siblings[:] = [n for n in siblings if n["id"] != clause_id]


# -- identity, accounting ------------------------------------------------------------------


def test_an_edition_against_itself_has_no_records():
    d = diff_editions(OLD, OLD)
    assert d.records == ()
    assert d.unchanged == len(list(OLD.walk()))
    assert not d.has_changes("technical") and not d.has_changes("any")
    assert foreword_items(d) == []
    valid(d)


def test_added_and_removed_elements():
    def mutate(spec):
        remove(spec, "mgmt-archive")
        find(spec, "mgmt")["children"].append(
            cl("mgmt-insurance", "社区宜为楼长购买意外伤害保险。", kind="recommendation"))
    new = new_edition(mutate)
    d = diff_editions(OLD, new)
    accounted(d, OLD, new)
    assert rec(d, "mgmt-archive").change == REMOVED
    added = rec(d, "mgmt-insurance")
    assert added.change == ADDED and added.new.number == "4.2" and added.old is None
    assert added.category == "technical"
    assert d.has_changes("technical") and d.has_changes("any")
    with pytest.raises(ValueError):
        d.has_changes("some")
    valid(d)


# -- text ---------------------------------------------------------------------------------


def test_text_change_with_character_diff():
    def mutate(spec):
        find(spec, "visit-monthly")["text"] = ["楼长应每月走访负责楼宇的居民家庭不少于2次。"]
    d = diff_editions(OLD, new_edition(mutate))
    r = rec(d, "visit-monthly")
    assert r.aspects == ("text_modified",)
    assert r.category == "technical"
    text = r.field("text")
    assert text.nature == "technical"
    assert text.diff == (("=", "楼长应每月走访负责楼宇的居民家庭不少于"), ("-", "1"), ("+", "2"),
                         ("=", "次。"))
    assert "“不少于1次”改为“不少于2次”" in r.summary


@given(st.text(alphabet="楼长应宜可每月走访1234，。、 .", max_size=30),
       st.text(alphabet="楼长应宜可每月走访1234，。、 .", max_size=30))
@settings(deadline=None, max_examples=60)
def test_char_diff_rebuilds_both_texts(a, b):
    segments = char_diff(a, b)
    assert "".join(t for op, t in segments if op != "+") == a
    assert "".join(t for op, t in segments if op != "-") == b
    assert all(t for _, t in segments)


@pytest.mark.parametrize(("old", "new", "editorial"), [
    ("楼长应身体健康，有充足的时间。", "楼长应身体健康、有充足的时间。", True),
    ("不超过65周岁；可适当放宽。", "不超过65周岁，可适当放宽。", True),
    ("覆盖率为１００％。", "覆盖率为100%。", True),  # full width
    ("楼长应 每月 走访。", "楼长应每月走访。", True),  # spacing
    ("（见附录A）", "(见附录A)", True),
    ("间距1.5 m。", "间距15 m。", False),  # a decimal point is not punctuation
    ("8:00—12:00", "8:00—11:00", False),
    ("满意率不低于90%。", "满意率不低于90。", False),  # % is not punctuation
    ("楼长宜走访。", "楼长应走访。", False),
])
def test_editorial_versus_technical(old, new, editorial):
    assert (editorial_form(old) == editorial_form(new)) is editorial

    def mutate(spec):
        find(spec, "mgmt-archive")["text"] = [new]
    before = base_spec()
    find(before, "mgmt-archive")["text"] = [old]
    d = diff_editions(edition(before), new_edition(mutate))
    r = rec(d, "mgmt-archive")
    if editorial:
        assert r.aspects == ("editorial",) and r.category == "editorial"
        assert r.field("text").nature == "editorial"
        assert not d.has_changes("technical") and d.has_changes("any")
        assert foreword_items(d) == []
    else:
        assert "text_modified" in r.aspects and r.category == "technical"


# -- obligations and metadata ---------------------------------------------------------------


def test_strengthened_by_kind_and_verb():
    def mutate(spec):
        node = find(spec, "visit-record")
        node["kind"] = "requirement"
        node["text"] = ["楼长应将走访情况记入台账，记录格式见", ref("tb-ledger"), "。"]
    d = diff_editions(OLD, new_edition(mutate))
    r = rec(d, "visit-record")
    assert r.aspects == ("text_modified", "metadata_changed", "strengthened")
    assert r.obligation.direction == "strengthened" and r.obligation.basis == "metadata"
    kind = r.field("metadata.kind")
    assert (kind.old, kind.new) == ("recommendation", "requirement")
    back = diff_editions(new_edition(mutate), OLD)
    assert rec(back, "visit-record").aspects == (
        "text_modified", "metadata_changed", "weakened")


def test_strengthened_by_modal_verb_alone():
    """List items carry no kind: their modal verbs decide."""
    def mutate(spec):
        find(spec, "topic-family")["text"] = ["宜记录家庭成员的变化；"]
    before = base_spec()
    find(before, "topic-family")["text"] = ["可记录家庭成员的变化；"]
    d = diff_editions(edition(before), new_edition(mutate))
    r = rec(d, "topic-family")
    assert r.obligation.direction == "strengthened" and r.obligation.basis == "text"
    assert (r.obligation.old, r.obligation.new) == ("可", "宜")


def test_words_that_only_contain_modal_characters_change_nothing():
    """应急 is not 应, 适宜 is not 宜: replacing one by the other is no obligation change."""
    before = base_spec()
    find(before, "topic-family")["text"] = ["应急物资的变化；"]

    def mutate(spec):
        find(spec, "topic-family")["text"] = ["适宜物资的变化；"]
    r = rec(diff_editions(edition(before), new_edition(mutate)), "topic-family")
    assert r.obligation is None and r.aspects == ("text_modified",)


def test_metadata_changes_field_by_field():
    def mutate(spec):
        node = find(spec, "visit-monthly")
        node["meta"] = {"role": ["楼长", "网格员"], "frequency": {"min": 2, "per": "month"},
                        "evidence": "走访台账"}
    d = diff_editions(OLD, new_edition(mutate))
    r = rec(d, "visit-monthly")
    assert r.aspects == ("metadata_changed",)
    assert [(f.field, f.old, f.new) for f in r.fields] == [
        ("metadata.role", ["楼长"], ["楼长", "网格员"]),
        ("metadata.frequency", {"min": 1, "per": "month"}, {"min": 2, "per": "month"}),
        ("metadata.evidence", None, ["走访台账"]),
    ]
    assert "频次由“每月不少于1次”改为“每月不少于2次”" in r.summary
    valid(d)


# -- structure ------------------------------------------------------------------------------


def test_renumbering_and_references_are_not_text_changes():
    """A new chapter before the others renumbers them and every reference to them."""
    def mutate(spec):
        spec.insert(2, sec("principles", "基本原则", cl("principle-a", "楼长工作应坚持党建引领。",
                                                       kind="requirement")))
    new = new_edition(mutate)
    d = diff_editions(OLD, new)
    accounted(d, OLD, new)
    for r in d.records:
        if r.change == CHANGED:
            assert r.category == "structural", r
            assert set(r.aspects) <= {"renumbered", "references_renumbered"}
    patrol = rec(d, "patrol-daily")
    assert patrol.aspects == ("renumbered", "references_renumbered")
    assert (patrol.old.number, patrol.new.number) == ("3.2.1", "4.2.1")
    assert patrol.field("text").nature == "references"
    assert rec(d, "req").renumbered_only
    # The table cites clauses too: its cells follow.
    assert rec(d, "tb-ledger").aspects == ("references_renumbered",)
    assert foreword_items(d) == ["增加了基本原则（见第3章）"]
    assert summary_text(d).count("\n  ") == 1  # the one item of the 前言
    assert summary_text(d, detail=True).split("逐条变化：")[1].count("\n  ") == 2  # two added


def test_typed_number_replaced_by_a_reference_that_prints_the_same_target():
    """2019 typed "第3章" by hand; the revision inserts a chapter and writes {clause-ref}."""
    before = base_spec()
    find(before, "patrol-note")["text"] = ["巡查结果见第4章。"]

    def mutate(spec):
        spec.insert(2, sec("principles", "基本原则", cl("principle-a", "应坚持党建引领。")))
        find(spec, "patrol-note")["text"] = ["巡查结果见", ref("mgmt"), "。"]
    d = diff_editions(edition(before), new_edition(mutate))
    r = rec(d, "patrol-note")
    assert r.field("text").old == "巡查结果见第4章。"
    assert r.field("text").new == "巡查结果见第5章。"
    assert r.aspects == ("references_renumbered",)


def test_moved_clause_reports_old_and_new_parent():
    def mutate(spec):
        node = find(spec, "mgmt-archive")
        remove(spec, "mgmt-archive")
        find(spec, "req-patrol")["children"].append(node)
    d = diff_editions(OLD, new_edition(mutate))
    r = rec(d, "mgmt-archive")
    assert r.aspects == ("renumbered", "moved")
    assert r.category == "structural"
    parent = r.field("parent")
    assert (parent.old, parent.new) == ("mgmt", "req-patrol")
    assert "由第4章“管理”移至3.2“日常巡查”" in r.summary
    assert foreword_items(d) == []


def test_moved_and_modified_and_strengthened_is_one_record():
    def mutate(spec):
        node = find(spec, "visit-record")
        remove(spec, "visit-record")
        node["kind"] = "requirement"
        node["text"] = ["楼长应将走访情况当日记入台账，记录格式见", ref("tb-ledger"), "。"]
        find(spec, "mgmt")["children"].insert(0, node)
    d = diff_editions(OLD, new_edition(mutate))
    r = rec(d, "visit-record")
    assert r.aspects == ("renumbered", "moved", "text_modified", "metadata_changed",
                         "strengthened")
    assert change_count(d, "visit-record") == 1
    assert foreword_items(d) == [
        "楼长将走访情况当日记入台账由推荐改为要求，"
        "将“走访情况记入台账”更改为“走访情况当日记入台账”（见4.1，2019年版的3.1.2）"]


def change_count(d, clause_id):
    return sum(1 for r in d.records if clause_id in (r.old and r.old.id, r.new and r.new.id))


# -- similarity matching --------------------------------------------------------------------


def _renamed(text):
    def mutate(spec):
        node = find(spec, "mgmt-training")
        node["id"] = "mgmt-annual-training"
        node["text"] = text
    return new_edition(mutate)


def test_renamed_id_is_matched_by_similarity_with_its_score():
    new = _renamed(["社区应每年组织楼长业务培训，培训内容见", ref("annex-forms"), "。"])
    d = diff_editions(OLD, new)
    accounted(d, OLD, new)
    r = rec(d, "mgmt-annual-training")
    assert r.change == CHANGED and r.match_by == "similarity"
    assert (r.old.id, r.new.id) == ("mgmt-training", "mgmt-annual-training")
    assert r.aspects == ("id_changed", "text_modified")
    expected = similarity(editorial_form("社区应每年组织楼长培训，培训内容见§。"),
                          editorial_form("社区应每年组织楼长业务培训，培训内容见§。"))
    assert r.score == round(expected, 4) and 0.6 <= r.score < 1
    assert r.to_json()["match"] == {"by": "similarity", "score": r.score}
    # Above the score: no match, an element removed and one added.
    strict = diff_editions(OLD, new, threshold=min(1.0, r.score + 0.01))
    assert rec(strict, "mgmt-training").change == REMOVED
    assert rec(strict, "mgmt-annual-training").change == ADDED
    accounted(strict, OLD, new)
    with pytest.raises(ValueError):
        diff_editions(OLD, new, threshold=0)


def test_dissimilar_text_under_a_new_id_is_added_and_removed():
    d = diff_editions(OLD, _renamed(["楼长证由街道统一制发。"]))
    assert rec(d, "mgmt-training").change == REMOVED
    assert rec(d, "mgmt-annual-training").change == ADDED


def test_similarity_matches_only_within_a_family_of_element_types():
    def mutate(spec):
        remove(spec, "mgmt-archive")
        find(spec, "terms")["children"].append(
            term("t-archive", "档案", "楼长工作档案保存期限为3年。"))
    d = diff_editions(OLD, new_edition(mutate))
    assert rec(d, "mgmt-archive").change == REMOVED
    assert rec(d, "t-archive").change == ADDED


# -- titles, terms, tables ------------------------------------------------------------------


def test_title_term_and_table_changes():
    def mutate(spec):
        find(spec, "req-patrol")["title"] = "日常巡查和报告"
        find(spec, "t-board")["title"] = "楼长信息公示牌"
        ledger = find(spec, "tb-ledger")
        ledger["rows"] = [
            ["日期", "住户", "平台事项编号", "依据条款"],
            ["6月1日", "3号楼", "001", [ref("visit-monthly")]],
            ["6月2日", "5号楼", "002", [ref("visit-record")]],
            ["6月3日", "7号楼", "003", "—"],
        ]
    d = diff_editions(OLD, new_edition(mutate))
    title = rec(d, "req-patrol")
    assert title.aspects == ("title_changed",)
    assert title.field("title").diff == (("=", "日常巡查"), ("+", "和报告"))
    board = rec(d, "t-board")
    assert board.aspects == ("term_renamed",)
    assert (board.field("term.term").old, board.field("term.term").new) == (
        "楼长公示牌", "楼长信息公示牌")
    ledger = rec(d, "tb-ledger")
    assert ledger.aspects == ("table_changed",)
    t = ledger.field("rows").table
    assert t.columns_added == ("平台事项编号",)
    assert t.rows_added == (("6月3日", "7号楼", "003", "—"),)
    assert t.columns == ((0, 0), (1, 1), (None, 2), (2, 3))
    assert foreword_items(d) == [
        "将术语“楼长公示牌”更改为“楼长信息公示牌”（见2.2，2019年版的2.2）",
        "将“日常巡查”更改为“日常巡查和报告”（见3.2，2019年版的3.2）",
        "在“楼长走访台账”中增加了“平台事项编号”栏和“6月3日”行（见表A.1，2019年版的表A.1）",
    ]
    valid(d)


# -- the 前言 change list ---------------------------------------------------------------------


def test_foreword_items_wording_and_order():
    def mutate(spec):
        remove(spec, "visit-topics")  # a clause with its list: one item
        find(spec, "req-visit")["children"].append(
            cl("visit-new-household", "对新迁入住户，楼长应在1个月内走访。", kind="requirement"))
        find(spec, "req-visit")["children"].append(
            cl("visit-festival", "重要节日前，楼长应增加走访。", kind="requirement"))
        find(spec, "mgmt")["children"].append(
            sec("mgmt-security", "信息安全",
                cl("security-account", "楼长应实名登录平台。", kind="requirement")))
        find(spec, "scope")["text"] = ["本文件规定了楼长的服务要求和管理要求。"]
        find(spec, "patrol-daily")["kind"] = "recommendation"
        find(spec, "patrol-daily")["text"] = ["楼长宜每天巡查负责楼宇，发现问题的按",
                                              ref("req-visit"), "报告。"]
    d = diff_editions(OLD, new_edition(mutate))
    items = foreword_items(d)
    assert items == [
        "更改了范围（见第1章，2019年版的第1章）",
        # One heading, one item; 下列情况 is too short to name the list, the clause does.
        "删除了走访时了解情况的要求，增加了“对新迁入住户，楼长应在1个月内走访”和"
        "“重要节日前，楼长应增加走访”的规定（见3.1.3、3.1.4，2019年版的3.1.3）",
        "将楼长每天巡查负责楼宇由允许改为推荐（见3.2.1，2019年版的3.2.1）",
        "增加了信息安全的要求（见4.3）",
    ]
    assert list_items(items)[-1].endswith("（见4.3）。")
    assert all(not re.search(r"[；。]$", i) for i in items)


def test_lead_in_of_a_list_names_the_removed_clause():
    before = base_spec()
    find(before, "visit-topics")["text"] = ["走访时应了解下列家庭和居住情况："]
    d = diff_editions(edition(before), new_edition(lambda s: remove(s, "visit-topics")))
    assert foreword_items(d) == ["删除了家庭和居住情况的要求（见2019年版的3.1.3）"]


def test_list_item_changes_are_items_of_their_clause():
    def mutate(spec):
        find(spec, "topic-family")["text"] = ["家庭成员和居住情况的变化；"]
        find(spec, "visit-topics")["children"].append(item("topic-risks", "安全隐患线索。"))
    d = diff_editions(OLD, new_edition(mutate))
    assert foreword_items(d) == [
        "将“家庭成员的变化”更改为“家庭成员和居住情况的变化”，"
        "在入户走访的要求中增加了“安全隐患线索”（见3.1.3，2019年版的3.1.3）"]


@pytest.mark.parametrize(("number", "label"), [
    ("T/X 1—2019", "2019年版"), ("T/X 1-2019", "2019年版"), ("G/DEZZ001—2020", "2020年版"),
    ("T/X 1", "T/X 1"),
])
def test_foreword_year_comes_from_the_old_number(number, label):
    from dataclasses import replace

    old = edition(base_spec(), replace(OLD_INFO, number=number))
    d = diff_editions(old, new_edition(lambda s: remove(s, "mgmt-archive")))
    assert foreword_items(d) == [f"删除了楼长工作档案保存期限为3年的规定（见{label}的4.2）"]


# -- reports ------------------------------------------------------------------------------


def _hostile():
    def mutate(spec):
        find(spec, "req-patrol")["title"] = "<script>alert(1)</script>巡查"
        find(spec, "mgmt-archive")["text"] = ["=HYPERLINK(\"http://x\") & <b>档案</b>"]
    return diff_editions(OLD, new_edition(mutate))


def test_html_escapes_everything_from_the_sources():
    d = _hostile()
    for page in (redline_html(d, lambda i: f"std.html#{i}"), comparison_html(d)):
        assert "<script>" not in page and "<b>档案" not in page
        assert "&lt;script&gt;" in page
        assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")


def test_redline_marks_changes_and_links_each_element():
    def mutate(spec):
        remove(spec, "mgmt-archive")
        find(spec, "visit-monthly")["text"] = ["楼长应每月走访负责楼宇的居民家庭不少于2次。"]
    new = new_edition(mutate)
    d = diff_editions(OLD, new)
    href = lambda i: None if i == "scope" else f"../html/std.html#{i}"  # noqa: E731
    # The detail view: every element of both editions, each linking into the new HTML.
    page = redline_html(d, href, detail=True)
    assert "<del>1</del><ins>2</ins>" in page
    assert '<del>楼长工作档案保存期限为3年。</del>' in page
    for clause in new.walk():
        assert f'id="c-{clause.id}"' in page
        if clause.id != "scope":
            assert f'href="../html/std.html#{clause.id}"' in page
    assert 'href="../html/std.html#scope"' not in page
    assert 'id="removed-mgmt-archive"' in page
    for target in re.findall(r'href="#([^"]+)"', page):
        assert f'id="{target}"' in page
    # The reviewer view: only what changed, in plain words, each 前言 item leading to it.
    page = redline_html(d, href)
    assert "<del>1</del><ins>2</ins>" in page
    assert '<del>楼长工作档案保存期限为3年。</del>' in page
    assert 'id="c-visit-monthly"' in page and 'id="removed-mgmt-archive"' in page
    assert 'id="c-patrol-daily"' not in page  # unchanged: no card
    assert 'href="../html/std.html#visit-monthly"' in page
    for target in re.findall(r'href="#([^"]+)"', page):
        assert f'id="{target}"' in page
    assert "将楼长每月走访负责楼宇的居民家庭的次数由不少于1次改为不少于2次" in page
    for developer in ("visit-monthly", "相似度", "metadata", "（role）"):
        assert developer not in strip_tags(page.split("</style>", 1)[1])


def test_csv_is_excel_friendly_and_injection_safe():
    d = _hostile()
    text = comparison_csv(d)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["原条款号", "原条文", "新条款号", "新条文", "修订说明"]
    assert all(len(r) == 5 for r in rows)
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@"))
    assert [neutralise(c) for c in ("=1+1", "+1", "-1", "@SUM(A1)", "楼长")] == [
        "'=1+1", "'+1", "'-1", "'@SUM(A1)", "楼长"]


def test_csv_neutralises_a_reference_that_looks_like_a_formula():
    """An unnumbered element is cited by its title, which could be anything."""
    bad = model.Clause(id="odd", element_type=model.CLAUSE, number=None, title="=1+2",
                       text="某段文字。", source="t.md", line=1)
    old = model.Edition(OLD_INFO, (*OLD.clauses, bad))
    d = diff_editions(old, OLD)
    rows = list(csv.reader(io.StringIO(comparison_csv(d)[1:])))
    assert rows[1][0] == "'=1+2" and rows[1][2:4] == ["", ""]
    assert rows[1][1] == "'=1+2\n某段文字。" and rows[1][4].startswith("删除了")


def test_json_is_deterministic_and_valid():
    d = _hostile()
    a = json.dumps(d.to_json(), ensure_ascii=False, sort_keys=True)
    b = json.dumps(diff_editions(OLD, d.new).to_json(), ensure_ascii=False, sort_keys=True)
    assert a == b
    valid(d)
    data = json.loads(a)
    data["records"][0]["change"] = "renamed"
    assert not VALIDATOR.is_valid(data)


def test_typst_redline_is_self_contained_and_compiles():
    d = _hostile()
    src = redline_typst(d, "Serif \"X\"", "Sans")
    assert "#import" not in src and "@preview" not in src
    assert '"Serif \\"X\\""' in src
    assert "#del[" in src and "#ins[" in src
    assert "\\<script\\>" in src  # ASCII symbols escaped
    typst = pytest.importorskip("typst")
    from tooling.typeset.fonts import FontsNotFound, choose_fonts

    try:
        fonts = choose_fonts()
    except FontsNotFound:
        pytest.skip("no CJK font")
    for src in (redline_typst(d, fonts.serif, fonts.sans),
                redline_typst(d, fonts.serif, fonts.sans, detail=True),
                comparison_typst(d, fonts.serif, fonts.sans, all_rows=True)):
        assert "#import" not in src and "@preview" not in src
        pdf = typst.compile(src.encode("utf-8"), format="pdf", font_paths=list(fonts.font_paths))
        assert pdf.startswith(b"%PDF")
        # The edition's date (or none), never the day of the build: a rebuild tomorrow is
        # byte-identical.
        date = re.search(r"#set document\(title: .*, date: (datetime\([^)]*\)|none)\)", src)
        assert date is not None, src[:300]


# -- properties on random edits -------------------------------------------------------------

NEW_TEXTS = ["社区应建立楼长名册。", "楼长宜参加议事会。", "楼长可以推荐志愿者。",
             "街道应每季度检查台账。"]


@st.composite
def edits(draw, renumber_only=False):
    """A list of random edit operations (as data, applied by apply_edits)."""
    kinds = ["insert_chapter", "insert_clause"]
    if not renumber_only:
        kinds += ["delete", "text", "editorial", "kind", "move", "rename", "title"]
    count = draw(st.integers(min_value=1, max_value=4))
    return [(draw(st.sampled_from(kinds)), draw(st.integers(0, 10_000)),
             draw(st.integers(0, 10_000))) for _ in range(count)]


def apply_edits(ops):
    spec = base_spec()
    for serial, (op, a, b) in enumerate(ops, start=1):
        all_nodes = [n for _, n in nodes(spec)]
        clauses = [n for n in all_nodes if n["t"] in ("clause", "para", "item")]
        sections = [n for n in all_nodes if n["t"] == "sec" and not n["annex"]
                    and n["id"] not in ("terms",)]
        if op == "insert_chapter":
            pos = a % (len(spec) - 1)  # never after the annex
            spec.insert(pos, sec(f"new-ch-{serial}", f"新章{serial}",
                                 cl(f"new-cl-{serial}", NEW_TEXTS[b % 4], kind="requirement")))
        elif op == "insert_clause":
            target = sections[a % len(sections)]
            pos = b % (len(target["children"]) + 1)
            if any(c["t"] == "sec" for c in target["children"]):
                new = sec(f"new-sec-{serial}", f"新条{serial}",
                          cl(f"new-cl-{serial}", NEW_TEXTS[b % 4]))
            else:
                new = cl(f"new-cl-{serial}", NEW_TEXTS[b % 4], kind="requirement")
            target["children"].insert(pos, new)
        elif op == "delete" and clauses:
            remove(spec, clauses[a % len(clauses)]["id"])
        elif op == "text" and clauses:
            clauses[a % len(clauses)]["text"].append("并做好记录。")
        elif op == "editorial" and clauses:
            node = clauses[a % len(clauses)]
            node["text"] = [s.replace("，", "、").replace("。", "．") if isinstance(s, str) else s
                            for s in node["text"]] + [" "]
        elif op == "kind" and clauses:
            node = clauses[a % len(clauses)]
            if node["t"] != "item":
                node["kind"] = ["requirement", "recommendation", "permission", "statement"][b % 4]
        elif op == "move" and clauses:
            node = clauses[a % len(clauses)]
            leaf_sections = [s for s in sections
                             if not any(c["t"] == "sec" for c in s["children"])]
            target = leaf_sections[b % len(leaf_sections)]
            if node["t"] != "item" and node not in target["children"]:
                remove(spec, node["id"])
                target["children"].append(node)
        elif op == "rename" and clauses:
            node = clauses[a % len(clauses)]
            old_id, node["id"] = node["id"], node["id"] + f"-r{serial}"
            for _, other in nodes(spec):  # authors rename the references too
                other["text"] = [ref(node["id"]) if s == ref(old_id) else s
                                 for s in other.get("text", [])]
                for row in other.get("rows", []):
                    row[:] = [[ref(node["id"]) if s == ref(old_id) else s for s in c]
                              if isinstance(c, list) else c for c in row]
        elif op == "title":
            titled = [n for n in all_nodes if n["t"] == "sec"]
            titled[a % len(titled)]["title"] += "要求"
    return spec


PROPERTY = settings(deadline=None, max_examples=50,
                    suppress_health_check=[HealthCheck.too_slow])


@given(edits())
@PROPERTY
def test_every_element_is_accounted_for_once(ops):
    new = edition(apply_edits(ops), NEW_INFO)
    d = diff_editions(OLD, new)
    accounted(d, OLD, new)
    valid(d)
    for r in d.records:
        assert r.change != CHANGED or r.aspects
        assert r.score is None or r.score >= d.threshold
    # The reports accept whatever the diff holds.
    assert summary_text(d) and comparison_csv(d).startswith("\ufeff")
    assert redline_html(d, lambda i: None).startswith("<!DOCTYPE html>")
    # The 前言 list accounts for every change once: listed or cited in exactly one item,
    # or left out with a reason.
    changes = change_list(d)
    assert len({c.key for c in changes.changes}) == len(changes.changes)
    for c in changes.changes:
        holding = [item for item in changes.items if c.key in item.changes]
        if c.status == "listed":
            assert len(holding) == 1, c
        elif c.status in ("consequence", "editorial", "metadata"):
            assert holding == [] and c.reason, c
        else:
            assert len(holding) <= 1, c
    assert len(changes.items) == len({i.key for i in changes.items})
    for item in changes.items:
        assert item.refs.startswith("（见") and item.refs.endswith("）"), item
    # …and every row of the 条款对照表 says what changed.
    assert all(row.note for row in comparison_table(d))


@given(edits(renumber_only=True))
@PROPERTY
def test_inserting_elements_only_renumbers_the_others(ops):
    new = edition(apply_edits(ops), NEW_INFO)
    d = diff_editions(OLD, new)
    accounted(d, OLD, new)
    for r in d.records:
        if r.change == CHANGED:
            assert set(r.aspects) <= {"renumbered", "references_renumbered"}, r
            assert r.category == "structural"
        else:
            assert r.change == ADDED
    assert all(not i.startswith("更改了") for i in foreword_items(d))


@given(edits())
@PROPERTY
def test_diff_backwards_mirrors_diff_forwards(ops):
    new = edition(apply_edits(ops), NEW_INFO)
    forward, backward = diff_editions(OLD, new), diff_editions(new, OLD)
    assert forward.unchanged == backward.unchanged
    swap = {"strengthened": "weakened", "weakened": "strengthened"}
    mirror_change = {ADDED: REMOVED, REMOVED: ADDED, CHANGED: CHANGED}

    def key(r, flip):
        o, n = (r.old.id if r.old else None), (r.new.id if r.new else None)
        return (n, o) if flip else (o, n)

    back = {key(r, True): r for r in backward.records}
    assert set(back) == {key(r, False) for r in forward.records}
    for r in forward.records:
        b = back[key(r, False)]
        assert b.change == mirror_change[r.change]
        assert (b.old, b.new) == (r.new, r.old)
        assert sorted(swap.get(a, a) for a in b.aspects) == sorted(r.aspects)
        assert b.score == r.score and b.category == r.category
        assert [(f.field, f.new, f.old, f.nature) for f in b.fields] == [
            (f.field, f.old, f.new, f.nature) for f in r.fields]


@given(edits())
@PROPERTY
def test_records_follow_the_new_edition_order(ops):
    new = edition(apply_edits(ops), NEW_INFO)
    d = diff_editions(OLD, new)
    order = {c.id: k for k, c in enumerate(new.walk())}
    positions = [order[r.new.id] for r in d.records if r.new]
    assert positions == sorted(positions)
    assert len(d.alignment) == len(set(d.alignment))


# -- the wording model on changes the real pair does not have -------------------------------


def _one(old_text, new_text, kind="requirement"):
    before = base_spec()
    find(before, "mgmt-archive").update(text=[old_text], kind=kind)
    after = base_spec()
    find(after, "mgmt-archive").update(text=[new_text], kind=kind)
    return foreword_items(diff_editions(edition(before), edition(after, NEW_INFO)))


@pytest.mark.parametrize(("old", "new", "kind", "item"), [
    # A figure at the end of a provision: what it measures, from before to after.
    ("楼长年龄原则上应不超过65周岁。", "楼长年龄原则上应不超过70周岁。", "requirement",
     "将楼长年龄由不超过65周岁改为不超过70周岁"),
    ("年度走访覆盖率应为100%。", "年度走访覆盖率应不低于95%。", "requirement",
     "将年度走访覆盖率由100%改为不低于95%"),
    ("楼长工作档案保存期限为3年。", "楼长工作档案保存期限为5年，电子档案长期保存。", "statement",
     "将楼长工作档案保存期限由3年改为5年，增加了电子档案长期保存的规定"),
    # A figure inside a provision: the provision quoted both ways.
    ("楼长收到居民诉求后，应在24 h内处理。", "楼长收到居民诉求后，应在12 h内处理。", "requirement",
     "将“在24 h内处理”更改为“在12 h内处理”"),
    # A prohibition instead of a requirement: quoted whole, never "将“楼长”更改为“楼长不”".
    ("楼长应公开本人的联系电话。", "楼长不应公开本人的联系电话。", "requirement",
     "将“应公开本人的联系电话”更改为“不应公开本人的联系电话”"),
    # Something added to a provision, with its subject.
    ("楼长应每月走访居民家庭。", "楼长应每月走访居民家庭，并记入台账。", "requirement",
     "增加了楼长记入台账的要求"),
    # A permission made a requirement.
    ("楼长可每天巡查负责楼宇。", "楼长应每天巡查负责楼宇。", "permission",
     "将楼长每天巡查负责楼宇由允许改为要求"),
    # A rewrite is not spelled out word by word.
    ("社区应每年组织楼长培训。", "街道办事处宜每半年组织网格员、楼长和志愿者联合演练。",
     "requirement", "更改了管理的要求"),
])
def test_wording_of_changes_the_real_pair_does_not_have(old, new, kind, item):
    assert _one(old, new, kind) == [f"{item}（见4.2，2019年版的4.2）"]


def test_wording_of_table_cells_terms_titles_and_annexes():
    def mutate(spec):
        find(spec, "tb-ledger")["rows"][1] = ["6月1日", "4号楼", [ref("visit-monthly")]]
        find(spec, "t-steward")["text"] = ["协助社区党组织和居委会开展公共事务管理的居民。"]
        find(spec, "req").update(title="服务内容和要求")
        find(spec, "annex-forms").update(annex="normative")
    assert foreword_items(diff_editions(OLD, new_edition(mutate))) == [
        "更改了术语“楼长”的定义（见2.1，2019年版的2.1）",
        "将“服务要求”更改为“服务内容和要求”（见第3章，2019年版的第3章）",
        "将“记录表格”由资料性附录更改为规范性附录（见附录A，2019年版的附录A）",
        "将“楼长走访台账”中的“3号楼”更改为“4号楼”（见表A.1，2019年版的表A.1）",
    ]
