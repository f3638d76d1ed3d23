"""Typst support shared by the PDF edition (:mod:`tooling.pdf`) and the checklists
(:mod:`tooling.checklists`): CJK fonts, escaping text into Typst markup, the document date,
and typesetting many documents in worker processes (:mod:`.batch`: :func:`~.batch.typeset`,
:class:`~.batch.Sheets`, :class:`~.batch.Roster`, :func:`~.batch.batch_names`).

Public API: :func:`choose_fonts`, :class:`FontChoice`, :class:`FontsNotFound` (:mod:`.fonts`);
:func:`escape`, :func:`string`, :func:`edition_date`, :func:`typst_date` (:mod:`.markup`).
No Sphinx, no docutils.
"""

from .fonts import FontChoice, FontsNotFound, choose_fonts
from .markup import edition_date, escape, string, typst_date

__all__ = ["FontChoice", "FontsNotFound", "choose_fonts", "edition_date", "escape", "string",
           "typst_date"]
