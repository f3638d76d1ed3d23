"""GB/T numbering on hand-built structures, without Sphinx."""

from __future__ import annotations

from tooling import model
from tooling.model.numbering import (
    INCLUDE,
    SECTION,
    DocElements,
    RawElement,
    Ref,
    annex_letter,
    assemble,
)

INFO = model.EditionInfo(
    doc_class="group", class_line="团体标准", number="T/X 1—2024", title_zh="测试",
    stage="published", issuer="测试协会", drafting_units=("测试协会",),
)


def sec(id_: str, title: str, *children: RawElement, annex: str | None = None) -> RawElement:
    return RawElement(SECTION, id=id_, title=title, children=children, annex=annex,
                      source="t.md", line=1)


def clause(id_: str, *children: RawElement, text: str = "", numbered: bool = True,
           line: int = 1) -> RawElement:
    kind = model.UNTITLED if numbered else model.PARAGRAPH
    return RawElement(kind, id=id_, segments=(text,), children=children, source="t.md", line=line)


def table(id_: str) -> RawElement:
    return RawElement(model.TABLE, id=id_, title="表题", source="t.md", line=1)


def build(*tops: RawElement, refs=()) -> tuple[model.Edition, list]:
    return assemble(INFO, {"index": DocElements("index", tops, tuple(refs))}, "index")


def numbers(edition: model.Edition) -> dict[str, str | None]:
    return {c.id: c.number for c in edition.walk()}


def test_chapters_and_clauses_to_any_depth():
    edition, problems = build(
        sec("scope", "范围"),
        sec("req", "要求",
            sec("req-a", "甲", sec("req-a-1", "子", sec("deep", "深", clause("deepest")))),
            sec("req-b", "乙")),
    )
    assert problems == []
    assert numbers(edition) == {
        "scope": "1", "req": "2", "req-a": "2.1", "req-a-1": "2.1.1", "deep": "2.1.1.1",
        "deepest": "2.1.1.1.1", "req-b": "2.2",
    }
    assert edition["req"].element_type == model.CHAPTER
    assert edition["req-a"].element_type == model.CLAUSE
    assert edition["deepest"].element_type == model.UNTITLED


def test_untitled_clauses_beside_titled_share_one_counter():
    edition, _ = build(sec("ch", "章", clause("u1"), sec("t1", "有标题"), clause("u2")))
    assert numbers(edition) == {"ch": "1", "u1": "1.1", "t1": "1.2", "u2": "1.3"}


def test_unnumbered_paragraph_cites_as_its_parent():
    edition, _ = build(sec("ch", "章", sec("t", "条", clause("p", numbered=False), clause("u"))))
    assert edition["p"].number is None
    assert edition.reference_text("p") == "1.1"
    assert edition["u"].number == "1.1.1"


def test_preliminary_elements_are_unnumbered_and_introduction_counts_from_zero():
    edition, _ = build(
        sec("foreword", "前言"),
        sec("intro", "引言", sec("intro-a", "背景"), sec("intro-b", "结构")),
        sec("scope", "范围"),
        sec("biblio", "参考文献"),
    )
    assert numbers(edition) == {
        "foreword": None, "intro": None, "intro-a": "0.1", "intro-b": "0.2", "scope": "1",
        "biblio": None,
    }
    assert edition["foreword"].element_type == model.FOREWORD
    assert edition["biblio"].element_type == model.BIBLIOGRAPHY


def test_annexes_take_letters_and_their_tables_restart():
    edition, _ = build(
        sec("ch1", "一", table("t1")),
        sec("ch2", "二", clause("c", table("t2"))),
        sec("ax-a", "表格", sec("ax-a-1", "说明", table("ta1"), table("ta2")), annex="informative"),
        sec("ax-b", "要求", clause("b1"), table("tb1"), annex="normative"),
    )
    assert numbers(edition) == {
        "ch1": "1", "t1": "1", "ch2": "2", "c": "2.1", "t2": "2",
        "ax-a": "A", "ax-a-1": "A.1", "ta1": "A.1", "ta2": "A.2",
        "ax-b": "B", "b1": "B.1", "tb1": "B.1",
    }
    assert edition["ax-a"].annex_obligation == "资料性"
    assert edition["ax-b"].annex_obligation == "规范性"
    assert [edition.reference_text(i) for i in ("t1", "ta2", "ax-b", "ch2")] == [
        "表1", "表A.2", "附录B", "第2章",
    ]


def test_list_items_number_from_their_clause():
    item = RawElement(model.LIST_ITEM, id="it-b", label="b)", source="t.md", line=3,
                      children=(RawElement(model.LIST_ITEM, id="it-b-2", label="2)",
                                           source="t.md", line=4),))
    edition, _ = build(sec("ch", "章", sec("s", "条", clause("c", item))))
    assert edition["it-b"].number == "1.1.1 b)"
    assert edition["it-b-2"].number == "1.1.1 b) 2)"
    assert edition.reference_text("it-b") == "1.1.1 b)"


def test_terms_are_numbered_like_clauses():
    term = RawElement(model.TERM, id="t-steward", title="楼长", source="t.md", line=1,
                      term=model.Term("楼长", "building steward"))
    edition, _ = build(sec("scope", "范围"), sec("refs", "规范性引用文件"), sec("terms", "术语和定义", term))
    assert edition["t-steward"].number == "3.1"
    assert edition["t-steward"].term == model.Term("楼长", "building steward")


def test_references_render_current_numbers_and_follow_renumbering():
    refd = clause("target")
    citing = RawElement(model.UNTITLED, id="citing", segments=("见", Ref("target"), "。"),
                        source="t.md", line=1)
    edition, _ = build(sec("a", "甲", refd, citing))
    assert edition["citing"].text == "见1.1。"
    edition, _ = build(sec("new", "新章"), sec("a", "甲", clause("x"), refd, citing))
    assert edition["citing"].text == "见2.2。"


def test_includes_expand_in_toctree_order():
    docs = {
        "index": DocElements("index", (RawElement(INCLUDE, includes=("b", "a")),)),
        "a": DocElements("a", (sec("ch-a", "甲"),)),
        "b": DocElements("b", (sec("ch-b", "乙"),)),
    }
    edition, problems = assemble(INFO, docs, "index")
    assert problems == []
    assert numbers(edition) == {"ch-b": "1", "ch-a": "2"}


def test_duplicate_id_names_both_places():
    _, problems = build(sec("ch", "章", clause("same", line=4), clause("same", line=9)))
    assert [str(p) for p in problems] == [
        "t.md:9: E106 标识“same”重复，已在 t.md:4 使用 [duplicate-id]"
    ]


def test_reference_to_unknown_id_is_reported_where_it_is_written():
    _, problems = build(sec("ch", "章"), refs=[("nowhere", "ch.md", 12)])
    assert [str(p) for p in problems] == ["ch.md:12: E107 引用的标识“nowhere”不存在 [unknown-reference]"]


def test_clause_outside_any_chapter_is_an_error():
    _, problems = build(clause("loose", line=3))
    assert [p.code for p in problems] == ["E109"]
    assert problems[0].line == 3


def test_annex_letters_run_without_gaps():
    assert [annex_letter(i) for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]
