"""The ``checklists`` Sphinx builder: blank checklists, and personalised ones from a roster.

Writes under ``<outdir>``: ``<checklist-id>.pdf`` for each declared checklist, and with a roster
(config ``stdkit_roster``) ``roster/<nn>-<name>.pdf`` per person plus ``roster/all.pdf`` (every
person's sheets bound together, in batches of 100 for long rosters). Inputs are validated
before anything is compiled; sheets are compiled and written one document at a time into the
staged output folder, which the command swaps in only when the whole build succeeded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set
from pathlib import Path

from sphinx.util import logging

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
from ..typeset.batch import Roster, Sheets, TypesetError, roster_workers, typeset
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
        sheets_out = Sheets(TEMPLATE, template, fonts.font_paths, out)
        people: Roster | None = None
        if roster and any(spec.personal for spec in specs):
            names = [display_name(specs.roster, person) for person in roster]

            def personal(position: int) -> tuple[str, str, str]:
                """Roster position (from 1) -> file name, outline label, Typst source."""
                person, name = roster[position - 1], names[position - 1]
                return (f"roster/{person_filename(position, name, len(roster))}",
                        f"{position}. {name}",
                        document_source(sheets(person), fonts, f"{name}的检查表", date))

            people = Roster(len(roster), f"{specs.roster.person}检查表", personal)
        try:
            count = typeset(sheets_out, blank, people, workers=roster_workers())
        except TypesetError as err:
            raise OutputError(str(err)) from None
        logger.info("检查表：%d 个文件", count)
