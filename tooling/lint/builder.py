"""Running the linter inside Sphinx: as build warnings, and as the ``stdkitlint`` builder.

Every build lints the assembled edition and raises each finding as a Sphinx warning with
``type="stdkit"`` and ``subtype=<rule code>``: ``-W`` fails the build, and
``suppress_warnings = ["stdkit.GB601"]`` in conf.py silences one rule. ``stdkit lint`` uses the
``stdkitlint`` builder, which writes nothing and keeps the findings for the CLI to print.
"""

from __future__ import annotations

import tomllib
from collections.abc import Set
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from ..io.diagnostics import StandardInputError
from ..model.checklist_specs import CHECKLISTS_FILE, load_specs
from ..sphinx.env import EditionBuilder, edition
from .checks import Finding, lint

logger = logging.getLogger("stdkit.lint")
LINT_BUILDER = "stdkitlint"


def project_config(root: Path) -> dict[str, list[str]]:
    """``[tool.stdkit.lint]`` from the project's pyproject.toml: select and ignore."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    section = data.get("tool", {}).get("stdkit", {}).get("lint", {})
    return {k: [str(v) for v in section.get(k, [])] for k in ("select", "ignore")}


def findings_for(srcdir: Path, env: BuildEnvironment, select: list[str] | None = None,
                 ignore: list[str] | None = None) -> list[Finding]:
    model = edition(env)
    if model is None:
        return []
    root = Path(env.stdkit_root)
    config = project_config(root)
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
        select=select if select is not None else config.get("select", []),
        ignore=ignore if ignore is not None else config.get("ignore", []),
        modal_cache=env.stdkit_modal_cache,
    )


def warn_findings(app: Sphinx, env: BuildEnvironment) -> None:
    """Raise every finding as a Sphinx warning (not for the lint builder: it prints them)."""
    if not app.config.stdkit_lint or app.builder.name == LINT_BUILDER:
        return
    for finding in findings_for(Path(app.srcdir), env):
        logger.warning(
            "%s %s [%s]", finding.code, finding.message, finding.rule.name,
            location=f"{finding.source}:{finding.line}", type="stdkit", subtype=finding.code,
        )


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
        self.findings = findings_for(Path(self.srcdir), self.env, self.select, self.ignore)
