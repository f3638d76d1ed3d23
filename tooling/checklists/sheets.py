"""Checklists as Typst source: data for the layouts in ``_templates/checklist.typ``.

Nothing printed carries an element id: a row says where it comes from as "依据7.1.2". Every
duration is said in words (:mod:`tooling.model.units`); a recommendation (宜) is marked
"（建议）" and the instructions line says what that means.
"""

from __future__ import annotations

from ..model import Edition
from ..model.checklist_specs import ChecklistFile, ChecklistSpec
from ..model.units import plain_units
from ..typeset import FontChoice, escape, string
from .selection import (
    RECOMMENDED,
    Person,
    Row,
    grid_cells,
    points_total,
    required_log_rows,
    score_sheet,
)

TEMPLATE = "checklist.typ"
RECOMMENDED_NOTE = f"标“{RECOMMENDED}”的是标准中的推荐做法（“宜”），尽量做到，不作硬性要求。"
#: Type size of a sheet's rows: 五号 (10.5pt) where a month's duties must fit one A4 sheet,
#: 小四 (12pt) elsewhere.
SIZE = {"list": "10.5pt", "grid": "12pt", "log": "12pt", "score": "10.5pt"}


def _content(text: str) -> str:
    return f"[{escape(text)}]"


def edition_line(edition: Edition) -> str:
    """How a sheet cites its standard: the number, and for a draft its stage."""
    info = edition.info
    return info.number + (f"（{info.stage}）" if info.is_draft else "")


def instructions(spec: ChecklistSpec, rows: list[Row]) -> str | None:
    parts = [plain_units(spec.instructions)] if spec.instructions else []
    if any(r.recommended for r in rows):
        parts.append(RECOMMENDED_NOTE)
    return "".join(parts) or None


def sheet_source(edition: Edition, specs: ChecklistFile, spec: ChecklistSpec, rows: list[Row],
                 person: Person | None, year: str | None = None) -> str:
    """One checklist for one person (or blank): a call of the template's ``sheet``."""
    period = spec.period_label if not year else spec.period_label.replace("____年", f"{year}年", 1)
    fields = []
    for f in spec.header:
        value = person.get(f.column) if person is not None and f.column else None
        if value is not None and f.column:
            column = specs.roster.column(f.column)
            value = f"{value}{column.unit if column else ''}"
        fields.append(f"(label: {string(f.label)}, value: "
                      f"{_content(str(value)) if value is not None else 'none'})")
    fields.append(f"(label: \"周期\", value: {_content(period)})")
    note = instructions(spec, rows)
    meta = {
        "edition": string(edition_line(edition)),
        "stage": string(edition.info.stage) if edition.info.is_draft else "none",
        "title": string(edition.info.title_zh),
        "name": string(spec.name), "audience": string(spec.audience),
        "fields": "(" + ", ".join(fields) + ",)",
        "instructions": _content(note) if note else "none",
        "signatures": "(" + ", ".join(string(s) for s in spec.signatures) + ",)",
        "landscape": "true" if spec.layout == "grid" else "false",
        "size": SIZE[spec.layout],
    }
    body = layout_source(edition, specs, spec, rows, person)
    meta_src = "(" + ", ".join(f"{k}: {v}" for k, v in meta.items()) + ")"
    return f"#sheet({meta_src})[\n{body}\n]\n"


def layout_source(edition: Edition, specs: ChecklistFile, spec: ChecklistSpec, rows: list[Row],
                  person: Person | None) -> str:
    parts = []
    if spec.layout == "list":
        parts.append(list_table(rows))
    elif spec.layout == "grid":
        assert spec.grid is not None
        count = person.count(spec.grid.rows) if person is not None else None
        parts.append(basis(rows))
        parts.append(grid_summary(edition, specs, spec, rows, count))
        cells = grid_cells(spec.period)
        parts.append(f"#grid-table({string(spec.grid.label)}, "
                     f"({', '.join(string(c) for c in cells)},), {count or 0})")
    elif spec.layout == "log":
        assert spec.log is not None
        count = person.count(spec.log.rows) if person is not None else None
        required = required_log_rows(edition, spec, count)
        parts.append(basis(rows))
        if count is not None:
            column = specs.roster.column(spec.log.rows or "")
            what = column.label if column else ""
            parts.append(f"#block(below: 0.5em, text(size: 10.5pt)[{escape(what)}{count}"
                         f"{escape(column.unit if column else '')}，本期至少记录{required}次，"
                         "每次一行；行不够时续页。])")
        parts.append(f"#log-table(({', '.join(string(c) for c in spec.log.columns)},), {required})")
    elif spec.layout == "score":
        parts.append(score_source(edition, spec))
        if rows:  # kept whole: never a heading alone at the foot of a page
            parts.append("#block(breakable: false)[#section-title[评价要求]\n"
                         + list_table(rows) + "]")
    tables = [standard_table(edition, table_id) for table_id in spec.tables]
    if spec.layout in ("grid", "log"):
        # the rows fill their last page down to the signatures: nothing may follow them
        return "\n".join([*parts[:-1], *tables, parts[-1]])
    return "\n".join([*parts, *tables])


def _row(row: Row) -> str:
    record = row.record
    cells = ", ".join(string(c) for c in record.cells)
    items = ", ".join(_content(i) for i in row.items)
    return (f"(number: {string(row.reference)}, action: {_content(row.action)}, "
            f"items: ({items}{',' if row.items else ''}), "
            f"requirement: {_content(row.requirement)}, "
            f"evidence: {_content(row.evidence) if row.evidence else 'none'}, "
            f"record: (kind: {string(record.kind)}, cells: ({cells}{',' if record.cells else ''}),"
            f" target: {record.target if record.target is not None else 'none'}, "
            f"unit: {_content(record.unit)}))")


def list_table(rows: list[Row]) -> str:
    if not rows:
        return "#text(size: 10.5pt)[（本标准中没有标注此检查表的条款）]"
    return "#list-table((\n  " + ",\n  ".join(_row(r) for r in rows) + ",\n))"


def basis(rows: list[Row]) -> str:
    if not rows:
        return ""
    return "#section-title[本表依据]\n#basis-list((\n  " + ",\n  ".join(
        _row(r) for r in rows) + ",\n))"


def grid_summary(edition: Edition, specs: ChecklistFile, spec: ChecklistSpec, rows: list[Row],
                 count: int | None) -> str:
    """The sum a grid asks for at the end: 已走访__户／负责户数58户，走访覆盖率__%（应达到100%）."""
    assert spec.grid is not None
    column = specs.roster.column(spec.grid.rows)
    unit = escape(column.unit if column else "")
    label = escape(column.label if column else "")
    known = f"{count}{unit}" if count is not None else f"#blank(3em){unit}"
    parts = [f"{escape(spec.grid.done)}#blank(3em){unit}／{label}{known}"]
    ops = {">=": "不低于", "<=": "不超过", "=": "达到", ">": "高于", "<": "低于"}
    for row in rows:
        target = edition[row.clause_id].metadata.target
        if target is not None and target.unit == "%":
            value = f"{target.value:g}" if isinstance(target.value, float) else str(target.value)
            parts.append(f"{escape(target.metric)}#blank(3em)\\%（应{ops[target.op]}{value}\\%）")
    return ("#block(above: 0.6em, below: 0.6em, text(size: 12pt)[#sans[汇总（期末填写）：]"
            + "，".join(parts) + "])")


def score_source(edition: Edition, spec: ChecklistSpec) -> str:
    assert spec.score is not None
    sheet = score_sheet(edition, spec.score)
    groups: list[tuple[str, list[str]]] = []
    for item in sheet.items:
        entry = (f"(item: {_content(item.item)}, points: {_content(item.points)}, "
                 f"method: {_content(item.method)}, basis: {_content(item.basis)})")
        if not groups or groups[-1][0] != item.group:
            groups.append((item.group, []))
        groups[-1][1].append(entry)
    heads = ", ".join(f"{k}: {string(sheet.columns.get(k))}"
                      for k in ("group", "item", "points", "method", "basis", "score"))
    groups_src = ", ".join(f"(name: {_content(g)}, items: ({', '.join(items)},))"
                           for g, items in groups)
    total = "none"
    if sheet.total_label is not None:
        points = sheet.total_points or str(points_total(sheet) or "")
        total = f"(label: {string(sheet.total_label)}, points: {_content(points)})"
    table = edition[spec.score.table]
    reference = f"{sheet.table_reference}　{table.title}"
    out = [f"#score-table(({heads}), ({groups_src},), {total}, {_content(reference)})"]
    if sheet.grades:
        grades = ", ".join(f"(name: {_content(g.name)}, range: {_content(g.range)}, "
                           f"condition: {_content(g.condition or '—')})" for g in sheet.grades)
        out.append(f"#grade-choice(({grades},), {_content(sheet.grades_reference)})")
    return "\n".join(out)


def standard_table(edition: Edition, table_id: str) -> str:
    """A table of the standard (e.g. a record form), as printed in the standard."""
    table = edition[table_id]
    columns = max((len(r) for r in table.rows), default=1)
    head = table.rows[0] if table.header_rows and table.rows else ()
    body = table.rows[table.header_rows:]
    cells = ", ".join(_content(plain_units(c)) for r in body for c in r)
    return (f"#standard-table({string(edition.reference_text(table_id))}, "
            f"{string(table.title)}, {columns}, "
            f"({', '.join(string(c) for c in head)}{',' if head else ''}), "
            f"({cells}{',' if cells else ''}))")


def document_source(sheets: list[str], fonts: FontChoice, title: str,
                    date: tuple[int, int, int] | None) -> str:
    date_src = f"datetime(year: {date[0]}, month: {date[1]}, day: {date[2]})" if date else "none"
    return "\n".join([
        "// Generated by stdkit from the standard's clause metadata: edit those, not this file.",
        f'#import "{TEMPLATE}": *',
        f"#show: setup.with(serif: {string(fonts.serif)}, sans-font: {string(fonts.sans)}, "
        f"title: {string(title)}, date: {date_src})",
        *sheets,
    ])
