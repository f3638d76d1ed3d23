"""The drafting linter: GB/T 1.1—2020 rules checked on the clause model.

Public API (pure): :func:`lint`, :class:`Finding`, :func:`format_findings` (:mod:`.checks`),
:data:`RULES`, :class:`Rule` (:mod:`.rules`, the catalogue: one stable code per rule). Sphinx
side: :mod:`.builder` (findings as build warnings, and the ``stdkitlint`` builder) and
:mod:`.pages` (the rule catalogue for ``stdkit rules``: terminal text and the Markdown page of the
toolkit's docs).
"""

from .checks import Finding, format_findings, lint
from .rules import RULES, Rule

__all__ = ["RULES", "Finding", "Rule", "format_findings", "lint"]
