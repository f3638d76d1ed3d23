"""The revision inside a build: when ``standard.yaml`` names a ``previous_edition``, the diff
against it feeds the 前言's list of main technical changes and the 修订对照 page of the HTML
edition. The Sphinx side of :mod:`tooling.diff`; the diff itself stays pure.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..io.diagnostics import StandardInputError, diagnostic
from ..sphinx import editions
from ..sphinx.env import StandardBuildError, log_diagnostic
from ..sphinx.theme import NavPage
from .match import diff_editions
from .reports import foreword_items, redline_fragment


def revision_changes(app: Sphinx, env: BuildEnvironment, edition: Any) -> list[str]:
    """The 前言's main technical changes, from the diff against ``previous_edition``."""
    info = edition.info
    env.stdkit_changes = []
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
    revision = diff_editions(previous, edition)
    env.stdkit_revision = revision  # the 修订对照 page of this edition (collect_pages below)
    env.stdkit_changes = foreword_items(revision)
    return env.stdkit_changes


REVISION_PAGE = "revision"


def revision_body(app: Sphinx) -> str | None:
    """The redline against the previous edition, when standard.yaml names one."""
    revision = getattr(app.env, "stdkit_revision", None)
    if revision is None:
        return None

    def href(clause_id: str) -> str | None:
        docname = app.env.stdkit_id_docs.get(clause_id)
        return f"{app.builder.get_target_uri(docname)}#{clause_id}" if docname else None

    return f'<section id="revision">{redline_fragment(revision, href)}</section>'


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
