"""The MyST directives and roles authors write: clause, term, note, example, annex, foreword,
cover, reference, formula, table, figure, clause-ref and item. Each turns source into nodes;
numbering happens later."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives as rst_directives
from docutils.statemachine import StringList
from sphinx.directives.patches import Figure
from sphinx.util.docutils import SphinxDirective, SphinxRole

from .. import model
from ..io import safeyaml
from ..io.diagnostics import diagnostic
from ..model import clause_metadata, foreword, formulas
from .collect import LABEL_AS_WRITTEN
from .env import edition_info, report, source_path
from .nodes import (
    annex_marker,
    clause_node,
    clause_ref,
    figure_notes,
    foreword_changes,
    formula_node,
    formula_symbol,
    formula_where,
    item_marker,
    reference_entry,
    std_example,
    std_math,
    std_note,
    table_notes,
    term_node,
)
from .tables import SpanError, SpanTable, apply_spans

CLAUSE_SCHEMA = "clause-metadata.schema.json"
# The clause metadata a table, figure or list item may carry too (not its id, not numbered).
ELEMENT_METADATA = ("kind", "role", "frequency", "target", "applies_to", "checklist",
                    "checklist_text", "evidence")


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
        source = model.TermSource.from_value(data.get("source"))
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
        if source is not None:
            text = source.describe()
            node += nodes.paragraph(text, text, classes=["term-source"])
        return [node]


class _BlockDirective(_MetadataDirective):
    """A 注 or 示例; an ``:id:`` line at its top makes it an element that can be cited."""

    node_class: type[nodes.Element] = std_note
    schema_name = "note-metadata.schema.json"
    element_name = "注"

    def run(self) -> list[nodes.Node]:
        node = self.node_class()
        self.set_source_info(node)
        lines = list(self.content)
        if lines and clause_metadata.starts_with_block(lines):
            parsed = self.parse_metadata()
            if parsed is None:
                return []
            data, body = parsed
            node["note_id"] = data["id"]
            node["ids"] = [data["id"]]
            self.parse_body(body, node)
        else:
            self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


class NoteDirective(_BlockDirective):
    """``:::{note}`` — a GB/T 注, rendered 注： (or 注1：注2：)."""

    node_class = std_note


class ExampleDirective(_BlockDirective):
    """``:::{example}`` — a GB/T 示例."""

    node_class = std_example
    element_name = "示例"


class ReferenceDirective(_MetadataDirective):
    """``:::{reference}`` — one entry of 规范性引用文件 or 参考文献: ``id``, ``number`` (the
    document's designation, GB/T 20647.1—2006 dated or GB/T 20647.1 undated), ``title``.
    Where it stands decides what it is (see :mod:`tooling.model.numbering`)."""

    schema_name = "reference-metadata.schema.json"
    element_name = "文献条目"

    def run(self) -> list[nodes.Node]:
        parsed = self.parse_metadata()
        if parsed is None:
            return []
        data, body = parsed
        if body and any(line.strip() for line in body):
            self.fail("E109", None, detail="{reference} 只写元数据（id、number、title），"
                      "不写正文")
            return []
        document = model.Document(data["title"], data.get("number"))
        node = reference_entry(ids=[data["id"]], ref_id=data["id"],
                               designation=document.designation, doc_title=document.title)
        self.set_source_info(node)
        text = document.describe()
        para = nodes.paragraph(text, "", classes=["reference-text"])
        if document.designation:
            para += nodes.inline(document.designation, document.designation,
                                 classes=["reference-designation"])
            para += nodes.Text("\u3000")
        para += nodes.inline(document.title, document.title, classes=["reference-title"])
        node += para
        return [node]


class FormulaDirective(_MetadataDirective):
    """``:::{formula}`` — a numbered formula in LaTeX, with ``id`` and the "式中：" list
    (``where``: symbol -> meaning). Checked and rendered when read (see model.formulas)."""

    schema_name = "formula-metadata.schema.json"
    element_name = "公式"

    def run(self) -> list[nodes.Node]:
        parsed = self.parse_metadata()
        if parsed is None:
            return []
        data, body = parsed
        tex = "\n".join(body).strip()
        line = self.line_of(len(self.content) - len(body))
        try:
            rendered = formulas.parse(tex, display=True)
        except formulas.FormulaError as err:
            report(self.env, diagnostic("E152", source_path(self.env), line, detail=str(err)))
            return []
        node = formula_node(ids=[data["id"]], formula_id=data["id"], tex=rendered.tex,
                            mathml=rendered.mathml, typst=rendered.typst)
        self.set_source_info(node)
        out: list[nodes.Node] = [node]
        where = data.get("where") or {}
        if where:
            box = formula_where(classes=["formula-where"])
            box += nodes.paragraph("式中：", "式中：", classes=["formula-where-head"])
            entries = list(where.items())
            for position, (symbol, meaning) in enumerate(entries):
                try:
                    math = formulas.parse(str(symbol), display=False)
                except formulas.FormulaError as err:
                    self.fail("E152", self.key_line("where"), detail=f"符号“{symbol}”：{err}")
                    return []
                end = "。" if position == len(entries) - 1 else "；"
                text = "——" + str(meaning).rstrip("；;。.，, ") + end
                entry = formula_symbol()
                entry += std_math(symbol, tex=math.tex, mathml=math.mathml, typst=math.typst)
                entry += nodes.paragraph(text, text)
                box += entry
            node["where"] = [(str(s), str(m)) for s, m in entries]
            out.append(box)
        return out

    def key_line(self, key: str) -> int:
        for offset, line in enumerate(self.content):
            if line.lstrip().startswith((f"{key}:", f":{key}:")):
                return offset
        return 0


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
    """``{item}`id``` at the start of a list item gives that item a stable id; a mapping after
    the id gives it clause metadata: ``{item}`item-id {checklist: daily, role: 保洁员}```."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        item_id, _, rest = self.text.strip().partition(" ")
        node = item_marker(item_id=item_id)
        self.set_source_info(node)
        if rest.strip():
            data = element_metadata(self.env, rest.strip(), item_id, "列项", self.lineno)
            if data is None:
                return [], []
            node["metadata"] = data
        return [node], []


def element_metadata(env: Any, text: str, element_id: str, element: str,
                     line: int) -> dict[str, Any] | None:
    """Clause metadata written as one YAML mapping (on a list item), validated like a
    clause's; problems are reported at ``line``. None when refused."""
    try:
        data = safeyaml.load(text).data
    except safeyaml.YamlProblem as err:
        report(env, diagnostic(err.code, source_path(env), line, **err.params))
        return None
    if not isinstance(data, dict):
        report(env, diagnostic("E101", source_path(env), line,
                               detail="标识之后的元数据应为 {键: 值} 形式的映射"))
        return None
    return check_element_metadata(env, data, element_id, element, line)


def check_element_metadata(env: Any, data: dict[str, Any], element_id: str, element: str,
                           line: int) -> dict[str, Any] | None:
    for key in data:
        if key not in ELEMENT_METADATA:
            report(env, diagnostic("E102", source_path(env), line, key=key,
                                   allowed="、".join(ELEMENT_METADATA)))
            return None
    problem = clause_metadata.validate({"id": element_id, **data}, CLAUSE_SCHEMA, element)
    if problem:
        if problem.code == "E105":
            return data  # the id itself is checked (and reported) with the element
        report(env, diagnostic(problem.code, source_path(env), line, **problem.params))
        return None
    return data


def _metadata_options() -> dict[str, Any]:
    return {key: rst_directives.unchanged for key in ELEMENT_METADATA}


class _ElementOptions:
    """Clause metadata given as directive options (``:evidence: 巡查记录``) on a table or a
    figure: each value is read as YAML, then the whole is validated like a clause's."""

    options: dict[str, Any]
    block_text: str
    lineno: int
    env: Any

    def metadata(self, element_id: str, element: str) -> dict[str, Any] | None:
        data: dict[str, Any] = {}
        for key in ELEMENT_METADATA:
            if key not in self.options:
                continue
            line = self.option_line(key)
            try:
                data[key] = safeyaml.load(self.options[key] or "").data
            except safeyaml.YamlProblem as err:
                report(self.env, diagnostic(err.code, source_path(self.env), line,
                                            **err.params))
                return None
        if not data:
            return {}
        first = min(self.option_line(k) for k in data)
        problem = clause_metadata.validate({"id": element_id, **data}, CLAUSE_SCHEMA, element)
        if problem and problem.code != "E105":
            key = problem.params.get("key")
            line = self.option_line(key) if key in data else first
            report(self.env, diagnostic(problem.code, source_path(self.env), line,
                                        **problem.params))
            return None
        return data

    def option_line(self, key: str) -> int:
        for offset, text in enumerate(self.block_text.splitlines()):
            if re.match(rf"\s*:{re.escape(key)}:|\s*{re.escape(key)}:", text):
                return self.lineno + offset
        return self.lineno


def _written_name(node: nodes.Element) -> str:
    return str(node.get(LABEL_AS_WRITTEN) or (node["names"][0] if node["names"] else ""))


class TableDirective(_ElementOptions, SpanTable):
    """``:::{table} 标题`` — one Markdown table (with ``^^``/``<<`` merged cells), then its
    表注 (``{note}``) and footnotes (``[^a]`` in a cell, ``[^a]: …`` after the table): both
    go inside the table's frame. Clause metadata as options (``:checklist:``, ``:evidence:``
    …) feeds checklists like a clause's."""

    option_spec: ClassVar[dict[str, Any]] = {**SpanTable.option_spec, **_metadata_options()}

    @property
    def env(self) -> Any:  # type: ignore[override]
        return self.state.document.settings.env

    def run(self) -> list[nodes.Node]:
        title, messages = self.make_title()
        holder = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, holder)
        tables = [c for c in holder.children if isinstance(c, nodes.table)]
        others = [c for c in holder.children if not isinstance(c, nodes.table | nodes.target
                                                                  | nodes.comment)]
        misplaced = [c for c in others if not isinstance(c, std_note | nodes.footnote)]
        if len(tables) != 1 or misplaced:
            detail = ("表格指令中应恰好有一个 Markdown 表格" if len(tables) != 1 else
                      "表格之后只能写表注（{note}）和脚注（[^a]: …）")
            report(self.env, diagnostic("E155", source_path(self.env), self.lineno,
                                        detail=detail))
            return []
        table = tables[0]
        table["classes"] += self.options.get("class", [])
        self.set_table_width(table)
        if "align" in self.options:
            table["align"] = self.options.get("align")
        self.add_name(table)
        if title:
            table.insert(0, title)
        try:
            apply_spans(table)
        except SpanError as err:
            report(self.env, diagnostic("E170", source_path(self.env), self.row_line(err.row),
                                        detail=err.detail))
        data = self.metadata(_written_name(table), "表")
        if data is None:
            return []
        if data:
            table["stdkit_metadata"] = data
        notes = [c for c in others if isinstance(c, std_note)]
        footnotes = [c for c in others if isinstance(c, nodes.footnote)]
        if notes or footnotes:
            tgroup = table.next_node(nodes.tgroup)
            box = table_notes(cols=int(tgroup["cols"]) if tgroup is not None else 1)
            for child in [*notes, *footnotes]:
                box += child
            table += box
        return [table, *messages]


class FigureDirective(_ElementOptions, Figure):
    """``:::{figure} file`` — an image from the standard's folder, its caption (图1　标题),
    and after the caption its 图注 (``{note}``) and footnotes, which are printed between the
    image and the caption (GB/T 1.1—2020). Clause metadata as options, as on tables."""

    option_spec: ClassVar[dict[str, Any]] = {**Figure.option_spec, **_metadata_options()}

    @property
    def env(self) -> Any:  # type: ignore[override]
        return self.state.document.settings.env

    def run(self) -> list[nodes.Node]:
        result = super().run()
        figure = next((n for n in result if isinstance(n, nodes.figure)), None)
        if figure is None:
            return result
        data = self.metadata(_written_name(figure), "图")
        if data is None:
            return []
        if data:
            figure["stdkit_metadata"] = data
        legend = figure.next_node(nodes.legend)
        caption = figure.next_node(nodes.caption)
        if legend is not None:
            moved = [c for c in legend.children if isinstance(c, std_note | nodes.footnote)]
            if moved:
                box = figure_notes()
                for child in moved:
                    legend.remove(child)
                    box += child
                figure.insert(figure.index(caption) if caption is not None else len(figure), box)
            if not legend.children:
                figure.remove(legend)
        return result


class MathRole(SphinxRole):
    """``{math}`x_i``` — inline math in LaTeX, rendered like a formula: MathML in the HTML
    edition, Typst in the PDF (Sphinx's own math role would load MathJax from a CDN)."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        try:
            rendered = formulas.parse(self.text, display=False)
        except formulas.FormulaError as err:
            report(self.env, diagnostic("E152", source_path(self.env), self.lineno,
                                        detail=str(err)))
            return [], []
        node = std_math(rendered.tex, tex=rendered.tex, mathml=rendered.mathml,
                        typst=rendered.typst)
        self.set_source_info(node)
        return [node], []


class MathDirective(SphinxDirective):
    """``{math}`` as a block: GB/T 1.1—2020 numbers every displayed formula, so it is refused
    with a pointer to ``{formula}``."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {"label": rst_directives.unchanged,
                                             "name": rst_directives.unchanged,
                                             "nowrap": rst_directives.flag}

    def run(self) -> list[nodes.Node]:
        report(self.env, diagnostic("E109", source_path(self.env), self.lineno,
                                    detail="不编号的显示公式不符合 GB/T 1.1—2020："
                                    "公式请用 {formula}（带标识和编号）"))
        return []
