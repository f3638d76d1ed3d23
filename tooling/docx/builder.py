"""The ``docx`` Sphinx builder: the whole standard as one Word document.

Output: ``<outdir>/<file name from the standard number>.docx`` (the PDF edition's name with
another suffix). The file is written atomically and is byte-identical for the same sources:
its dates come from SOURCE_DATE_EPOCH or the edition's dates, never the clock.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Set
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from sphinx.util import logging

from ..io import atomic
from ..io.diagnostics import RULES
from ..sphinx.env import EditionBuilder, edition

logger = logging.getLogger("stdkit.docx")


def safe_filename(number: str) -> str:
    """A file name from a standard number: "DB3715/T 12—2021" -> "DB3715-T_12-2021" (the
    same rule as the PDF edition's file name)."""
    text = unicodedata.normalize("NFKC", number).replace("—", "-").replace("–", "-")
    text = re.sub(r"[/\\:]+", "-", text)
    text = re.sub(r"\s+", "_", text.strip())
    text = re.sub(r"[^A-Za-z0-9._\-\u4e00-\u9fff]", "", text).strip("._-")
    return text or "standard"


class DocxBuilder(EditionBuilder):
    name = "docx"
    format = "docx"
    epilog = "Word 版本已写入 %(outdir)s。"
    supported_image_types: ClassVar[list[str]] = [
        "image/png", "image/jpeg", "image/gif", "image/bmp", "image/tiff"]

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return ""  # references become in-document links (#id)

    def write_documents(self, _docnames: Set[str]) -> None:
        self.write_docx(self.whole_document())

    def _warn(self, code: str, node: nodes.Node, params: dict[str, object]) -> None:
        name, template = RULES[code]
        logger.warning("%s %s [%s]", code, template.format(**params), name, location=node,
                       type="stdkit", subtype=code)

    def render(self, tree: nodes.document) -> bytes:
        # python-docx and lxml are imported here, not with the module: every HTML build
        # registers this builder and never writes Word.
        from ..word import WordDocument
        from .document import assemble, document_date, properties
        from .writer import WordTranslator, read_inside

        model = edition(self.env)
        assert model is not None
        info = model.info
        date = document_date(info, os.environ.get("SOURCE_DATE_EPOCH"))
        word = WordDocument(properties(info, date), duplex=self.duplex())
        translator = WordTranslator(word, model, self._warn, read_inside(Path(self.srcdir)))
        parts = translator.render(tree)
        assemble(word, info, parts)
        return word.to_bytes()

    def write_docx(self, tree: nodes.document) -> None:
        model = edition(self.env)
        assert model is not None
        data = self.render(tree)
        target = Path(self.outdir) / f"{safe_filename(model.info.number)}.docx"
        atomic.write_bytes(target, data)
        logger.info("Word：%s", target)
