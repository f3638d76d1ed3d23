"""The ``checklists`` Sphinx builder: blank checklists, and personalised ones from a roster.

Writes under ``<outdir>``: ``<checklist-id>.pdf`` for each declared checklist, and with a roster
(config ``stdkit_roster``) ``roster/all.pdf`` (every steward, every checklist, page breaks
between) plus ``roster/<nn>-<name>.pdf`` per steward. Everything is validated and compiled in
memory first; files are written only when all of them succeeded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set
from pathlib import Path

import typst
from sphinx.util import logging

from ..io import atomic
from ..io.diagnostics import StandardInputError
from ..model import Edition
from ..model.checklist_specs import CHECKLISTS_FILE, ChecklistSpec, check_specs, load_specs
from ..sphinx.env import EditionBuilder, OutputError, StandardBuildError, edition, log_diagnostic
from ..typeset import FontsNotFound, choose_fonts, edition_date
from .selection import Steward, load_roster, rows_for
from .sheets import TEMPLATE, document_source, sheet_source

logger = logging.getLogger("stdkit.checklist")


def steward_filename(position: int, steward: Steward) -> str:
    """A safe file name for a steward's checklists: no path separators, no dots at the start."""
    name = unicodedata.normalize("NFKC", steward.name)
    name = re.sub(r"[^\w\u4e00-\u9fff-]+", "_", name).strip("._-") or "steward"
    return f"{position:02d}-{name}.pdf"


class ChecklistBuilder(EditionBuilder):
    name = "checklists"
    format = "pdf"
    epilog = "检查表已写入 %(outdir)s。"

    def load_inputs(self, model: Edition) -> tuple[tuple[ChecklistSpec, ...], list[Steward] | None]:
        path = Path(self.srcdir) / CHECKLISTS_FILE
        try:
            specs = load_specs(path)
            check_specs(specs, model, path)
            roster_path = self.config.stdkit_roster
            roster = load_roster(Path(roster_path)) if roster_path else None
        except StandardInputError as err:
            for diag in err.diagnostics:
                log_diagnostic(diag)
            raise StandardBuildError(err) from None
        return specs, roster

    def write_documents(self, _docnames: Set[str]) -> None:
        model = edition(self.env)
        assert model is not None
        specs, roster = self.load_inputs(model)
        if not specs:
            logger.info("本标准没有 checklists.yaml，不生成检查表")
            return
        try:
            fonts = choose_fonts()
        except FontsNotFound as err:
            raise OutputError(str(err)) from None
        year = self.config.stdkit_checklist_year or None
        date = edition_date(model.info.issued, model.info.implemented)
        rows = {spec.id: rows_for(model, spec) for spec in specs}

        def sheets(steward: Steward | None) -> list[str]:
            return [sheet_source(model, spec, rows[spec.id], steward, year) for spec in specs]

        documents: dict[str, str] = {
            f"{spec.id}.pdf": document_source(
                [sheet_source(model, spec, rows[spec.id], None, year)], fonts, spec.name, date)
            for spec in specs
        }
        if roster:
            documents["roster/all.pdf"] = document_source(
                [s for steward in roster for s in sheets(steward)], fonts, "楼长检查表", date)
            for position, steward in enumerate(roster, start=1):
                documents[f"roster/{steward_filename(position, steward)}"] = document_source(
                    sheets(steward), fonts, f"{steward.name}的检查表", date)

        out = Path(self.outdir)
        work = out / "typst"
        work.mkdir(parents=True, exist_ok=True)
        atomic.write_text(work / TEMPLATE,
                          (Path(self.confdir) / "_templates" / TEMPLATE).read_text("utf-8"))
        compiler = typst.Compiler(root=str(work), font_paths=list(fonts.font_paths))
        compiled: dict[str, bytes] = {}
        for name, source in documents.items():
            main = work / (name.replace("/", "--").removesuffix(".pdf") + ".typ")
            atomic.write_text(main, source)
            try:
                compiled[name] = compiler.compile(input=str(main), format="pdf")
            except typst.TypstError as err:
                detail = f"{err.message}\n{err.diagnostic}"
                raise OutputError(f"检查表排版失败（Typst）：{detail}") from None
        for name, data in compiled.items():
            atomic.write_bytes(out / name, data)
        logger.info("检查表：%d 个文件", len(compiled))
