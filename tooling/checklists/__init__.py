"""Printable checklists generated from clause metadata, blank and per person from a roster.

Public API (pure, from :mod:`.selection`): :func:`rows_for`, :func:`load_roster`,
:func:`score_sheet`, :class:`Row`, :class:`Record`, :class:`Person`. The declarations
(``checklists.yaml``: roster columns, header fields, layouts) are read by
:mod:`tooling.model.checklist_specs`. Output: :mod:`.sheets` (Typst source of each sheet),
:mod:`.builder` (the ``checklists`` Sphinx builder, PDFs) and :mod:`.pages` (print-ready HTML).
"""

from .selection import Person, Record, Row, load_roster, rows_for, score_sheet

__all__ = ["Person", "Record", "Row", "load_roster", "rows_for", "score_sheet"]
