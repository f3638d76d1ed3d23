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
- tables and figures run 表1, 表2 through the body and restart per annex as 表A.1;
- list items read as their parent's number and their letter: 5.2 a), 5.2 a) 1);
- an unnumbered requirement paragraph has no number of its own;
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
    label: str | None = None  # list items: "a)", "1)", "——"
    includes: tuple[str, ...] = ()  # INCLUDE only: document names, in order
    rows: tuple[tuple[tuple[Segment, ...], ...], ...] = ()  # tables: cells as segments
    header_rows: int = 0


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


def number_tree(tops: Sequence[RawElement]) -> tuple[list[_Numbered], list[Diagnostic]]:
    """Assign GB/T numbers to a document's top-level elements and everything below them."""
    problems: list[Diagnostic] = []
    chapters = _Counter()
    annexes = 0
    body_tables, body_figures = _Counter(), _Counter()
    out: list[_Numbered] = []
    for raw in tops:
        if raw.element_type == SECTION:
            unnumbered = UNNUMBERED_HEADINGS.get(raw.title.strip())
            if raw.annex:
                letter = annex_letter(annexes)
                annexes += 1
                node = _Numbered(raw, model.ANNEX, letter, [], ANNEX_OBLIGATION_ZH[raw.annex])
                node.children = _number_children(
                    raw.children, letter, f"{letter}.", _Counter(), _Counter(), problems
                )
            elif unnumbered:
                node = _Numbered(raw, unnumbered, None, [])
                # 引言 may be divided into 0.1, 0.2; the others stay unnumbered.
                prefix = "0" if unnumbered == model.INTRODUCTION else None
                node.children = _number_children(
                    raw.children, prefix, "", body_tables, body_figures, problems
                )
            else:
                number = str(chapters.next())
                node = _Numbered(raw, model.CHAPTER, number, [])
                node.children = _number_children(
                    raw.children, number, "", body_tables, body_figures, problems
                )
            out.append(node)
        elif raw.element_type in (model.TABLE, model.FIGURE):
            counter = body_tables if raw.element_type == model.TABLE else body_figures
            out.append(_Numbered(raw, raw.element_type, str(counter.next()), []))
        else:
            problems.append(diagnostic(
                "E109", raw.source, raw.line,
                detail=f"“{raw.id or raw.title}”位于任何章之外：条款、术语和列项应写在章或附录之内",
            ))
    return out, problems


def _number_children(
    children: Sequence[RawElement],
    parent_number: str | None,
    caption_prefix: str,
    tables: _Counter,
    figures: _Counter,
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
            node.children = _number_children(
                raw.children, number, caption_prefix, tables, figures, problems
            )
        elif kind == model.PARAGRAPH:
            node = _Numbered(raw, kind, None, [])
            node.children = _number_children(
                raw.children, parent_number, caption_prefix, tables, figures, problems
            )
        elif kind in (model.TABLE, model.FIGURE):
            counter = tables if kind == model.TABLE else figures
            node = _Numbered(raw, kind, f"{caption_prefix}{counter.next()}", [])
        elif kind == model.LIST_ITEM:
            label = raw.label or ""
            number = f"{parent_number} {label}" if parent_number else label
            node = _Numbered(raw, kind, number, [])
            node.children = _number_children(
                raw.children, number, caption_prefix, tables, figures, problems
            )
        else:
            problems.append(diagnostic(
                "E109", raw.source, raw.line,
                detail=f"“{raw.id or raw.title}”不能出现在这里（{kind}）",
            ))
            continue
        out.append(node)
    return out


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

    def ref_text(target: str) -> str:
        node = index.get(target)
        if node is None:
            return f"[{target}]"
        if node.number is None:
            parent = parents.get(target)
            return ref_text(parent) if parent else node.raw.title
        return model.reference_form(node.element_type, node.number)

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
        )

    clauses = tuple(build(n) for n in numbered if n.raw.id)
    return model.Edition(info=info, clauses=clauses), problems
