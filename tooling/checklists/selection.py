"""Checklists: which clauses a printable checklist has, and who it is printed for.

Pure Python on the clause model: the declarations come from ``checklists.yaml`` (read by
:mod:`tooling.model.checklist_specs`), the rows from each clause's ``checklist`` metadata, the
personal details from a roster (CSV or YAML). Every problem in those files is a
:class:`StandardInputError` naming file and line, raised before anything is written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from ..io import safeyaml
from ..io.diagnostics import StandardInputError, diagnostic
from ..model import Clause, Edition
from ..model.checklist_specs import ChecklistSpec
from ..model.clause_metadata import explain, schema

ROSTER_COLUMNS = {
    "name": "name", "姓名": "name", "楼长姓名": "name", "楼长": "name",
    "community": "community", "社区": "community",
    "buildings": "buildings", "楼宇": "buildings", "负责楼宇": "buildings",
    "households": "households", "户数": "households", "负责户数": "households",
    "special_households": "special_households", "特殊家庭户数": "special_households",
    "特殊家庭": "special_households",
}
_FORMULA = ("=", "+", "@")
SUB_PERIODS = {
    "year": [f"{m}月" for m in range(1, 13)],
    "quarter": ["第1月", "第2月", "第3月"],
    "month": [f"第{w}周" for w in range(1, 6)],
    "week": ["一", "二", "三", "四", "五", "六", "日"],
}


@dataclass(frozen=True)
class Steward:
    name: str
    community: str
    buildings: str
    households: int
    special_households: int = 0
    line: int = 0  # where the steward is in the roster

    def count(self, field: str | None) -> int | None:
        return getattr(self, field) if field else None


@dataclass(frozen=True)
class Row:
    """One line of a checklist: what to do, how often, where it is recorded, where it comes from."""

    clause_id: str
    reference: str  # 7.1.2
    action: str
    cadence: str
    evidence: str


def rows_for(edition: Edition, spec: ChecklistSpec) -> list[Row]:
    """The clauses whose metadata names this checklist, in document order."""
    return [row_of(edition, c) for c in edition.walk() if spec.id in c.metadata.checklist]


def row_of(edition: Edition, clause: Clause) -> Row:
    meta = clause.metadata
    action = meta.checklist_text or clause.text.replace("\n", "")
    cadence = "；".join(x for x in (
        meta.frequency.describe() if meta.frequency else "",
        meta.target.describe() if meta.target else "",
    ) if x)
    reference = edition.reference_text(clause.id)
    return Row(clause.id, reference, action, cadence, "、".join(meta.evidence))


# -- rosters -----------------------------------------------------------------------------------


def _roster_error(
    path: Path, line: int | None, detail: str, where: str | None = None
) -> StandardInputError:
    if where is None:
        where = f"第{line}行" if line else ""
    return StandardInputError([diagnostic("E113", path, line, where=where, detail=detail)])


def load_roster(path: Path) -> list[Steward]:
    """Read a roster (CSV with a header row, or YAML list); validate every row first."""
    if not path.is_file():
        raise StandardInputError([diagnostic("E112", path, None, detail=f"花名册 {path}")])
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        detail = "文件不是 UTF-8 编码，请另存为 UTF-8（CSV UTF-8）"
        raise _roster_error(path, data[: err.start].count(b"\n") + 1, detail) from None
    if path.suffix.lower() in (".yaml", ".yml"):
        records = _yaml_records(path, text)
    else:
        records = _csv_records(path, text)
    stewards: list[Steward] = []
    seen: dict[tuple[str, str], int] = {}
    validator = jsonschema.Draft202012Validator(schema("roster.schema.json"))
    for line, record in records:
        def fail(detail: str, line: int = line) -> StandardInputError:
            return _roster_error(path, line, detail)

        for key, value in record.items():
            if isinstance(value, str) and value.startswith(_FORMULA):
                raise fail(f"“{key}”以“{value[0]}”开头，疑似电子表格公式，请改为纯文字")
        for key in ("households", "special_households"):
            value = record.get(key)
            if isinstance(value, str):
                try:
                    record[key] = int(value)
                except ValueError:
                    raise fail(f"“{key}”应为整数，现为“{value}”") from None
        err = next(iter(sorted(validator.iter_errors(record), key=lambda e: list(e.path))), None)
        if err is not None:
            if err.validator == "required":
                raise fail(f"缺少必填项：{explain(err).removeprefix('缺少必填项：')}")
            if err.validator == "minimum":
                raise fail(f"“{err.path[0]}”不能为负数，现为 {err.instance}")
            raise fail(explain(err))
        key = (record["name"], record["community"])
        if key in seen:
            raise fail(f"楼长“{record['name']}”（{record['community']}）重复，第{seen[key]}行已有")
        seen[key] = line
        stewards.append(Steward(line=line, **record))
    if not stewards:
        raise _roster_error(path, 1, "花名册中没有楼长", where="")
    return stewards


def _csv_records(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise _roster_error(path, 1, "文件为空", where="") from None
    columns = []
    for name in header:
        key = ROSTER_COLUMNS.get(name.strip())
        if key is None:
            known = "、".join(dict.fromkeys(ROSTER_COLUMNS))
            raise _roster_error(path, 1, f"未知的列“{name}”（可用的列：{known}）",
                                where="第1行（表头）")
        columns.append(key)
    records = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            raise _roster_error(path, line, f"有 {len(row)} 个单元格，表头有 {len(columns)} 列")
        record = {key: cell.strip() for key, cell in zip(columns, row, strict=True) if cell.strip()}
        records.append((line, record))
    return records


def _yaml_records(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        loaded = safeyaml.load(text)
    except safeyaml.YamlProblem as err:
        line = err.line + 1 if err.line is not None else None
        detail = f"YAML 有误：{err.params.get('detail', err.code)}"
        raise _roster_error(path, line, detail, where="") from None
    if not isinstance(loaded.data, list):
        raise _roster_error(path, 1, "应为楼长列表", where="")
    records = []
    for item, line in zip(loaded.data, loaded.item_lines, strict=True):
        if not isinstance(item, dict):
            raise _roster_error(path, line + 1, "每一项应为“键: 值”映射")
        record = {}
        for key, value in item.items():
            canonical = ROSTER_COLUMNS.get(str(key))
            if canonical is None:
                raise _roster_error(path, line + 1, f"未知的项“{key}”")
            record[canonical] = str(value).strip() if isinstance(value, str) else value
        records.append((line + 1, record))
    return records
