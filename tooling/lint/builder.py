"""Running the linter inside Sphinx: as build warnings, and as the ``stdkitlint`` builder.

Every build lints the assembled edition and logs each finding with ``type="stdkit"`` and
``subtype=<rule code>``, as an error or a warning exactly as ``stdkit lint`` reports it: ``-W``
fails the build. Which rules run, and at which severity, is the standard's own choice, in the
``lint:`` section of its ``standard.yaml``. ``stdkit lint`` uses the ``stdkitlint`` builder, which
writes nothing and keeps the findings for the CLI to print.
"""

from __future__ import annotations

from collections.abc import Set
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..io.diagnostics import StandardInputError, diagnostic
from ..model.checklist_specs import CHECKLISTS_FILE, load_specs
from ..model.edition_metadata import LintSettings, load_lint_settings
from ..sphinx.env import EditionBuilder, StandardBuildError, edition, log_diagnostic
from .checks import Finding, lint
from .rules import BY_CODE, ERROR, RULES

logger = logging.getLogger("stdkit.lint")
LINT_BUILDER = "stdkitlint"


def settings_for(edition_file: Path) -> LintSettings:
    """The standard's ``lint:`` settings, every code checked against the catalogue."""
    settings = load_lint_settings(edition_file)
    lines = dict(settings.lines)
    codes = [*settings.select, *settings.ignore]
    problems = [diagnostic("E108", edition_file, lines.get(code),
                           detail=f"lint 设置中的规则“{code}”不存在（规则见 stdkit rules）")
                for code in codes if not any(r.code.startswith(code) for r in RULES)]
    problems += [diagnostic("E108", edition_file, lines.get(code),
                            detail=f"lint 设置中的规则“{code}”不存在（规则见 stdkit rules）")
                 for code, _level in settings.severity if code not in BY_CODE]
    if problems:
        raise StandardInputError(problems)
    return settings


def findings_for(srcdir: Path, env: BuildEnvironment, select: list[str] | None = None,
                 ignore: list[str] | None = None) -> list[Finding]:
    model = edition(env)
    if model is None:
        return []
    root = Path(env.stdkit_root)
    settings = settings_for(Path(env.stdkit_edition_file))
    try:
        specs = load_specs(Path(srcdir) / CHECKLISTS_FILE)
        checklist_ids: set[str] | None = {s.id for s in specs} if specs else None
    except StandardInputError:
        checklist_ids = None  # reported by the checklist builder, with its location
    # Shown like the chapter files: relative to the project, else to the standard's folder.
    edition_file = Path(env.stdkit_edition_file).resolve()
    edition_source = str(edition_file)
    for base in (root, Path(srcdir)):
        try:
            edition_source = edition_file.relative_to(base.resolve()).as_posix()
            break
        except ValueError:
            continue
    if not hasattr(env, "stdkit_modal_cache"):
        env.stdkit_modal_cache = {}
    return lint(
        model, root=root, srcdir=Path(srcdir), checklist_ids=checklist_ids,
        edition_file=edition_source,
        select=select if select is not None else settings.select,
        ignore=ignore if ignore is not None else settings.ignore,
        severity=dict(settings.severity),
        modal_cache=env.stdkit_modal_cache,
    )


def warn_findings(app: Sphinx, env: BuildEnvironment) -> None:
    """Raise every finding in the build at the severity ``stdkit lint`` gives it (not for the
    lint builder: it prints them)."""
    if not app.config.stdkit_lint or app.builder.name == LINT_BUILDER:
        return
    try:
        findings = findings_for(Path(app.srcdir), env)
    except StandardInputError as err:
        for diag in err.diagnostics:
            log_diagnostic(diag)
        raise StandardBuildError(err) from None
    for finding in findings:
        log = logger.error if finding.level == ERROR else logger.warning
        log("%s %s [%s]", finding.code, finding.message, finding.rule.name,
            location=f"{finding.source}:{finding.line}", type="stdkit", subtype=finding.code)


class LintBuilder(EditionBuilder):
    """Lints the edition and writes nothing; the findings stay on the builder."""

    name = LINT_BUILDER
    format = ""
    epilog = ""

    def init(self) -> None:
        self.findings: list[Finding] = []
        self.select: list[str] | None = None
        self.ignore: list[str] | None = None

    def write_documents(self, _docnames: Set[str]) -> None:
        try:
            self.findings = findings_for(Path(self.srcdir), self.env, self.select, self.ignore)
        except StandardInputError as err:
            for diag in err.diagnostics:
                log_diagnostic(diag)
            raise StandardBuildError(err) from None
