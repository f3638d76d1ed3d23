"""The records of a revision diff: what :func:`tooling.diff.diff_editions` returns.

Plain frozen dataclasses and the vocabulary they use (categories, aspects, field names), so the
algorithm (:mod:`tooling.diff.match`), the wording (:mod:`tooling.diff.wording`) and the reports
(:mod:`tooling.diff.reports`) share one definition.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .. import model
from ..model import Edition, EditionInfo

FORMAT_VERSION = 1

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
TECHNICAL, EDITORIAL, STRUCTURAL, FRONT_MATTER = (
    "technical", "editorial", "structural", "front_matter",
)
CATEGORIES = (TECHNICAL, EDITORIAL, STRUCTURAL, FRONT_MATTER)

# Aspects of a matched pair, in the order they are listed on a record.
ASPECTS = (
    "id_changed", "renumbered", "moved", "type_changed", "references_renumbered", "editorial",
    "text_modified", "title_changed", "term_renamed", "term_changed", "metadata_changed",
    "strengthened", "weakened", "table_changed", "annex_obligation_changed",
)
TECHNICAL_ASPECTS = frozenset({
    "text_modified", "title_changed", "term_renamed", "term_changed", "metadata_changed",
    "strengthened", "weakened", "table_changed", "annex_obligation_changed",
})
STRUCTURAL_ASPECTS = frozenset({
    "id_changed", "renumbered", "moved", "type_changed", "references_renumbered",
})

# Nature of one field change.
N_TECHNICAL, N_EDITORIAL, N_REFERENCES, N_STRUCTURAL = (
    "technical", "editorial", "references", "structural",
)

# Obligation strength: requirement > recommendation > permission > possibility / statement.
# An instruction (指示) tells the user what to do, like a requirement.
LEVEL = {
    "requirement": 3, "instruction": 3, "recommendation": 2, "permission": 1,
    "possibility": 0, "statement": 0,
}
METADATA_FIELDS = (
    "kind", "role", "frequency", "target", "applies_to", "checklist", "checklist_text",
    "evidence",
)
TERM_FIELDS = ("term", "en", "source", "synonyms")

_FAMILIES = {
    model.UNTITLED: "text", model.PARAGRAPH: "text", model.LIST_ITEM: "text",
    model.CHAPTER: "heading", model.CLAUSE: "heading", model.ANNEX: "heading",
    model.FOREWORD: "heading", model.INTRODUCTION: "heading",
    model.BIBLIOGRAPHY: "heading", model.INDEX: "heading",
    model.TERM: "term", model.TABLE: "table", model.FIGURE: "figure",
    model.FORMULA: "formula", model.NOTE: "text", model.EXAMPLE: "text",
    model.NORMATIVE_REFERENCE: "reference", model.BIBLIOGRAPHY_ENTRY: "reference",
}

Segment = tuple[str, str]  # ("=" | "-" | "+", text)


# -- records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One element as it stands in one edition (old or new)."""

    id: str
    element_type: str
    number: str | None
    reference: str  # how the edition cites it: 5.2, 第6章, 附录A, 表1, 5.2 a)
    title: str
    text: str
    parent: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "element_type": self.element_type, "number": self.number,
            "reference": self.reference, "title": self.title, "text": self.text,
            "parent": self.parent,
        }


@dataclass(frozen=True)
class TableDiff:
    """How two tables line up: column and row pairs (old index, new index), None = absent."""

    columns: tuple[tuple[int | None, int | None], ...]
    rows: tuple[tuple[int | None, int | None], ...]
    columns_added: tuple[str, ...]
    columns_removed: tuple[str, ...]
    rows_added: tuple[tuple[str, ...], ...]
    rows_removed: tuple[tuple[str, ...], ...]
    cells_changed: int  # technical cell changes in rows present on both sides

    def to_json(self) -> dict[str, Any]:
        return {
            "columns": [list(p) for p in self.columns],
            "rows": [list(p) for p in self.rows],
            "columns_added": list(self.columns_added),
            "columns_removed": list(self.columns_removed),
            "rows_added": [list(r) for r in self.rows_added],
            "rows_removed": [list(r) for r in self.rows_removed],
            "cells_changed": self.cells_changed,
        }


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between the old and the new element.

    ``field``: text, title, notes, examples, rows, number, parent, element_type,
    annex_obligation, metadata.<name> or term.<name>. ``old``/``new`` are JSON values.
    ``diff``: character-level segments for text-like fields.
    """

    field: str
    old: Any
    new: Any
    nature: str  # technical / editorial / references / structural
    diff: tuple[Segment, ...] = ()
    table: TableDiff | None = None
    # The diff of the texts with references as ⟦target⟧: what the author changed (summaries).
    ref_diff: tuple[Segment, ...] = field(default=(), compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "field": self.field, "old": _jsonable(self.old), "new": _jsonable(self.new),
            "nature": self.nature,
        }
        if self.diff:
            out["diff"] = [list(s) for s in self.diff]
        if self.table is not None:
            out["table"] = self.table.to_json()
        return out


@dataclass(frozen=True)
class Obligation:
    """A change in how binding a provision is."""

    direction: str  # strengthened / weakened
    basis: str  # metadata (metadata.kind) / text (modal verbs)
    old: str  # kind, or the modal verbs that went
    new: str  # kind, or the modal verbs that came

    def to_json(self) -> dict[str, Any]:
        return {"direction": self.direction, "basis": self.basis, "old": self.old,
                "new": self.new}


@dataclass(frozen=True)
class ChangeRecord:
    change: str  # added / removed / changed
    old: Side | None
    new: Side | None
    category: str
    aspects: tuple[str, ...] = ()
    fields: tuple[FieldChange, ...] = ()
    match_by: str | None = None  # id / similarity (changed records only)
    score: float | None = None  # similarity score (similarity matches only)
    obligation: Obligation | None = None
    summary: str = ""

    @property
    def id(self) -> str:
        side = self.new or self.old
        assert side is not None
        return side.id

    def field(self, name: str) -> FieldChange | None:
        return next((f for f in self.fields if f.field == name), None)

    @property
    def renumbered_only(self) -> bool:
        return self.aspects == ("renumbered",)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "change": self.change, "category": self.category,
            "old": self.old.to_json() if self.old else None,
            "new": self.new.to_json() if self.new else None,
            "aspects": list(self.aspects),
            "fields": [f.to_json() for f in self.fields],
            "summary": self.summary,
        }
        if self.match_by:
            out["match"] = {"by": self.match_by}
            if self.score is not None:
                out["match"]["score"] = self.score
        if self.obligation:
            out["obligation"] = self.obligation.to_json()
        return out


@dataclass(frozen=True)
class EditionDiff:
    """The difference between two editions. ``records`` in the documented order."""

    old_info: EditionInfo
    new_info: EditionInfo
    records: tuple[ChangeRecord, ...]
    unchanged: int
    threshold: float
    # Every element of both editions in merged order: (old id, new id), None when absent.
    alignment: tuple[tuple[str | None, str | None], ...] = ()
    old: Edition | None = field(default=None, repr=False, compare=False)
    new: Edition | None = field(default=None, repr=False, compare=False)

    def has_changes(self, level: str = "technical") -> bool:
        """For CI exit codes: any technical change ("technical"), or any record at all ("any")."""
        if level == "any":
            return bool(self.records)
        if level == "technical":
            return any(r.category == TECHNICAL for r in self.records)
        raise ValueError(f"未知的级别 {level!r}（应为 technical 或 any）")

    def record_for(self, old_id: str | None, new_id: str | None) -> ChangeRecord | None:
        return self._index().get((old_id, new_id))

    def _index(self) -> dict[tuple[str | None, str | None], ChangeRecord]:
        cache = self.__dict__.get("_record_index")
        if cache is None:
            cache = {(r.old.id if r.old else None, r.new.id if r.new else None): r
                     for r in self.records}
            object.__setattr__(self, "_record_index", cache)
        return cache

    def counts(self) -> dict[str, int]:
        c = Counter(r.change for r in self.records)
        cat = Counter(r.category for r in self.records)
        aspects = Counter(a for r in self.records for a in r.aspects)
        return {
            "old_elements": sum(1 for o, _ in self.alignment if o is not None),
            "new_elements": sum(1 for _, n in self.alignment if n is not None),
            "added": c[ADDED], "removed": c[REMOVED], "changed": c[CHANGED],
            "unchanged": self.unchanged,
            **{k: cat[k] for k in CATEGORIES},
            "renumbered_only": sum(1 for r in self.records if r.renumbered_only),
            "moved": aspects["moved"], "strengthened": aspects["strengthened"],
            "weakened": aspects["weakened"],
            "matched_by_similarity": sum(1 for r in self.records if r.match_by == "similarity"),
        }

    def to_json(self) -> dict[str, Any]:
        """Deterministic JSON data (dump it with sort_keys=True); see schemas/diff.schema.json."""
        return {
            "format_version": FORMAT_VERSION,
            "old": self.old_info.to_json(),
            "new": self.new_info.to_json(),
            "threshold": self.threshold,
            "unchanged": self.unchanged,
            "counts": self.counts(),
            "records": [r.to_json() for r in self.records],
        }




REF_MARKER = re.compile(r"⟦([^⟦⟧]*)⟧")  # a reference marker in Clause.ref_text


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value
