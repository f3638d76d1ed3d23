"""The MyST directives and roles authors write: clause, term, note, example, annex, foreword,
cover, clause-ref and item. Each turns source into nodes; numbering happens later."""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective, SphinxRole

from .. import model
from ..io.diagnostics import diagnostic
from ..model import clause_metadata, foreword
from .env import edition_info, report, source_path
from .nodes import (
    annex_marker,
    clause_node,
    clause_ref,
    foreword_changes,
    item_marker,
    std_example,
    std_note,
    term_node,
)


class _MetadataDirective(SphinxDirective):
    """A directive whose body starts with a metadata block (parsed by clause_metadata)."""

    has_content = True
    # No option_spec: myst-parser then passes the metadata block through to us untouched.
    option_spec: ClassVar[dict[str, Any]] = {}
    schema_name = ""
    element_name = ""

    def line_of(self, offset: int) -> int:
        """Source line (1-based) of the content line at ``offset``: myst-parser's content
        starts on the line after the opening fence."""
        return self.lineno + 1 + offset

    def fail(self, code: str, offset: int | None, **params: object) -> list[nodes.Node]:
        line = self.line_of(offset) if offset is not None and offset >= 0 else self.lineno
        report(self.env, diagnostic(code, source_path(self.env), line, **params))
        return []

    def parse_metadata(self) -> tuple[dict[str, Any], StringList] | None:
        lines = list(self.content)
        try:
            block = clause_metadata.split_block(lines)
        except clause_metadata.MetadataProblem as problem:
            self.fail(problem.code, problem.offset, **problem.params)
            return None
        problem = clause_metadata.validate(block.data, self.schema_name, self.element_name)
        if problem:
            key = problem.params.get("key")
            offset = block.key_offsets.get(key) if key else None
            self.fail(problem.code, offset, **problem.params)
            return None
        return block.data, self.content[block.body_offset :]

    def parse_body(self, body: StringList, node: nodes.Element) -> None:
        if body:
            _, offset = body.info(0)
            self.state.nested_parse(body, offset or self.content_offset, node)


class ClauseDirective(_MetadataDirective):
    """``:::{clause}`` — an untitled 条 (numbered) or, with ``numbered: false``, a paragraph."""

    schema_name = "clause-metadata.schema.json"
    element_name = "条款"

    def run(self) -> list[nodes.Node]:
        parsed = self.parse_metadata()
        if parsed is None:
            return []
        data, body = parsed
        numbered = data.pop("numbered", True)
        clause_id = data.pop("id")
        node = clause_node(
            ids=[clause_id],
            clause_id=clause_id,
            element_type=model.UNTITLED if numbered else model.PARAGRAPH,
            metadata=data,
        )
        self.set_source_info(node)
        self.parse_body(body, node)
        return [node]


class TermDirective(_MetadataDirective):
    """``:::{term}`` — a term entry; the body is the definition, then any notes."""

    schema_name = "term-metadata.schema.json"
    element_name = "术语条目"

    def run(self) -> list[nodes.Node]:
        parsed = self.parse_metadata()
        if parsed is None:
            return []
        data, body = parsed
        node = term_node(
            ids=[data["id"]],
            term_id=data["id"],
            term=data["term"],
            en=data.get("en"),
            source=data.get("source"),
            synonyms=tuple(data.get("synonyms", ())),
        )
        self.set_source_info(node)
        head = nodes.paragraph(classes=["term-head"])
        head += nodes.strong(data["term"], data["term"], classes=["term-zh"])
        for synonym in data.get("synonyms", ()):
            head += nodes.Text("；")
            head += nodes.strong(synonym, synonym, classes=["term-zh"])
        if data.get("en"):
            head += nodes.inline(data["en"], data["en"], classes=["term-en"], lang="en")
        node += head
        self.parse_body(body, node)
        if data.get("source"):
            text = f"[来源：{data['source']}]"
            node += nodes.paragraph(text, text, classes=["term-source"])
        return [node]


class _BlockDirective(SphinxDirective):
    has_content = True
    node_class: type[nodes.Element] = std_note

    def run(self) -> list[nodes.Node]:
        node = self.node_class()
        self.set_source_info(node)
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class NoteDirective(_BlockDirective):
    """``:::{note}`` — a GB/T 注, rendered 注： (or 注1：注2：)."""

    node_class = std_note


class ExampleDirective(_BlockDirective):
    """``:::{example}`` — a GB/T 示例."""

    node_class = std_example


class AnnexDirective(SphinxDirective):
    """``:::{annex} informative`` right under a top-level heading makes that section an annex."""

    required_arguments = 1
    has_content = False
    choices: ClassVar[dict[str, str]] = {
        "normative": "normative", "informative": "informative",
        "规范性": "normative", "资料性": "informative",
    }

    def run(self) -> list[nodes.Node]:
        obligation = self.choices.get(self.arguments[0].strip())
        if obligation is None:
            report(self.env, diagnostic(
                "E109", source_path(self.env), self.lineno,
                detail=f"附录的性质“{self.arguments[0]}”无效："
                "应为 normative（规范性）或 informative（资料性）",
            ))
            return []
        node = annex_marker(obligation=obligation)
        self.set_source_info(node)
        return [node]


class ForewordDirective(SphinxDirective):
    """``:::{foreword}`` — the 前言 paragraphs, generated from standard.yaml."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        info = edition_info(self.env)
        if info is None:
            return []
        self.env.note_dependency(str(self.env.stdkit_edition_file))
        out: list[nodes.Node] = []
        # With a previous edition, the change list is generated from the diff (see resolve).
        revises = bool(info.previous_edition and info.predecessor is not None)
        changes = foreword.PENDING_CHANGES if revises else ()
        for block in foreword.foreword_blocks(info, changes):
            if isinstance(block, str):
                out.append(nodes.paragraph(block, block))
            elif isinstance(block, foreword.PendingChanges):
                out.append(foreword_changes())
            else:
                items = nodes.bullet_list(classes=["foreword-history"])
                for text in block:
                    items += nodes.list_item("", nodes.paragraph(text, text))
                out.append(items)
        return out


class CoverDirective(SphinxDirective):
    """``:::{cover}`` — the cover data (ICS, CCS, number, class line, dates) as a block."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        info = edition_info(self.env)
        if info is None:
            return []
        self.env.note_dependency(str(self.env.stdkit_edition_file))
        box = nodes.container(classes=["std-cover"])
        for css, text in foreword.cover_lines(info):
            box += nodes.paragraph(text, text, classes=[css])
        links = nodes.paragraph(classes=["std-index-links"])
        links += nodes.reference("", "条款索引", refuri="clause-index.html")
        links += nodes.Text("　·　")
        links += nodes.reference("", "术语索引", refuri="term-index.html")
        links += nodes.Text("　·　")
        links += nodes.reference("", "检查表", refuri="checklists/index.html")
        if info.previous_edition:
            links += nodes.Text("　·　")
            links += nodes.reference("", "修订对照", refuri="revision.html")
        box += links
        return [box]


class ClauseRefRole(SphinxRole):
    """``{clause-ref}`id``` — a reference that renders as the target's current number."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        target = self.text.strip()
        node = clause_ref(target, nodes.Text(target), target=target)
        self.set_source_info(node)
        return [node], []


class ItemRole(SphinxRole):
    """``{item}`id``` at the start of a list item gives that item a stable id."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        node = item_marker(item_id=self.text.strip())
        self.set_source_info(node)
        return [node], []
