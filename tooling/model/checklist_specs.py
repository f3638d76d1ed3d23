"""Reading ``checklists.yaml``: the checklists a standard declares (which rows, for whom, how
often, in which layout). Every problem is a :class:`StandardInputError` naming file and line.

The checklists themselves (rows, rosters, sheets) are :mod:`tooling.checklists`; the
declarations live here because the linter checks clause metadata against them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..io import safeyaml
from ..io.diagnostics import StandardInputError, diagnostic
from .clause_metadata import explain, first_error, schema
from .clauses import Edition

CHECKLISTS_FILE = "checklists.yaml"


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
