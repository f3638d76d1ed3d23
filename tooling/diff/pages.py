"""The revision inside a build: when ``standard.yaml`` names a ``previous_edition``, the diff
against it feeds the 前言's list of main technical changes and the 修订对照 page of the HTML
edition; the folder's ``changes.yaml`` (the editor's overrides) is applied, and an override
that no longer matches is a warning with its file and line. The Sphinx side of
:mod:`tooling.diff`; the diff itself stays pure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..io.diagnostics import StandardInputError, diagnostic
from ..sphinx import editions
from ..sphinx.env import StandardBuildError, log_diagnostic, logger
from ..sphinx.guard import outside
from ..sphinx.theme import NavPage
from .foreword import change_list
from .match import diff_editions
from .overrides import CHANGES_FILE, ChangesFile, ChangesFileError, load_changes
from .redline import redline_fragment


def revision_changes(app: Sphinx, env: BuildEnvironment, edition: Any) -> list[str]:
    """The 前言's main technical changes, from the diff against ``previous_edition``."""
    info = edition.info
    env.stdkit_changes = []
    env.stdkit_change_list = None
    env.stdkit_revision = None
    if not info.previous_edition or editions.too_deep():
        return []

    spec = Path(app.srcdir) / info.previous_edition
    try:
        previous = editions.resolve_edition(
            str(spec), cache=Path(app.doctreedir) / "previous-editions", confdir=Path(app.confdir))
    except editions.EditionNotFound as err:
        diag = diagnostic("E120", env.stdkit_edition_file, None, detail=str(err))
        log_diagnostic(diag)
        raise StandardBuildError(StandardInputError([diag])) from None
    overrides = _overrides(app, env)
    revision = diff_editions(previous, edition)
    changes = change_list(revision, overrides)
    for problem in changes.problems:
        logger.warning("%s %s", problem.code, problem.message, location=problem.location,
                       type="stdkit", subtype=problem.name)
    env.stdkit_revision = revision  # the 修订对照 page of this edition (collect_pages below)
    env.stdkit_change_list = changes
    env.stdkit_changes = changes.texts()
    return env.stdkit_changes


def _overrides(app: Sphinx, env: BuildEnvironment) -> ChangesFile:
    """The editor's changes.yaml, read only when it is this folder's own file; a file that
    is not valid stops the build with one message (E200)."""
    path = Path(app.srcdir) / CHANGES_FILE
    if not os.path.lexists(path):
        return ChangesFile(path)
    problem = outside(path, app.srcdir)
    if problem:
        diag = diagnostic("E121", path, None, what="元数据文件", path=CHANGES_FILE,
                          problem=problem)
        log_diagnostic(diag)
        raise StandardBuildError(StandardInputError([diag]))
    try:
        return load_changes(path)
    except ChangesFileError as err:
        log_diagnostic(err.diagnostic)
        raise StandardBuildError(StandardInputError([err.diagnostic])) from None


REVISION_PAGE = "revision"


def revision_body(app: Sphinx) -> str | None:
    """The redline against the previous edition, when standard.yaml names one."""
    revision = getattr(app.env, "stdkit_revision", None)
    if revision is None:
        return None

    def href(clause_id: str) -> str | None:
        docname = app.env.stdkit_id_docs.get(clause_id)
        return f"{app.builder.get_target_uri(docname)}#{clause_id}" if docname else None

    changes = getattr(app.env, "stdkit_change_list", None)
    return f'<section id="revision">{redline_fragment(revision, href, changes)}</section>'


def nav_pages(app: Sphinx) -> list[NavPage]:
    """修订对照, when this edition revises another."""
    if getattr(app.env, "stdkit_revision", None) is None:
        return []
    return [NavPage(REVISION_PAGE, "修订对照")]


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    if app.builder.name not in ("html", "dirhtml"):
        return
    revision = revision_body(app)
    if revision is not None:
        yield REVISION_PAGE, {"title": "修订对照", "body": revision}, "page.html"
