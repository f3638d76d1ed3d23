"""The ``checklists`` Sphinx builder: blank checklists, and personalised ones from a roster.

Writes under ``<outdir>``: ``<checklist-id>.pdf`` for each declared checklist, and with a roster
(config ``stdkit_roster``) ``roster/<nn>-<name>.pdf`` per person plus ``roster/all.pdf`` (every
person's sheets bound together, in batches of 100 for long rosters). Inputs are validated
before anything is compiled; sheets are compiled and written one document at a time into the
staged output folder, which the command swaps in only when the whole build succeeded.
"""

from __future__ import annotations

import io
import re
import tempfile
import unicodedata
from collections.abc import Set
from pathlib import Path

import pypdf
import typst
from sphinx.util import logging

from ..io import atomic
from ..io.diagnostics import StandardInputError
from ..model import Edition
from ..model.checklist_specs import (
    CHECKLISTS_FILE,
    ChecklistFile,
    ChecklistSpec,
    check_specs,
    load_specs,
)
from ..sphinx.env import EditionBuilder, OutputError, StandardBuildError, edition, log_diagnostic
from ..typeset import FontsNotFound, choose_fonts, edition_date
from .selection import Person, display_name, load_roster, required_log_rows, rows_for
from .sheets import TEMPLATE, document_source, sheet_source

logger = logging.getLogger("stdkit.checklist")


def person_filename(position: int, name: str, total: int = 99) -> str:
    """A safe file name for one person's checklists: no path separators, no dots at the start;
    numbered to the roster's width so that files sort in roster order (0001 … 1000)."""
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"[^\w\u4e00-\u9fff-]+", "_", name).strip("._-") or "person"
    return f"{position:0{max(2, len(str(total)))}d}-{name}.pdf"


class ChecklistBuilder(EditionBuilder):
    name = "checklists"
    format = "pdf"
    epilog = "检查表已写入 %(outdir)s。"

    def load_inputs(self, model: Edition) -> tuple[ChecklistFile, list[Person] | None]:
        path = Path(self.srcdir) / CHECKLISTS_FILE
        try:
            specs = load_specs(path)
            check_specs(specs, model, path)
            roster_path = self.config.stdkit_roster
            roster = load_roster(Path(roster_path), specs.roster) if roster_path else None
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

        def sheets(person: Person) -> list[str]:
            return [sheet_source(model, specs, spec, rows[spec.id], person, year)
                    for spec in specs if wanted(spec, person)]

        def wanted(spec: ChecklistSpec, person: Person) -> bool:
            """A person's bundle has the personal sheets that concern them: a grid or log
            whose rows come from a count the person has none of (no special household) is
            left out rather than printed empty."""
            if not spec.personal:
                return False
            if spec.grid is not None:
                return bool(person.count(spec.grid.rows))
            if spec.log is not None and spec.log.rows:
                return required_log_rows(model, spec, person.count(spec.log.rows)) > 0
            return True

        out = Path(self.outdir)
        # Typst sources hold personal details: they live in a temporary folder, never in the
        # published output. One document at a time is compiled and written, so memory stays
        # flat in the length of the roster (a roster-wide Typst document took ~25 MB a person).
        with tempfile.TemporaryDirectory(prefix="stdkit-checklists-") as tmp:
            work = Path(tmp)
            atomic.write_text(work / TEMPLATE,
                              (Path(self.confdir) / "_templates" / TEMPLATE).read_text("utf-8"))
            compiler = typst.Compiler(root=str(work), font_paths=list(fonts.font_paths))

            def compile_to(name: str, source: str) -> Path:
                main = work / "main.typ"
                main.write_text(source, "utf-8")
                try:
                    data = compiler.compile(input=str(main), format="pdf")
                except typst.TypstError as err:
                    detail = f"{err.message}\n{err.diagnostic}"
                    raise OutputError(f"检查表排版失败（Typst）：{detail}") from None
                atomic.write_bytes(out / name, data)
                return out / name

            count = 0
            for spec in specs:
                compile_to(f"{spec.id}.pdf", document_source(
                    [sheet_source(model, specs, spec, rows[spec.id], None, year)], fonts,
                    spec.name, date))
                count += 1
            if roster and any(spec.personal for spec in specs):
                person_word = specs.roster.person
                bound = PrintBatches(out / "roster", len(roster), f"{person_word}检查表")
                for position, person in enumerate(roster, start=1):
                    name = display_name(specs.roster, person)
                    path = compile_to(f"roster/{person_filename(position, name, len(roster))}",
                                      document_source(sheets(person), fonts,
                                                      f"{name}的检查表", date))
                    bound.add(path, f"{position}. {name}")
                    count += 1
                count += bound.close()
        logger.info("检查表：%d 个文件", count)


BATCH = 100  # people per bound print file


def batch_names(total: int) -> list[str]:
    """The bound print files of a roster of ``total`` people, in order."""
    if total <= BATCH:
        return ["all.pdf"] if total else []
    return [f"all-{first:04d}-{min(first + BATCH - 1, total):04d}.pdf"
            for first in range(1, total + 1, BATCH)]


class PrintBatches:
    """The personal sheets bound for printing in one go: ``all.pdf``, or, for a roster longer
    than :attr:`SIZE`, ``all-0001-0100.pdf``, ``all-0101-0200.pdf`` … Made by concatenating the
    personal PDFs (pypdf), never by typesetting the whole roster at once."""

    SIZE = BATCH

    def __init__(self, folder: Path, total: int, title: str) -> None:
        self.folder, self.total, self.title = folder, total, title
        self.writer: pypdf.PdfWriter | None = None
        self.first = 1
        self.position = 0
        self.written = 0

    def add(self, pdf: Path, label: str) -> None:
        if self.writer is None:
            self.writer = pypdf.PdfWriter()
            self.first = self.position + 1
        self.position += 1
        self.writer.append(str(pdf), outline_item=label)
        if self.position % self.SIZE == 0:
            self._flush()

    def close(self) -> int:
        if self.writer is not None:
            self._flush()
        return self.written

    def _flush(self) -> None:
        assert self.writer is not None
        name = batch_names(self.total)[(self.first - 1) // self.SIZE]
        self.writer.add_metadata({"/Title": self.title, "/Producer": "stdkit"})
        self.writer.page_mode = "/UseOutlines"
        buffer = io.BytesIO()
        self.writer.write(buffer)
        atomic.write_bytes(self.folder / name, buffer.getvalue())
        self.writer = None
        self.written += 1
