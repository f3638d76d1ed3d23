"""The clause index: every element of the edition with its number, text and metadata.

Public API (pure, re-exported from :mod:`.export`): :func:`index_json`, :func:`index_schema`,
:func:`index_csv`, :func:`index_xlsx`, :func:`dumps_json`, :func:`content_hash`,
:func:`chapters`; :mod:`.collation` sorts words in 汉语拼音 order. Sphinx side: :mod:`.builder`
(the ``clauseindex`` builder writing JSON, schema, CSV and .xlsx) and :mod:`.pages` (the 条款索引
and 术语索引 pages of the HTML edition, their place in its navigation and downloads).
"""

from .export import (
    chapters,
    content_hash,
    dumps_json,
    index_csv,
    index_json,
    index_schema,
    index_xlsx,
)

__all__ = ["chapters", "content_hash", "dumps_json", "index_csv", "index_json", "index_schema",
           "index_xlsx"]
