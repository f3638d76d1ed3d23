"""The clause index: every element of the edition with its number, text and metadata.

Public API (pure, re-exported from :mod:`.export`): :func:`index_json`, :func:`index_schema`,
:func:`index_csv`, :func:`dumps_json`, :func:`content_hash`, :func:`chapters`. Sphinx side:
:mod:`.builder` (the ``clauseindex`` builder writing JSON, schema and CSV) and :mod:`.pages`
(the 条款索引 and 术语索引 pages of the HTML edition).
"""

from .export import chapters, content_hash, dumps_json, index_csv, index_json, index_schema

__all__ = ["chapters", "content_hash", "dumps_json", "index_csv", "index_json", "index_schema"]
