"""Printable checklists generated from clause metadata, blank and per steward from a roster.

Public API (pure, from :mod:`.selection`): :func:`rows_for`, :func:`load_roster`,
:class:`Row`, :class:`Steward`. The declarations (``checklists.yaml``) are read by
:mod:`tooling.model.checklist_specs`. Output: :mod:`.sheets` (Typst source of each sheet),
:mod:`.builder` (the ``checklists`` Sphinx builder, PDFs) and :mod:`.pages` (print-ready HTML).
"""

from .selection import Row, Steward, load_roster, rows_for

__all__ = ["Row", "Steward", "load_roster", "rows_for"]
