"""The ``clauseindex`` Sphinx builder: writes clause-index.json, its schema, the CSV and the
.xlsx."""

from __future__ import annotations

from collections.abc import Set
from pathlib import Path

from sphinx.util import logging

from ..io import atomic
from ..model import INDEX_JSON
from ..sphinx.env import EditionBuilder, edition
from .export import (
    INDEX_CSV,
    INDEX_SCHEMA,
    INDEX_XLSX,
    dumps_json,
    index_csv,
    index_json,
    index_schema,
    index_xlsx,
)

logger = logging.getLogger("stdkit.index")


class ClauseIndexBuilder(EditionBuilder):
    name = "clauseindex"
    format = "json"
    epilog = "条款索引已写入 %(outdir)s。"

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return docname + ".html"

    def write_documents(self, _docnames: Set[str]) -> None:
        model = edition(self.env)
        assert model is not None
        out = Path(self.outdir)
        data = index_json(model, getattr(self.env, "stdkit_modal_cache", None))
        atomic.write_text(out / INDEX_JSON, dumps_json(data))
        atomic.write_text(out / INDEX_SCHEMA, dumps_json(index_schema()))
        atomic.write_text(out / INDEX_CSV, index_csv(model, data))
        atomic.write_bytes(out / INDEX_XLSX, index_xlsx(model, data))
