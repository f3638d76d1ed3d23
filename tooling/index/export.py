"""The clause index: the model as versioned JSON (with its schema) and as CSV for Excel/WPS.

The JSON is a superset of :meth:`Edition.to_json`, so ``Edition.loads`` reads it back: the
diff and checklist tools run from an archived edition's ``clause-index.json`` alone.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
from collections.abc import Mapping
from typing import Any

from ..model import Clause, Edition
from ..model.clause_metadata import schema
from ..model.modal import ModalHit, first_modal

INDEX_SCHEMA = "clause-index.schema.json"
INDEX_CSV = "clause-index.csv"
CSV_COLUMNS = (
    "id", "number", "element_type", "chapter", "parent", "title", "text", "kind", "modal",
    "role", "frequency", "target", "applies_to", "checklist", "evidence", "source", "line",
    "hash",
)
_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def content_hash(clause: Clause) -> str:
    """A hash of what a clause says (not of its number): unchanged text, unchanged hash."""
    payload = {
        "element_type": clause.element_type, "title": clause.title, "text": clause.text,
        "notes": list(clause.notes), "examples": list(clause.examples),
        "metadata": clause.metadata.to_json(),
        "term": clause.term.to_json() if clause.term else None,
    }
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


def neutralise(cell: str) -> str:
    """Stop spreadsheets from running a cell as a formula (CSV injection)."""
    return "'" + cell if cell.startswith(_CSV_TRIGGERS) else cell


def index_csv(edition: Edition, data: dict[str, Any] | None = None) -> str:
    """UTF-8 with BOM (so Excel and WPS open Chinese correctly), one row per element."""
    data = data or index_json(edition)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in data["clauses"]:
        clause = edition[row["id"]]
        meta = clause.metadata
        values = {
            **{k: row.get(k) for k in CSV_COLUMNS},
            "kind": meta.kind,
            "role": "、".join(meta.role),
            "frequency": meta.frequency.describe() if meta.frequency else "",
            "target": meta.target.describe() if meta.target else "",
            "applies_to": "、".join(meta.applies_to),
            "checklist": " ".join(meta.checklist),
            "evidence": "、".join(meta.evidence),
        }
        writer.writerow([neutralise("" if values[k] is None else str(values[k]))
                         for k in CSV_COLUMNS])
    return "\ufeff" + buffer.getvalue()
