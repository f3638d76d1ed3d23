"""The revision diff: what changed from one edition of a standard to the next, clause by clause.

Pure (no Sphinx): :mod:`.match` (matching elements by id, then by text similarity, and typing
each change), :mod:`.records` (:class:`EditionDiff` and its records, the JSON), :mod:`.wording`
(Chinese phrases for changes) and :mod:`.reports` (redline HTML/Typst, 条款对照表 CSV/HTML,
the 前言 change list); :mod:`.wordfiles` (redline.docx as Word tracked changes and the
条款对照表 as .docx, on :mod:`tooling.word`). Sphinx side: :mod:`.pages` (the 修订对照 page and
the 前言's generated list inside a build), which this ``__init__`` does not import.

Public API: :func:`diff_editions`, :class:`EditionDiff`, :class:`ChangeRecord`,
:func:`foreword_items`.
"""

from .match import diff_editions
from .records import ChangeRecord, EditionDiff
from .reports import foreword_items

__all__ = ["ChangeRecord", "EditionDiff", "diff_editions", "foreword_items"]
