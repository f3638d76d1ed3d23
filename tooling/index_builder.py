"""The ``clauseindex`` Sphinx builder: writes clause-index.json, its schema, and the CSV."""

from __future__ import annotations

from collections.abc import Set
from pathlib import Path

from docutils import nodes
from sphinx.builders import Builder
from sphinx.util import logging

from . import atomic
from .index import (
    INDEX_CSV,
    INDEX_JSON,
    INDEX_SCHEMA,
    dumps_json,
    index_csv,
    index_json,
    index_schema,
)
from .sphinx_env import edition

logger = logging.getLogger("stdkit.index")


class ClauseIndexBuilder(Builder):
    name = "clauseindex"
    format = "json"
    epilog = "条款索引已写入 %(outdir)s。"

    def init(self) -> None:
        pass

    def get_outdated_docs(self) -> str:
        return "all documents"  # the index covers every document

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return docname + ".html"

    def prepare_writing(self, docnames: Set[str]) -> None:
        pass

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        pass

    def write_documents(self, _docnames: Set[str]) -> None:
        model = edition(self.env)
        assert model is not None
        out = Path(self.outdir)
        data = index_json(model, getattr(self.env, "stdkit_modal_cache", None))
        atomic.write_text(out / INDEX_JSON, dumps_json(data))
        atomic.write_text(out / INDEX_SCHEMA, dumps_json(index_schema()))
        atomic.write_text(out / INDEX_CSV, index_csv(model, data))

    def finish(self) -> None:
        pass
