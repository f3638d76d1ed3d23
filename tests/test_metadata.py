"""Clause and edition metadata: parsing, schema checks, and the exact messages users see."""

from __future__ import annotations

from pathlib import Path

import pytest

from tooling.io.diagnostics import StandardInputError
from tooling.model.clause_metadata import MetadataProblem, split_block, validate
from tooling.model.edition_metadata import load_edition_info

CLAUSE = "clause-metadata.schema.json"


def test_yaml_block_and_field_lines_give_the_same_data_and_line_offsets():
    block = split_block(["---", "id: a", "frequency: {min: 1, per: month}", "---", "正文"])
    assert block.data == {"id": "a", "frequency": {"min": 1, "per": "month"}}
    assert block.key_offsets == {"id": 1, "frequency": 2}
    assert block.body_offset == 4
    fields = split_block([":id: a", ":frequency: {min: 1, per: month}", "正文"])
    assert fields.data == block.data
    assert fields.key_offsets == {"id": 0, "frequency": 1}
    assert fields.body_offset == 2


@pytest.mark.parametrize(
    ("lines", "code", "offset"),
    [
        (["---", "id: a", "kind: [unclosed", "---"], "E101", 2),
        (["---", "id: a"], "E101", 0),
        (["---", "id: &x a", "role: *x", "---"], "E110", 1),
        (["---", "id: a", "id: b", "---"], "E111", 2),
        (["---", "id: !!python/object:os.system a", "---"], "E101", 1),
        ([":id: a", ":id: b"], "E111", 1),
    ],
)
def test_refused_yaml_names_the_line(lines, code, offset):
    with pytest.raises(MetadataProblem) as info:
        split_block(lines)
    assert (info.value.code, info.value.offset) == (code, offset)


def test_billion_laughs_is_refused_before_expansion():
    lines = ["---", "a: &a [x, x]", "b: &b [*a, *a]", "c: [*b, *b]", "---"]
    with pytest.raises(MetadataProblem) as info:
        split_block(lines)
    assert info.value.code == "E110"


@pytest.mark.parametrize(
    ("data", "code", "key", "detail"),
    [
        ({"id": "a", "colour": "red"}, "E102", "colour", None),
        ({"kind": "requirement"}, "E104", None, None),
        ({"id": "Bad_Id"}, "E105", "id", None),
        ({"id": "a", "kind": "must"}, "E103", "kind",
         'kind 为 "must"，应为以下之一：requirement、recommendation、permission、possibility、'
         "statement、instruction"),
        ({"id": "a", "frequency": {"min": 1, "per": "fortnight"}}, "E103", "frequency",
         'frequency.per 为 "fortnight"，应为以下之一：day、week、month、quarter、year'),
        ({"id": "a", "frequency": {"min": 0, "per": "month"}}, "E103", "frequency", None),
        ({"id": "a", "target": {"metric": "覆盖率", "value": "全部"}}, "E103", "target",
         'target.value 为 "全部"，类型应为 number'),
        ({"id": "a", "numbered": "no"}, "E103", "numbered", None),
    ],
)
def test_schema_problems(data, code, key, detail):
    problem = validate(data, CLAUSE)
    assert problem is not None and problem.code == code
    if key:
        assert problem.params["key"] == key
    if detail:
        assert problem.params["detail"] == detail


def test_valid_metadata_passes():
    data = {
        "id": "visit-coverage", "kind": "requirement", "role": "楼长",
        "frequency": {"min": 1, "per": "year"},
        "target": {"metric": "走访覆盖率", "value": 100, "unit": "%", "per": "year"},
        "applies_to": ["居民家庭"], "checklist": ["annual-visit"], "evidence": "走访台账",
    }
    assert validate(data, CLAUSE) is None


GOOD = """class: group
number: T/X 1—2024
title: {zh: 测试}
stage: published
issuer: 测试协会
drafting_units: [测试协会]
"""


def test_edition_metadata_defaults_the_class_line(tmp_path):
    info = load_edition_info(write(tmp_path, GOOD))
    assert info.class_line == "团体标准"
    assert info.is_draft is False


def write(folder: Path, text: str) -> Path:
    path = folder / "standard.yaml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("stage: published\n", ""),
         ":1: E108 标准元数据（standard.yaml）有误：缺少必填字段：stage [edition-metadata]"),
        (GOOD + "ccs: A1\n",
         ':7: E108 标准元数据（standard.yaml）有误：字段 ccs 为 "A1"，格式不正确（应匹配 '
         "^[A-Z][0-9]{2}$） [edition-metadata]"),
        (GOOD.replace("class: group", "class: local"),
         ":1: E108 标准元数据（standard.yaml）有误：缺少必填字段：class_line [edition-metadata]"),
        (GOOD + "colour: red\n",
         ":1: E108 标准元数据（standard.yaml）有误：未知的字段：colour [edition-metadata]"),
        (GOOD + "issued: 2024-13-45\n",
         ":7: E108 标准元数据（standard.yaml）有误：YAML 语法错误：日期无效：month must be in 1..12 "
         "[edition-metadata]"),
        ("title: [\n", ":2: E108 标准元数据（standard.yaml）有误：YAML 语法错误：expected the "
         "node content, but found '<stream end>' [edition-metadata]"),
    ],
)
def test_edition_metadata_errors_name_the_line(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(StandardInputError) as info:
        load_edition_info(path)
    (diag,) = info.value.diagnostics
    assert str(diag).endswith(message), str(diag)
