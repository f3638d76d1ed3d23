"""How the toolkit's own nodes render in Sphinx's HTML (and, as plain containers, elsewhere)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from docutils import nodes

_BLOCK_CLASS = {
    "clause_node": "std-clause",
    "term_node": "std-term",
    "std_note": "std-note",
    "std_example": "std-example",
    "reference_entry": "std-reference",
    "formula_where": "formula-where",
    "formula_symbol": "formula-symbol",
    "figure_notes": "figure-notes",
}
_OTHER_FORMATS = ("latex", "text", "man", "texinfo")

Visitors = dict[str, tuple[Callable[..., None], Callable[..., None]]]


def block_visitors(node_class: type[nodes.Element]) -> Visitors:
    css = _BLOCK_CLASS[node_class.__name__]

    def visit_html(self: Any, node: nodes.Element) -> None:
        extra = node.get("element_type", "")
        self.body.append(self.starttag(node, "div", CLASS=f"{css} {extra}".strip()))

    def depart_html(self: Any, node: nodes.Element) -> None:
        self.body.append("</div>\n")

    out: Visitors = {"html": (visit_html, depart_html)}
    out.update({fmt: (_pass, _pass) for fmt in _OTHER_FORMATS})
    return out


def inline_visitors() -> Visitors:
    """An unresolved reference (only when the model is missing) renders as its text."""
    return {fmt: (_pass, _pass) for fmt in ("html", *_OTHER_FORMATS)}


def skip_visitors() -> Visitors:
    return {fmt: (_skip, None) for fmt in ("html", *_OTHER_FORMATS)}  # type: ignore[misc]


def _with_others(html: tuple[Callable[..., None], Callable[..., None]]) -> Visitors:
    out: Visitors = {"html": html}
    out.update({fmt: (_pass, _pass) for fmt in _OTHER_FORMATS})
    return out


def formula_visitors() -> Visitors:
    """A numbered formula: its MathML (made and sanitised by model.formulas when read) and its
    number at the right margin, (1) or (A.1), with a ¶ link."""

    def visit(self: Any, node: nodes.Element) -> None:
        self.body.append(self.starttag(node, "div", CLASS="std-formula"))
        self.body.append(f'<div class="formula-math">{node["mathml"]}</div>')
        number = node.get("number", "")
        link = ""
        if node.get("permalink") and node["ids"]:
            link = (f'<a class="headerlink stdkit-permalink" href="#{escape(node["ids"][0])}" '
                    f'title="{escape(node["permalink"])}">¶</a>')
        self.body.append(f'<span class="formula-number">{escape(number)}{link}</span></div>\n')
        raise nodes.SkipNode

    return _with_others((visit, None))  # type: ignore[arg-type]


def math_visitors() -> Visitors:
    """Inline math (a 式中 symbol, ``{math}`` in text): its MathML."""

    def visit(self: Any, node: nodes.Element) -> None:
        self.body.append(node["mathml"])
        raise nodes.SkipNode

    return _with_others((visit, None))  # type: ignore[arg-type]


def table_notes_visitors() -> Visitors:
    """表注 and footnotes inside the table's frame: a last row spanning every column."""

    def visit(self: Any, node: nodes.Element) -> None:
        self.body.append('<tfoot class="table-notes"><tr>'
                         f'<td colspan="{int(node.get("cols", 1))}">')

    def depart(self: Any, node: nodes.Element) -> None:
        self.body.append("</td></tr></tfoot>\n")

    return _with_others((visit, depart))


def footnote_visitors() -> Visitors:
    """A table or figure footnote: its letter, then its text."""

    def visit(self: Any, node: nodes.Element) -> None:
        self.body.append(self.starttag(node, "div", CLASS="std-footnote"))
        self.body.append(f'<sup class="footnote-label">{escape(node["label"])}</sup>')

    def depart(self: Any, node: nodes.Element) -> None:
        self.body.append("</div>\n")

    return _with_others((visit, depart))


def footnote_ref_visitors() -> Visitors:
    """The superscript letter in a cell, linking to its footnote."""

    def visit(self: Any, node: nodes.Element) -> None:
        self.body.append(f'<sup class="footnote-ref"><a href="#{escape(node["refid"])}">'
                         f'{escape(node["label"])}</a></sup>')
        raise nodes.SkipNode

    return _with_others((visit, None))  # type: ignore[arg-type]


def _pass(self: Any, node: nodes.Node) -> None:
    pass


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode
