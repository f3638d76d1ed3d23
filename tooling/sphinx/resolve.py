"""Putting computed numbers into a document about to be written.

Runs on ``doctree-resolved`` for each document written, with the whole edition's model: the
numbers are the model's, never recomputed here. Section headings are numbered by Sphinx from
the secnumber tables the extension fills; this module handles everything else.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from ..model import BIBLIOGRAPHY_ENTRY, Edition
from ..model.foreword import list_items
from .nodes import (
    block_label,
    clause_ref,
    foreword_changes,
    formula_node,
    reference_entry,
    std_example,
    std_note,
    term_node,
)
from .nodes import clause_node as clause_node_

IDEOGRAPHIC_SPACE = "\u3000"


def apply_numbers(app: Sphinx, doctree: nodes.document, docname: str, edition: Edition) -> None:
    for node in doctree.findall(nodes.section):
        obligation = node.get("stdkit_annex")
        clause = edition.get(node["ids"][0]) if node["ids"] else None
        if obligation and clause and clause.number:
            title = node[0]
            title.insert(0, nodes.inline("", f"附录{clause.number}", classes=["annex-designation"]))
            title.insert(1, nodes.inline("", f"（{clause.annex_obligation}）",
                                         classes=["annex-obligation"]))

    for node in doctree.findall(clause_node_):
        clause = edition.get(node["clause_id"])
        if clause is None or clause.number is None:
            continue
        number = nodes.inline("", clause.number, classes=["clause-number"])
        first = node.next_node(nodes.paragraph)
        if first is not None and first.parent is node:
            first.insert(0, nodes.Text(IDEOGRAPHIC_SPACE))
            first.insert(0, number)
        else:
            node.insert(0, nodes.paragraph("", "", number, classes=["clause-number-line"]))

    for node in doctree.findall(term_node):
        clause = edition.get(node["term_id"])
        if clause is not None and clause.number:
            node.insert(0, nodes.paragraph("", "", nodes.inline("", clause.number),
                                           classes=["term-number"]))

    for node in doctree.findall(nodes.table):
        clause = edition.get(node["ids"][0]) if node["ids"] else None
        title = node.next_node(nodes.title)
        if clause is not None and clause.number and title is not None:
            title.insert(0, nodes.inline("", f"表{clause.number}{IDEOGRAPHIC_SPACE}",
                                         classes=["table-number"]))

    for node in doctree.findall(nodes.figure):
        clause = edition.get(node["ids"][0]) if node["ids"] else None
        caption = node.next_node(nodes.caption)
        if clause is not None and clause.number and caption is not None:
            caption.insert(0, nodes.inline("", f"图{clause.number}{IDEOGRAPHIC_SPACE}",
                                           classes=["figure-number"]))

    for node in doctree.findall(reference_entry):
        clause = edition.get(node["ref_id"])
        para = node.next_node(nodes.paragraph)
        if clause is not None and clause.element_type == BIBLIOGRAPHY_ENTRY and para:
            para.insert(0, nodes.inline("", f"[{clause.number}]", classes=["reference-number"]))
            para.insert(1, nodes.Text(IDEOGRAPHIC_SPACE))

    for node in doctree.findall(formula_node):
        clause = edition.get(node["formula_id"])
        if clause is not None and clause.number:
            node["number"] = f"({clause.number})"

    # furo wraps each table in a container and copies the table's ids onto it, which would
    # give the page two elements with the same id; the anchor belongs to the table.
    for node in doctree.findall(nodes.container):
        if "table-wrapper" in node["classes"] and node.children:
            node["ids"] = [i for i in node["ids"] if i not in node[0].get("ids", [])]

    for node in list(doctree.findall(foreword_changes)):
        items = nodes.enumerated_list(enumtype="loweralpha", prefix="", suffix=")",
                                      classes=["gbt-alpha", "foreword-changes"])
        for text in list_items(getattr(app.env, "stdkit_changes", [])):
            items += nodes.list_item("", nodes.paragraph(text, text))
        node.replace_self(items if len(items) else [])

    _label_blocks(doctree, std_note)
    _label_blocks(doctree, std_example)
    _resolve_refs(app, doctree, docname, edition)
    if app.builder.format == "html":
        _permalinks(doctree, edition)


def _label_blocks(doctree: nodes.document, node_class: type[nodes.Element]) -> None:
    """注：/注1：注2： — numbered only when a clause (term entry, table, figure) has more than
    one (GB/T 1.1—2020); the same labels the model gives notes with ids."""
    for node in list(doctree.findall(node_class)):
        label = f"{block_label(node)}："
        marker = nodes.inline("", label, classes=[f"{node_class.__name__}-label"])
        first = node.next_node(nodes.paragraph)
        if first is not None:
            first.insert(0, marker)
        else:
            node.insert(0, nodes.paragraph("", "", marker))


def _permalinks(doctree: nodes.document, edition: Edition) -> None:
    """A ¶ link on the elements this module numbers (formulas, reference entries, notes with
    an id), like the theme's on clauses and terms."""
    targets: list[tuple[nodes.Element, str]] = []
    targets += [(n.next_node(nodes.paragraph), n["ref_id"])
                for n in doctree.findall(reference_entry)]
    targets += [(n.next_node(nodes.paragraph), n["note_id"])
                for n in doctree.findall(lambda n: isinstance(n, std_note | std_example))
                if n.get("note_id")]
    for para, element_id in targets:
        if para is not None and element_id in edition:
            para += _permalink(element_id, edition)
    for node in doctree.findall(formula_node):
        if node["formula_id"] in edition:
            node["permalink"] = f"链接到{edition.reference_text(node['formula_id'])}"


def _permalink(element_id: str, edition: Edition) -> nodes.reference:
    return nodes.reference("", "¶", refuri=f"#{element_id}", internal=True,
                           classes=["headerlink", "stdkit-permalink"],
                           reftitle=f"链接到{edition.reference_text(element_id)}")


def _resolve_refs(app: Sphinx, doctree: nodes.document, docname: str, edition: Edition) -> None:
    id_docs = getattr(app.env, "stdkit_id_docs", {})
    for ref in list(doctree.findall(clause_ref)):
        target = ref["target"]
        if target not in edition:
            continue  # reported as E107 before writing began
        text = edition.reference_text(target)
        todoc = id_docs.get(target, docname)
        uri = app.builder.get_relative_uri(docname, todoc) + "#" + target
        link = nodes.reference("", text, internal=True, refuri=uri, classes=["clause-ref"])
        ref.replace_self(link)
