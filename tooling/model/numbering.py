"""GB/T 1.1—2020 numbering: from the structure the author wrote to the numbers readers see.

Input is what :mod:`tooling.sphinx.collect` extracts from each document (:class:`RawElement` trees,
no numbers); output is the tuple of numbered :class:`~tooling.model.Clause` trees. Pure
Python, no Sphinx: unit tests build :class:`RawElement` trees by hand.

Rules implemented (GB/T 1.1—2020, see ../shared/design/GBT-1.1-2020-notes.md):

- 章 1, 2, 3 in document order; 前言, 引言, 参考文献 and 索引 are not numbered;
- 条 carry their parent's number: 5.1, 5.1.2, 5.1.2.3; titled and untitled 条 and term
  entries share one counter per parent (terms read 3.1, 3.2);
- 引言 may have 条, numbered 0.1, 0.2;
- annexes take letters A, B, C in order and their 条 read A.1, A.1.1;
- tables, figures and formulas run 表1, 图1, 公式(1) through the body and restart per annex
  as 表A.1, 图A.1, 公式(A.1);
- list items read as their parent's number and their letter: 5.2 a), 5.2 a) 1); dash items
  (——) have no number of their own, and a reference to one reads as its clause;
- an unnumbered requirement paragraph has no number of its own; nor do notes and examples
  with an id (cited as 5.2的注2);
- entries of 规范性引用文件 are cited by their designation (GB/T 20647.1—2006); entries of
  参考文献 are numbered [1], [2] …; reference entries anywhere else are misplaced;
- 条 go at most five levels below the chapter (or annex): deeper is an error.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..io.diagnostics import Diagnostic, diagnostic
from . import clauses as model

# Unnumbered preliminary and supplementary elements, recognised by their heading.
UNNUMBERED_HEADINGS = {
    "前言": model.FOREWORD,
    "引言": model.INTRODUCTION,
    "参考文献": model.BIBLIOGRAPHY,
    "索引": model.INDEX,
}
ANNEX_OBLIGATION_ZH = {"normative": "规范性", "informative": "资料性"}

# GB/T 1.1—2020 7.3: 条 may be divided down to the fifth level (5.1.1.1.1.1), no further.
MAX_CLAUSE_LEVEL = 5

# Raw element types produced by the collector. Sections become chapters, annexes or 条
# depending on where they sit; the rest map one to one onto model element types.
SECTION = "section"
INCLUDE = "include"


@dataclass(frozen=True)
class Ref:
    """A cross-reference inside text, rendered once numbers are known."""

    target: str
    line: int | None = None


Segment = str | Ref


@dataclass(frozen=True)
class RawElement:
    """One element as written, before numbering. Picklable: Sphinx keeps it in its env."""

    element_type: str  # SECTION, INCLUDE or a model element type
    id: str | None = None
    title: str = ""
    segments: tuple[Segment, ...] = ()
    source: str = ""
    line: int | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[tuple[Segment, ...], ...] = ()
    examples: tuple[tuple[Segment, ...], ...] = ()
    children: tuple[RawElement, ...] = ()
    annex: str | None = None  # "normative" | "informative" on an annex section
    term: model.Term | None = None
    label: str | None = None  # list items: "a)", "1)", "——"; notes: "注", "注2", "示例1"
    includes: tuple[str, ...] = ()  # INCLUDE only: document names, in order
    rows: tuple[tuple[tuple[Segment, ...], ...], ...] = ()  # tables: cells as segments
    header_rows: int = 0
    footnotes: tuple[tuple[Segment, ...], ...] = ()  # tables and figures: a, b, c … in order
    document: model.Document | None = None  # REFERENCE only
    formula: model.Formula | None = None  # FORMULA only


@dataclass(frozen=True)
class DocElements:
    """What one source document contributes: its elements and its cross-references."""

    docname: str
    elements: tuple[RawElement, ...]
    refs: tuple[tuple[str, str, int | None], ...] = ()  # (target id, source, line)


@dataclass
class _Counter:
    value: int = 0

    def next(self) -> int:
        self.value += 1
        return self.value


@dataclass
class _Numbered:
    raw: RawElement
    element_type: str
    number: str | None
    children: list[_Numbered]
    annex_obligation: str | None = None


def annex_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: letters run without gaps."""
    letters = string.ascii_uppercase
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = letters[rem] + out
    return out


def expand(docs: Mapping[str, DocElements], root: str) -> list[RawElement]:
    """The root document's elements with every include replaced by the included documents."""
    seen: set[str] = set()

    def expand_list(elements: Iterable[RawElement]) -> list[RawElement]:
        out: list[RawElement] = []
        for element in elements:
            if element.element_type == INCLUDE:
                for docname in element.includes:
                    if docname in docs and docname not in seen:
                        seen.add(docname)
                        out.extend(expand_list(docs[docname].elements))
            elif element.children:
                out.append(_replace_children(element, expand_list(element.children)))
            else:
                out.append(element)
        return out

    seen.add(root)
    return expand_list(docs[root].elements) if root in docs else []


def _replace_children(element: RawElement, children: list[RawElement]) -> RawElement:
    return replace(element, children=tuple(children))


@dataclass
class _Scope:
    """What numbering carries down one chapter, annex or preliminary element: the running
    counters of captioned elements (表, 图 and 公式 run through the body, and restart in each
    annex) and which list a reference entry belongs to."""

    prefix: str  # "A." in annex A, "" in the body
    counters: dict[str, _Counter]
    references: str | None = None  # NORMATIVE_REFERENCE or BIBLIOGRAPHY_ENTRY, where allowed
    entries: _Counter = field(default_factory=_Counter)

    def within(self, references: str | None) -> _Scope:
        return _Scope(self.prefix, self.counters, references, _Counter())


# The chapter whose entries are normative references (GB/T 1.1—2020 8.5).
NORMATIVE_HEADING = "规范性引用文件"
_CAPTIONED = (model.TABLE, model.FIGURE, model.FORMULA)
# Reference entries: where they are allowed and what they become there.
REFERENCE = "reference"
# Elements a GB/T text never cites, and what it cites instead.
NOT_CITED = {
    model.FOREWORD: ("前言", "标准的条文不引用前言"),
    model.BIBLIOGRAPHY: ("参考文献", "请引用其中的文献条目（显示为 [1]、[2]），"
                         "即 {reference} 的标识"),
    model.INDEX: ("索引", "标准的条文不引用索引"),
}


def number_tree(tops: Sequence[RawElement]) -> tuple[list[_Numbered], list[Diagnostic]]:
    """Assign GB/T numbers to a document's top-level elements and everything below them."""
    problems: list[Diagnostic] = []
    chapters = _Counter()
    annexes = 0
    body = _Scope("", {kind: _Counter() for kind in _CAPTIONED})
    out: list[_Numbered] = []
    for raw in tops:
        if raw.element_type == SECTION:
            unnumbered = UNNUMBERED_HEADINGS.get(raw.title.strip())
            if raw.annex:
                letter = annex_letter(annexes)
                annexes += 1
                node = _Numbered(raw, model.ANNEX, letter, [], ANNEX_OBLIGATION_ZH[raw.annex])
                scope = _Scope(f"{letter}.", {kind: _Counter() for kind in _CAPTIONED})
                node.children = _number_children(raw.children, letter, scope, problems)
            elif unnumbered:
                node = _Numbered(raw, unnumbered, None, [])
                # 引言 may be divided into 0.1, 0.2; the others stay unnumbered.
                prefix = "0" if unnumbered == model.INTRODUCTION else None
                entries = model.BIBLIOGRAPHY_ENTRY if unnumbered == model.BIBLIOGRAPHY else None
                node.children = _number_children(raw.children, prefix, body.within(entries),
                                                 problems)
            else:
                number = str(chapters.next())
                node = _Numbered(raw, model.CHAPTER, number, [])
                entries = (model.NORMATIVE_REFERENCE
                           if raw.title.strip() == NORMATIVE_HEADING else None)
                node.children = _number_children(raw.children, number, body.within(entries),
                                                 problems)
            out.append(node)
        elif raw.element_type in _CAPTIONED:
            number = str(body.counters[raw.element_type].next())
            out.append(_Numbered(raw, raw.element_type, number, []))
        else:
            problems.append(diagnostic(
                "E109", raw.source, raw.line,
                detail=f"“{raw.id or raw.title}”位于任何章之外：条款、术语和列项应写在章或附录之内",
            ))
    return out, problems


def _number_children(
    children: Sequence[RawElement],
    parent_number: str | None,
    scope: _Scope,
    problems: list[Diagnostic],
) -> list[_Numbered]:
    out: list[_Numbered] = []
    position = 0
    for raw in children:
        kind = raw.element_type
        if kind == SECTION or kind in (model.UNTITLED, model.TERM):
            element_type = model.CLAUSE if kind == SECTION else kind
            if parent_number is None:
                number = None
            else:
                position += 1
                number = f"{parent_number}.{position}"
                if number.count(".") == MAX_CLAUSE_LEVEL + 1:  # deeper ones follow from it
                    problems.append(diagnostic(
                        "E131", raw.source, raw.line, id=raw.id or raw.title, number=number,
                        level=MAX_CLAUSE_LEVEL + 1,
                    ))
            node = _Numbered(raw, element_type, number, [])
            node.children = _number_children(raw.children, number, scope, problems)
        elif kind in (model.PARAGRAPH, model.NOTE, model.EXAMPLE):
            node = _Numbered(raw, kind, None, [])
            node.children = _number_children(raw.children, parent_number, scope, problems)
        elif kind in _CAPTIONED:
            number = f"{scope.prefix}{scope.counters[kind].next()}"
            node = _Numbered(raw, kind, number, [])
            # Notes with ids inside a table or figure: cited as 表1的注2.
            node.children = _number_children(raw.children, parent_number, scope, problems)
        elif kind == model.LIST_ITEM:
            label = raw.label or ""
            if not label.endswith(")"):
                # —— and · items are not numbered: a reference reads as their clause.
                number = None
                node = _Numbered(raw, kind, None, [])
                node.children = _number_children(raw.children, parent_number, scope, problems)
            else:
                number = f"{parent_number} {label}" if parent_number else label
                node = _Numbered(raw, kind, number, [])
                node.children = _number_children(raw.children, number, scope, problems)
        elif kind == REFERENCE:
            node_or_none = _reference(raw, scope, problems)
            if node_or_none is None:
                continue
            node = node_or_none
        else:
            problems.append(diagnostic(
                "E109", raw.source, raw.line,
                detail=f"“{raw.id or raw.title}”不能出现在这里（{kind}）",
            ))
            continue
        out.append(node)
    return out


def _reference(raw: RawElement, scope: _Scope, problems: list[Diagnostic]) -> _Numbered | None:
    """A {reference} entry: in 规范性引用文件 it is cited by its designation; in 参考文献 it
    is numbered [1], [2] …; anywhere else it is misplaced."""
    document = raw.document
    if scope.references is None or document is None:
        problems.append(diagnostic(
            "E109", raw.source, raw.line,
            detail=f"文献条目“{raw.id}”只能写在“规范性引用文件”一章或“参考文献”中",
        ))
        return None
    if scope.references == model.NORMATIVE_REFERENCE:
        if not document.designation:
            problems.append(diagnostic(
                "E109", raw.source, raw.line,
                detail=f"规范性引用文件“{raw.id}”缺少文件编号（number）：规范性引用的文件"
                "按编号引用，如 GB/T 20647.1—2006",
            ))
            return None
        return _Numbered(raw, model.NORMATIVE_REFERENCE, document.designation, [])
    return _Numbered(raw, model.BIBLIOGRAPHY_ENTRY, str(scope.entries.next()), [])


def assemble(
    info: model.EditionInfo, docs: Mapping[str, DocElements], root: str
) -> tuple[model.Edition, list[Diagnostic]]:
    """Build the numbered edition from every document's raw elements.

    Returns the edition and the problems found across documents (duplicate ids, references
    to ids that do not exist, elements outside any chapter). The caller decides whether they
    stop the build.
    """
    numbered, problems = number_tree(expand(docs, root))

    # Pass 1: ids -> numbered nodes, so that text can render references in pass 2.
    seen: dict[str, RawElement] = {}
    index: dict[str, _Numbered] = {}
    parents: dict[str, str | None] = {}

    def register(node: _Numbered, parent: str | None) -> None:
        raw = node.raw
        if raw.id:
            if raw.id in seen:
                first = seen[raw.id]
                problems.append(diagnostic(
                    "E106", raw.source, raw.line, id=raw.id, other=f"{first.source}:{first.line}"
                ))
            else:
                seen[raw.id] = raw
                index[raw.id] = node
                parents[raw.id] = parent
        for child in node.children:
            register(child, raw.id or parent)

    for node in numbered:
        register(node, None)

    for doc in docs.values():
        for target, source, line in doc.refs:
            if target not in index:
                problems.append(diagnostic("E107", source, line, id=target))
            elif index[target].element_type in NOT_CITED:
                kind = index[target].element_type
                problems.append(diagnostic("E153", source, line, id=target,
                                           what=NOT_CITED[kind][0], hint=NOT_CITED[kind][1]))

    def ref_text(target: str) -> str:
        node = index.get(target)
        if node is None:
            return f"[{target}]"
        parent = parents.get(target)
        return model.cite(node.element_type, node.number, node.raw.label,
                          (lambda: ref_text(parent)) if parent else (lambda: node.raw.title))

    def render(segments: Iterable[Segment]) -> str:
        return "".join(s if isinstance(s, str) else ref_text(s.target) for s in segments)

    def marked(segments: Iterable[Segment]) -> str | None:
        segments = tuple(segments)
        if all(isinstance(s, str) for s in segments):
            return None
        return "".join(s if isinstance(s, str) else f"⟦{s.target}⟧" for s in segments)

    def build(node: _Numbered) -> model.Clause:
        raw = node.raw
        meta = model.Metadata.from_mapping(raw.metadata) if raw.metadata else model.Metadata()
        return model.Clause(
            id=raw.id or "",
            element_type=node.element_type,
            number=node.number,
            title=raw.title,
            text=render(raw.segments),
            source=raw.source,
            line=raw.line,
            metadata=meta,
            notes=tuple(render(n) for n in raw.notes),
            examples=tuple(render(e) for e in raw.examples),
            children=tuple(build(c) for c in node.children if c.raw.id),
            annex_obligation=node.annex_obligation,
            term=raw.term,
            rows=tuple(tuple(render(cell) for cell in row) for row in raw.rows),
            header_rows=raw.header_rows,
            ref_text=marked(raw.segments),
            label=raw.label,
            footnotes=tuple(render(f) for f in raw.footnotes),
            document=raw.document,
            formula=raw.formula,
        )

    clauses = tuple(build(n) for n in numbered if n.raw.id)
    return model.Edition(info=info, clauses=clauses), problems
