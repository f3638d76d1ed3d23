"""The ``checklists`` Sphinx builder: blank checklists, and personalised ones from a roster.

Writes under ``<outdir>``: ``<checklist-id>.pdf`` for each declared checklist, and with a roster
(config ``stdkit_roster``) ``roster/<nn>-<name>.pdf`` per person plus ``roster/all.pdf`` (every
person's sheets bound together, in batches of 100 for long rosters). Inputs are validated
before anything is compiled; sheets are compiled and written one document at a time into the
staged output folder, which the command swaps in only when the whole build succeeded.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import re
import tempfile
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

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
        template = (Path(self.confdir) / "_templates" / TEMPLATE).read_text("utf-8")
        blank = [(f"{spec.id}.pdf", document_source(
            [sheet_source(model, specs, spec, rows[spec.id], None, year)], fonts, spec.name,
            date)) for spec in specs]
        count = Sheets(template, fonts.font_paths, out).compile_all(blank)
        if roster and any(spec.personal for spec in specs):
            names = [display_name(specs.roster, person) for person in roster]

            def personal(position: int) -> tuple[str, str, str]:
                """Roster position (from 1) -> file name, outline label, Typst source."""
                person, name = roster[position - 1], names[position - 1]
                return (f"roster/{person_filename(position, name, len(roster))}",
                        f"{position}. {name}",
                        document_source(sheets(person), fonts, f"{name}的检查表", date))

            count += bind_roster(Sheets(template, fonts.font_paths, out), len(roster),
                                 f"{specs.roster.person}检查表", personal,
                                 workers=roster_workers())
        logger.info("检查表：%d 个文件", count)


class Sheets:
    """Compiles Typst sources into PDFs under ``out``. The Typst sources hold personal details:
    they live in a temporary folder, never in the published output. One document at a time
    is compiled and written, so memory stays flat in the length of the roster (a roster-wide
    Typst document took ~25 MB a person)."""

    def __init__(self, template: str, font_paths: Sequence[str], out: Path) -> None:
        self.template, self.font_paths, self.out = template, list(font_paths), out

    def compile_all(self, documents: Iterable[tuple[str, str]]) -> int:
        with self.compiler() as compile_to:
            return sum(1 for name, source in documents if compile_to(name, source))

    @contextlib.contextmanager
    def compiler(self) -> Iterator[Callable[[str, str], Path]]:
        import typst

        with tempfile.TemporaryDirectory(prefix="stdkit-checklists-") as tmp:
            work = Path(tmp)
            atomic.write_text(work / TEMPLATE, self.template)
            compiler = typst.Compiler(root=str(work), font_paths=self.font_paths)

            def compile_to(name: str, source: str) -> Path:
                main = work / "main.typ"
                main.write_text(source, "utf-8")
                try:
                    data = compiler.compile(input=str(main), format="pdf")
                except typst.TypstError as err:
                    raise OutputError(f"检查表排版失败（Typst）：{err.message}\n{err.diagnostic}"
                                      ) from None
                atomic.write_bytes(self.out / name, data)
                return self.out / name

            yield compile_to


BATCH = 100  # people per bound print file


def roster_workers() -> int:
    """Processes that typeset a roster: Typst compiles one document on one core, and a
    roster of 1,000 stewards is 1,000 documents (≈ 0.07 s each), so every core this process
    may use gets a share of the print batches."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


Document = tuple[str, str, str]  # file name under out/, outline label, Typst source


def bind_roster(sheets: Sheets, total: int, title: str, personal: Callable[[int], Document],
                *, workers: int = 1, size: int = BATCH) -> int:
    """Each person's PDF and the bound print files (:func:`batch_names`), a print batch at a
    time; returns the number of files written. Batches are independent, so the files are the
    same bytes whichever process wrote them. With ``workers`` > 1 the batches are typeset by
    worker processes, started fresh ("spawn"): forking a process in which Typst has already
    run (a ``build all`` makes the PDF first) copies its thread pool's locks but not its
    threads, and the child hangs. This process writes each batch's Typst sources (≈ 5 ms a
    person) and keeps at most two batches a worker in flight, so memory stays flat in the
    length of the roster."""
    names = batch_names(total, size)

    def batch(index: int) -> list[Document]:
        first = index * size + 1
        return [personal(p) for p in range(first, min(first + size, total + 1))]

    if workers <= 1 or len(names) <= 1:
        return sum(_bind_batch(sheets, title, names[i], batch(i)) for i in range(len(names)))
    context = multiprocessing.get_context("spawn")
    written = 0
    with ProcessPoolExecutor(min(workers, len(names)), mp_context=context) as pool:
        pending: deque[Future[int]] = deque()
        for index, name in enumerate(names):
            pending.append(pool.submit(_bind_batch, sheets, title, name, batch(index)))
            while len(pending) >= 2 * workers:
                written += pending.popleft().result()
        while pending:
            written += pending.popleft().result()
    return written


def _bind_batch(sheets: Sheets, title: str, bound_name: str, documents: list[Document]) -> int:
    """One print batch: each person's PDF, then the bound file of them all (pypdf, with an
    outline entry per person). Runs in a worker process, or in the builder's."""
    import pypdf

    writer = pypdf.PdfWriter()
    with sheets.compiler() as compile_to:
        for name, label, source in documents:
            writer.append(str(compile_to(name, source)), outline_item=label)
    writer.add_metadata({"/Title": title, "/Producer": "stdkit"})
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    atomic.write_bytes(sheets.out / "roster" / bound_name, buffer.getvalue())
    return len(documents) + 1


def batch_names(total: int, size: int = BATCH) -> list[str]:
    """The bound print files of a roster of ``total`` people, in order: ``all.pdf``, or, for
    a roster longer than a batch, ``all-0001-0100.pdf``, ``all-0101-0200.pdf`` …"""
    if total <= size:
        return ["all.pdf"] if total else []
    return [f"all-{first:04d}-{min(first + size - 1, total):04d}.pdf"
            for first in range(1, total + 1, size)]
