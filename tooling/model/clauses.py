"""The clause model: an edition of a standard as plain, frozen Python data.

Everything downstream (HTML numbering, index, checklists, diff, lint, PDF) reads this model.
It is built from a Sphinx doctree during a build (see :mod:`tooling.sphinx.collect` and
:mod:`tooling.model.numbering`), and it round-trips through JSON without Sphinx, so an archived
edition's JSON is as good as its sources.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
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
LIST_ITEM = "list-item"  # a) b) 1) items are numbered (5.2 a)); —— items are not
FORMULA = "formula"  # 公式(1), (A.1)
NOTE = "note"  # a 注 with an id of its own (注 without an id stay in their parent's notes)
EXAMPLE = "example"  # likewise a 示例
NORMATIVE_REFERENCE = "normative-reference"  # an entry of 2 规范性引用文件: cited by its number
BIBLIOGRAPHY_ENTRY = "bibliography-entry"  # an entry of 参考文献: numbered [1], [2]
# Unnumbered elements recognised by their heading (GB/T 1.1—2020 element names).
FOREWORD = "foreword"
INTRODUCTION = "introduction"
BIBLIOGRAPHY = "bibliography"
INDEX = "index"

ELEMENT_TYPES = (
    CHAPTER, CLAUSE, UNTITLED, PARAGRAPH, TERM, ANNEX, TABLE, FIGURE, LIST_ITEM,
    FOREWORD, INTRODUCTION, BIBLIOGRAPHY, INDEX,
    FORMULA, NOTE, EXAMPLE, NORMATIVE_REFERENCE, BIBLIOGRAPHY_ENTRY,
)
KINDS = ("requirement", "recommendation", "permission", "possibility", "statement", "instruction")
PERIODS = ("day", "week", "month", "quarter", "year")
PERIOD_ZH = {"day": "日", "week": "周", "month": "月", "quarter": "季度", "year": "年"}
# A target may also hold for each occurrence of an event (每次报修的到场时间).
PER_EVENT = "event"
# A dated reference ends in its year, joined by an em dash: GB/T 20647.1—2006.
_DATED = re.compile(r"—(?:1[89]|2\d)\d{2}$")
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
    per: str | None = None  # a period, or "event": for each occurrence of ``event``
    op: str = ">="
    event: str | None = None  # with per: event, the occurrence (接到报修)

    def describe(self) -> str:
        ops = {">=": "不低于", "<=": "不超过", "=": "达到", ">": "高于", "<": "低于"}
        value = f"{self.value:g}" if isinstance(self.value, float) else str(self.value)
        # A symbol of a unit stands a space after the number (30 min); % and 个工作日 do not.
        gap = " " if self.unit[:1].isascii() and self.unit[:1].isalpha() else ""
        measure = f"{self.metric}{ops[self.op]}{value}{gap}{self.unit}"
        if self.per == PER_EVENT:
            return f"每次{self.event}，{measure}" if self.event else f"{measure}（每次）"
        period = f"（每{PERIOD_ZH[self.per]}）" if self.per else ""
        return f"{measure}{period}"

    def to_json(self) -> dict[str, Any]:
        return _drop_none(
            {"metric": self.metric, "value": self.value, "unit": self.unit or None,
             "per": self.per, "op": self.op, "event": self.event}
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
class TermSource:
    """Where a term entry's definition comes from: [来源：GB/T 20647.1—2006，3.1，有修改]."""

    document: str
    clause: str | None = None
    modified: bool = False

    def describe(self) -> str:
        parts = [self.document, *([self.clause] if self.clause else []),
                 *(["有修改"] if self.modified else [])]
        return f"[来源：{'，'.join(parts)}]"

    def to_json(self) -> dict[str, Any]:
        return _drop_none({"document": self.document, "clause": self.clause,
                           "modified": True if self.modified else None})

    @classmethod
    def from_value(cls, value: Any) -> TermSource | None:
        """From metadata or JSON: a mapping, or (as earlier editions wrote it) one string."""
        if not value:
            return None
        if isinstance(value, str):
            return cls(value)
        clause = value.get("clause")
        return cls(str(value["document"]), str(clause) if clause is not None else None,
                   bool(value.get("modified", False)))


@dataclass(frozen=True)
class Term:
    """The parts of a term entry besides its definition (which is the clause text)."""

    term: str
    en: str | None = None
    source: TermSource | None = None
    synonyms: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return _drop_none(
            {"term": self.term, "en": self.en,
             "source": self.source.to_json() if self.source else None,
             "synonyms": list(self.synonyms) or None}
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Term:
        return cls(data["term"], data.get("en"), TermSource.from_value(data.get("source")),
                   tuple(data.get("synonyms", ())))


@dataclass(frozen=True)
class Document:
    """A document an entry of 规范性引用文件 or 参考文献 cites: its designation (GB/T 20647.1—2006,
    or GB/T 20647.1 undated; none for a document that has no number) and its title."""

    title: str
    designation: str | None = None

    @property
    def dated(self) -> bool:
        """A dated reference names one edition (GB/T 1.1—2020 9.2: only that edition applies);
        an undated one, the latest edition with all its amendments."""
        return bool(self.designation and _DATED.search(self.designation))

    def describe(self) -> str:
        """How the entry prints: designation, ideographic space, title (GB/T 1.1—2020 8.5)."""
        return f"{self.designation}\u3000{self.title}" if self.designation else self.title

    def to_json(self) -> dict[str, Any]:
        return _drop_none({"title": self.title, "designation": self.designation,
                           "dated": self.dated if self.designation else None})


@dataclass(frozen=True)
class Formula:
    """A numbered formula: its LaTeX source and the 式中 list (symbol, meaning) after it."""

    tex: str
    where: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return _drop_none({"tex": self.tex,
                           "where": [list(pair) for pair in self.where] or None})


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
    # List items: a), 1), ——; notes and examples with an id: 注, 注2, 示例1 (within their scope).
    label: str | None = None
    footnotes: tuple[str, ...] = ()  # tables and figures: footnotes a, b, c … in order
    document: Document | None = None  # normative references and bibliography entries
    formula: Formula | None = None

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
    draft_completed: str | None = None  # 本稿完成日期 on a draft's cover (YYYY-MM-DD)

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
            "draft_completed": self.draft_completed,
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
            draft_completed=data.get("draft_completed"),
        )


@dataclass(frozen=True)
class Edition:
    """One edition of a standard: its metadata and its tree of elements."""

    info: EditionInfo
    clauses: tuple[Clause, ...]
    _by_id: dict[str, Clause] = field(init=False, repr=False, compare=False)
    _parent: dict[str, str | None] = field(init=False, repr=False, compare=False)
    # Every element in document order: the linter and the pages walk the edition dozens of
    # times per build, and a recursive generator costs a frame per level per element.
    _flat: tuple[Clause, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Clause] = {}
        parent: dict[str, str | None] = {}
        flat: list[Clause] = []

        def visit(clause: Clause, parent_id: str | None) -> None:
            flat.append(clause)
            by_id[clause.id] = clause
            parent[clause.id] = parent_id
            for child in clause.children:
                visit(child, clause.id)

        for top in self.clauses:
            visit(top, None)
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_parent", parent)
        object.__setattr__(self, "_flat", tuple(flat))

    def walk(self) -> Iterator[Clause]:
        return iter(self._flat)

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
        """How a cross-reference to this element reads: 5.2, 第6章, 附录A, 表1, 3.1, 5.2 a),
        公式(2), [3], GB/T 20647.1—2006, 表1的注2; an unnumbered element (a —— item, a
        requirement paragraph) reads as its parent."""
        clause = self._by_id[clause_id]
        parent = self.parent(clause_id)
        return cite(clause.element_type, clause.number, clause.label,
                    (lambda: self.reference_text(parent.id)) if parent else (lambda: clause.title))

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
                "label": clause.label,
                "footnotes": list(clause.footnotes) or None,
                "document": clause.document.to_json() if clause.document else None,
                "formula": clause.formula.to_json() if clause.formula else None,
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
            document = row.get("document")
            formula = row.get("formula")
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
                term=Term.from_json(term) if term else None,
                rows=tuple(tuple(r) for r in row.get("rows", ())),
                header_rows=row.get("header_rows", 0),
                ref_text=row.get("ref_text"),
                label=row.get("label"),
                footnotes=tuple(row.get("footnotes", ())),
                document=Document(document["title"], document.get("designation"))
                if document else None,
                formula=Formula(formula["tex"], tuple(tuple(p) for p in formula.get("where", ())))
                if formula else None,
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
    """How GB/T text cites a numbered element: 第6章, 附录A, 表1, 图2, 公式(3), [2], else the
    bare number (5.2, 3.1, 5.2 a), and a normative reference's designation)."""
    if element_type == CHAPTER:
        return f"第{number}章"
    if element_type == ANNEX:
        return f"附录{number}"
    if element_type == TABLE:
        return f"表{number}"
    if element_type == FIGURE:
        return f"图{number}"
    if element_type == FORMULA:
        return f"公式({number})"
    if element_type == BIBLIOGRAPHY_ENTRY:
        return f"[{number}]"
    return number


def cite(element_type: str, number: str | None, label: str | None,
         parent: Callable[[], str]) -> str:
    """A cross-reference's text, given how the parent is cited (asked only when needed): a
    note or example reads "表1的注2"; an element without a number reads as its parent."""
    if element_type in (NOTE, EXAMPLE) and label:
        return f"{parent()}的{label}"
    if number is None:
        return parent()
    return reference_form(element_type, number)


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}
