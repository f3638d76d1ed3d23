"""The clause index: the model as versioned JSON (with its schema), and as CSV and .xlsx for
Excel/WPS (Chinese column names and values, developer columns last).

The JSON is a superset of :meth:`Edition.to_json`, so ``Edition.loads`` reads it back: the
diff and checklist tools run from an archived edition's ``clause-index.json`` alone.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from ..io.tables import Cell, Column, to_csv, to_xlsx
from ..io.tables import neutralise as neutralise  # re-exported: the CSV rule lives in io
from ..model import (
    ANNEX,
    BIBLIOGRAPHY,
    BIBLIOGRAPHY_ENTRY,
    CHAPTER,
    CLAUSE,
    EXAMPLE,
    FIGURE,
    FOREWORD,
    FORMULA,
    INDEX,
    INTRODUCTION,
    KIND_ZH,
    LIST_ITEM,
    NORMATIVE_REFERENCE,
    NOTE,
    PARAGRAPH,
    TABLE,
    TERM,
    UNTITLED,
    Clause,
    Edition,
)
from ..model.clause_metadata import schema
from ..model.modal import ModalHit, first_modal
from ..typeset import edition_date

INDEX_SCHEMA = "clause-index.schema.json"
INDEX_CSV = "clause-index.csv"
INDEX_XLSX = "clause-index.xlsx"

# The spreadsheet columns (CSV and .xlsx): what staff read first, developer columns last. The
# JSON keeps the machine names; each column says which JSON field it shows.
SHEET_COLUMNS: tuple[tuple[str, Column], ...] = (
    ("number", Column("编号", 10)),
    ("element_type", Column("要素类型", 10)),
    ("title", Column("标题", 18, wrap=True)),
    ("text", Column("条文", 60, wrap=True)),
    ("kind", Column("条款类型", 10)),
    ("modal", Column("能愿动词", 9)),
    ("role", Column("执行主体", 14, wrap=True)),
    ("frequency", Column("频次", 16, wrap=True)),
    ("target", Column("目标", 18, wrap=True)),
    ("applies_to", Column("适用对象", 14, wrap=True)),
    ("evidence", Column("证明记录", 18, wrap=True)),
    ("checklist", Column("检查表", 18, wrap=True)),
    ("chapter", Column("所在章或附录", 18, wrap=True)),
    ("parent", Column("上级", 10)),
    ("id", Column("标识", 26)),
    ("source", Column("源文件", 26)),
    ("line", Column("行号", 7, integer=True)),
    ("hash", Column("内容哈希", 20)),
)
CSV_COLUMNS = tuple(key for key, _column in SHEET_COLUMNS)  # the JSON field of each column
ELEMENT_ZH = {
    CHAPTER: "章", CLAUSE: "条", UNTITLED: "无标题条", PARAGRAPH: "段", TERM: "术语条目",
    ANNEX: "附录", TABLE: "表", FIGURE: "图", LIST_ITEM: "列项", FOREWORD: "前言",
    INTRODUCTION: "引言", BIBLIOGRAPHY: "参考文献", INDEX: "索引", FORMULA: "公式",
    NOTE: "注", EXAMPLE: "示例", NORMATIVE_REFERENCE: "规范性引用文件",
    BIBLIOGRAPHY_ENTRY: "参考文献条目",
}


def content_hash(clause: Clause) -> str:
    """A hash of what a clause says (not of its number): unchanged text, unchanged hash."""
    payload = {
        "element_type": clause.element_type, "title": clause.title, "text": clause.text,
        "notes": list(clause.notes), "examples": list(clause.examples),
        "metadata": clause.metadata.to_json(),
        "term": clause.term.to_json() if clause.term else None,
    }
    # Added with the elements beyond clauses; absent keys keep earlier hashes unchanged.
    extra = {"footnotes": list(clause.footnotes) or None,
             "document": clause.document.to_json() if clause.document else None,
             "formula": clause.formula.to_json() if clause.formula else None}
    payload.update({k: v for k, v in extra.items() if v is not None})
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return "sha256:" + hashlib.sha256(data).hexdigest()


def chapters(edition: Edition) -> dict[str, Clause]:
    """Each element's top-level ancestor (its chapter, annex or preliminary element)."""
    out: dict[str, Clause] = {}
    for top in edition.clauses:
        for clause in top.walk():
            out[clause.id] = top
    return out


def index_json(
    edition: Edition, modal_cache: Mapping[str, tuple[ModalHit, ...]] | None = None
) -> dict[str, Any]:
    """The index: the model's JSON plus chapter, modal verb and content hash per element.
    ``modal_cache`` (text -> modal verbs, kept by the linter in the build environment) saves
    segmenting every text again."""
    data = edition.to_json()
    tops = chapters(edition)
    cache = modal_cache or {}
    for row in data["clauses"]:
        clause = edition[row["id"]]
        row["chapter"] = tops[clause.id].id
        if not clause.text:
            row["modal"] = None
        elif clause.text in cache:
            hits = cache[clause.text]
            row["modal"] = hits[0].word if hits else None
        else:
            row["modal"] = first_modal(clause.text)
        row["hash"] = content_hash(clause)
    return data


def index_schema() -> dict[str, Any]:
    """The clause-index schema, with the edition and metadata parts taken from the schemas
    that validate standard.yaml and clause metadata (one definition of each field)."""
    sch = copy.deepcopy(schema(INDEX_SCHEMA))
    edition = copy.deepcopy(schema("standard.schema.json"))
    for key in ("$schema", "$id"):
        edition.pop(key, None)
    # The index always carries the computed class line.
    edition["required"] = [*edition["required"], "class_line"]
    edition.pop("allOf", None)
    metadata = copy.deepcopy(schema("clause-metadata.schema.json"))
    for key in ("$schema", "$id", "required"):
        metadata.pop(key, None)
    for key in ("id", "numbered"):
        metadata["properties"].pop(key)
    sch["$defs"]["edition"] = _rebase(edition, "#/$defs/edition")
    sch["$defs"]["metadata"] = _rebase(metadata, "#/$defs/metadata")
    return sch


def _rebase(node: Any, base: str) -> Any:
    """Point a sub-schema's internal ``#/$defs/x`` references at its new place."""
    if isinstance(node, dict):
        return {k: (base + v[1:] if k == "$ref" and isinstance(v, str) and v.startswith("#/")
                    else _rebase(v, base)) for k, v in node.items()}
    if isinstance(node, list):
        return [_rebase(v, base) for v in node]
    return node


def dumps_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _chapter_label(edition: Edition, top: Clause) -> str:
    if top.element_type == ANNEX and top.number:
        return f"附录{top.number}\u3000{top.title}"
    return f"{top.number}\u3000{top.title}" if top.number else top.title


def sheet_rows(edition: Edition, data: dict[str, Any] | None = None) -> list[list[Cell]]:
    """One row per element, in the order of :data:`SHEET_COLUMNS`, with Chinese values."""
    data = data or index_json(edition)
    tops = chapters(edition)
    rows: list[list[Cell]] = []
    for row in data["clauses"]:
        clause = edition[row["id"]]
        meta = clause.metadata
        parent = row.get("parent")
        values: dict[str, Cell] = {
            **{k: row.get(k) for k in CSV_COLUMNS},
            "element_type": ELEMENT_ZH.get(clause.element_type, clause.element_type),
            "kind": KIND_ZH.get(meta.kind or "", meta.kind or ""),
            "role": "、".join(meta.role),
            "frequency": meta.frequency.describe() if meta.frequency else "",
            "target": meta.target.describe() if meta.target else "",
            "applies_to": "、".join(meta.applies_to),
            "checklist": "、".join(meta.checklist),
            "evidence": "、".join(meta.evidence),
            "chapter": _chapter_label(edition, tops[clause.id]),
            "parent": edition.reference_text(parent) if parent else "",
        }
        rows.append([values[k] for k in CSV_COLUMNS])
    return rows


def index_csv(edition: Edition, data: dict[str, Any] | None = None) -> str:
    """UTF-8 with BOM (so Excel and WPS open Chinese correctly), one row per element, the same
    Chinese columns and values as the .xlsx."""
    return to_csv([c for _k, c in SHEET_COLUMNS], sheet_rows(edition, data))


def index_xlsx(edition: Edition, data: dict[str, Any] | None = None) -> bytes:
    """The clause index as an Excel workbook: numbers are text cells (3.10 stays 3.10)."""
    info = edition.info
    return to_xlsx("条款索引", [c for _k, c in SHEET_COLUMNS], sheet_rows(edition, data),
                   title=f"{info.number}《{info.title_zh}》条款索引",
                   date=edition_date(info.issued, info.implemented))
