"""The Sphinx extension: registers the markup and wires the clause model into the build.

Build flow:

1. ``config-inited``: read ``standard.yaml`` (title for the HTML pages, GB/T defaults);
2. ``doctree-read`` (per document, maybe in parallel): :mod:`tooling.sphinx.collect` extracts raw
   elements into ``env.stdkit_docs``;
3. ``env-get-updated`` (once, after reading): :mod:`tooling.model.numbering` assembles the numbered
   :class:`~tooling.model.Edition`; errors stop the build here, before anything is written;
   section numbers go to Sphinx's own secnumber tables, so headings, the sidebar and the
   prev/next links all show GB/T numbers; documents whose numbers changed are rewritten;
4. ``doctree-resolved`` (per written document): :mod:`tooling.sphinx.resolve` puts numbers into
   clauses, terms, tables and notes, and turns references into links.
"""

from __future__ import annotations

import gc
import hashlib
import logging
from html import escape as html_escape
from pathlib import Path
from typing import Any

import jinja2
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from .checklists import pages as checklist_pages
from .checklists.builder import ChecklistBuilder
from .docx.builder import DocxBuilder
from .index import pages as index_pages
from .index.builder import ClauseIndexBuilder
from .io import atomic, sources
from .io.diagnostics import StandardInputError
from .lint import builder as lint_builder
from .model import ANNEX, FOREWORD, numbering
from .model.edition_metadata import load_edition_info
from .model.stages import file_stem
from .pdf.builder import PdfBuilder
from .sphinx import (
    collect,
    directives,
    figures,
    freshness,
    guard,
    html,
    reporting,
    resolve,
    theme,
    written,
)
from .sphinx.env import StandardBuildError, log_diagnostic, report, set_edition, source_path
from .sphinx.env import edition as env_edition
from .sphinx.nodes import (
    annex_marker,
    clause_node,
    clause_ref,
    figure_notes,
    formula_node,
    formula_symbol,
    formula_where,
    item_marker,
    reference_entry,
    std_example,
    std_footnote,
    std_footnote_ref,
    std_math,
    std_note,
    table_notes,
    term_node,
)

ENV_VERSION = 1
STATIC = Path(__file__).parent / "static"


def _load_info(app: Sphinx) -> Any:
    path = Path(app.srcdir) / app.config.stdkit_edition_file
    try:
        return load_edition_info(path)
    except StandardInputError as err:
        for diag in err.diagnostics:
            log_diagnostic(diag)
        raise StandardBuildError(err) from None


def on_config_inited(app: Sphinx, config: Config) -> None:
    info = _load_info(app)
    if "dict" not in config.html_search_options:
        # Sphinx's Chinese search would otherwise load jieba's default dictionary a second
        # time, as a user dictionary (~2.8 s per build at 5,000 clauses); same segmentation.
        config.html_search_options = {**config.html_search_options, "dict": ""}
    if config.html_secnumber_suffix == ". ":
        config.html_secnumber_suffix = "\u3000"  # GB/T: number, ideographic space, title
    if "myst_footnote_sort" not in config._raw_config:
        # Footnotes stay where they are written: a table's footnotes inside its {table}
        # directive are printed inside the table's frame, lettered a, b, c (GB/T 1.1—2020).
        config.myst_footnote_sort = False
    if "colon_fence" not in config.myst_enable_extensions:
        config.myst_enable_extensions = [*config.myst_enable_extensions, "colon_fence"]
    if "html_title" not in config._raw_config:  # the user's own title wins
        # Sphinx inserts html_title as HTML: escape what comes from standard.yaml.
        config.html_title = html_escape(f"{info.number}　{info.title_zh}")
    if config.project == "Project name not set":
        config.project = info.title_zh
    if "copyright" not in config._raw_config:  # the standard's own rights holder, no year
        config.copyright = info.rights_holder or info.issuer  # themes escape it


def _freeze_heap(app: Sphinx) -> None:
    """Exempt what exists when the build starts (the modules, jieba's dictionary, the loaded
    environment) from the collector's passes during the build; given back at the end
    (:func:`_thaw_heap`). Every full collection otherwise walks all of it again: in a rebuild
    after a one-clause edit at 5,000 clauses that was about half the time."""
    gc.freeze()


def _thaw_heap(app: Sphinx, exception: Exception | None) -> None:
    gc.unfreeze()


class _MemoryClient(dict):  # type: ignore[type-arg]
    """The get/set a jinja2 MemcachedBytecodeCache asks of its client, in this process."""

    def set(self, key: str, value: bytes, timeout: int | None = None) -> None:
        self[key] = value


# Compiled page templates, kept for the life of the process: every build makes a new Jinja
# environment and compiled the theme's templates again (0.1 s of a warm rebuild in `stdkit
# serve`). Jinja checks each entry against the template's source before using it.
_TEMPLATE_CACHE = jinja2.MemcachedBytecodeCache(_MemoryClient(), prefix="stdkit/")


def on_builder_inited(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.bytecode_cache = _TEMPLATE_CACHE
    env = app.env
    env.stdkit_root = str(Path(app.confdir))
    env.stdkit_edition_file = Path(app.srcdir) / app.config.stdkit_edition_file
    env.stdkit_info = _load_info(app)
    for attr in ("stdkit_docs", "stdkit_problems", "stdkit_fingerprints"):
        if not hasattr(env, attr):
            setattr(env, attr, {})
    if STATIC.is_dir() and str(STATIC) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC))
    written.on_builder_inited(app)


def on_purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    env.stdkit_docs.pop(docname, None)
    env.stdkit_problems.pop(docname, None)


def on_merge_info(
    app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment
) -> None:
    for docname in docnames:
        if docname in other.stdkit_docs:
            env.stdkit_docs[docname] = other.stdkit_docs[docname]
        if docname in other.stdkit_problems:
            env.stdkit_problems[docname] = other.stdkit_problems[docname]


def on_before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Refuse undecodable or empty files before Sphinx reads (and silently repairs) them."""
    problems = []
    for docname in docnames:
        problem = sources.check_bytes(Path(env.doc2path(docname)), source_path(env, docname))
        if problem:
            problems.append(problem)
    if problems:
        for diag in problems:
            log_diagnostic(diag)
        raise StandardBuildError(StandardInputError(problems))


def on_source_read(app: Sphinx, docname: str, content: list[str]) -> None:
    env = app.env
    for diag in sources.check_text(content[0].splitlines(), source_path(env, docname)):
        report(env, diag)


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    collector = collect.Collector(
        doctree, env.docname, source_path(env), lambda diag: report(env, diag),
        is_root=env.docname == app.config.root_doc,
    )
    env.stdkit_docs[env.docname] = collector.collect()


def on_env_get_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Assemble the numbered edition; stop on errors; return documents to rewrite."""
    problems = [diag for docname in sorted(env.stdkit_problems)
                for diag in env.stdkit_problems[docname]]
    if problems:
        raise StandardBuildError(StandardInputError(problems))
    edition, problems = numbering.assemble(env.stdkit_info, env.stdkit_docs, app.config.root_doc)
    if problems:
        for diag in problems:
            log_diagnostic(diag)
        raise StandardBuildError(StandardInputError(problems))
    set_edition(env, edition)

    # Which document holds each id, and each document's heading numbers, keyed the way
    # Sphinx's HTML writer looks them up ('' is the document's own title).
    env.stdkit_id_docs = {}
    secnumbers: dict[str, dict[str, tuple[str, ...]]] = {}
    nav: dict[str, dict[str, tuple[str, ...]]] = {}
    for docname, doc in env.stdkit_docs.items():
        body: dict[str, tuple[str, ...]] = {}
        toc: dict[str, tuple[str, ...]] = {}
        first_section = docname != app.config.root_doc
        for raw in _walk_raw(doc.elements):
            if not raw.id:
                continue
            env.stdkit_id_docs[raw.id] = docname
            if raw.element_type != numbering.SECTION:
                continue
            anchor = "" if first_section else f"#{raw.id}"
            first_section = False
            clause = edition.get(raw.id)
            if clause is None or clause.number is None:
                continue
            if clause.element_type == ANNEX:
                toc[anchor] = (f"附录{clause.number}",)
            else:
                body[anchor] = toc[anchor] = (clause.number,)
        secnumbers[docname] = body
        nav[docname] = toc
    env.toc_secnumbers = secnumbers
    for docname, toc in env.tocs.items():
        for ref in toc.findall(nodes.reference):
            number = nav.get(docname, {}).get(ref.get("anchorname", ""))
            if number:
                ref["secnumber"] = number
            elif "secnumber" in ref:
                del ref["secnumber"]

    # Rewrite a document when anything it shows from elsewhere changed: the navigation
    # (every page shows all heading numbers) or the numbers of what it references.
    nav_key = repr(sorted((d, sorted(t.items())) for d, t in nav.items()))
    fingerprints = {}
    for docname, doc in env.stdkit_docs.items():
        own = [(raw.id, edition.get(raw.id).number if raw.id in edition else None)
               for raw in _walk_raw(doc.elements)]
        refs = [(target, edition.reference_text(target)) for target, _s, _l in doc.refs]
        fingerprints[docname] = hashlib.sha256(
            repr((nav_key, own, refs)).encode()
        ).hexdigest()
    changes = _revision_changes(app, env, edition)
    if changes:
        foreword_doc = next((env.stdkit_id_docs.get(c.id) for c in edition.clauses
                             if c.element_type == FOREWORD), None)
        if foreword_doc in fingerprints:
            fingerprints[foreword_doc] += hashlib.sha256(repr(changes).encode()).hexdigest()
    old = env.stdkit_fingerprints
    env.stdkit_fingerprints = fingerprints
    lint_builder.warn_findings(app, env)
    # Compared with what this output folder's pages were written with, not only with the
    # previous build of any builder: another command may have run in between.
    changed = {d for d, fp in fingerprints.items() if old.get(d) != fp}
    return sorted(changed | set(written.stale_pages(app, fingerprints)))


# The revision (修订对照, the 前言's change list) comes from tooling.diff, loaded only for an
# edition that names a previous_edition: 1.7 MB that most builds need not hold.
def _revision_changes(app: Sphinx, env: BuildEnvironment, edition: Any) -> list[str]:
    if not edition.info.previous_edition:
        env.stdkit_changes, env.stdkit_change_list, env.stdkit_revision = [], None, None
        return []
    from .diff import pages

    return pages.revision_changes(app, env, edition)


def _revision_pages(app: Sphinx) -> Any:
    if getattr(app.env, "stdkit_revision", None) is None:
        return []
    from .diff import pages

    return pages.collect_pages(app)


def _revision_nav(app: Sphinx) -> list[theme.NavPage]:
    if getattr(app.env, "stdkit_revision", None) is None:
        return []
    from .diff import pages

    return pages.nav_pages(app)


def _walk_raw(elements: Any) -> Any:
    for raw in elements:
        yield raw
        yield from _walk_raw(raw.children)


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Make an incremental search index equal a fresh one: Sphinx keeps words that no longer
    occur anywhere as empty entries after pruning changed documents."""
    if exception is not None or app.builder.name not in ("html", "dirhtml"):
        return
    path = Path(app.outdir) / "searchindex.js"
    if not path.is_file():
        return
    from sphinx.search import js_index

    data = js_index.loads(path.read_text("utf-8"))
    changed = False
    for key in ("terms", "titleterms"):
        table = data.get(key, {})
        empty = [word for word, docs in table.items() if docs in ([], {})]
        for word in empty:
            del table[word]
        changed = changed or bool(empty)
    if changed:
        atomic.write_text(path, js_index.dumps(data))


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    edition = env_edition(app.env)
    if edition is not None:
        resolve.apply_numbers(app, doctree, docname, edition)


def _pdf_download(app: Sphinx) -> list[theme.Download]:
    """The PDF edition, as ``stdkit build pdf`` names it next to the HTML edition."""
    return [theme.Download(f"pdf/{file_stem(app.env.stdkit_info)}.pdf", "PDF 版本")]


def setup(app: Sphinx) -> dict[str, Any]:
    # jieba (Sphinx's Chinese search splitter) logs its dictionary loading at DEBUG level.
    try:
        import jieba

        jieba.setLogLevel(logging.WARNING)
    except ImportError:  # pragma: no cover - jieba is a dependency; search degrades without it
        pass
    app.setup_extension("myst_parser")
    guard.setup(app)  # a standard folder is data: what it may read, link and run
    figures.setup(app)  # image files: present, and images
    reporting.setup(app)  # every message with a relative path, docutils' errors as E156
    app.add_config_value("stdkit_edition_file", "standard.yaml", "env", types=[str])

    app.add_directive("clause", directives.ClauseDirective)
    app.add_directive("term", directives.TermDirective)
    app.add_directive("note", directives.NoteDirective, override=True)
    app.add_directive("example", directives.ExampleDirective)
    app.add_directive("annex", directives.AnnexDirective)
    app.add_directive("table", directives.TableDirective, override=True)
    app.add_directive("figure", directives.FigureDirective, override=True)
    app.add_directive("reference", directives.ReferenceDirective)
    app.add_directive("formula", directives.FormulaDirective)
    app.add_directive("math", directives.MathDirective, override=True)
    app.add_directive("foreword", directives.ForewordDirective)
    app.add_directive("cover", directives.CoverDirective)
    app.add_role("clause-ref", directives.ClauseRefRole())
    app.add_role("item", directives.ItemRole())
    app.add_role("math", directives.MathRole(), override=True)

    for node_class in (clause_node, term_node, std_note, std_example, reference_entry,
                       formula_where, formula_symbol, figure_notes):
        app.add_node(node_class, **html.block_visitors(node_class))
    app.add_node(formula_node, **html.formula_visitors())
    app.add_node(std_math, **html.math_visitors())
    app.add_node(table_notes, **html.table_notes_visitors())
    app.add_node(std_footnote, **html.footnote_visitors())
    app.add_node(std_footnote_ref, **html.footnote_ref_visitors())
    for node_class in (annex_marker, item_marker):
        app.add_node(node_class, **html.skip_visitors())
    app.add_node(clause_ref, **html.inline_visitors())
    app.add_css_file("stdkit.css")
    app.add_css_file("stdkit-elements.css")
    app.add_transform(collect.NeutraliseRawHtml)
    app.add_builder(PdfBuilder)
    app.add_builder(DocxBuilder)
    app.add_builder(ClauseIndexBuilder)
    app.add_builder(ChecklistBuilder)
    app.add_builder(lint_builder.LintBuilder)
    app.add_config_value("stdkit_lint", True, "", types=[bool])
    app.add_config_value("stdkit_roster", "", "", types=[str])
    app.add_config_value("stdkit_checklist_year", "", "", types=[str])
    app.connect("html-collect-pages", _revision_pages)
    app.connect("html-collect-pages", index_pages.collect_pages)
    app.connect("html-collect-pages", checklist_pages.collect_pages)
    theme.setup(
        app,
        pages=(index_pages.nav_pages, checklist_pages.nav_pages, _revision_nav),
        downloads=(_pdf_download, index_pages.downloads, checklist_pages.downloads),
    )

    app.connect("config-inited", on_config_inited)
    app.connect("builder-inited", on_builder_inited)
    app.connect("builder-inited", _freeze_heap, priority=999)
    app.connect("build-finished", _thaw_heap, priority=999)
    app.connect("env-purge-doc", on_purge_doc)
    app.connect("env-merge-info", on_merge_info)
    app.connect("env-before-read-docs", on_before_read)
    app.connect("source-read", on_source_read)
    app.connect("doctree-read", on_doctree_read)
    freshness.setup(app)
    # After Sphinx's TocTreeCollector (priority 500), which resets the secnumber tables.
    app.connect("env-get-updated", on_env_get_updated, priority=900)
    # After the edition is assembled; before Sphinx saves the environment with its caches.
    app.connect("env-get-updated", index_pages.prepare, priority=960)
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("build-finished", on_build_finished)
    # After on_build_finished, which may rewrite searchindex.js.
    app.connect("build-finished", written.on_build_finished, priority=900)
    return {
        "version": "0.1",
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
