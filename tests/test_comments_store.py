"""comments/<stage>.yaml: reading, validating, statistics, merging and writing (pure, no Sphinx)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tooling.comments.store import (
    GENERAL,
    Comment,
    CommentSet,
    CommentsFileError,
    CommentStatistics,
    Reject,
    Reply,
    Source,
    comment_statistics,
    comments_path,
    dumps,
    load_comments,
    merge,
    write_comments,
)

SAMPLE = """\
# 示例数据（illustrative）
draft: {number: DB3715/T XXXX—XXXX, title: 示例规范, stage: 征求意见稿}
consulted: [甲单位, 乙单位, 丙单位, 丁单位]
replies:
  - {unit: 甲单位, contact: 张××, date: 2025-04-10, file: 甲.xlsx}
  - {unit: 乙单位, date: 2025-04-11, file: 乙.docx}
  - {unit: 丙单位, date: 2025-04-12, no_comments: true}
comments:
  _general:
    - unit: 乙单位
      comment: 建议通篇统一“楼长”的称谓
  visit-coverage:
    - unit: 甲单位
      number: "6.2.1"
      comment: 走访覆盖率100%难以做到
      proposal: 改为不低于95%
      reason: 部分住户长期不在家
      source: {file: 甲.xlsx, sheet: 征求意见表, row: 14}
      disposition: 部分采纳
      disposition_reason: 保留100%，增加除外情形
    - unit: 乙单位
      number: 6.2
      comment: =HYPERLINK("http://x")
      disposition: 采纳
  steward-age:
    - unit: 甲单位
      comment: 年龄上限宜放宽
      disposition: 未采纳
      disposition_reason: 与民政部门的要求一致
    - unit: 乙单位
      comment: 同意
"""


def write(folder: Path, text: str, name: str = "征求意见稿.yaml") -> Path:
    path = folder / "comments" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_absent_file_is_none(tmp_path: Path):
    assert load_comments(tmp_path, "征求意见稿") is None


def test_reads_comments_keyed_by_clause_with_lines(tmp_path: Path):
    write(tmp_path, SAMPLE)
    cs = load_comments(tmp_path, "征求意见稿")
    assert cs is not None
    assert cs.draft.number == "DB3715/T XXXX—XXXX"
    assert [c.clause for c in cs.comments] == [GENERAL, "visit-coverage", "visit-coverage",
                                               "steward-age", "steward-age"]
    first = cs.for_clause("visit-coverage")[0]
    assert first.source == Source("甲.xlsx", "征求意见表", 14)
    assert first.number == "6.2.1" and first.line == 13
    assert cs.for_clause("visit-coverage")[1].number == "6.2"  # a YAML number, as text
    assert cs.for_clause("visit-coverage")[1].comment == '=HYPERLINK("http://x")'
    assert cs.replies[0] == Reply("甲单位", "张××", "2025-04-10", "甲.xlsx", False, 5)
    assert cs.clause_ids() == ("visit-coverage", "steward-age")


def test_statistics(tmp_path: Path):
    write(tmp_path, SAMPLE)
    write(tmp_path, "rejects:\n  - {file: 丁.csv, row: 3, unit: 丁单位, problem: x, cells: [a]}\n",
          "征求意见稿.rejects.yaml")
    cs = load_comments(tmp_path, "征求意见稿")
    assert comment_statistics(cs) == CommentStatistics(
        units_consulted=4, units_replied=4, replied_with_comments=3,
        replied_without_comments=1, units_not_replied=0, received=5, adopted=1,
        partly_adopted=1, not_adopted=1, undecided=2, unresolved=1)


def test_unit_not_in_consulted_list_counts_as_consulted():
    cs = CommentSet("征求意见稿", consulted=("甲",), comments=(Comment("a", "乙", "x"),))
    s = comment_statistics(cs)
    assert (s.units_consulted, s.units_replied, s.units_not_replied) == (2, 1, 1)


@pytest.mark.parametrize(("text", "message"), [
    (SAMPLE.replace("      disposition_reason: 保留100%，增加除外情形\n", ""),
     "comments/征求意见稿.yaml:19: E211 6.2.1（visit-coverage）的意见（甲单位）处理意见为"
     "“部分采纳”，缺少理由（disposition_reason）：部分采纳和未采纳都要说明理由"
     " [disposition-reason]"),
    (SAMPLE.replace("      disposition_reason: 与民政部门的要求一致\n", ""),
     "comments/征求意见稿.yaml:28: E211 “steward-age”的意见（甲单位）处理意见为“未采纳”，"
     "缺少理由（disposition_reason）：部分采纳和未采纳都要说明理由 [disposition-reason]"),
    (SAMPLE.replace("disposition: 采纳", "disposition: 同意"),
     "comments/征求意见稿.yaml:24: E210 意见文件有误：comments.visit-coverage[1].disposition 为"
     " \"同意\"，应为以下之一：采纳、部分采纳、未采纳 [comments-file]"),
    (SAMPLE.replace("  steward-age:", "  Steward_Age:"),
     "comments/征求意见稿.yaml:25: E210 意见文件有误：comments 下的“Steward_Age”不是条款的标识"
     "（小写英文字母、数字和连字符，以字母开头），也不是 _general [comments-file]"),
    (SAMPLE.replace("      comment: 同意\n", "      coment: 同意\n"),
     "comments/征求意见稿.yaml:31: E210 意见文件有误：comments.steward-age[1] 含有未知的键：coment"
     " [comments-file]"),
    ("comments: &a {}\nx: *a\n",
     "comments/征求意见稿.yaml:1: E210 意见文件有误：不允许使用 YAML 锚点或别名（&/*） [comments-file]"),
    ("- a\n", "comments/征求意见稿.yaml:1: E210 意见文件有误：内容应为映射（draft、consulted、"
              "replies、comments 等键） [comments-file]"),
])
def test_bad_file_one_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str,
                              message: str):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, text)
    with pytest.raises(CommentsFileError) as err:
        load_comments(Path("."), "征求意见稿")
    assert str(err.value.diagnostic) == message


def test_bad_rejects_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "comments: {}\n")
    write(tmp_path, "rejects:\n  - {file: a.csv}\n", "征求意见稿.rejects.yaml")
    with pytest.raises(CommentsFileError) as err:
        load_comments(Path("."), "征求意见稿")
    assert str(err.value.diagnostic) == (
        "comments/征求意见稿.rejects.yaml:2: E210 意见文件有误：rejects[0] 缺少必填项：problem、cells"
        " [comments-file]")


def test_stage_is_a_file_name(tmp_path: Path):
    with pytest.raises(ValueError):
        comments_path(tmp_path, "../x")


def test_round_trip_keeps_header_and_is_stable(tmp_path: Path):
    write(tmp_path, SAMPLE)
    cs = load_comments(tmp_path, "征求意见稿")
    write_comments(tmp_path, cs)
    text = comments_path(tmp_path, "征求意见稿").read_text("utf-8")
    assert text.startswith("# 示例数据（illustrative）\n")
    again = load_comments(tmp_path, "征求意见稿")
    assert again == cs
    write_comments(tmp_path, again)
    assert comments_path(tmp_path, "征求意见稿").read_text("utf-8") == text
    assert "number: '6.2'" in text  # a clause number stays text: 3.10 is not 3.1
    assert "source: {file: 甲.xlsx, sheet: 征求意见表, row: 14}" in text


def test_merge_keeps_dispositions_and_is_idempotent(tmp_path: Path):
    write(tmp_path, SAMPLE)
    cs = load_comments(tmp_path, "征求意见稿")
    collected = [
        # the same comment again, with another disposition in the returned sheet: not taken
        Comment("visit-coverage", "甲单位", "走访覆盖率100%难以做到", "6.2.1", "改为不低于95%",
                "部分住户长期不在家", Source("甲.xlsx", "征求意见表", 14), "采纳"),
        # known, undecided in the file: the sheet's disposition fills it
        Comment("steward-age", "乙单位", "同意", disposition="采纳"),
        Comment("new-clause", "丁单位", "新意见", "7.1"),
        Comment("steward-age", "丁单位", "另一条意见"),
    ]
    rejects = [Reject("丁.csv", "E215 …", ("9.9", "x"), None, 4, "丁单位")]
    replies = [Reply("丁单位", file="丁.csv")]
    m = merge(cs, collected, replies, rejects,
              order=("steward-age", "visit-coverage", "new-clause"))
    assert (m.added, m.known, m.decided) == (2, 2, 1)
    assert [(k.disposition, g.disposition) for k, g in m.conflicts] == [("部分采纳", "采纳")]
    assert m.comments.for_clause("visit-coverage")[0].disposition == "部分采纳"
    assert [c.clause for c in m.comments.comments] == [
        GENERAL, "steward-age", "steward-age", "steward-age", "visit-coverage",
        "visit-coverage", "new-clause"]
    assert m.comments.for_clause("steward-age")[1].disposition == "采纳"
    again = merge(m.comments, collected, replies, rejects,
                  order=("steward-age", "visit-coverage", "new-clause"))
    assert again.added == 0 and dumps(again.comments) == dumps(m.comments)
    s = comment_statistics(m.comments)
    assert (s.received, s.unresolved, s.units_replied, s.undecided) == (7, 1, 4, 3)
