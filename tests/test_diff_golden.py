"""The revision diff on the real pair: G/DEZZ001—2020 (standard/) against the DB3715/T draft
(editions/db3715t-draft/), checked against the intended changes listed in
tests/fixtures/revision-intent.yaml, and the 前言 change list against a golden file.

The golden 前言 list (tests/fixtures/revision-foreword.txt, what ``foreword.txt`` holds)
==========================================================================================

It is generated; ``STDKIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_diff_golden.py``
rewrites it after the draft changes. Then read the new file as a drafter would and check, line
by line, what was checked for the version committed (17 items, a) to q)):

1. The lead sentence is GB/T 1.1—2020's: 本文件代替G/DEZZ001—2020《…》，与G/DEZZ001—2020相比，
   除结构调整和编辑性改动外，主要技术变化如下： (em dashes; the last item ends "。", the
   others "；").
2. No item for a change of metadata only: 6.1.1 (执行主体) and 8.3.2 (证明记录) are not cited
   (they are in the 条款对照表, its 修订说明 saying so).
3. The rename 楼长公示牌 → 楼长信息公示牌 is one item, b), citing 3.7 only; the clauses and
   the annex that only follow it (6.5.4, 8.4.1, 8.4.2, 12.1.3, 附录D) are not cited.
4. j) states the key change with its values, "由不少于1次改为不少于2次", and cites 附录B with
   8.1.2 (附录B's "1条" → "2条" follows it).
5. Editorial changes are not listed: punctuation (5.1.2, 5.1.3, 10.1.4, 11.5.3) and the
   dropped "基本" (5.3.3).
6. f) is "增加了楼长每届任期5年的规定".
7. e), h) and m) say what became required or recommended, in the provision's own words
   ("将楼长…由推荐改为要求"); nothing says "型条款".
8. One item per topic (a titled clause), no heading twice: the three changes of 11.2 培训
   are one item, m); the removal and the change in 档案管理 one item, n); the tables of
   附录A and 表D.1, whose new rows refer to 8.6, and 9.1.1 (now worded as 8.6.1), are cited
   in k), the item of 8.6.
9. Items follow the new edition's order; each ends with its reference, new places first,
   then "2020年版的…" (none for an addition, only the old one for a deletion).
10. No ids, field names or similarity scores anywhere.

The tests below check what holds whatever the draft says (the form of every item, and the
intent file's metadata-only, editorial and renamed changes); the golden file holds the words.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
import yaml

from tooling.diff.match import ADDED, CHANGED, REMOVED, diff_editions
from tooling.diff.reports import comparison_csv, comparison_table, redline_html, summary_text
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


GOLDEN = FIXTURES / "revision-foreword.txt"


def test_foreword_list_matches_the_golden_file(diff):
    """The whole generated list; see the module docstring for what to check when it changes."""
    from tooling.diff.foreword import change_list, foreword_text

    text = foreword_text(diff, change_list(diff))
    if os.environ.get("STDKIT_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, "utf-8")
    assert text == GOLDEN.read_text("utf-8"), (
        "the 前言 list changed: read it as the module docstring says, then "
        "STDKIT_UPDATE_GOLDEN=1 to rewrite tests/fixtures/revision-foreword.txt")


# A 前言 item in GB/T 1.1—2020's forms, with its reference.
ITEM = re.compile(
    r"^(增加了|删除了|将|更改了|在|楼长).+（见[^（）]+）$")


def test_foreword_items_have_the_gbt_form(diff, intent):
    from tooling.diff.foreword import change_list

    changes = change_list(diff)
    items = changes.texts()
    assert 8 <= len(items) <= 20
    for item in items:
        assert ITEM.match(item), item
        assert "型条款" not in item and "标识" not in item and "相似度" not in item
        assert not re.search(r"[a-z]{3,}", item), item  # no ids, no field names
    text = "\n".join(items)
    old, new = diff.old, diff.new

    def cited(clause_id):
        refs = set()
        if clause_id in new:
            refs.add(new.reference_text(clause_id))
        if clause_id in old:
            refs.add("2020年版的" + old.reference_text(clause_id))
        return any(re.search(rf"[见、，]{re.escape(r)}[、，）]", text) for r in refs)

    # Only the metadata changed: not in the 前言.
    for clause_id in set(intent["metadata_changed"]) - set(intent["text_modified"]):
        assert not cited(clause_id), clause_id
    # Editorial changes are not listed.
    for clause_id in intent["editorial"]:
        assert not cited(clause_id), clause_id
    # A rename is reported once, at the term.
    for was, now in intent["term_renamed"].values():
        renamed = [i for i in items if f"“{was}”更改为“{now}”" in i]
        assert len(renamed) == 1 and renamed[0].startswith("将术语"), renamed
    # Items in the new edition's order: the first new place of each item ascends.
    order = {new.reference_text(c.id): k for k, c in enumerate(new.walk())}
    firsts = [order[m.group(1)] for i in items
              if (m := re.search(r"（见([^，、）]+)", i)) and m.group(1) in order]
    assert firsts == sorted(firsts)
    # Every change the 前言 leaves out says why, for the 条款对照表.
    for c in changes.changes:
        if c.status in ("editorial", "metadata", "consequence", "cited"):
            assert c.reason, c.key


def test_comparison_table_one_row_per_technical_change_with_both_texts(diff, editions):
    """The 条款对照表 for the 编制说明: every technical change in exactly one row (a list item in
    its clause's row), each row with the texts of the editions it is in; renumbering alone
    is left out."""
    old, new = editions
    rows = comparison_table(diff)

    def holder(edition, clause_id):
        clause = edition[clause_id]
        while clause.element_type == "list-item":
            clause = edition.parent(clause.id)
        return edition.reference_text(clause.id)

    covered = Counter()
    for r in diff.records:
        if r.category != "technical" or (r.new and r.new.id == "foreword"):
            continue
        where = (holder(old, r.old.id) if r.old else "", holder(new, r.new.id) if r.new else "")
        if r.new and r.old is None:
            where = (next((row.old_number for row in rows if row.new_number == where[1]), ""),
                      where[1])
        if r.old and r.new is None:
            where = (where[0],
                     next((row.new_number for row in rows if row.old_number == where[0]), ""))
        matching = [row for row in rows if (row.old_number, row.new_number) == where]
        assert len(matching) == 1, (r.old and r.old.id, r.new and r.new.id, where)
        covered[where] += 1
    for row in rows:
        if row.old_number:
            assert row.old_text.strip(), row
        if row.new_number:
            assert row.new_text.strip(), row
        assert row.note.strip(), row
        assert "（" not in row.note[:1]
    numbers = {(row.old_number, row.new_number) for row in rows}
    assert len(numbers) == len(rows)  # one row per provision
    for r in diff.records:
        # Renumbered alone: no row — unless a list item of it changed (it is in its row).
        if r.renumbered_only and covered[(r.old.reference, r.new.reference)] == 0:
            assert (r.old.reference, r.new.reference) not in numbers
    # Texts as each edition prints them, with the list items of a clause.
    epidemic = next(row for row in rows if row.old_number == "6.6.2")
    assert epidemic.old_text.startswith("发生突发公共卫生事件时") and "d) 楼宇出入管理" in \
        epidemic.old_text
    contact = next(row for row in rows
                   if row.new_number == new.reference_text("special-household-contact"))
    assert contact.old_text == old["special-household-contact"].text
    assert contact.new_text == new["special-household-contact"].text
    assert ("-", "1") in contact.old_segments and ("+", "2") in contact.new_segments


def test_reports_and_schema(diff):
    schema = json.loads((ROOT / "tooling" / "schemas" / "diff.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(json.dumps(diff.to_json(), ensure_ascii=False, sort_keys=True))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    assert summary_text(diff).startswith("条款级修订差异：G/DEZZ001—2020 → DB3715/T")
    page = redline_html(diff, lambda i: f"index.html#{i}", detail=True)
    assert page.count('class="el ') == len(diff.alignment)
    assert comparison_csv(diff).count("\r\n") == len(comparison_table(diff)) + 1
    assert diff.has_changes("technical")


def test_diff_is_fast(editions):
    diff_editions(*editions)  # warm up the word segmenter
    start = time.perf_counter()
    diff_editions(*editions)
    assert time.perf_counter() - start < 2.0
