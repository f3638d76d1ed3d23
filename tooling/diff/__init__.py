"""The revision diff: what changed from one edition of a standard to the next, clause by clause.

Pure (no Sphinx): :mod:`.match` (matching elements by id, then by text similarity, and typing
each change), :mod:`.records` (:class:`EditionDiff` and its records, the JSON), :mod:`.wording`
(one-line summaries), :mod:`.phrases` and :mod:`.foreword` (the 前言's list of main technical
changes: which changes, grouped how, said how), :mod:`.overrides` (the editor's
``changes.yaml``), :mod:`.comparison` (the 条款对照表), :mod:`.redline` (the redline, HTML and
Typst), :mod:`.render` (escaping and marked-up diffs) and :mod:`.reports` (the public surface
and the terminal summary), :mod:`.wordfiles` (redline.docx as Word tracked changes and the
条款对照表 as .docx, on :mod:`tooling.word`). Sphinx side: :mod:`.pages` (the 修订对照 page
and the 前言's generated list inside a build), which this ``__init__`` does not import.

Public API: :func:`diff_editions`, :class:`EditionDiff`, :class:`ChangeRecord`,
:func:`change_list`, :func:`foreword_items`, :func:`load_changes`.
"""

from .foreword import change_list, foreword_items
from .match import diff_editions
from .overrides import load_changes
from .records import ChangeRecord, EditionDiff

__all__ = ["ChangeRecord", "EditionDiff", "change_list", "diff_editions", "foreword_items",
           "load_changes"]
