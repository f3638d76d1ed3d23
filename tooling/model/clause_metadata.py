"""Reading the metadata block at the top of a {clause} or {term} directive.

Two spellings are accepted, as in MyST's own directives:

    :::{clause}                         :::{clause}
    ---                                 :id: steward-age
    id: visit-coverage                  :kind: requirement
    frequency: {min: 1, per: year}      楼长年龄原则上……
    ---                                 :::
    楼长应每年……
    :::

The block is parsed here rather than by myst-parser so that every problem can name the exact
line, nested YAML values (frequency, target) keep their types, and the same JSON Schema that
documents the fields validates them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from ..io import safeyaml
from .ids import id_problem, is_valid_id

SCHEMA_DIR = Path(__file__).parent.parent / "schemas"
_FIELD_LINE = re.compile(r"^:([A-Za-z_][\w-]*):(?:\s+(.*))?$")



class MetadataProblem(Exception):
    """A refused metadata block; ``offset`` is the 0-based line within the directive body."""

    def __init__(self, code: str, offset: int, params: dict[str, Any]) -> None:
        super().__init__(code, offset, params)
        self.code = code
        self.offset = offset
        self.params = params


@dataclass(frozen=True)
class ParsedBlock:
    data: dict[str, Any]
    key_offsets: dict[str, int]  # key -> 0-based line offset within the body
    body_offset: int  # number of lines the metadata block takes (body starts here)


@cache
def schema(name: str) -> dict[str, Any]:
    """A JSON Schema shipped in ``tooling/schemas``."""
    return json.loads((SCHEMA_DIR / name).read_text("utf-8"))


def starts_with_block(lines: list[str]) -> bool:
    """True if the directive body opens with a metadata block (``---`` or ``:key: value``)."""
    return bool(lines) and (lines[0].strip() == "---" or _FIELD_LINE.match(lines[0]) is not None)


def split_block(lines: list[str]) -> ParsedBlock:
    """Parse the metadata block at the top of ``lines``; raise MetadataProblem on bad YAML."""
    if lines and lines[0].strip() == "---":
        try:
            end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        except StopIteration:
            raise MetadataProblem(
                "E101", 0, {"detail": "元数据块以“---”开始，但没有结束的“---”"}
            ) from None
        try:
            loaded = safeyaml.load("\n".join(lines[1:end]))
        except safeyaml.YamlProblem as err:
            raise MetadataProblem(err.code, 1 + (err.line or 0), err.params) from None
        data = loaded.data if loaded.data is not None else {}
        if not isinstance(data, dict):
            raise MetadataProblem("E101", 1, {"detail": "元数据应为“键: 值”形式的映射"})
        offsets = {k: 1 + v for k, v in loaded.key_lines.items()}
        return ParsedBlock(data, offsets, end + 1)

    data: dict[str, Any] = {}
    offsets: dict[str, int] = {}
    count = 0
    for i, line in enumerate(lines):
        match = _FIELD_LINE.match(line)
        if not match:
            break
        key, raw = match.group(1), match.group(2) or ""
        if key in data:
            raise MetadataProblem("E111", i, {"key": key})
        try:
            value = safeyaml.load(raw).data if raw.strip() else None
        except safeyaml.YamlProblem as err:
            raise MetadataProblem(err.code, i, err.params) from None
        data[key] = value
        offsets[key] = i
        count = i + 1
    return ParsedBlock(data, offsets, count)


@cache
def validator(schema_name: str) -> jsonschema.Draft202012Validator:
    """One validator per schema, built once, on the schema with its local ``$ref``s written
    out in place: resolving references is half the cost of a check (5,000 clauses a build)."""
    sch = schema(schema_name)
    return jsonschema.Draft202012Validator(_inline(sch, sch.get("$defs", {})))


def _inline(node: Any, defs: dict[str, Any], depth: int = 0) -> Any:
    if depth > 20:  # our schemas are not recursive; never loop if one becomes so
        return node
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/") and ref.split("/")[-1] in defs:
            return _inline(defs[ref.split("/")[-1]], defs, depth + 1)
        return {k: _inline(v, defs, depth + 1) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(v, defs, depth + 1) for v in node]
    return node


def validate(
    data: dict[str, Any], schema_name: str, element: str = "条款"
) -> MetadataProblem | None:
    """The first schema violation as a problem naming the key, or None when valid."""
    sch = schema(schema_name)
    if validator(schema_name).is_valid(data) and is_valid_id(data.get("id")):
        return None
    allowed = sorted(sch["properties"])
    for key in data:
        if key not in sch["properties"]:
            return MetadataProblem("E102", -1, {"key": key, "allowed": "、".join(allowed)})
    if "id" not in data or data["id"] in (None, ""):
        return MetadataProblem("E104", -1, {"element": element})
    problem = id_problem(data["id"])
    if problem:
        return MetadataProblem("E105", -1, {**problem, "key": "id"})
    err = first_error(data, sch)
    if err is None:
        return None
    if err.validator == "required" and not err.absolute_path:
        missing = next(k for k in err.validator_value if k not in data)
        return MetadataProblem("E119", -1, {"key": missing})
    key = str(err.absolute_path[0]) if err.absolute_path else "?"
    return MetadataProblem("E103", -1, {"key": key, "detail": explain(err)})


def first_error(data: Any, sch: dict[str, Any]) -> jsonschema.ValidationError | None:
    """The most useful schema error: the first key in order, then jsonschema's best match
    (which looks inside oneOf alternatives for the error that explains most)."""
    checker = jsonschema.Draft202012Validator(sch)
    errors = sorted(checker.iter_errors(data), key=lambda e: [str(p) for p in e.path])
    if not errors:
        return None
    first_key = [str(p) for p in errors[0].path][:1]
    same_key = [e for e in errors if [str(p) for p in e.path][:1] == first_key]
    return jsonschema.exceptions.best_match(same_key)


def explain(err: jsonschema.ValidationError) -> str:
    """A short Chinese explanation of a schema error, with the offending value."""
    path = err.absolute_path
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    value = json.dumps(err.instance, ensure_ascii=False)
    if len(value) > 60:
        value = value[:57] + "..."
    if err.validator == "enum":
        choices = "、".join(str(c) for c in err.validator_value)
        return f"{where} 为 {value}，应为以下之一：{choices}"
    if err.validator == "type":
        return f"{where} 为 {value}，类型应为 {err.validator_value}"
    if err.validator == "oneOf":
        return f"{where} 为 {value}，格式不符合要求（见元数据说明）"
    if err.validator == "required":
        missing = [k for k in err.validator_value if k not in (err.instance or {})]
        return f"{where} 缺少必填项：{'、'.join(missing)}".lstrip()
    if err.validator == "additionalProperties":
        known = err.schema.get("properties", {})
        extra = [k for k in err.instance if k not in known]
        return f"{where} 含有未知的键：{'、'.join(map(str, extra))}".lstrip()
    if err.validator == "pattern":
        return f"{where} 为 {value}，格式不正确（应匹配 {err.validator_value}）"
    if err.validator in ("minimum", "exclusiveMinimum"):
        return f"{where} 为 {value}，不应小于 {err.validator_value}"
    if err.validator in ("maximum", "exclusiveMaximum"):
        return f"{where} 为 {value}，不应大于 {err.validator_value}"
    if err.validator == "minLength":
        return f"{where} 不应为空"
    if err.validator == "maxLength":
        return f"{where} 过长（最多 {err.validator_value} 个字符）"
    if err.validator == "minItems":
        return f"{where} 至少需要 {err.validator_value} 项"
    if err.validator == "uniqueItems":
        return f"{where} 含有重复项"
    return f"{where} 为 {value}：{err.message}"
