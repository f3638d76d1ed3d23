"""Pure helpers for reading untrusted input and writing outputs; no Sphinx, no docutils.

- :mod:`.safeyaml` — YAML with safe types only, no aliases, no duplicate keys, and line numbers;
- :mod:`.sources` — checks on the raw source files (encoding, fences, control characters) and
  the URL schemes a standard may use;
- :mod:`.chars` — control and invisible characters, named by code point for messages;
- :mod:`.diagnostics` — :class:`Diagnostic` and :class:`StandardInputError`: a stable code, an
  English name, a Chinese message and a location for every bad input;
- :mod:`.atomic` — writing a file so that a reader never sees half of it;
- :mod:`.tables` — tables for office staff: CSV that Excel and WPS open correctly (formulas
  neutralised), and .xlsx with text cells, a frozen header and autofilter.
"""

from .diagnostics import Diagnostic, StandardInputError, diagnostic

__all__ = ["Diagnostic", "StandardInputError", "diagnostic"]
