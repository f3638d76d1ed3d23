"""The editor's changes.yaml (tooling.diff.overrides) on small editions: a rewording or a
regrouping survives rebuilds and renumbering; an override that no longer matches warns with
its file and line; a file that is not valid is one message (E200)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tooling.diff.foreword import change_list
from tooling.diff.match import diff_editions
from tooling.diff.overrides import ChangesFileError, load_changes

from .test_diff import OLD, cl, find, new_edition, sec


def tighten(spec):
    """A value change and an added clause under one heading, and a removal elsewhere."""
    find(spec, "visit-monthly")["text"] = ["楼长应每月走访负责楼宇的居民家庭不少于2次。"]
    find(spec, "mgmt")["children"].append(
        cl("mgmt-insurance", "社区宜为楼长购买意外伤害保险。", kind="recommendation"))


def renumber(spec):
    """Everything after 范围 one chapter further on."""
    spec.insert(1, sec("principles", "基本原则", cl("principle-a", "楼长工作应坚持党建引领。",
                                                   kind="requirement")))


def changes_file(tmp_path: Path, text: str):
    path = tmp_path / "changes.yaml"
    path.write_text(text, "utf-8")
    return load_changes(path)


REWORD = """\
visit-monthly:
  text: 将每月走访次数由不少于1次提高到不少于2次
  was: 将楼长每月走访负责楼宇的居民家庭的次数由不少于1次改为不少于2次
  note: 试点表明每月1次不够
"""


def test_generated_wording_first():
    d = diff_editions(OLD, new_edition(tighten))
    assert change_list(d).texts() == [
        "将楼长每月走访负责楼宇的居民家庭的次数由不少于1次改为不少于2次（见3.1.1，2019年版的3.1.1）",
        "增加了社区为楼长购买意外伤害保险的规定（见4.3）",
    ]


def test_a_rewording_survives_rebuilds_and_renumbering(tmp_path):
    overrides = changes_file(tmp_path, REWORD)
    d = diff_editions(OLD, new_edition(tighten))
    first = change_list(d, overrides)
    assert first.texts()[0] == "将每月走访次数由不少于1次提高到不少于2次（见3.1.1，2019年版的3.1.1）"
    assert first.problems == ()
    assert first.items[0].generated.startswith("将楼长每月走访")  # what the model said
    # The same edition built again: the same list.
    assert change_list(diff_editions(OLD, new_edition(tighten)), overrides).texts() == \
        first.texts()
    # A chapter inserted before: the key is the clause's id, so the rewording stays and the
    # reference follows the new numbers.
    def both(spec):
        tighten(spec)
        renumber(spec)
    moved = change_list(diff_editions(OLD, new_edition(both)), overrides)
    assert moved.texts()[1] == "将每月走访次数由不少于1次提高到不少于2次（见4.1.1，2019年版的3.1.1）"
    assert moved.problems == ()
    # The editor's 修订说明 is the 条款对照表's.
    from tooling.diff.comparison import comparison_table

    rows = comparison_table(diff_editions(OLD, new_edition(both)), moved)
    assert next(r for r in rows if r.new_number == "4.1.1").note == "试点表明每月1次不够"


def test_an_override_that_no_longer_matches_warns_with_its_line(tmp_path):
    overrides = changes_file(tmp_path, "# 说明\n" + REWORD)
    # The change was taken back: the text is as in the old edition again.
    d = diff_editions(OLD, new_edition(lambda spec: find(spec, "mgmt")["children"].append(
        cl("mgmt-insurance", "社区宜为楼长购买意外伤害保险。", kind="recommendation"))))
    result = change_list(d, overrides)
    assert result.texts() == ["增加了社区为楼长购买意外伤害保险的规定（见4.3）"]
    (problem,) = result.problems
    assert (problem.code, problem.name, problem.line) == ("E201", "changes-unmatched", 2)
    assert str(problem).endswith("[changes-unmatched]")
    assert ":2: E201 changes.yaml 中的“visit-monthly”没有用上：两个版本之间已没有这一变化" \
        in str(problem)


def test_a_generated_wording_that_moved_on_is_a_warning(tmp_path):
    overrides = changes_file(tmp_path, REWORD.replace("不少于1次改为不少于2次", "不少于1次改为不少于3次"))
    result = change_list(diff_editions(OLD, new_edition(tighten)), overrides)
    (problem,) = result.problems
    assert problem.code == "E202" and problem.line == 1
    assert "现为“将楼长每月走访负责楼宇的居民家庭的次数由不少于1次改为不少于2次”" in problem.message
    assert result.texts()[0].startswith("将每月走访次数由不少于1次提高到不少于2次")  # still used


def test_regrouping_listing_and_leaving_out(tmp_path):
    d = diff_editions(OLD, new_edition(tighten))
    cited = change_list(d, changes_file(tmp_path, "mgmt-insurance:\n  with: visit-monthly\n"))
    assert cited.texts() == [
        "将楼长每月走访负责楼宇的居民家庭的次数由不少于1次改为不少于2次（见3.1.1、4.3，2019年版的3.1.1）"]
    left_out = change_list(d, changes_file(tmp_path, "mgmt-insurance:\n  list: false\n"))
    assert len(left_out.texts()) == 1
    assert left_out.change("mgmt-insurance").status == "omitted"
    # A change of metadata only, listed all the same.
    def role(spec):
        find(spec, "visit-monthly")["meta"] = {"role": ["社区居委会"]}
    d = diff_editions(OLD, new_edition(role))
    assert change_list(d).texts() == []
    listed = change_list(d, changes_file(tmp_path, "visit-monthly:\n  list: true\n"
                                                   "  text: 将走访的执行主体改为社区居委会\n"))
    assert listed.texts() == ["将走访的执行主体改为社区居委会（见3.1.1，2019年版的3.1.1）"]


def test_two_rewordings_of_one_item_and_loops_warn(tmp_path):
    def two(spec):
        find(spec, "visit-monthly")["text"] = ["楼长应每月走访负责楼宇的居民家庭不少于2次。"]
        find(spec, "visit-record")["text"] = ["楼长应将走访情况记入台账，记录格式见",
                                              ("ref", "tb-ledger"), "。"]
    d = diff_editions(OLD, new_edition(two))
    assert len(change_list(d).items) == 1  # one heading, one item
    result = change_list(d, changes_file(tmp_path, "visit-monthly:\n  text: 甲\n"
                                                   "visit-record:\n  text: 乙\n"))
    assert result.texts()[0].startswith("甲（见")
    assert [p.code for p in result.problems] == ["E203"]
    loop = change_list(d, changes_file(tmp_path, "visit-monthly:\n  with: visit-record\n"
                                                 "visit-record:\n  with: visit-monthly\n"))
    assert [p.code for p in loop.problems] == ["E201", "E201"]
    assert len(loop.items) == 1


def test_an_absent_or_empty_file_changes_nothing(tmp_path):
    d = diff_editions(OLD, new_edition(tighten))
    plain = change_list(d).texts()
    assert change_list(d, load_changes(tmp_path / "changes.yaml")).texts() == plain
    assert change_list(d, changes_file(tmp_path, "# 还没有修改\n")).texts() == plain


@pytest.mark.parametrize(("text", "line", "detail"), [
    ("visit-monthly:\n  text: [1\n", None, "YAML 有误"),
    ("visit-monthly:\n  txt: x\n", 1, "含有未知的键：txt"),
    ("visit-monthly:\n  alone: 1\n", 1, "类型应为 boolean"),
    ("visit-monthly: {}\n", 1, ""),
    ("visit-monthly:\n  text: ''\n", 1, "不应为空"),
    ("1abc:\n  text: x\n", 1, "不是变化的标识"),
    ("visit-monthly:\n  text: !!python/object:os.system x\n", None, "YAML 有误"),
    ("visit-monthly:\n  text: \"a\x07b\"\n", None, "YAML 有误"),
])
def test_bad_files(tmp_path, text, line, detail):
    with pytest.raises(ChangesFileError) as caught:
        changes_file(tmp_path, text)
    diag = caught.value.diagnostic
    assert diag.code == "E200" and diag.name == "changes-file"
    assert diag.message.startswith("修订说明文件 changes.yaml 有误：")
    assert detail in diag.message
    if line is not None:
        assert diag.line == line
    else:
        assert diag.line is not None


def test_not_utf8(tmp_path):
    path = tmp_path / "changes.yaml"
    path.write_bytes("visit-monthly:\n  text: 改为2次\n".encode("gbk"))
    with pytest.raises(ChangesFileError) as caught:
        load_changes(path)
    assert "UTF-8" in caught.value.diagnostic.message
