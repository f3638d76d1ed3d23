"""``stdkit``: the command line. A thin layer over Sphinx's application API.

Every command runs the same Sphinx build a user would get from ``sphinx-build``; the CLI only
picks folders, turns errors in the sources into one clear message and an exit status, and
never prints a traceback for a problem in the user's input.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.cmd.build import jobs_argument
from sphinx.errors import SphinxError
from sphinx.util import console
from sphinx.util.docutils import docutils_namespace, patch_docutils

from .io import outputs
from .io.diagnostics import RULES, Diagnostic, diagnostic, display_path
from .sphinx.env import StandardBuildError

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
SCHEMAS = Path(__file__).parent / "schemas"
# stdkit name -> Sphinx builder; `all` builds them in this order.
BUILDERS = {"html": "html", "pdf": "pdf", "index": "clauseindex", "checklists": "checklists",
            "docx": "docx"}


class ConfInStandard(Exception):
    """The standard folder holds a conf.py (or --conf names it): refused, never executed."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.diagnostic = diagnostic("E126", path, None)


def _is_standard_folder(path: Path) -> bool:
    return (path / "standard.yaml").is_file() or (path / "index.md").is_file()


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def find_confdir(source: Path, explicit: Path | None) -> Path:
    """The folder of the toolkit's conf.py: ``--conf``, else the working directory or the
    nearest parent that has one. Never the standard folder or a folder inside it: a standard
    folder is data passed between offices, and Sphinx executes conf.py. A conf.py in the
    standard folder raises :class:`ConfInStandard` (it is not silently skipped: whoever put
    it there expects it to run)."""
    standard = source.resolve() if _is_standard_folder(source) else None
    if standard is not None and os.path.lexists(standard / "conf.py"):
        raise ConfInStandard(source / "conf.py")
    if explicit is not None:
        if standard is not None and _within(explicit.resolve(), standard):
            raise ConfInStandard(explicit / "conf.py")
        return explicit
    for candidate in (Path.cwd(), *Path.cwd().parents):
        if standard is not None and _within(candidate.resolve(), standard):
            continue
        if (candidate / "conf.py").is_file():
            return candidate
    raise FileNotFoundError("conf.py")


class CommandStopped(Exception):
    """A command stopped after printing why; ``main`` returns its status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def configuration(source: Path, explicit: Path | None) -> Path:
    """:func:`find_confdir`, its failures printed as one message each."""
    try:
        return find_confdir(source, explicit)
    except ConfInStandard as err:
        raise CommandStopped(_refuse_conf(err)) from None
    except FileNotFoundError:
        print("错误：找不到 conf.py；请在项目根目录运行，或用 --conf 指定 (conf.py not found)",
              file=sys.stderr)
        raise CommandStopped(EXIT_USAGE) from None


def _refuse_conf(err: ConfInStandard) -> int:
    diag = err.diagnostic
    print(f"{diag.location}: ERROR: {diag.code} {diag.message} [stdkit.{diag.name}]",
          file=sys.stderr)
    print("构建已停止：1 个错误，未写出成果（build stopped: 1 error(s)）", file=sys.stderr)
    return EXIT_INPUT


def run_sphinx(
    builder: str,
    source: Path,
    outdir: Path,
    doctreedir: Path,
    confdir: Path,
    *,
    warnings_as_errors: bool = False,
    jobs: int = 1,
    quiet: bool = False,
    fresh: bool = False,
    overrides: dict[str, str] | None = None,
    before_build: Callable[[Sphinx], None] | None = None,
    after_build: Callable[[Sphinx], None] | None = None,
) -> int:
    """Run one Sphinx build; return its exit status. Errors in the sources are reported by
    the extension as they are found; here they only set the status."""
    status = io.StringIO() if quiet else sys.stdout
    with patch_docutils(confdir), docutils_namespace():
        app = Sphinx(
            srcdir=source, confdir=confdir, outdir=outdir, doctreedir=doctreedir,
            buildername=builder, status=status, warning=sys.stderr, freshenv=fresh,
            warningiserror=warnings_as_errors, parallel=jobs, confoverrides=overrides or {},
        )
        if before_build:
            before_build(app)
        app.build()
        if after_build and app.statuscode == 0:
            after_build(app)
        return app.statuscode


LOCK_WAIT = 600.0  # seconds a build waits for another build into the same output folder


@contextlib.contextmanager
def exclusive(out: Path) -> Iterator[None]:
    """Hold ``out`` for this command: one build at a time, and what an interrupted build left
    is completed or cleared first. Output problems become :class:`OutputProblem`."""

    def waiting() -> None:
        print(f"输出目录 {display_path(out)} 正被另一个构建使用，等待其完成……"
              "（waiting for another build into the same folder）", file=sys.stderr)

    try:
        with outputs.locked(out, wait=LOCK_WAIT, on_wait=waiting):
            outputs.recover(out)
            yield
    except outputs.OutputBusy:
        raise OutputProblem(diagnostic("E141", out, None, seconds=int(LOCK_WAIT))) from None
    except PermissionError as err:
        raise OutputProblem(diagnostic("E140", out, None, detail=_os_reason(err))) from None


class OutputProblem(Exception):
    def __init__(self, diag: Diagnostic) -> None:
        super().__init__(str(diag))
        self.diagnostic = diag


def _os_reason(err: OSError) -> str:
    where = f"（{display_path(err.filename)}）" if err.filename else ""
    reason = {13: "没有写入权限", 28: "磁盘空间不足", 30: "文件系统为只读"}.get(
        err.errno or 0, err.strerror or str(err))
    return f"{reason}{where}"


def cmd_build(args: argparse.Namespace) -> int:
    source: Path = args.source
    if not (source / "standard.yaml").is_file() and not (source / "index.md").is_file():
        print(f"错误：{source} 不是标准源文件目录（缺少 index.md 或 standard.yaml）"
              f"(not a standard source folder)", file=sys.stderr)
        return EXIT_USAGE
    confdir = configuration(source, args.conf)
    targets = list(BUILDERS) if args.target == "all" else [args.target]
    doctrees = args.out / ".doctrees" / _slug(source)
    overrides = {}
    if getattr(args, "no_lint", False):
        overrides["stdkit_lint"] = "0"
    if getattr(args, "roster", None):
        overrides["stdkit_roster"] = str(args.roster.resolve())
    if getattr(args, "year", None):
        overrides["stdkit_checklist_year"] = str(args.year)
    with exclusive(args.out):
        staged: list[str] = []
        try:
            # Every target is built into a staged copy; all are swapped in together at the
            # end, or none: a failing checklist build leaves html, pdf and index untouched.
            for target in targets:
                staging = outputs.stage(args.out, target)
                staged.append(target)
                status = run_sphinx(
                    BUILDERS[target], source, staging, doctrees, confdir,
                    warnings_as_errors=args.W, jobs=args.jobs, quiet=args.quiet,
                    fresh=args.fresh, overrides=overrides,
                )
                if status:
                    return status
            outputs.publish(args.out, targets)
            staged = []
        finally:
            outputs.discard(args.out, staged)
    if not args.quiet:
        for target in targets:
            print(f"已生成 {target}：{args.out / target}")
    return EXIT_OK


def cmd_lint(args: argparse.Namespace) -> int:
    from .lint.builder import LINT_BUILDER
    from .lint.checks import format_findings

    source: Path = args.source
    if not (source / "index.md").is_file():
        print(f"错误：{source} 不是标准源文件目录（缺少 index.md）(not a standard source folder)",
              file=sys.stderr)
        return EXIT_USAGE
    confdir = configuration(source, args.conf)
    found: list = []
    bases: list[Path] = []

    def configure(app: Sphinx) -> None:
        app.builder.select = args.select.split(",") if args.select else None
        app.builder.ignore = args.ignore.split(",") if args.ignore else None

    def collect(app: Sphinx) -> None:
        found.extend(app.builder.findings)
        bases.extend([Path(app.env.stdkit_root), Path(app.srcdir)])

    def lint_once() -> int:
        found.clear()
        return run_sphinx(
            LINT_BUILDER, source, args.out / "lint", args.out / ".doctrees" / _slug(source),
            confdir, quiet=True, before_build=configure, after_build=collect,
        )

    with exclusive(args.out):  # the build environment in OUT/.doctrees is shared with builds
        status = lint_once()
        if not status and getattr(args, "fix", False) and any(f.fix for f in found):
            from .lint.fix import apply_fixes

            changes, skipped = apply_fixes(found, bases)
            report = sys.stdout if args.format == "human" else sys.stderr
            for change in changes:
                print(f"已改写 {change.human()}", file=report)
            for finding in skipped:
                print(f"未改写（文件已变化）{finding.source}:{finding.line}:{finding.column}",
                      file=report)
            print(f"已改写 {len(changes)} 处 (fixed {len(changes)})", file=report)
            if changes:
                status = lint_once()  # what is left, from the sources as they are now
    if status:
        return status
    sys.stdout.write(format_findings(found, args.format))
    return EXIT_INPUT if found else EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from .lint.pages import catalogue_markdown, catalogue_text

    text = catalogue_markdown() if args.format == "markdown" else catalogue_text()
    if args.output is None:
        sys.stdout.write(text)
    else:
        from .io import atomic

        atomic.write_text(args.output, text)
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    confdir = configuration(Path("."), args.conf)
    with exclusive(args.out):
        return _diff(args, confdir)


def _diff(args: argparse.Namespace, confdir: Path) -> int:
    from .diff.foreword import change_list, foreword_text
    from .diff.match import diff_editions
    from .diff.overrides import CHANGES_FILE, ChangesFileError, load_changes
    from .diff.reports import (
        comparison_csv,
        comparison_html,
        comparison_typst,
        comparison_xlsx,
        diff_json,
        redline_html,
        redline_typst,
        summary_text,
    )
    from .diff.wordfiles import comparison_docx, redline_docx
    from .sphinx.editions import EditionNotFound, resolve_edition
    from .typeset import FontsNotFound, choose_fonts, edition_date

    # The editor's changes.yaml: --changes, else the new edition's folder. A bad file stops
    # here, before anything is built or written.
    changes_path = args.changes
    if changes_path is None and Path(args.new).is_dir():
        changes_path = Path(args.new) / CHANGES_FILE
    try:
        overrides = load_changes(changes_path) if changes_path is not None else None
    except ChangesFileError as err:
        print(f"{err.diagnostic.location}: ERROR: {err.diagnostic.code} "
              f"{err.diagnostic.message} [stdkit.{err.diagnostic.name}]", file=sys.stderr)
        return EXIT_INPUT
    cache = args.out / ".cache"
    sides = []
    for spec in (args.old, args.new):
        try:
            sides.append(resolve_edition(spec, cache=cache, confdir=confdir))
        except EditionNotFound as err:
            print(diagnostic("E142", spec, None, detail=err), file=sys.stderr)
            return EXIT_INPUT
    old, new = sides
    diff = diff_editions(old, new, threshold=args.threshold)
    changes = change_list(diff, overrides)
    for problem in changes.problems:
        print(f"{problem.location}: WARNING: {problem.code} {problem.message} "
              f"[stdkit.{problem.name}]", file=sys.stderr)
    new_html = args.new_html

    def href(clause_id: str) -> str | None:
        clause = new.get(clause_id)
        if new_html is None or clause is None or not clause.source:
            return None
        page = Path(clause.source).stem + ".html"
        return f"{_relative(new_html, args.out / 'diff')}/{page}#{clause_id}"

    every = args.all_rows
    files = {
        "diff.json": json.dumps(diff_json(diff, changes), ensure_ascii=False, sort_keys=True,
                                indent=1) + "\n",
        "diff.schema.json": (SCHEMAS / "diff.schema.json").read_text("utf-8"),
        "redline.html": redline_html(diff, href, changes, detail=args.detail),
        "comparison.csv": comparison_csv(diff, changes, all_rows=every),
        "comparison.html": comparison_html(diff, changes, all_rows=every),
        "foreword.txt": foreword_text(diff, changes),
    }
    binary = {"comparison.xlsx": comparison_xlsx(
        diff, edition_date(new.info.issued, new.info.implemented), changes, all_rows=every),
        # Word: the redline as tracked changes, the 条款对照表 as a table.
        "redline.docx": redline_docx(diff),
        "comparison.docx": comparison_docx(diff, changes, all_rows=every)}
    try:
        import typst

        fonts = choose_fonts()
        for name, source in (
            ("redline.pdf", redline_typst(diff, fonts.serif, fonts.sans, changes,
                                          detail=args.detail)),
            ("comparison.pdf", comparison_typst(diff, fonts.serif, fonts.sans, changes,
                                                all_rows=every)),
        ):
            binary[name] = typst.compile(source.encode("utf-8"), format="pdf",
                                         font_paths=list(fonts.font_paths))
    except FontsNotFound as err:
        print(f"警告：未生成 redline.pdf 和 comparison.pdf：{err}", file=sys.stderr)
    out = args.out / "diff"
    staging = outputs.stage(args.out, "diff")
    try:
        before = outputs.read_manifest(staging)
        for name, text in files.items():
            (staging / name).write_text(text, "utf-8")
        for name, data in binary.items():
            (staging / name).write_bytes(data)
        written = set(files) | set(binary)
        outputs.prune(staging, before.files, written)  # a PDF not made this time goes
        outputs.write_manifest(staging, outputs.Manifest(frozenset(written)))
        outputs.publish(args.out, ["diff"])
    finally:
        outputs.discard(args.out, ["diff"])
    sys.stdout.write(summary_text(diff, changes, detail=args.detail))
    if not args.quiet:
        print(f"已生成修订对比：{out}")
    if args.fail_on != "none" and diff.has_changes(args.fail_on):
        return EXIT_INPUT
    return EXIT_OK


# stdkit new: what it asks for, in order: option name, prompt, default.
_NEW_FIELDS: tuple[tuple[str, str, str | None], ...] = (
    ("doc_class", "文件类别（national 国家、industry 行业、local 地方、group 团体、"
     "enterprise 企业、other 其他）", "local"),
    ("class_line", "封面类别行（如 山东省（聊城市）地方标准；国家、团体、企业标准可留空）", ""),
    ("number", "标准编号（年号前用一字线，如 DB3715/T 12—2025）", None),
    ("title_zh", "中文名称", None),
    ("title_en", "英文名称（可留空）", ""),
    ("issuer", "发布机构", None),
    ("stage", "阶段（工作组讨论稿、征求意见稿、送审稿、报批稿、published）", "征求意见稿"),
)


def cmd_new(args: argparse.Namespace) -> int:
    """Create a standard folder that builds with -W and lints clean as it stands."""
    import shutil
    import tempfile

    from .io.diagnostics import StandardInputError
    from .model.edition_metadata import load_edition_info
    from .model.scaffold import NewStandard, folder_files

    target: Path = args.dir
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(f"错误：{display_path(target)} 已存在且不是空目录，不会覆盖其中的文件"
              "（the folder exists and is not empty）", file=sys.stderr)
        return EXIT_USAGE
    answers: dict[str, str] = {}
    interactive = sys.stdin.isatty() and not args.no_input
    missing = []
    for name, prompt, default in _NEW_FIELDS:
        value = getattr(args, name)
        if value is None and interactive:
            shown = f"（默认 {default}）" if default else ""
            value = input(f"{prompt}{shown}：").strip() or default
        if value is None:
            value = default
        if value is None:
            missing.append(f"--{name.replace('_', '-')}")
        answers[name] = value or ""
    if missing:
        print(f"错误：请给出 {'、'.join(missing)}（或在终端中运行以逐项回答）"
              f"(missing options: {' '.join(missing)})", file=sys.stderr)
        return EXIT_USAGE
    std = NewStandard(
        doc_class=answers["doc_class"], number=answers["number"], title_zh=answers["title_zh"],
        issuer=answers["issuer"], stage=answers["stage"], title_en=answers["title_en"] or None,
        class_line=answers["class_line"] or None,
        drafting_units=tuple(args.drafting_unit or ()),
    )
    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private; a standard folder is shared
    try:
        for name, text in folder_files(std).items():
            (staging / name).write_text(text, "utf-8")
        try:
            # The same check a build makes: a class, stage or number it refuses is refused here.
            load_edition_info(staging / "standard.yaml")
        except StandardInputError as err:
            for diag in err.diagnostics:
                line = f"（standard.yaml 第{diag.line}行）" if diag.line else ""
                print(f"错误：{diag.code} {diag.message}{line} [stdkit.{diag.name}]",
                      file=sys.stderr)
            return EXIT_INPUT
        if target.exists():
            target.rmdir()
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"已创建标准目录：{display_path(target)}\n"
          f"构建：stdkit build html --source {display_path(target)}\n"
          f"检查：stdkit lint --source {display_path(target)}")
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """Build the HTML edition, serve it on 127.0.0.1 and rebuild it when the folder changes.
    Every build is ``stdkit build html`` itself, run again in this warm process."""
    from .serve.preview import ServeProblem, serve

    source: Path = args.source
    if not (source / "standard.yaml").is_file() and not (source / "index.md").is_file():
        print(f"错误：{source} 不是标准源文件目录（缺少 index.md 或 standard.yaml）"
              f"(not a standard source folder)", file=sys.stderr)
        return EXIT_USAGE
    confdir = configuration(source, args.conf)
    argv = ["build", "html", "-q", "--source", str(source), "--out", str(args.out),
            "--conf", str(confdir)]
    # The page first, the drafting check second: each build skips the linter (about a
    # quarter of a rebuild at 5,000 clauses), and `stdkit lint` runs in this process right
    # after the page was told to reload; its findings follow in the terminal.
    lint = ["lint", "--source", str(source), "--out", str(args.out), "--conf", str(confdir)]
    try:
        return serve(source=source, site=args.out / "html",
                     build=lambda: main([*argv, "--no-lint"]), after=lambda: main(lint),
                     port=args.port, ignore=[args.out])
    except ServeProblem as err:
        print(err.diagnostic, file=sys.stderr)
        return EXIT_INPUT


def _port(text: str) -> int:
    """An argparse type: a TCP port (0 picks a free one), checked before anything starts."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise _bad_option("--port", f"应为 0 到 65535 之间的整数（0 表示任选一个空闲端口），"
                                    f"现为“{text}”")
    return value


def _fraction(text: str) -> float:
    """An argparse type: a number from 0 to 1, checked before anything is built."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise _bad_option("--threshold", f"应为 0 到 1 之间的数，现为“{text}”")
    return value


def _bad_option(option: str, detail: str) -> argparse.ArgumentTypeError:
    """E143 for an option's value, as argparse prints it (before anything is built)."""
    name, template = RULES["E143"]
    return argparse.ArgumentTypeError(f"E143 {template.format(option=option, detail=detail)} "
                                      f"[{name}]")


def _relative(target: Path, start: Path) -> str:
    import os

    return Path(os.path.relpath(target.resolve(), start.resolve())).as_posix()


def _slug(path: Path) -> str:
    return "-".join(p for p in path.resolve().parts[-2:] if p not in ("/", "")) or "root"


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", type=Path, default=Path("standard"),
                        help="标准源文件目录，含 index.md 和 standard.yaml（默认 standard）")
    parser.add_argument("--out", type=Path, default=Path("_build"), help="输出目录（默认 _build）")
    parser.add_argument("--conf", type=Path, default=None, help="conf.py 所在目录（默认自动查找）")
    parser.add_argument("-W", action="store_true", help="把警告视为错误 (warnings are errors)")
    parser.add_argument("-j", "--jobs", type=jobs_argument, default=1,
                        help="并行进程数，或 auto (parallel jobs)")
    parser.add_argument("-q", "--quiet", action="store_true", help="只输出警告和错误")
    parser.add_argument("-E", "--fresh", action="store_true", help="忽略已保存的环境，全部重建")
    parser.add_argument("--roster", type=Path, default=None,
                        help="楼长花名册（CSV 或 YAML），用于生成逐人填好表头的检查表")
    parser.add_argument("--year", default=None, help="检查表上印的年份（默认留空待填）")
    parser.set_defaults(func=cmd_build)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stdkit",
        description="标准即代码工具：由 MyST 源文件生成标准的各种成果。"
        " (Standards as code: publish a GB/T 1.1—2020 standard from MyST sources.)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    build = sub.add_parser(
        "build",
        help="构建成果（build outputs）：html、pdf、index、checklists、docx 或 all",
        description="用 Sphinx 构建标准的成果，写入 OUT/<成果>。html：HTML 版本；pdf：GB/T 版式的"
        " PDF；index：条款索引（JSON、JSON Schema、CSV）；checklists：检查表 PDF（给出 --roster 时"
        "按花名册逐人生成）；docx：Word 版本；all：全部。"
        "源文件有误时，报告文件和行号并以状态 1 退出，不写出成果。",
    )
    build.add_argument("target", choices=[*BUILDERS, "all"], help="要构建的成果")
    _common(build)
    build.add_argument("--no-lint", action="store_true",
                       help="构建时不做起草规则检查（stdkit serve 在页面刷新后另行检查；"
                       "单独检查用 stdkit lint）")
    for name, target, text in (
        ("index", "index", "生成条款索引：OUT/index/clause-index.json、.schema.json、.csv"),
        ("checklist", "checklists", "生成检查表 PDF：OUT/checklists/；--roster 按花名册逐人生成"),
    ):
        alias = sub.add_parser(name, help=text, description=text)
        _common(alias)
        alias.set_defaults(target=target)
    lint = sub.add_parser(
        "lint",
        help="按 GB/T 1.1—2020 检查起草问题（drafting linter）",
        description="检查标准源文件的起草问题：要素顺序、固定用语、能愿动词、列项、术语、标点、"
        "条文与元数据的一致性等。规则及示例见 stdkit rules；在标准的 standard.yaml 的 lint: 中"
        "用 select / ignore / severity 选择规则。--fix 改写手写的编号。发现问题时以状态 1 退出。",
    )
    lint.add_argument("--source", type=Path, default=Path("standard"), help="标准源文件目录")
    lint.add_argument("--out", type=Path, default=Path("_build"), help="构建缓存目录")
    lint.add_argument("--conf", type=Path, default=None, help="conf.py 所在目录")
    lint.add_argument("--format", choices=["human", "json", "github"], default="human",
                      help="输出格式：human（默认）、json、github（CI 注释）")
    lint.add_argument("--select", default=None, help="只检查这些规则（逗号分隔的代码或前缀）")
    lint.add_argument("--ignore", default=None, help="忽略这些规则（逗号分隔的代码或前缀）")
    lint.add_argument("--fix", action="store_true",
                      help="把能唯一确定目标的手写编号（GB406）改写为 {clause-ref} 引用，"
                           "列出改了哪些，再报告其余问题（每个文件整体替换，不会只写一半）")
    lint.set_defaults(func=cmd_lint)
    rules = sub.add_parser(
        "rules",
        help="列出起草规则检查的全部规则（rule catalogue）",
        description="列出 stdkit lint 的全部规则：代码、级别、提示、理由和正反示例。"
        "--format markdown 输出工具文档的“起草规则检查”页（docs/rules.md）。",
    )
    rules.add_argument("--format", choices=["text", "markdown"], default="text",
                       help="输出格式：text（终端，默认）或 markdown（工具文档）")
    rules.add_argument("--output", type=Path, default=None, help="写入此文件（默认输出到终端）")
    rules.set_defaults(func=cmd_rules)
    from .importer import command as importer  # stdkit import (tooling/importer)
    importer.add_parser(sub)
    new = sub.add_parser(
        "new",
        help="新建标准目录（start a new standard）：必备要素及其固定用语、一个示例章",
        description="新建一个标准目录：standard.yaml、封面和目次（index.md）、前言、范围、规范性引用"
        "文件、术语和定义（含 GB/T 1.1—2020 的固定用语）、一个示例章和空的 checklists.yaml。"
        "新目录可以直接用 -W 构建，起草规则检查没有问题。未给出的选项在终端中逐项询问。",
    )
    new.add_argument("dir", type=Path, help="新标准目录（不存在或为空）")
    new.add_argument("--class", dest="doc_class", default=None,
                     choices=["national", "industry", "local", "group", "enterprise", "other"],
                     help="文件类别（默认 local）")
    new.add_argument("--class-line", dest="class_line", default=None,
                     help="封面类别行，如 山东省（聊城市）地方标准（地方、行业和其他文件必填）")
    new.add_argument("--number", default=None, help="标准编号，如 DB3715/T 12—2025")
    new.add_argument("--title", dest="title_zh", default=None, help="中文名称")
    new.add_argument("--title-en", dest="title_en", default=None, help="英文名称")
    new.add_argument("--issuer", default=None, help="发布机构")
    new.add_argument("--stage", default=None,
                     choices=["工作组讨论稿", "征求意见稿", "送审稿", "报批稿", "published"],
                     help="阶段（默认 征求意见稿）")
    new.add_argument("--drafting-unit", action="append", default=None,
                     help="起草单位（可多次给出；默认为发布机构）")
    new.add_argument("--no-input", action="store_true",
                     help="不询问：未给出的选项用默认值，必填项缺少时报错")
    new.set_defaults(func=cmd_new)
    diff = sub.add_parser(
        "diff",
        help="比较两个版本的条款（revision diff），生成前言变化清单和条款对照表",
        description="逐条比较两个版本：OLD 和 NEW 各为源文件目录、clause-index.json 或 git 版本"
        "（如 HEAD~3，或 v2020:standard）。先按标识匹配，其余按文字相似度匹配。输出写入"
        " OUT/diff/：foreword.txt（前言中的主要技术变化）、redline.html、redline.pdf 和"
        " redline.docx（修订标记稿；docx 为 Word 修订模式）、comparison.html、comparison.pdf、"
        "comparison.xlsx、comparison.csv、comparison.docx（编制说明的条款对照表）、"
        "diff.json（及其 JSON Schema）。NEW 目录中的 changes.yaml 是编辑对前言清单的修改。",
    )
    diff.add_argument("old", help="旧版本")
    diff.add_argument("new", help="新版本")
    diff.add_argument("--out", type=Path, default=Path("_build"), help="输出目录（默认 _build）")
    diff.add_argument("--conf", type=Path, default=None, help="conf.py 所在目录")
    diff.add_argument("--threshold", type=_fraction, default=0.6,
                      help="按相似度匹配的阈值（0–1，默认 0.6）")
    diff.add_argument("--new-html", type=Path, default=None,
                      help="新版本 HTML 的目录：修订对照中的每一条链接到这里")
    diff.add_argument("--fail-on", choices=["none", "technical", "any"], default="none",
                      help="有技术性变化（technical）或任何变化（any）时以状态 1 退出，供 CI 使用")
    diff.add_argument("--changes", type=Path, default=None,
                      help="编辑对前言清单和条款对照表的修改（默认 NEW 目录中的 changes.yaml）")
    diff.add_argument("--all", dest="all_rows", action="store_true",
                      help="条款对照表也列出仅编号变化的条款")
    diff.add_argument("--detail", action="store_true",
                      help="修订标记稿列出每个要素，并给出标识和相似度"
                      "（给开发者和写 changes.yaml 用）")
    diff.add_argument("-q", "--quiet", action="store_true", help="只输出摘要")
    diff.set_defaults(func=cmd_diff)
    serve = sub.add_parser(
        "serve",
        help="预览：构建网页版并在本机浏览器中打开，修改源文件后自动重新构建并刷新页面",
        description="构建网页版，在 http://127.0.0.1:PORT/ 提供预览，并监视标准目录：保存修改后"
        "自动增量构建并刷新打开的页面。构建出错时，终端和页面上都显示提示（文件:行号、代码），"
        "预览不停止，仍提供上一次成功构建的网页版。只在本机（127.0.0.1）提供，只提供构建出的"
        "网页版中的文件。按 Ctrl+C 停止。",
    )
    serve.add_argument("--source", type=Path, default=Path("standard"),
                       help="标准源文件目录（默认 standard）")
    serve.add_argument("--out", type=Path, default=Path("_build"),
                       help="输出目录（默认 _build，网页版在 OUT/html，与 stdkit build html 相同）")
    serve.add_argument("--conf", type=Path, default=None, help="conf.py 所在目录（默认自动查找）")
    serve.add_argument("--port", type=_port, default=8000,
                       help="端口（默认 8000；0 表示任选一个空闲端口）")
    serve.set_defaults(func=cmd_serve)
    from .comments.command import add_parser as add_comments  # stdkit comments form|collect|table
    add_comments(sub, configuration)
    from .approval.command import add_parsers as approval_parsers  # stage, explanation, dossier

    approval_parsers(sub, build=main, configuration=configuration)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if not sys.stderr.isatty():
        console.nocolor()
    try:
        return args.func(args)
    except CommandStopped as stop:
        return stop.status
    except StandardBuildError as err:
        # The diagnostics themselves were printed as they were found.
        count = len(err.input_error.diagnostics)
        print(f"构建已停止：{count} 个错误，未写出成果（build stopped: {count} error(s)）",
              file=sys.stderr)
        return EXIT_INPUT
    except SphinxError as err:
        print(f"错误：{err} ({type(err).__name__})", file=sys.stderr)
        return EXIT_INPUT
    except OutputProblem as err:
        print(err.diagnostic, file=sys.stderr)
        return EXIT_INPUT
    except OSError as err:  # the output could not be written: say where and why, no traceback
        out = getattr(args, "out", Path("."))
        print(diagnostic("E140", out, None, detail=_os_reason(err)), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
