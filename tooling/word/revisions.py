"""Tracked changes (Word revisions): inserted, deleted and moved text, paragraphs and table rows.

WordprocessingML keeps a revision where it applies:

- runs inside ``w:ins`` / ``w:del`` (deleted text is ``w:delText``), moved runs inside
  ``w:moveFrom`` (the old place) / ``w:moveTo`` (the new place), each move between named
  ``w:moveFromRangeStart``/``End`` and ``w:moveToRangeStart``/``End`` markers;
- a paragraph mark inserted or deleted (``w:pPr/w:rPr/w:ins`` …): accepting a deleted mark
  joins the paragraph with the next one, rejecting an inserted mark likewise;
- a table row inserted or deleted (``w:trPr/w:ins`` …).

Accepting every revision gives the new text, rejecting every one the old. Every revision
carries the same author and a fixed date, so the file is the same from build to build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from docx.oxml.ns import qn

from .ooxml import Element, el, paragraph_properties, set_property

INSERT, DELETE, MOVE_FROM, MOVE_TO = "ins", "del", "moveFrom", "moveTo"


class Revisions:
    """Makes revision elements; ``next_id`` is shared with the document's other annotations
    (bookmarks), whose ids Word wants unique."""

    def __init__(self, author: str, date: str, next_id: Callable[[], int]) -> None:
        self.author = author
        self.date = date  # ISO 8601, e.g. 2026-01-01T00:00:00Z
        self.next_id = next_id
        self.moves = 0

    def _attrs(self) -> dict[str, str | int | float]:
        return {"w:id": self.next_id(), "w:author": self.author, "w:date": self.date}

    def wrap(self, kind: str, children: Iterable[Element]) -> Element:
        """Runs (or hyperlinks, fields) as inserted, deleted or moved text."""
        wrapper = el(f"w:{kind}", self._attrs())
        for child in children:
            if kind == DELETE:  # moved text stays w:t (ECMA-376 17.13.5.22)
                _as_deleted(child)
            wrapper.append(child)
        return wrapper

    def mark_paragraph(self, p: Element, kind: str) -> None:
        """The paragraph mark itself inserted, deleted or moved."""
        rpr = paragraph_properties(p).find(qn("w:rPr"))
        if rpr is None:
            rpr = set_property(p, el("w:rPr"))
        rpr.insert(0, el(f"w:{kind}", self._attrs()))

    def mark_row(self, tr: Element, kind: str) -> None:
        """A table row inserted or deleted (its text is marked as well, for Word's display)."""
        trpr = tr.find(qn("w:trPr"))
        if trpr is None:
            trpr = el("w:trPr")
            tr.insert(0, trpr)
        trpr.append(el(f"w:{kind}", self._attrs()))

    def move_range(self, kind: str, name: str) -> tuple[Element, Element]:
        """The named range markers around moved content (``kind`` MOVE_FROM or MOVE_TO)."""
        attrs = self._attrs()
        start = el(f"w:{kind}RangeStart", {**attrs, "w:name": name})
        end = el(f"w:{kind}RangeEnd", {"w:id": attrs["w:id"]})
        return start, end

    def new_move_name(self) -> str:
        self.moves += 1
        return f"move{self.moves}"


def _as_deleted(node: Element) -> None:
    """Deleted text is w:delText, deleted field instructions w:delInstrText."""
    for t in list(node.iter(qn("w:t"))):
        t.tag = qn("w:delText")
    for t in list(node.iter(qn("w:instrText"))):
        t.tag = qn("w:delInstrText")


__all__ = ["DELETE", "INSERT", "MOVE_FROM", "MOVE_TO", "Revisions"]
