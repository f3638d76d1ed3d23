"""Reading ``checklists.yaml``: the checklists a standard declares (which rows, for whom, how
often, in which layout, with which header fields) and the roster they are printed from (who a
row of the roster is and which columns it has). Every problem is a :class:`StandardInputError`
naming file and line.

Nothing here knows about one standard: a standard for building stewards declares 楼长, 楼宇,
负责户数; one for cleaners declares 保洁员 and 区域; one for food safety 门店 and 岗位.

The checklists themselves (rows, rosters, sheets) are :mod:`tooling.checklists`; the
declarations live here because the linter checks clause metadata against them too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..io import safeyaml
from ..io.diagnostics import StandardInputError, diagnostic
from .clause_metadata import explain, first_error, schema
from .clauses import PERIODS, TABLE, Edition

CHECKLISTS_FILE = "checklists.yaml"
LAYOUTS = ("list", "grid", "log", "score")
DEFAULT_SIGNATURES = ("填表人签名", "日期", "审核人签名")


@dataclass(frozen=True)
class RosterColumn:
    id: str
    label: str
    aliases: tuple[str, ...] = ()
    type: str = "text"  # text | count
    unit: str = ""
    required: bool = False


@dataclass(frozen=True)
class RosterSpec:
    """Who one row of a roster is (``person``) and the columns a roster may have."""

    person: str
    columns: tuple[RosterColumn, ...]
    identity: tuple[str, ...]

    def column(self, column_id: str) -> RosterColumn | None:
        return next((c for c in self.columns if c.id == column_id), None)

    @property
    def name_column(self) -> str:
        return self.columns[0].id


#: Without a ``roster:`` section a roster has one column, the person's name.
DEFAULT_ROSTER = RosterSpec("人员", (RosterColumn("name", "姓名", (), "text", "", True),),
                            ("name",))


@dataclass(frozen=True)
class HeaderField:
    label: str
    column: str | None = None  # a roster column, filled in on personal sheets; None: blank


@dataclass(frozen=True)
class GridSpec:
    rows: str  # roster column: one grid row per unit (per household …)
    label: str
    done: str = "已完成"


@dataclass(frozen=True)
class LogSpec:
    columns: tuple[str, ...]
    rows: str | None = None  # roster column: the number of things to record
    cadence: str | None = None  # clause whose frequency says how often each one is recorded


@dataclass(frozen=True)
class ScoreSpec:
    table: str
    item: str
    points: str
    group: str | None = None
    method: str | None = None
    basis: str | None = None
    score: str | None = None
    total: str | None = None
    grades: str | None = None
    grade: str | None = None
    range: str | None = None
    condition: str | None = None


@dataclass(frozen=True)
class ChecklistSpec:
    id: str
    name: str
    audience: str
    period: str
    layout: str
    header: tuple[HeaderField, ...] = ()
    personal: bool = True
    instructions: str | None = None
    signatures: tuple[str, ...] = DEFAULT_SIGNATURES
    grid: GridSpec | None = None
    log: LogSpec | None = None
    score: ScoreSpec | None = None
    tables: tuple[str, ...] = ()
    line: int | None = None  # where it is declared in checklists.yaml

    @property
    def period_label(self) -> str:
        return {"year": "____年", "quarter": "____年第__季度", "month": "____年____月",
                "week": "____年____月____日起一周"}[self.period]


@dataclass(frozen=True)
class ChecklistFile:
    """Everything ``checklists.yaml`` declares."""

    checklists: tuple[ChecklistSpec, ...] = ()
    roster: RosterSpec = DEFAULT_ROSTER
    path: Path | None = field(default=None, compare=False)

    def __iter__(self) -> Iterator[ChecklistSpec]:  # iterating the file: its checklists
        return iter(self.checklists)

    def __len__(self) -> int:
        return len(self.checklists)

    def __bool__(self) -> bool:
        return bool(self.checklists)


def load_specs(path: Path) -> ChecklistFile:
    """Read ``checklists.yaml``; an absent file means the standard declares no checklists."""
    if not path.is_file():
        return ChecklistFile(path=path)

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
    item_lines = _item_lines(path)
    err = first_error(data, schema("checklists.schema.json"))
    if err is not None:
        where = list(err.absolute_path)
        line = (item_lines[where[1]] if len(where) > 1 and where[0] == "checklists"
                and isinstance(where[1], int) and where[1] < len(item_lines)
                else loaded.key_lines.get(str(where[0]) if where else "checklists", 0) + 1)
        raise fail(line, explain(err))
    roster = _roster(data.get("roster"), lambda detail: fail(
        loaded.key_lines.get("roster", 0) + 1, detail))
    specs = []
    seen: set[str] = set()
    for index, item in enumerate(data["checklists"]):
        line = item_lines[index] if index < len(item_lines) else None
        if item["id"] in seen:
            raise fail(line, f"检查表标识“{item['id']}”重复")
        seen.add(item["id"])
        specs.append(_spec(item, roster, line, lambda detail, line=line: fail(line, detail)))
    return ChecklistFile(tuple(specs), roster, path)


def _item_lines(path: Path) -> list[int]:
    """The 1-based line of each ``- id:`` item under ``checklists:``, for messages."""
    lines = path.read_bytes().decode("utf-8-sig", "replace").splitlines()
    out, inside = [], False
    for number, text in enumerate(lines, start=1):
        if not text.startswith((" ", "\t", "-")) and text.strip():
            inside = text.startswith("checklists:")
            continue
        if inside and text.lstrip().startswith("- ") and len(text) - len(text.lstrip()) <= 2:
            out.append(number)
    return out


def key_line(path: Path, item_line: int | None, key: str) -> int | None:
    """The line of ``key:`` inside the checklist declared at ``item_line`` (else that line)."""
    if item_line is None:
        return None
    lines = path.read_bytes().decode("utf-8-sig", "replace").splitlines()
    for number in range(item_line, len(lines) + 1):
        text = lines[number - 1].strip()
        if number > item_line and text.startswith("- ") and "id:" in text:
            break
        if text.startswith(f"{key}:") or f" {key}:" in text or f"{{{key}:" in text:
            return number
    return item_line


def _roster(data: dict[str, Any] | None, fail: Any) -> RosterSpec:
    if data is None:
        return DEFAULT_ROSTER
    columns = tuple(RosterColumn(
        id=c["id"], label=c["label"], aliases=tuple(c.get("aliases", ())),
        type=c.get("type", "text"), unit=c.get("unit", ""), required=c.get("required", False),
    ) for c in data["columns"])
    names: dict[str, str] = {}
    for column in columns:
        for spelling in (column.id, column.label, *column.aliases):
            if spelling in names and names[spelling] != column.id:
                raise fail(f"花名册的列名“{spelling}”同时指 {names[spelling]} 和 {column.id}")
            names[spelling] = column.id
        if column.unit and column.type != "count":
            raise fail(f"花名册的列“{column.id}”有单位，应为 type: count")
    identity = tuple(data.get("identity", (columns[0].id,)))
    for column_id in identity:
        if column_id not in {c.id for c in columns}:
            raise fail(f"identity 中的列“{column_id}”不是花名册的列")
    return RosterSpec(data["person"], columns, identity)


def _spec(item: dict[str, Any], roster: RosterSpec, line: int | None, fail: Any) -> ChecklistSpec:
    layout = item["layout"]
    for key in ("grid", "log", "score"):
        if key in item and key != layout:
            raise fail(f"检查表“{item['id']}”的版式为 {layout}，不应有 {key}")
    if layout in ("grid", "score") and layout not in item:
        raise fail(f"检查表“{item['id']}”的版式为 {layout}，缺少 {layout} 一项"
                   "（见 checklists.schema.json）")

    def counted(column_id: str | None, what: str) -> None:
        if column_id is None:
            return
        column = roster.column(column_id)
        if column is None:
            raise fail(f"检查表“{item['id']}”的 {what} 为“{column_id}”，不是花名册的列"
                       f"（可用：{'、'.join(c.id for c in roster.columns)}）")
        if column.type != "count":
            raise fail(f"检查表“{item['id']}”的 {what} 为“{column_id}”，应为计数列（type: count）")

    header = []
    for entry in item.get("header", ()):
        if isinstance(entry, str):
            column = roster.column(entry)
            if column is None:
                raise fail(f"检查表“{item['id']}”的表头栏目“{entry}”不是花名册的列"
                           f"（可用：{'、'.join(c.id for c in roster.columns)}；"
                           "只留空栏写 {label: 栏名}）")
            header.append(HeaderField(column.label, column.id))
        else:
            header.append(HeaderField(entry["label"]))
    grid = log = score = None
    if "grid" in item:
        grid = GridSpec(item["grid"]["rows"], item["grid"]["label"],
                        item["grid"].get("done", "已完成"))
        counted(grid.rows, "grid.rows")
    if "log" in item or layout == "log":
        data = item.get("log", {"columns": ["日期", "内容", "备注"]})
        log = LogSpec(tuple(data["columns"]), data.get("rows"), data.get("cadence"))
        counted(log.rows, "log.rows")
    if "score" in item:
        s = item["score"]
        score = ScoreSpec(**{k: s.get(k) for k in ScoreSpec.__dataclass_fields__})
    if item["period"] not in PERIODS:  # the schema already says so; keeps types honest
        raise fail(f"周期“{item['period']}”无效")
    return ChecklistSpec(
        id=item["id"], name=item["name"], audience=item["audience"], period=item["period"],
        layout=layout, header=tuple(header), personal=item.get("personal", True),
        instructions=item.get("instructions"),
        signatures=tuple(item.get("signatures", DEFAULT_SIGNATURES)),
        grid=grid, log=log, score=score, tables=tuple(item.get("tables", ())), line=line,
    )


def check_specs(specs: ChecklistFile | tuple[ChecklistSpec, ...], edition: Edition,
                path: Path) -> None:
    """What a declaration names in the standard exists there: appended tables, the scoring
    table and its columns, the grades table, the clause that gives a log its cadence."""

    def fail(spec: ChecklistSpec, detail: str, key: str | None = None) -> StandardInputError:
        line = key_line(path, spec.line, key) if key else spec.line
        return StandardInputError([diagnostic("E114", path, line, detail=detail)])

    def table(spec: ChecklistSpec, table_id: str) -> Any:
        clause = edition.get(table_id)
        if clause is None or clause.element_type != TABLE:
            raise fail(spec, f"检查表“{spec.id}”引用的表格“{table_id}”在标准中不存在")
        return clause

    def columns(spec: ChecklistSpec, table_id: str, names: dict[str, str | None]) -> None:
        clause = table(spec, table_id)
        head = clause.rows[0] if clause.header_rows and clause.rows else ()
        for key, name in names.items():
            if name is not None and name not in head:
                raise fail(spec, f"检查表“{spec.id}”的 score.{key} 为“{name}”，但"
                                 f"{edition.reference_text(table_id)}的表头中没有此列"
                                 f"（表头：{'、'.join(head)}）", key)

    for spec in specs:
        for table_id in spec.tables:
            table(spec, table_id)
        if spec.score:
            s = spec.score
            columns(spec, s.table, {"group": s.group, "item": s.item, "points": s.points,
                                    "method": s.method, "basis": s.basis, "score": s.score})
            if s.grades:
                columns(spec, s.grades, {"grade": s.grade, "range": s.range,
                                         "condition": s.condition})
        if spec.log and spec.log.cadence:
            clause = edition.get(spec.log.cadence)
            freq = clause.metadata.frequency if clause else None
            if freq is None or freq.min is None:
                raise fail(spec, f"检查表“{spec.id}”的 log.cadence 为“{spec.log.cadence}”，"
                                 "应为标准中有周期频次（frequency: {min, per}）的条款", "cadence")
