"""The clause model: an edition of a standard as plain, frozen Python data.

Everything downstream (HTML numbering, index, checklists, diff, lint, PDF) reads this model.
It is built from a Sphinx doctree during a build (see :mod:`tooling.sphinx.collect` and
:mod:`tooling.model.numbering`), and it round-trips through JSON without Sphinx, so an archived
edition's JSON is as good as its sources.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .units import plain_units, say_duration

FORMAT_VERSION = 1
# The file an edition is serialised to (Edition.dumps / Edition.loads): the clause index.
INDEX_JSON = "clause-index.json"

# Element types. Numbered ones get a number computed from structure; the rest have none.
CHAPTER = "chapter"
CLAUSE = "clause"  # titled 条 (a heading below a chapter)
UNTITLED = "untitled-clause"  # 无标题条: {clause} directive
PARAGRAPH = "paragraph"  # unnumbered requirement paragraph: {clause} with numbered: false
TERM = "term"
ANNEX = "annex"
TABLE = "table"
FIGURE = "figure"
LIST_ITEM = "list-item"
# Unnumbered elements recognised by their heading (GB/T 1.1—2020 element names).
FOREWORD = "foreword"
INTRODUCTION = "introduction"
BIBLIOGRAPHY = "bibliography"
INDEX = "index"

ELEMENT_TYPES = (
    CHAPTER, CLAUSE, UNTITLED, PARAGRAPH, TERM, ANNEX, TABLE, FIGURE, LIST_ITEM,
    FOREWORD, INTRODUCTION, BIBLIOGRAPHY, INDEX,
)
KINDS = ("requirement", "recommendation", "permission", "possibility", "statement", "instruction")
PERIODS = ("day", "week", "month", "quarter", "year")
PERIOD_ZH = {"day": "日", "week": "周", "month": "月", "quarter": "季度", "year": "年"}
KIND_ZH = {
    "requirement": "要求",
    "recommendation": "推荐",
    "permission": "允许",
    "possibility": "能力和可能性",
    "statement": "陈述",
    "instruction": "指示",
}


@dataclass(frozen=True)
class Frequency:
    """How often: at least ``min`` times per ``per``, or whenever ``event`` happens."""

    min: int | None = None
    per: str | None = None
    event: str | None = None
    within: str | None = None

    def describe(self) -> str:
        """In plain words, as every output prints metadata: 发现安全隐患时，2小时内."""
        if self.event:
            return f"{plain_units(self.event)}时" + (
                f"，{say_duration(self.within)}内" if self.within else "")
        return f"每{PERIOD_ZH.get(self.per or '', self.per or '')}不少于{self.min}次"

    def to_json(self) -> dict[str, Any]:
        return _drop_none(
            {"min": self.min, "per": self.per, "event": self.event, "within": self.within}
        )


@dataclass(frozen=True)
class Target:
    """A measurable target: ``metric`` ``op`` ``value`` ``unit`` (per period)."""

    metric: str
    value: int | float
    unit: str = ""
    per: str | None = None
    op: str = ">="

    def describe(self) -> str:
        ops = {">=": "不低于", "<=": "不超过", "=": "达到", ">": "高于", "<": "低于"}
        period = f"（每{PERIOD_ZH[self.per]}）" if self.per else ""
        value = f"{self.value:g}" if isinstance(self.value, float) else str(self.value)
        return f"{self.metric}{ops[self.op]}{value}{self.unit}{period}"

    def to_json(self) -> dict[str, Any]:
        return _drop_none(
            {"metric": self.metric, "value": self.value, "unit": self.unit or None,
             "per": self.per, "op": self.op}
        )


@dataclass(frozen=True)
class Metadata:
    """Typed clause metadata, as validated against ``clause-metadata.schema.json``."""

    kind: str | None = None
    role: tuple[str, ...] = ()
    frequency: Frequency | None = None
    target: Target | None = None
    applies_to: tuple[str, ...] = ()
    checklist: tuple[str, ...] = ()
    checklist_text: str | None = None
    evidence: tuple[str, ...] = ()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Metadata:
        freq = data.get("frequency")
        target = data.get("target")
        return cls(
            kind=data.get("kind"),
            role=_strings(data.get("role")),
            frequency=Frequency(**freq) if freq else None,
            target=Target(**target) if target else None,
            applies_to=_strings(data.get("applies_to")),
            checklist=_strings(data.get("checklist")),
            checklist_text=data.get("checklist_text"),
            evidence=_strings(data.get("evidence")),
        )

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "role": list(self.role) or None,
            "frequency": self.frequency.to_json() if self.frequency else None,
            "target": self.target.to_json() if self.target else None,
            "applies_to": list(self.applies_to) or None,
            "checklist": list(self.checklist) or None,
            "checklist_text": self.checklist_text,
            "evidence": list(self.evidence) or None,
        }
        return _drop_none(out)


@dataclass(frozen=True)
class Term:
    """The parts of a term entry besides its definition (which is the clause text)."""

    term: str
    en: str | None = None
    source: str | None = None
    synonyms: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return _drop_none(
            {"term": self.term, "en": self.en, "source": self.source,
             "synonyms": list(self.synonyms) or None}
        )


@dataclass(frozen=True)
class Clause:
    """One element of the standard: a chapter, 条, term entry, annex, table or list item."""

    id: str
    element_type: str
    number: str | None
    title: str
    text: str
    source: str
    line: int | None
    metadata: Metadata = field(default_factory=Metadata)
    notes: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    children: tuple[Clause, ...] = ()
    annex_obligation: str | None = None  # 规范性 / 资料性, annexes only
    term: Term | None = None
    rows: tuple[tuple[str, ...], ...] = ()  # tables: cell texts, header rows first
    header_rows: int = 0
    # The text with each cross-reference as ⟦target-id⟧ instead of its number (only when the
    # text has references): what the author wrote, so a renumbering elsewhere is no change here.
    ref_text: str | None = None

    @property
    def kind(self) -> str | None:
        return self.metadata.kind

    def walk(self) -> Iterator[Clause]:
        """This element and all below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Replaced:
    number: str
    title: str


@dataclass(frozen=True)
class BasedOn:
    """The document an edition is made on the basis of without replacing it (a county
    管理标准 a municipal 地方标准 is built on): no 代替 line, no 历次版本."""

    number: str
    title: str


@dataclass(frozen=True)
class HistoryEntry:
    year: int
    number: str


@dataclass(frozen=True)
class EditionInfo:
    """Edition metadata from ``standard.yaml``: what the cover and 前言 print."""

    doc_class: str
    class_line: str
    number: str
    title_zh: str
    stage: str
    issuer: str
    drafting_units: tuple[str, ...]
    title_en: str | None = None
    code_mark: str | None = None
    ics: tuple[str, ...] = ()
    ccs: str | None = None
    filing_number: str | None = None
    issued: str | None = None
    implemented: str | None = None
    replaces: tuple[Replaced, ...] = ()
    based_on: BasedOn | None = None  # made on its basis, not replacing it (not with replaces)
    proposer: str | None = None
    administrator: str | None = None
    drafters: tuple[str, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    previous_edition: str | None = None  # path of the edition this one revises
    rights_holder: str | None = None  # the HTML footer's © line; the issuer when not given

    @property
    def is_draft(self) -> bool:
        return self.stage != "published"

    @property
    def predecessor(self) -> Replaced | BasedOn | None:
        """The document the 前言's change list compares with: the (first) one replaced, else
        the one this edition is based on."""
        return self.replaces[0] if self.replaces else self.based_on

    def to_json(self) -> dict[str, Any]:
        return _drop_none({
            "class": self.doc_class,
            "class_line": self.class_line,
            "code_mark": self.code_mark,
            "number": self.number,
            "title": _drop_none({"zh": self.title_zh, "en": self.title_en}),
            "ics": list(self.ics) or None,
            "ccs": self.ccs,
            "filing_number": self.filing_number,
            "stage": self.stage,
            "issued": self.issued,
            "implemented": self.implemented,
            "issuer": self.issuer,
            "replaces": [{"number": r.number, "title": r.title} for r in self.replaces] or None,
            "based_on": {"number": self.based_on.number, "title": self.based_on.title}
            if self.based_on else None,
            "proposer": self.proposer,
            "administrator": self.administrator,
            "drafting_units": list(self.drafting_units),
            "drafters": list(self.drafters) or None,
            "history": [{"year": h.year, "number": h.number} for h in self.history] or None,
            "previous_edition": self.previous_edition,
            "rights_holder": self.rights_holder,
        })

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> EditionInfo:
        title = data.get("title", {})
        return cls(
            doc_class=data["class"],
            class_line=data["class_line"],
            code_mark=data.get("code_mark"),
            number=data["number"],
            title_zh=title["zh"],
            title_en=title.get("en"),
            ics=tuple(data.get("ics", ())),
            ccs=data.get("ccs"),
            filing_number=data.get("filing_number"),
            stage=data["stage"],
            issued=data.get("issued"),
            implemented=data.get("implemented"),
            issuer=data["issuer"],
            replaces=tuple(Replaced(r["number"], r["title"]) for r in data.get("replaces", ())),
            based_on=BasedOn(data["based_on"]["number"], data["based_on"]["title"])
            if data.get("based_on") else None,
            proposer=data.get("proposer"),
            administrator=data.get("administrator"),
            drafting_units=tuple(data["drafting_units"]),
            drafters=tuple(data.get("drafters", ())),
            history=tuple(HistoryEntry(h["year"], h["number"]) for h in data.get("history", ())),
            previous_edition=data.get("previous_edition"),
            rights_holder=data.get("rights_holder"),
        )


@dataclass(frozen=True)
class Edition:
    """One edition of a standard: its metadata and its tree of elements."""

    info: EditionInfo
    clauses: tuple[Clause, ...]
    _by_id: dict[str, Clause] = field(init=False, repr=False, compare=False)
    _parent: dict[str, str | None] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Clause] = {}
        parent: dict[str, str | None] = {}

        def visit(clause: Clause, parent_id: str | None) -> None:
            by_id[clause.id] = clause
            parent[clause.id] = parent_id
            for child in clause.children:
                visit(child, clause.id)

        for top in self.clauses:
            visit(top, None)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_parent", parent)

    def walk(self) -> Iterator[Clause]:
        for top in self.clauses:
            yield from top.walk()

    def get(self, clause_id: str) -> Clause | None:
        return self._by_id.get(clause_id)

    def __getitem__(self, clause_id: str) -> Clause:
        return self._by_id[clause_id]

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self._by_id

    def parent(self, clause_id: str) -> Clause | None:
        parent_id = self._parent.get(clause_id)
        return self._by_id[parent_id] if parent_id else None

    def reference_text(self, clause_id: str) -> str:
        """How a cross-reference to this element reads: 5.2, 第6章, 附录A, 表1, 3.1, 5.2 a)."""
        clause = self._by_id[clause_id]
        if clause.number is None:
            parent = self.parent(clause_id)
            return self.reference_text(parent.id) if parent else clause.title
        return reference_form(clause.element_type, clause.number)

    # -- JSON -------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """A flat, ordered list of elements with parent ids: easy to read in any language."""
        rows = []
        for clause in self.walk():
            rows.append(_drop_none({
                "id": clause.id,
                "parent": self._parent[clause.id],
                "element_type": clause.element_type,
                "number": clause.number,
                "title": clause.title,
                "text": clause.text,
                "metadata": clause.metadata.to_json(),
                "notes": list(clause.notes) or None,
                "examples": list(clause.examples) or None,
                "annex_obligation": clause.annex_obligation,
                "term": clause.term.to_json() if clause.term else None,
                "rows": [list(r) for r in clause.rows] or None,
                "header_rows": clause.header_rows or None,
                "ref_text": clause.ref_text,
                "source": clause.source,
                "line": clause.line,
            }))
        return {"format_version": FORMAT_VERSION, "edition": self.info.to_json(), "clauses": rows}

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, indent=1) + "\n"

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Edition:
        if data.get("format_version") != FORMAT_VERSION:
            raise ValueError(
                f"不支持的格式版本 format_version={data.get('format_version')!r}"
                f"（本工具读取版本 {FORMAT_VERSION}）"
            )
        rows = data["clauses"]
        children: dict[str | None, list[str]] = {}
        by_id = {}
        for row in rows:
            if row["id"] in by_id:
                raise ValueError(f"条目标识“{row['id']}”重复")
            by_id[row["id"]] = row
            children.setdefault(row.get("parent"), []).append(row["id"])
        _check_tree(by_id, children)

        def build(clause_id: str) -> Clause:
            row = by_id[clause_id]
            term = row.get("term")
            return Clause(
                id=row["id"],
                element_type=row["element_type"],
                number=row.get("number"),
                title=row.get("title", ""),
                text=row.get("text", ""),
                source=row.get("source", ""),
                line=row.get("line"),
                metadata=Metadata.from_mapping(row.get("metadata", {})),
                notes=tuple(row.get("notes", ())),
                examples=tuple(row.get("examples", ())),
                children=tuple(build(c) for c in children.get(clause_id, ())),
                annex_obligation=row.get("annex_obligation"),
                term=Term(term["term"], term.get("en"), term.get("source"),
                          tuple(term.get("synonyms", ()))) if term else None,
                rows=tuple(tuple(r) for r in row.get("rows", ())),
                header_rows=row.get("header_rows", 0),
                ref_text=row.get("ref_text"),
            )

        return cls(
            info=EditionInfo.from_json(data["edition"]),
            clauses=tuple(build(c) for c in children.get(None, ())),
        )

    @classmethod
    def loads(cls, text: str) -> Edition:
        """Read a clause-index JSON. Whatever is wrong with it is a ValueError that says what
        (never a KeyError or a RecursionError from deep inside)."""
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as err:
            raise ValueError(f"不是有效的 JSON：{err}") from None
        if not isinstance(data, dict):
            raise ValueError("顶层应为 JSON 对象，含 format_version、edition 和 clauses")
        try:
            return cls.from_json(data)
        except KeyError as err:
            raise ValueError(f"缺少字段 {err}") from None
        except (TypeError, AttributeError) as err:
            raise ValueError(f"字段的类型不对（{err}）") from None
        except RecursionError:
            raise ValueError("条目嵌套过深") from None


def _check_tree(by_id: Mapping[str, Any], children: Mapping[str | None, list[str]]) -> None:
    """Every parent exists and every element hangs from the top: no cycles."""
    for clause_id, row in by_id.items():
        parent = row.get("parent")
        if parent is not None and parent not in by_id:
            raise ValueError(f"条目“{clause_id}”的上级“{parent}”不存在")
    reached, todo = 0, list(children.get(None, ()))
    while todo:
        reached += 1
        todo.extend(children.get(todo.pop(), ()))
    if reached != len(by_id):
        raise ValueError("条目的上级（parent）形成循环")


def reference_form(element_type: str, number: str) -> str:
    """How GB/T text cites an element: 第6章, 附录A, 表1, 图2, else the bare number."""
    if element_type == CHAPTER:
        return f"第{number}章"
    if element_type == ANNEX:
        return f"附录{number}"
    if element_type == TABLE:
        return f"表{number}"
    if element_type == FIGURE:
        return f"图{number}"
    return number


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}
