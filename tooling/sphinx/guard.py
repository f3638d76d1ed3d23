"""A standard folder is data: it may read only its own files, link only to the web, and run
nothing.

Offices pass standard folders around; whoever builds one must publish exactly that standard.
So every file a standard reads must lie inside its folder after symlinks are followed, no
markup may put active content into the HTML, and nothing in the folder configures or
extends the toolkit. Three layers, each enough on its own for what it covers:

1. **Before a file is read**, where the parser resolves it: the Markdown parser is replaced
   by a subclass whose renderer looks at every directive by its *class* (so a translated name
   such as ``{包含}`` is caught like ``{include}``) and refuses ``raw`` and ``meta``,
   ``include``/``literalinclude``/``csv-table`` files outside the folder, and a CSV table from a
   URL — myst-parser reads an include's file before any event could refuse it. ``{eval-rst}``
   is refused unparsed (reStructuredText would reach every directive again), and front matter
   may not reconfigure the parser (``myst:``) or write ``<meta>`` tags (``html_meta``). Chapter
   files that are not Markdown, that resolve outside the folder or are pipes, stop the build
   before they are read, and so do ``standard.yaml`` and ``checklists.yaml`` symlinked out and
   translation catalogs in the folder that the configuration would use.
2. **In the doctree after reading**, whatever produced it — before Sphinx's collectors, what
   the document names: every link, toctree entry, image and download URL must use an allowed
   scheme (:data:`tooling.io.sources.LINK_SCHEMES`), local images and downloads must be inside
   the folder and of a type a browser does not run; no ``meta`` or ``raw`` node may be left
   (raw HTML typed in Markdown was already turned into text by
   :class:`tooling.sphinx.collect.NeutraliseRawHtml`). After the collectors, what was recorded:
   every image candidate and every file the document depends on (``env.dependencies``, which
   docutils' ``record_dependencies`` feeds) must be inside the folder — the backstop.
3. **Included text** never reaches the document if it comes from outside (``include-read``),
   and control characters in any source text are refused with their code point and replaced
   before anything else reads them.

Every problem goes through :func:`tooling.sphinx.env.report`, so the build stops after reading,
before anything is written. ``conf.py`` in a standard folder is refused by the CLI
(:func:`tooling.cli.find_confdir`): Sphinx would execute it before any extension is loaded.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.parsers.rst.directives.misc import Include, Meta, Raw
from docutils.parsers.rst.directives.tables import CSVTable
from myst_parser.config.main import TopmatterReadError, read_topmatter
from myst_parser.mdit_to_docutils.base import token_line
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.directives import (
    MarkupError,
    parse_directive_arguments,
    parse_directive_text,
)
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.directives.code import LiteralInclude
from sphinx.environment import BuildEnvironment

from ..io import chars, sources
from ..io.diagnostics import Diagnostic, StandardInputError, diagnostic
from ..model.checklist_specs import CHECKLISTS_FILE
from .collect import LABEL_AS_WRITTEN
from .env import StandardBuildError, log_diagnostic, report, source_path

OUTSIDE = "位于标准目录之外"
SYMLINK_OUTSIDE = "是指向标准目录之外的符号链接"
NOT_A_FILE = "不是普通文件（而是命名管道或设备）"
_LINKS = "http、https、mailto 和相对地址"
_IMAGES = "http、https 和相对地址"
_REFUSED_DIRECTIVES: tuple[tuple[type, str, str], ...] = (
    (Raw, "{raw}", "标准中不能嵌入 HTML、LaTeX 等原始内容，它们会不经检查地进入成果"),
    (Meta, "{meta}", "不能向 HTML 页面写入 meta 标签（例如把读者转到别的网址）"),
)
_NO_RST = "不能在 Markdown 中嵌入 reStructuredText：它不受本工具的检查"
_REFUSED_FRONT_MATTER = {
    "myst": "它会改变本文件的解析方式（启用扩展、改变允许的写法）",
    "html_meta": "它会向 HTML 页面写入 meta 标签（例如把读者转到别的网址）",
}


# -- paths --------------------------------------------------------------------------------------


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def outside(path: str | Path, srcdir: str | Path) -> str | None:
    """None when ``path`` lies inside ``srcdir`` after following symlinks (and is not a pipe or
    a device); else what is wrong with it."""
    folder = Path(srcdir).resolve()
    try:
        resolved = Path(path).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return SYMLINK_OUTSIDE
    if _within(resolved, folder):
        # A named pipe or a device (tar keeps both) would hang the build or never end.
        if resolved.exists() and not resolved.is_file() and not resolved.is_dir():
            return NOT_A_FILE
        return None
    plain = Path(os.path.normpath(os.path.abspath(path)))
    if _within(plain, Path(os.path.abspath(srcdir))) or _within(plain, folder):
        return SYMLINK_OUTSIDE
    return OUTSIDE


def named(env: BuildEnvironment, written: str) -> Path:
    """The file a document names, found as Sphinx finds it (``env.relfn2path``: relative to
    the document, or to the folder for ``/name``) but before symlinks are followed, so that a
    refusal can say a symlink leads out."""
    name = Path(written)
    if name.parts[:1] in {("/",), ("\\",)}:
        return Path(env.srcdir).joinpath(*name.parts[1:])
    return Path(env.srcdir) / Path(env.doc2path(env.docname, base=False)).parent / name


def _shown(env: BuildEnvironment, path: str | Path) -> str:
    """A path as messages show it: like :func:`source_path`, for any file (an included one)."""
    if os.path.abspath(path) == os.path.abspath(env.doc2path(env.docname)):
        return source_path(env)
    for base in (Path(env.stdkit_root), Path(env.srcdir)):
        try:
            return Path(os.path.abspath(path)).relative_to(os.path.abspath(base)).as_posix()
        except ValueError:
            continue
    return Path(path).as_posix()


# -- layer 1: the parser ------------------------------------------------------------------------


class GuardedRenderer(SphinxRenderer):
    """myst-parser's Sphinx renderer, with every file read and every refused construct checked
    before it happens."""

    def fail(self, code: str, line: int | None, **params: object) -> None:
        env = self.sphinx_env
        report(env, diagnostic(code, _shown(env, self.document["source"]), line, **params))

    def render_restructuredtext(self, token: Any) -> None:
        self.fail("E123", token_line(token, 0) or None, name="{eval-rst}", reason=_NO_RST)

    def run_directive(
        self,
        name: str,
        first_line: str,
        content: str,
        position: int,
        additional_options: dict[str, str] | None = None,
        *,
        block_text: str | None = None,
    ) -> list[nodes.Element]:
        if name.strip().lower() == "eval-rst":  # other spellings are not rendered: say why
            self.fail("E123", position, name="{eval-rst}", reason=_NO_RST)
            return []
        # By class, not by name: docutils also knows every directive by translated names.
        directive_class, _messages = directives.directive(
            name, self.language_module_rst, self.document
        )
        if directive_class is not None and self.refused(
            directive_class, first_line, content, position, additional_options
        ):
            return []
        result = super().run_directive(
            name, first_line, content, position, additional_options, block_text=block_text
        )
        if directive_class is not None and "name" in (directive_class.option_spec or {}):
            self.keep_name_as_written(directive_class, first_line, content, result,
                                      additional_options)
        return result

    def refused(
        self,
        directive_class: type,
        first_line: str,
        content: str,
        line: int,
        additional_options: dict[str, str] | None,
    ) -> bool:
        """Report and return True if this directive may not run here."""
        for base, shown, reason in _REFUSED_DIRECTIVES:
            if issubclass(directive_class, base):
                self.fail("E123", line, name=shown, reason=reason)
                return True
        if issubclass(directive_class, Include):
            return self.refused_include(directive_class, first_line, line)
        if not issubclass(directive_class, LiteralInclude | CSVTable):
            return False
        try:
            parsed = parse_directive_text(directive_class, first_line, content, line=line,
                                          additional_options=additional_options)
        except MarkupError:
            return False  # the directive will not run: myst-parser reports the same error
        env = self.sphinx_env
        if issubclass(directive_class, LiteralInclude):
            checks = [("引用的文件", parsed.arguments[0] if parsed.arguments else "")]
            if parsed.options.get("diff"):
                checks.append(("比较的文件", parsed.options["diff"]))
            for what, written in checks:
                problem = written and outside(named(env, written), env.srcdir)
                if problem:
                    self.fail("E121", line, what=what, path=written, problem=problem)
                    return True
            return False
        if parsed.options.get("url"):
            self.fail("E122", line, what="CSV 表格", url=chars.show(parsed.options["url"]))
            return True
        written = parsed.options.get("file")
        if written:
            # docutils, Sphinx and myst-parser each resolve :file: a little differently
            # (relative to the file or the document, absolute as-is or from the folder):
            # every reading must stay inside.
            here = Path(self.document["source"]).parent
            readings = [named(env, written), here / written]
            if os.path.isabs(written):
                readings.append(Path(written))
            for reading in readings:
                problem = outside(reading, env.srcdir)
                if problem:
                    self.fail("E121", line, what="CSV 表格文件", path=written, problem=problem)
                    return True
        return False

    def refused_include(self, directive_class: type, first_line: str, line: int) -> bool:
        # Exactly how myst-parser's MockIncludeDirective finds the file, which it reads
        # before emitting include-read. Only the argument is needed (and options may not
        # parse yet: myst-parser adds its own to the class when it runs the directive).
        try:
            arguments = parse_directive_arguments(directive_class, first_line)
        except MarkupError:
            return False
        if not arguments:
            return False
        written = "".join(part.strip() for part in arguments[0].splitlines())
        env = self.sphinx_env
        if written.startswith("<") and written.endswith(">"):  # docutils' bundled files
            problem: str | None = OUTSIDE
        else:
            problem = outside(named(env, arguments[0]), env.srcdir)
        if problem:
            self.fail("E117", line, path=written, problem=problem)
            return True
        return False

    def keep_name_as_written(
        self,
        directive_class: type,
        first_line: str,
        content: str,
        result: list[nodes.Element],
        additional_options: dict[str, str] | None,
    ) -> None:
        """docutils lowercases ``:name:`` (``Table-B`` becomes ``table-b``): mark the named
        node with the name as written, so that the id check sees what the author typed."""
        if "name" not in content and not (additional_options or {}).get("name"):
            return
        try:
            written = parse_directive_text(
                directive_class, first_line, content, additional_options=additional_options
            ).options.get("name")
        except MarkupError:
            return
        if not written:
            return
        name = nodes.fully_normalize_name(written)
        for top in result:
            for node in top.findall(nodes.Element):
                if name in node["names"]:
                    node[LABEL_AS_WRITTEN] = written


class GuardedMystParser(MystParser):
    """myst-parser's Sphinx parser with :class:`GuardedRenderer`, and without per-file
    configuration: front matter never reconfigures the parser or writes ``<meta>`` tags."""

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = document.settings.env
        try:
            topmatter = read_topmatter(inputstring) or {}
        except TopmatterReadError:
            topmatter = {}  # reported by the renderer, as myst-parser does
        for key, reason in _REFUSED_FRONT_MATTER.items():
            if key in topmatter:
                line = _front_matter_line(inputstring, key)
                report(env, diagnostic("E124", source_path(env), line, key=key, reason=reason))
        parser = create_md_parser(env.myst_config, GuardedRenderer)
        parser.options["document"] = document
        parser.render(inputstring)


def _front_matter_line(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if line.strip() == "---":
            break
        if line.startswith((f"{key}:", f'"{key}":', f"'{key}':")):
            return number
    return 1


# -- layer 1: files before reading ----------------------------------------------------------


def _stop(problems: list[Diagnostic]) -> None:
    for diag in problems:
        log_diagnostic(diag)
    raise StandardBuildError(StandardInputError(problems))


def check_data_files(app: Sphinx, config: Config) -> None:
    """``standard.yaml`` and ``checklists.yaml`` must be the folder's own files, and no
    translation catalog in the folder may be used (the toolkit's conf.py uses none)."""
    problems = []
    for directory in config.locale_dirs:
        if (Path(app.srcdir) / directory).exists():
            problems.append(diagnostic("E132", Path(app.srcdir) / directory, None,
                                       path=directory))
    for name in (config.stdkit_edition_file, CHECKLISTS_FILE):
        path = Path(app.srcdir) / name
        if not os.path.lexists(path):
            continue
        problem = outside(path, app.srcdir)
        if problem:
            problems.append(diagnostic("E121", path, None, what="元数据文件", path=name,
                                       problem=problem))
    if problems:
        _stop(problems)


def check_documents(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Chapter files: Markdown only, and inside the folder (a chapter file, or a folder of
    them, may be a symlink to elsewhere). Checked before Sphinx opens any of them."""
    problems = []
    for docname in docnames:
        path = Path(env.doc2path(docname))
        shown = Path(os.path.relpath(path, env.srcdir)).as_posix()
        problem = outside(path, env.srcdir)
        if problem:
            problems.append(diagnostic("E121", path, None, what="章节文件", path=shown,
                                       problem=problem))
        elif path.suffix != ".md":
            problems.append(diagnostic("E128", path, None, path=shown))
    if problems:
        _stop(problems)


# -- layer 3: text --------------------------------------------------------------------------


def check_characters(app: Sphinx, docname: str, content: list[str]) -> None:
    env = app.env
    problems, content[0] = sources.control_characters(content[0], source_path(env, docname))
    for diag in problems:
        report(env, diag)


def check_included(app: Sphinx, relative_path: Path, parent: str, content: list[str]) -> None:
    """Never let an outside file's text in (refused with its line before it was read; this
    is the second lock), and refuse control characters in included text."""
    env = app.env
    path = Path(env.srcdir) / relative_path
    if outside(path, env.srcdir):
        content[0] = ""
        return
    problems, content[0] = sources.control_characters(content[0], _shown(env, path))
    for diag in problems:
        report(env, diag)


# -- layer 2: the doctree -------------------------------------------------------------------


_REPORTED = "stdkit_guard_outside"  # env.temp_data (per document): files already refused


def _doctree_fail(env: BuildEnvironment) -> Any:
    def fail(code: str, node: nodes.Node | None, **params: object) -> None:
        line = _line(node) if node is not None else _line_mentioning(env, str(params["path"]))
        report(env, diagnostic(code, source_path(env), line, **params))

    return fail


def check_doctree(app: Sphinx, doctree: nodes.document) -> None:
    """What the document points at and reads, whatever markup produced it, as written.
    Runs before Sphinx's collectors, so that its messages come before their warnings."""
    env = app.env
    fail = _doctree_fail(env)
    reported: set[Path] = env.temp_data.setdefault(_REPORTED, set())

    for node_class, (_directive, name, reason) in zip(
        (nodes.raw, nodes.meta), _REFUSED_DIRECTIVES, strict=True
    ):
        for node in doctree.findall(node_class):
            fail("E123", node, name=name, reason=reason)

    links = [(node, node.get("refuri") or "")
             for node in doctree.findall(lambda n: isinstance(n, nodes.reference | nodes.target))]
    # A toctree entry that looks like a URL becomes a link only when the pages are written.
    links += [(node, ref) for node in doctree.findall(addnodes.toctree)
              for _title, ref in node["entries"]]
    for node, url in links:
        scheme = sources.url_scheme(url)
        if scheme is not None and scheme not in sources.LINK_SCHEMES:
            fail("E125", node, what="链接", url=chars.show(url), scheme=scheme, allowed=_LINKS)

    # Images and downloads: a URL with an allowed scheme, or a file inside the folder,
    # resolved the way Sphinx's collectors will resolve it.
    files = [(node, node["uri"], "图片地址", sources.IMAGE_SCHEMES, _IMAGES, "图片")
             for node in doctree.findall(nodes.image)]
    files += [(node, node["reftarget"], "下载链接", sources.LINK_SCHEMES, _LINKS, "下载文件")
              for node in doctree.findall(addnodes.download_reference)]
    for node, written, as_url, schemes, allowed, as_file in files:
        scheme = sources.url_scheme(written)
        if scheme is not None:
            if scheme not in schemes:
                fail("E125", node, what=as_url, url=chars.show(written), scheme=scheme,
                     allowed=allowed)
            continue
        path = named(env, written)
        problem = outside(path, env.srcdir)
        if problem:
            reported.add(path.resolve())
            fail("E121", node, what=as_file, path=written, problem=problem)
        elif sources.active_suffix(written):
            reported.add(path.resolve())
            fail("E133", node, what=as_file, path=written, suffix=sources.active_suffix(written))


def check_doctree_files(app: Sphinx, doctree: nodes.document) -> None:
    """What Sphinx's collectors recorded for the document: image candidates (language
    variants, ``name.*`` globs) and every dependency docutils or Sphinx noted as read — the
    backstop for any way of reading a file that the checks before did not foresee."""
    env = app.env
    fail = _doctree_fail(env)
    srcdir = Path(env.srcdir)
    reported: set[Path] = env.temp_data.get(_REPORTED, set())
    for node in doctree.findall(nodes.image):
        for candidate in node.get("candidates", {}).values():
            path = srcdir / candidate
            if sources.url_scheme(candidate) is not None or path.resolve() in reported:
                continue
            problem = outside(path, srcdir)
            if problem:
                reported.add(path.resolve())
                fail("E121", node, what="图片", path=candidate, problem=problem)
            elif sources.active_suffix(candidate):  # a name.* glob may pick an SVG
                reported.add(path.resolve())
                fail("E133", node, what="图片", path=candidate,
                     suffix=sources.active_suffix(candidate))
    for dependency in sorted(map(str, env.dependencies.get(env.docname, ()))):
        path = srcdir / dependency
        problem = outside(path, srcdir)
        if problem and path.resolve() not in reported:
            fail("E121", None, what="读取的文件", path=dependency, problem=problem)


def _line(node: nodes.Node | None) -> int | None:
    """A node's line, or its nearest ancestor's (a figure's target link has none)."""
    while node is not None:
        if node.line:
            return node.line
        node = node.parent
    return None


def _line_mentioning(env: BuildEnvironment, path: str) -> int | None:
    """The first line of the current document that names the file (a dependency has no
    line of its own)."""
    name = Path(path).name
    try:
        lines = Path(env.doc2path(env.docname)).read_text("utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, start=1) if name in line), None)


def setup(app: Sphinx) -> None:
    """Wire the guard into Sphinx (called by the extension, after myst-parser is set up)."""
    app.add_source_parser(GuardedMystParser, override=True)
    # Early: before the extension reads standard.yaml or any chapter file.
    app.connect("config-inited", check_data_files, priority=100)
    app.connect("env-before-read-docs", check_documents, priority=100)
    app.connect("source-read", check_characters, priority=100)
    app.connect("include-read", check_included, priority=100)
    # Around Sphinx's collectors (priority 500), which record images, downloads, dependencies.
    app.connect("doctree-read", check_doctree, priority=400)
    app.connect("doctree-read", check_doctree_files, priority=800)
