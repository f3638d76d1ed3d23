"""The clause model: a standard as plain, frozen Python data, and the rules that need no build.

Pure Python: nothing here imports Sphinx or docutils (``tests/test_layout.py`` proves it), so
the numbering, the diff, the linter and the checklists can run on an archived clause-index JSON.

Public API (re-exported here from :mod:`.clauses`): :class:`Edition`, :class:`Clause`,
:class:`EditionInfo`, :class:`Term`, :class:`Metadata`, :class:`Frequency`, :class:`Target`,
:class:`Replaced`, :class:`HistoryEntry`, :class:`TermSource`, :class:`Document`,
:class:`Formula`, the element-type constants, :func:`reference_form` and :func:`cite`. Modules:

- :mod:`.clauses` — Edition → Clause tree, JSON round trip;
- :mod:`.numbering` — GB/T 1.1—2020 numbers from the structure the author wrote;
- :mod:`.ids` — the one grammar of ids (heading labels, clause ids, table names, list items);
- :mod:`.clause_metadata`, :mod:`.edition_metadata`, :mod:`.checklist_specs` — the metadata
  an author writes (clause blocks, ``standard.yaml``, ``checklists.yaml``): types and validation;
- :mod:`.modal` — modal verbs in Chinese text;
- :mod:`.foreword` — the fixed wording GB/T 1.1—2020 prescribes.
- :mod:`.units` — units of time said in plain words (24 h → 24小时), for every output.
"""

from .clauses import (
    ANNEX,
    BIBLIOGRAPHY,
    BIBLIOGRAPHY_ENTRY,
    CHAPTER,
    CLAUSE,
    ELEMENT_TYPES,
    EXAMPLE,
    FIGURE,
    FOREWORD,
    FORMAT_VERSION,
    FORMULA,
    INDEX,
    INDEX_JSON,
    INTRODUCTION,
    KIND_ZH,
    KINDS,
    LIST_ITEM,
    NORMATIVE_REFERENCE,
    NOTE,
    PARAGRAPH,
    PER_EVENT,
    PERIOD_ZH,
    PERIODS,
    TABLE,
    TERM,
    UNTITLED,
    Clause,
    Document,
    Edition,
    EditionInfo,
    Formula,
    Frequency,
    HistoryEntry,
    Metadata,
    Replaced,
    Target,
    Term,
    TermSource,
    cite,
    reference_form,
)

__all__ = [
    "ANNEX", "BIBLIOGRAPHY", "BIBLIOGRAPHY_ENTRY", "CHAPTER", "CLAUSE", "ELEMENT_TYPES",
    "EXAMPLE", "FIGURE", "FOREWORD", "FORMAT_VERSION", "FORMULA", "INDEX", "INDEX_JSON",
    "INTRODUCTION", "KINDS", "KIND_ZH", "LIST_ITEM", "NORMATIVE_REFERENCE", "NOTE",
    "PARAGRAPH", "PERIODS", "PERIOD_ZH", "PER_EVENT", "TABLE", "TERM", "UNTITLED", "Clause",
    "Document", "Edition", "EditionInfo", "Formula", "Frequency", "HistoryEntry", "Metadata",
    "Replaced", "Target", "Term", "TermSource", "cite", "reference_form",
]
