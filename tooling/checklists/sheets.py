"""Checklists as Typst source (laid out by ``_templates/checklist.typ``)."""

from __future__ import annotations

from ..model import Edition
from ..model.checklist_specs import ChecklistSpec
from ..typeset import FontChoice, escape, string
from .selection import SUB_PERIODS, Row, Steward

TEMPLATE = "checklist.typ"
_BLANK = "blank(8em)"


def _cell(text: str) -> str:
    return f"[{escape(text)}]"


def sheet_source(edition: Edition, spec: ChecklistSpec, rows: list[Row],
                 steward: Steward | None, year: str | None = None) -> str:
    info = edition.info
    count = steward.count(spec.rows_from) if steward else None
    period = spec.period_label if not year else spec.period_label.replace("____年", f"{year}年", 1)
    meta = {
        "number": string(info.number), "title": string(info.title_zh),
        "name": string(spec.name), "audience": string(spec.audience),
        "period": string(period),
        "steward": _cell(steward.name) if steward else _BLANK,
        "community": _cell(steward.community) if steward else _BLANK,
        "buildings": _cell(steward.buildings) if steward else _BLANK,
        "households": _cell(f"{steward.households} 户") if steward else _BLANK,
        "special": _cell(f"{steward.special_households} 户") if steward else _BLANK,
        "instructions": _cell(spec.instructions) if spec.instructions else "none",
        "landscape": "true" if spec.layout == "periods" else "false",
    }
    parts = [requirements_table(rows, spec)]
    if spec.layout == "periods":
        parts.append(periods_grid(spec, count if count is not None else spec.blank_rows))
    elif spec.layout == "log":
        parts.append(log_grid(spec, count if count is not None else spec.blank_rows))
    for table_id in spec.tables:
        parts.append(standard_table(edition, table_id))
    meta_src = "(" + ", ".join(f"{k}: {v}" for k, v in meta.items()) + ")"
    return f"#sheet({meta_src})[\n" + "\n".join(parts) + "\n]\n"


def requirements_table(rows: list[Row], spec: ChecklistSpec) -> str:
    title = "工作内容" if spec.layout == "tick" else "本表依据的要求"
    cells = []
    for i, row in enumerate(rows, start=1):
        trace = f"#trace({string(row.reference)}, {string(row.clause_id)})"
        action = f"[{escape(row.action)} \\ {trace}]"
        cells.append(f"[{i}], {action}, {_cell(row.cadence)}, {_cell(row.evidence)}, [#tick-box]")
    empty = "table.cell(colspan: 5)[（本标准中没有标注此检查表的条款）]"
    body = ",\n  ".join(cells) if cells else empty
    return (f"#section-title[{escape(title)}]\n"
            "#table(columns: (2.8em, 1fr, 8em, 7em, 3em),\n"
            "  align: (center, left, left, left, center),\n"
            "  table.header([序号], [工作内容], [频次或目标], [记录], [完成]),\n"
            f"  {body},\n)\n")


def periods_grid(spec: ChecklistSpec, count: int) -> str:
    columns = SUB_PERIODS[spec.period]
    head = ", ".join([_cell(spec.row_label), *(_cell(c) for c in columns), "[合计]"])
    rows = [", ".join([f"[{i}.]", *("[#tick-box]" for _ in columns), "[]"])
            for i in range(1, count + 1)]
    body = ",\n  ".join(rows) if rows else "table.cell(colspan: 14)[（无）]"
    return (f"#section-title[{escape(spec.name)}（共 {count} 行）]\n"
            f"#table(columns: (7em, {', '.join(['1fr'] * len(columns))}, 3em), align: center,\n"
            f"  table.header({head}),\n  {body},\n)\n")


def log_grid(spec: ChecklistSpec, count: int) -> str:
    columns = spec.log_columns or ("日期", "内容", "备注")
    head = ", ".join(["[序号]", *(_cell(c) for c in columns)])
    blank_row = ", ".join(["[{i}]", *("[]" for _ in columns)])
    rows = [blank_row.replace("{i}", str(i)) for i in range(1, count + 1)]
    body = ",\n  ".join(rows) if rows else f"table.cell(colspan: {len(columns) + 1})[（无）]"
    return (f"#section-title[记录（共 {count} 行）]\n"
            f"#table(columns: (2.5em, {', '.join(['1fr'] * len(columns))}), rows: 2.4em,\n"
            f"  table.header({head}),\n  {body},\n)\n")


def standard_table(edition: Edition, table_id: str) -> str:
    """A table of the standard (e.g. the scoring form), as printed in the standard."""
    table = edition[table_id]
    columns = max((len(r) for r in table.rows), default=1)
    header = [r for r in table.rows[: table.header_rows]]
    body = [r for r in table.rows[table.header_rows :]]
    head = ", ".join(_cell(c) for c in header[0]) if header else ""
    cells = ",\n  ".join(", ".join(_cell(c) for c in r) for r in body)
    return (f"#section-title[{escape(edition.reference_text(table_id))}　{escape(table.title)}]\n"
            f"#text(size: 10.5pt, table(columns: {columns}, "
            f"{'table.header(' + head + '), ' if head else ''}\n  {cells},\n))\n"
            f"#trace({string(edition.reference_text(table_id))}, {string(table_id)})\n")


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
