"""Where the toolkit keeps its state in Sphinx's build environment, and how it reports.

Everything lives on ``env`` (pickled between incremental builds, merged after parallel
reads); nothing is kept in module globals.
"""

from __future__ import annotations

from collections.abc import Set
from pathlib import Path

from docutils import nodes
from sphinx.builders import Builder
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxError
from sphinx.util import logging
from sphinx.util.console import darkgreen
from sphinx.util.nodes import inline_all_toctrees

from ..io import safeyaml
from ..io.diagnostics import Diagnostic, StandardInputError
from ..model import Edition, EditionInfo

logger = logging.getLogger("stdkit")


class StandardBuildError(SphinxError):
    """Stops a Sphinx build because the sources contain errors (already reported)."""

    category = "标准源文件有误 (errors in the standard's sources)"

    def __init__(self, error: StandardInputError) -> None:
        super().__init__(str(error))
        self.input_error = error


class OutputError(SphinxError):
    """An output could not be produced (no CJK font, a Typst layout failure)."""

    category = "成果生成失败 (output failed)"


def log_diagnostic(diag: Diagnostic) -> None:
    if diag.line is None:
        # Sphinx reads a location without a line as a document name; say the file ourselves.
        logger.error("%s: ERROR: %s %s", diag.source, diag.code, diag.message,
                     type="stdkit", subtype=diag.name, nonl=False)
        return
    logger.error(
        "%s %s", diag.code, diag.message,
        location=diag.location, type="stdkit", subtype=diag.name,
    )


def report(env: BuildEnvironment, diag: Diagnostic) -> None:
    """Record a problem found while reading the current document, and print it."""
    env.stdkit_problems.setdefault(env.docname, []).append(diag)
    log_diagnostic(diag)


def edition_info(env: BuildEnvironment) -> EditionInfo | None:
    return getattr(env, "stdkit_info", None)


class Transient:
    """A value kept on the build environment for this build only: Sphinx pickles the
    environment after reading and loads it in the next build, and the numbered edition is
    assembled again in every build (``env-get-updated``), so saving it would only cost
    (1.9 MB of a 4 MB environment at 5,000 clauses, loaded and saved on every rebuild)."""

    __slots__ = ("value",)

    def __init__(self, value: object = None) -> None:
        self.value = value

    def __reduce__(self) -> tuple[type, tuple[()]]:
        return (Transient, ())


def edition(env: BuildEnvironment) -> Edition | None:
    """The numbered model of the edition being built (after all documents are read)."""
    holder = getattr(env, "stdkit_edition", None)
    return holder.value if isinstance(holder, Transient) else None


def set_edition(env: BuildEnvironment, value: Edition) -> None:
    env.stdkit_edition = Transient(value)


def source_path(env: BuildEnvironment, docname: str | None = None) -> str:
    """A document's source path relative to the project root, with forward slashes."""
    path = Path(env.doc2path(docname or env.docname))
    root = Path(env.stdkit_root)
    for base in (root, Path(env.srcdir)):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


class EditionBuilder(Builder):
    """A builder whose output is made from the whole edition at once (PDF, index, checklists,
    lint), not page by page: it always rebuilds, and does its work in ``write_documents``."""

    def init(self) -> None:
        pass

    def get_outdated_docs(self) -> str:
        return "all documents"

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return ""

    def prepare_writing(self, docnames: Set[str]) -> None:
        pass

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        pass

    def finish(self) -> None:
        pass

    def whole_document(self) -> nodes.document:
        """The whole standard as one doctree (every chapter inlined), references resolved."""
        root = self.config.root_doc
        tree = inline_all_toctrees(self, set(), root, self.env.get_doctree(root), darkgreen,
                                   [root])
        tree["docname"] = root
        self.env.resolve_references(tree, root, self)
        return tree

    def duplex(self) -> bool:
        """``pdf: {duplex: true}`` in standard.yaml (validated by its schema when loaded): the
        PDF and the Word edition are printed the same way."""
        path = Path(self.env.stdkit_edition_file)
        data = safeyaml.load(path.read_text("utf-8-sig")).data if path.is_file() else {}
        options = data.get("pdf") if isinstance(data, dict) else None
        return bool(options.get("duplex")) if isinstance(options, dict) else False
