"""The revision diff on the real pair: G/DEZZ001—2020 (standard/) against the DB3715/T draft
(editions/db3715t-draft/), checked against the intended changes listed in
tests/fixtures/revision-intent.yaml."""

from __future__ import annotations

import json
import time
from pathlib import Path

import jsonschema
import pytest
import yaml

from tooling.diff.match import ADDED, CHANGED, REMOVED, diff_editions
from tooling.diff.reports import comparison_csv, foreword_items, redline_html, summary_text
from tooling.model import Edition

from .conftest import FIXTURES, ROOT, STANDARD

DRAFT = ROOT / "editions" / "db3715t-draft"
INTENT = FIXTURES / "revision-intent.yaml"


def _build(source: Path, out: Path) -> Edition:
    from tooling.cli import main

    assert main(["build", "index", "-q", "--source", str(source), "--out", str(out)]) == 0
    return Edition.loads((out / "index" / "clause-index.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    base = tmp_path_factory.mktemp("diff-golden")
    return _build(STANDARD, base / "old"), _build(DRAFT, base / "new")


@pytest.fixture(scope="module")
def diff(editions):
    return diff_editions(*editions)


@pytest.fixture(scope="module")
def intent():
    return yaml.safe_load(INTENT.read_text("utf-8"))


def by_old(diff, clause_id):
    (record,) = [r for r in diff.records if r.old and r.old.id == clause_id]
    return record


def by_new(diff, clause_id):
    (record,) = [r for r in diff.records if r.new and r.new.id == clause_id]
    return record


def with_aspect(diff, aspect):
    return {r.new.id for r in diff.records if r.new and aspect in r.aspects}


def test_every_element_is_in_one_record_or_unchanged(diff, editions):
    old, new = editions
    old_seen = [r.old.id for r in diff.records if r.old]
    new_seen = [r.new.id for r in diff.records if r.new]
    assert len(set(old_seen)) == len(old_seen) and len(set(new_seen)) == len(new_seen)
    assert len(old_seen) + diff.unchanged == len(list(old.walk()))
    assert len(new_seen) + diff.unchanged == len(list(new.walk()))


def test_added_and_removed(diff, intent):
    assert {r.new.id for r in diff.records if r.change == ADDED} == set(intent["added"])
    assert {r.old.id for r in diff.records if r.change == REMOVED} == set(intent["removed"])
    for r in diff.records:
        if r.change in (ADDED, REMOVED):
            assert r.category == "technical"


def test_text_modified_are_technical_text_changes(diff, intent):
    renamed = set(intent["renamed_ids"].values())
    for clause_id in intent["text_modified"]:
        r = by_new(diff, clause_id)
        assert "text_modified" in r.aspects, (clause_id, r.aspects)
        assert r.category == "technical"
        assert r.field("text").nature == "technical"
    # … and nothing else changed its text (the generated 前言 is not listed, a renamed id is
    # listed apart).
    reported = with_aspect(diff, "text_modified") - {"foreword"} - renamed
    assert reported == set(intent["text_modified"])
    assert by_new(diff, "foreword").category == "front_matter"


def test_editorial_changes_are_editorial_only(diff, intent):
    for clause_id in intent["editorial"]:
        r = by_new(diff, clause_id)
        assert r.category == "editorial", (clause_id, r.aspects)
        assert set(r.aspects) <= {"renumbered", "editorial"} and "editorial" in r.aspects
        assert r.field("text").nature == "editorial"
    assert {r.new.id for r in diff.records if r.category == "editorial"} == set(
        intent["editorial"])


def test_metadata_changes_field_by_field(diff, intent):
    for clause_id, changes in intent["metadata_changed"].items():
        r = by_new(diff, clause_id)
        assert "metadata_changed" in r.aspects
        reported = {f.field.removeprefix("metadata."): [f.old, f.new]
                    for f in r.fields if f.field.startswith("metadata.")}
        assert reported == changes, clause_id
    assert with_aspect(diff, "metadata_changed") == set(intent["metadata_changed"])


def test_strengthened_and_weakened(diff, intent):
    assert with_aspect(diff, "strengthened") == set(intent["strengthened"])
    assert with_aspect(diff, "weakened") == set(intent["weakened"])
    for clause_id in intent["strengthened"]:
        o = by_new(diff, clause_id).obligation
        assert (o.direction, o.basis, o.old, o.new) == (
            "strengthened", "metadata", "recommendation", "requirement")


def test_moved_with_old_and_new_parents(diff, intent):
    for clause_id, (old_parent, new_parent) in intent["moved"].items():
        r = by_new(diff, clause_id)
        assert "moved" in r.aspects
        parent = r.field("parent")
        assert (parent.old, parent.new) == (old_parent, new_parent)
        assert (r.old.parent, r.new.parent) == (old_parent, new_parent)
    assert with_aspect(diff, "moved") == set(intent["moved"])


def test_renumbered_only(diff, intent):
    for clause_id in intent["renumbered_only"]:
        r = by_new(diff, clause_id)
        assert r.renumbered_only, (clause_id, r.aspects)
        assert r.category == "structural"
        assert r.old.number != r.new.number


def test_renamed_ids_matched_by_similarity(diff, intent):
    for old_id, new_id in intent["renamed_ids"].items():
        r = by_old(diff, old_id)
        assert r.change == CHANGED and r.new.id == new_id
        assert r.match_by == "similarity" and r.score >= diff.threshold
        assert "id_changed" in r.aspects
    assert {r.old.id for r in diff.records if r.match_by == "similarity"} == set(
        intent["renamed_ids"])


def test_term_renamed(diff, intent):
    for clause_id, (old, new) in intent["term_renamed"].items():
        r = by_new(diff, clause_id)
        assert "term_renamed" in r.aspects and r.category == "technical"
        f = r.field("term.term")
        assert (f.old, f.new) == (old, new)
    assert with_aspect(diff, "term_renamed") == set(intent["term_renamed"])


def test_annex_tables_changed(diff, intent):
    for clause_id in intent["annex_changed"]:
        r = by_new(diff, clause_id)
        assert "table_changed" in r.aspects and r.category == "technical"
    assert with_aspect(diff, "table_changed") == set(intent["annex_changed"])
    ledger = by_new(diff, "table-visit-ledger").field("rows").table
    assert ledger.columns_added == ("平台事项编号",)
    board = by_new(diff, "table-notice-board").field("rows").table
    assert [row[0] for row in board.rows_added] == ["所在网格和网格员"]


def test_references_that_follow_a_renumbering_are_not_changes(diff, intent):
    for clause_id in intent["references_renumbered"]:
        r = by_new(diff, clause_id)
        assert r.category == "structural", (clause_id, r.aspects)
        assert "references_renumbered" in r.aspects
        assert set(r.aspects) <= {"renumbered", "references_renumbered"}
    structural_refs = {r.new.id for r in diff.records
                       if r.category == "structural" and "references_renumbered" in r.aspects}
    assert structural_refs == set(intent["references_renumbered"])


def test_backwards_diff_mirrors(diff, editions):
    old, new = editions
    back = diff_editions(new, old)
    assert back.unchanged == diff.unchanged
    assert {r.old.id for r in back.records if r.change == REMOVED} == {
        r.new.id for r in diff.records if r.change == ADDED}
    assert with_aspect(diff, "strengthened") == {
        r.old.id for r in back.records if "weakened" in r.aspects}


def test_foreword_items(diff):
    items = foreword_items(diff)
    expected = [
        "更改了“范围”（见第1章，2020年版的第1章）",
        "将“楼长公示牌”更改为“楼长信息公示牌”（见3.9，2020年版的3.9）",
        "增加了术语“网格”“网格员”“网格化服务管理平台”（见3.10～3.12）",
        "增加了“基本原则”（见第4章）",
        "更改了传达党的方针政策的要求，由要求型条款更改为推荐型条款（见7.2.2，2020年版的6.2.2）",
        "更改了维护平安稳定的要求（见7.6.2，2020年版的6.6.2）",
        "增加了“网格化服务”（见8.6）",
        "增加了“信息安全”（见11.4）",
        "更改了公示服务的要求（见8.4.1～8.4.3，2020年版的7.4.1～7.4.3）",
        "更改了培训的要求，由推荐型条款更改为要求型条款（见11.2.3，2020年版的10.2.2）",
    ]
    for item in expected:
        assert item in items, item
    # Editorial, renumbering-only and moved clauses are not listed.
    text = "\n".join(items)
    for ref in ("5.1.2", "5.1.3", "10.1.4", "11.5.3", "8.7.3", "6.2.2"):
        assert f"见{ref}" not in text and f"、{ref}" not in text, ref
    # In the new edition's order.
    assert items.index(expected[3]) < items.index(expected[4]) < items.index(expected[6])


def test_reports_and_schema(diff):
    schema = json.loads((ROOT / "tooling" / "schemas" / "diff.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(json.dumps(diff.to_json(), ensure_ascii=False, sort_keys=True))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    assert summary_text(diff).startswith("条款级修订差异：G/DEZZ001—2020 → DB3715/T")
    page = redline_html(diff, lambda i: f"index.html#{i}")
    assert page.count('class="el ') == len(diff.alignment)
    assert comparison_csv(diff).count("\r\n") == len(diff.records) + 1
    assert diff.has_changes("technical")


def test_diff_is_fast(editions):
    diff_editions(*editions)  # warm up the word segmenter
    start = time.perf_counter()
    diff_editions(*editions)
    assert time.perf_counter() - start < 2.0
