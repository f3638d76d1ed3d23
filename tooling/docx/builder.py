"""The ``docx`` Sphinx builder: the whole standard as one Word document.

Output: ``<outdir>/<number>[_<stage>].docx`` (the PDF edition's name with another suffix:
:func:`tooling.model.stages.file_stem`). The file is written atomically and is byte-identical
for the same sources: its dates come from SOURCE_DATE_EPOCH or the edition's dates, never the
clock.
"""

from __future__ import annotations

import os
from collections.abc import Set
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from sphinx.util import logging

from ..io import atomic
from ..io.diagnostics import RULES
from ..model.stages import file_stem
from ..model.stages import safe_filename as safe_filename  # where callers found it before
from ..sphinx.env import EditionBuilder, edition

logger = logging.getLogger("stdkit.docx")


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
        target = Path(self.outdir) / f"{file_stem(model.info)}.docx"
        atomic.write_bytes(target, data)
        logger.info("Word：%s", target)
