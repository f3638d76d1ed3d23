"""Checklists: which clauses a printable checklist has, and who it is printed for.

Pure Python on the clause model: the declarations come from ``checklists.yaml``, the rows from
each clause's ``checklist`` metadata, the personal details from a roster (CSV or YAML). Every
problem in those files is a :class:`StandardInputError` naming file and line, raised before
anything is written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from . import safeyaml
from .clause_metadata import explain, first_error, schema
from .diagnostics import StandardInputError, diagnostic
from .model import Clause, Edition

CHECKLISTS_FILE = "checklists.yaml"
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
class ChecklistSpec:
    id: str
    name: str
    audience: str
    period: str
    layout: str
    rows_from: str | None = None
    row_label: str = "户"
    log_columns: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    blank_rows: int = 15
    instructions: str | None = None

    @property
    def period_label(self) -> str:
        return {"year": "____年", "quarter": "____年第__季度", "month": "____年____月",
                "week": "____年____月____日起一周"}[self.period]


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


def load_specs(path: Path) -> tuple[ChecklistSpec, ...]:
    """Read ``checklists.yaml``; an absent file means the standard declares no checklists."""
    if not path.is_file():
        return ()

    def fail(line: int | None, detail: str) -> StandardInputError:
        return StandardInputError([diagnostic("E114", path, line, detail=detail)])

    try:
        loaded = safeyaml.load(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise fail(None, "文件不是 UTF-8 编码") from None
    except safeyaml.YamlProblem as err:
        line = err.line + 1 if err.line is not None else None
        raise fail(line, f"YAML 有误：{err.params.get('detail', err.code)}") from None
    data = loaded.data
    if not isinstance(data, dict):
        raise fail(1, "内容应为含 checklists 列表的映射")
    err = first_error(data, schema("checklists.schema.json"))
    if err is not None:
        raise fail(loaded.key_lines.get("checklists", 0) + 1, explain(err))
    specs = []
    seen: set[str] = set()
    for item in data["checklists"]:
        if item["id"] in seen:
            raise fail(None, f"检查表标识“{item['id']}”重复")
        seen.add(item["id"])
        specs.append(ChecklistSpec(
            id=item["id"], name=item["name"], audience=item["audience"], period=item["period"],
            layout=item["layout"], rows_from=item.get("rows_from"),
            row_label=item.get("row_label", "户"), log_columns=tuple(item.get("log_columns", ())),
            tables=tuple(item.get("tables", ())), blank_rows=item.get("blank_rows", 15),
            instructions=item.get("instructions"),
        ))
    return tuple(specs)


def check_specs(specs: tuple[ChecklistSpec, ...], edition: Edition, path: Path) -> None:
    """Tables a checklist appends must exist in the standard."""
    for spec in specs:
        for table_id in spec.tables:
            clause = edition.get(table_id)
            if clause is None or clause.element_type != "table":
                raise StandardInputError([diagnostic(
                    "E114", path, None,
                    detail=f"检查表“{spec.id}”引用的表格“{table_id}”在标准中不存在")])


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
