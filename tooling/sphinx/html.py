"""How the toolkit's own nodes render in Sphinx's HTML (and, as plain containers, elsewhere)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docutils import nodes

_BLOCK_CLASS = {
    "clause_node": "std-clause",
    "term_node": "std-term",
    "std_note": "std-note",
    "std_example": "std-example",
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


def _pass(self: Any, node: nodes.Node) -> None:
    pass


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode
