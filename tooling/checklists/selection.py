"""Checklists: which rows a printable checklist has, how each is filled in, and who it is
printed for.

Pure Python on the clause model: the declarations come from ``checklists.yaml`` (read by
:mod:`tooling.model.checklist_specs`), the rows from each clause's ``checklist`` metadata (or,
for a score sheet, from the standard's scoring table), the personal details from a roster (CSV
or YAML) whose columns the declarations name. Every problem in those files is a
:class:`StandardInputError` naming file and line, raised before anything is written.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..io import safeyaml
from ..io.diagnostics import StandardInputError, diagnostic
from ..model import LIST_ITEM, PERIOD_ZH, Clause, Edition
from ..model.checklist_specs import ChecklistSpec, RosterSpec, ScoreSpec
from ..model.units import plain_units, say_duration

_FORMULA = ("=", "+", "@")
_PERIOD_ORDER = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4}
#: The parts of a period a grid has one cell for (at most 31 cells: more would be a count).
SUB_PERIODS: dict[tuple[str, str], tuple[str, ...]] = {
    ("month", "day"): tuple(str(d) for d in range(1, 32)),
    ("month", "week"): tuple(f"{w}周" for w in range(1, 6)),
    ("quarter", "month"): ("第1月", "第2月", "第3月"),
    ("year", "month"): tuple(f"{m}月" for m in range(1, 13)),
    ("year", "quarter"): ("一季度", "二季度", "三季度", "四季度"),
    ("week", "day"): ("一", "二", "三", "四", "五", "六", "日"),
}


def grid_cells(period: str) -> tuple[str, ...]:
    """The columns of a ``grid`` sheet: the months of a year or quarter, the days of a week
    or month."""
    finer = {"year": "month", "quarter": "month", "month": "day", "week": "day"}[period]
    return SUB_PERIODS.get((period, finer), ())


#: How many of a finer period a period holds at least, to count what a cadence asks for.
_MIN_PARTS = {("month", "day"): 28, ("month", "week"): 4, ("quarter", "month"): 3,
              ("quarter", "week"): 13, ("quarter", "day"): 90, ("year", "month"): 12,
              ("year", "quarter"): 4, ("year", "week"): 52, ("year", "day"): 365,
              ("week", "day"): 7}
RECOMMENDED = "（建议）"


# -- rows from clauses ----------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """How a row is filled in on a sheet of a given period.

    ``grid``: one cell per part of the period (days of the month, weeks, months of the year);
    ``count``: the number of times, against ``target`` (at least n); ``events``: how many
    times it happened and how many of those were on time; ``value``: a measured value with
    ``unit`` (a rate, a number); ``box``: one tick.
    """

    kind: str
    cells: tuple[str, ...] = ()  # grid: the cells' labels; ``unit`` says what one cell is
    target: int | None = None
    unit: str = ""


@dataclass(frozen=True)
class Row:
    """One line of a checklist: what to do, what is asked, how it is recorded, where from."""

    clause_id: str  # for links and tests; never printed on paper
    reference: str  # 7.1.2, printed as 依据7.1.2
    action: str
    requirement: str
    evidence: str
    record: Record
    recommended: bool = False
    items: tuple[str, ...] = ()  # a list's items, "a) 楼道卫生……"


def rows_for(edition: Edition, spec: ChecklistSpec) -> list[Row]:
    """The clauses whose metadata names this checklist, in document order."""
    return [row_of(edition, c, spec.period) for c in edition.walk()
            if spec.id in c.metadata.checklist]


def row_of(edition: Edition, clause: Clause, period: str = "month") -> Row:
    meta = clause.metadata
    recommended = meta.kind == "recommendation"
    action = plain_units(meta.checklist_text or clause.text.replace("\n", ""))
    if recommended:
        action += RECOMMENDED
    return Row(
        clause_id=clause.id,
        reference=edition.reference_text(clause.id),
        action=action,
        requirement=requirement(clause, bool(meta.checklist_text), period),
        evidence="、".join(meta.evidence),
        record=record_for(clause, period),
        recommended=recommended,
        items=tuple(_items(edition, clause)),
    )


def requirement(clause: Clause, short: bool = False, period: str | None = None) -> str:
    """What is asked, in plain words: 每日至少1次; 3日内; 走访覆盖率应达到100%. ``short``
    when the row's own wording (``checklist_text``) already names the event or the metric."""
    meta, parts = clause.metadata, []
    freq = meta.frequency
    if freq is not None and freq.event:
        within = f"{say_duration(freq.within)}内" if freq.within else ""
        parts.append(within if short and within else "，".join(
            x for x in (f"{plain_units(freq.event)}时", within) if x))
    elif freq is not None and freq.per:
        parts.append(f"每{PERIOD_ZH[freq.per]}至少{freq.min}次")
    if meta.target is not None:
        t = meta.target
        ops = {">=": "不低于", "<=": "不超过", "=": "达到", ">": "高于", "<": "低于"}
        value = f"{t.value:g}" if isinstance(t.value, float) else str(t.value)
        unit = say_duration(t.unit) if t.unit else ""
        per = f"（每{PERIOD_ZH[t.per]}）" if t.per and t.per != period else ""
        metric = "应" if short else t.metric
        parts.append(f"{metric}{ops[t.op]}{value}{unit}{per}")
    return "；".join(parts)


def record_for(clause: Clause, period: str) -> Record:
    """How a clause is recorded on a sheet that covers ``period``."""
    meta = clause.metadata
    freq = meta.frequency
    if freq is not None and freq.event:
        return Record("events")
    if freq is not None and freq.per:
        finer = _PERIOD_ORDER[freq.per] < _PERIOD_ORDER[period]
        if finer and (period, freq.per) in SUB_PERIODS and freq.min == 1:
            return Record("grid", SUB_PERIODS[(period, freq.per)], unit=PERIOD_ZH[freq.per])
        if finer:
            return Record("count", target=freq.min * _MIN_PARTS.get((period, freq.per), 1))
        if freq.per == period and freq.min > 1:
            return Record("count", target=freq.min)
        return Record("box")
    if meta.target is not None:
        return Record("value", unit=say_duration(meta.target.unit) if meta.target.unit else "")
    return Record("box")


def _items(edition: Edition, clause: Clause) -> list[str]:
    out = []
    for child in clause.children:
        if child.element_type != LIST_ITEM:
            continue
        number = child.number or ""
        label = number.rsplit(" ", 1)[-1] if number else "——"
        out.append(f"{label} {plain_units(child.text.strip().rstrip('；;。.'))}")
        out.extend("　" + item for item in _items(edition, child))
    return out


def required_log_rows(edition: Edition, spec: ChecklistSpec, count: int | None) -> int:
    """Rows a log needs at least: the number of things to record (from the roster) times how
    often each must be recorded in the sheet's period (from the cadence clause)."""
    if spec.log is None or count is None:
        return 0
    times = 1
    if spec.log.cadence:
        freq = edition[spec.log.cadence].metadata.frequency
        if freq is not None and freq.min is not None and freq.per is not None:
            if freq.per == spec.period:
                times = freq.min
            elif _PERIOD_ORDER[freq.per] < _PERIOD_ORDER[spec.period]:
                times = freq.min * _MIN_PARTS.get((spec.period, freq.per), 1)
            else:
                times = 1
    return count * times


# -- score sheets from the standard's scoring table ------------------------------------------


@dataclass(frozen=True)
class ScoreItem:
    group: str
    item: str
    points: str
    method: str
    basis: str


@dataclass(frozen=True)
class Grade:
    name: str
    range: str
    condition: str
    basis: str


@dataclass(frozen=True)
class ScoreSheet:
    items: tuple[ScoreItem, ...]
    total_label: str | None
    total_points: str | None
    grades: tuple[Grade, ...] = ()
    table_reference: str = ""
    grades_reference: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # printed column headings


def score_sheet(edition: Edition, spec: ScoreSpec) -> ScoreSheet:
    """The items, points and grades of a scoring table, as the standard has them.

    A group cell left empty, or repeated (as a row span reads), continues the group above;
    the row whose first cell is ``spec.total`` is the total."""
    table = edition[spec.table]
    head, body = _split(table)

    def column(name: str | None) -> int | None:
        return head.index(name) if name is not None and name in head else None

    at = {k: column(getattr(spec, k)) for k in ("group", "item", "points", "method", "basis")}

    def cell(row: tuple[str, ...], key: str) -> str:
        index = at[key]
        return row[index].strip() if index is not None and index < len(row) else ""

    items, group, total_label, total_points = [], "", None, None
    for row in body:
        first = row[0].strip() if row else ""
        if spec.total and first == spec.total:
            total_label, total_points = first, cell(row, "points")
            continue
        if cell(row, "group"):
            group = cell(row, "group")
        items.append(ScoreItem(group, plain_units(cell(row, "item")), cell(row, "points"),
                               plain_units(cell(row, "method")), cell(row, "basis")))
    grades: list[Grade] = []
    grades_ref = ""
    if spec.grades:
        grade_table = edition[spec.grades]
        ghead, gbody = _split(grade_table)
        grades_ref = edition.reference_text(spec.grades)

        def gcell(row: tuple[str, ...], name: str | None) -> str:
            if name is None or name not in ghead:
                return ""
            value = row[ghead.index(name)].strip()
            return "" if value in ("—", "-", "——") else plain_units(value)

        basis = next((h for h in ghead if h.startswith("依据")), None)
        for row in gbody:
            grades.append(Grade(gcell(row, spec.grade or ghead[0]), gcell(row, spec.range),
                                gcell(row, spec.condition), gcell(row, basis)))
    headings = {k: getattr(spec, k) for k in ("group", "item", "points", "method", "basis")
                if getattr(spec, k)}
    headings["score"] = spec.score or "得分"
    return ScoreSheet(tuple(items), total_label, total_points, tuple(grades),
                      edition.reference_text(spec.table), grades_ref, headings)


def _split(table: Clause) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    header_rows = max(table.header_rows, 1)
    head = table.rows[header_rows - 1] if table.rows else ()
    return tuple(c.strip() for c in head), table.rows[header_rows:]


def points_total(sheet: ScoreSheet) -> int | None:
    """The sum of the items' points, when every one is a whole number."""
    try:
        return sum(int(i.points) for i in sheet.items)
    except ValueError:
        return None


# -- rosters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """One row of a roster: the values of the columns ``checklists.yaml`` declares."""

    values: tuple[tuple[str, str | int], ...]
    line: int = 0  # where the person is in the roster

    def get(self, column: str) -> str | int | None:
        return dict(self.values).get(column)

    def count(self, column: str | None) -> int | None:
        value = self.get(column) if column else None
        return value if isinstance(value, int) else None


def display_name(roster: RosterSpec, person: Person) -> str:
    return str(person.get(roster.name_column) or "")


def _roster_error(
    path: Path, line: int | None, detail: str, where: str | None = None
) -> StandardInputError:
    if where is None:
        where = f"第{line}行" if line else ""
    return StandardInputError([diagnostic("E113", path, line, where=where, detail=detail)])


def load_roster(path: Path, roster: RosterSpec) -> list[Person]:
    """Read a roster (CSV with a header row, or YAML list) with the columns ``roster``
    declares; validate every row first, so that nothing is written from a bad roster."""
    if not path.is_file():
        raise StandardInputError([diagnostic("E112", path, None, detail=f"花名册 {path}")])
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        detail = "文件不是 UTF-8 编码，请另存为 UTF-8（CSV UTF-8）"
        raise _roster_error(path, data[: err.start].count(b"\n") + 1, detail) from None
    names = {s: c.id for c in roster.columns for s in (c.id, c.label, *c.aliases)}
    known = "、".join(names)
    if path.suffix.lower() in (".yaml", ".yml"):
        records = _yaml_records(path, text, names, known)
    else:
        records = _csv_records(path, text, names, known)
    people: list[Person] = []
    seen: dict[tuple[Any, ...], int] = {}
    for line, record in records:
        people.append(_person(path, line, record, roster))
        key = tuple(record.get(c) for c in roster.identity)
        if key in seen:
            rest = "、".join(str(v) for v in key[1:] if v not in (None, ""))
            who = f"“{key[0]}”" + (f"（{rest}）" if rest else "")
            raise _roster_error(path, line, f"{roster.person}{who}重复，第{seen[key]}行已有")
        seen[key] = line
    if not people:
        raise _roster_error(path, 1, f"花名册中没有{roster.person}", where="")
    return people


def _person(path: Path, line: int, record: dict[str, Any], roster: RosterSpec) -> Person:
    def fail(detail: str) -> StandardInputError:
        return _roster_error(path, line, detail)

    for key, value in record.items():
        if isinstance(value, str) and value.startswith(_FORMULA):
            raise fail(f"“{key}”以“{value[0]}”开头，疑似电子表格公式，请改为纯文字")
    values = []
    for column in roster.columns:
        value = record.get(column.id)
        if value in (None, ""):
            if column.required:
                raise fail(f"缺少必填项：{column.id}（{column.label}）")
            continue
        if column.type == "count":
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise fail(f"“{column.id}”应为整数，现为“{value}”")
            if isinstance(value, str):
                if not re.fullmatch(r"-?\d+", value):
                    raise fail(f"“{column.id}”应为整数，现为“{value}”")
                value = int(value)
            if value < 0:
                raise fail(f"“{column.id}”不能为负数，现为 {value}")
            if value > 5000:
                raise fail(f"“{column.id}”为 {value}，不应大于 5000")
        else:
            value = str(value)
            if len(value) > 120:
                raise fail(f"“{column.id}”过长（最多 120 个字符）")
        values.append((column.id, value))
    return Person(tuple(values), line)


def _csv_records(path: Path, text: str, names: dict[str, str],
                 known: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise _roster_error(path, 1, "文件为空", where="") from None
    columns = []
    for name in header:
        key = names.get(name.strip())
        if key is None:
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


def _yaml_records(path: Path, text: str, names: dict[str, str],
                  known: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        loaded = safeyaml.load(text)
    except safeyaml.YamlProblem as err:
        line = err.line + 1 if err.line is not None else None
        detail = f"YAML 有误：{err.params.get('detail', err.code)}"
        raise _roster_error(path, line, detail, where="") from None
    if not isinstance(loaded.data, list):
        raise _roster_error(path, 1, "应为人员列表", where="")
    records = []
    for item, line in zip(loaded.data, loaded.item_lines, strict=True):
        if not isinstance(item, dict):
            raise _roster_error(path, line + 1, "每一项应为“键: 值”映射")
        record = {}
        for key, value in item.items():
            canonical = names.get(str(key))
            if canonical is None:
                raise _roster_error(path, line + 1, f"未知的项“{key}”（可用的项：{known}）")
            record[canonical] = str(value).strip() if isinstance(value, str) else value
        records.append((line + 1, record))
    return records
