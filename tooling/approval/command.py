"""``stdkit stage``, ``stdkit explanation`` and ``stdkit dossier``.

The CLI registers these with :func:`add_parsers` and hands over its own ``main`` (to build the
报批稿's PDF and Word files exactly as ``stdkit build pdf``/``docx`` do) and its conf.py lookup:
this package imports no other command.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ..io import outputs
from ..io.diagnostics import Diagnostic, StandardInputError, diagnostic, display_path
from ..model import EditionInfo
from ..model.edition_metadata import load_edition_info
from ..model.explanation import EXPLANATION_FILE
from ..model.stages import STAGES, file_stem
from . import stage as stages
from .explanation import (
    ExplanationError,
    Generated,
    assemble,
    read_authored,
    resolve_references,
    stages_with_comments,
)

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
LOCK_WAIT = 600.0
Build = Callable[[Sequence[str]], int]
Configuration = Callable[[Path, Path | None], Path]


def _error(diag: Diagnostic) -> None:
    print(f"{diag.location}: ERROR: {diag.code} {diag.message} [stdkit.{diag.name}]",
          file=sys.stderr)


def _warn(diag: Diagnostic) -> None:
    print(f"{diag.location}: WARNING: {diag.code} {diag.message} [stdkit.{diag.name}]",
          file=sys.stderr)


def _info(folder: Path) -> EditionInfo | None:
    try:
        return load_edition_info(folder / "standard.yaml")
    except StandardInputError as err:
        _error(err.diagnostics[0])
        return None


# -- stdkit stage --------------------------------------------------------------------------


def run_stage(args: argparse.Namespace) -> int:
    folder: Path = args.source
    try:
        move = stages.plan(folder, args.next, args.date)
        stages.apply(move)
    except stages.StageRefused as err:
        _error(err.diagnostic)
        print("阶段未改变（stage not changed）", file=sys.stderr)
        return EXIT_INPUT
    print(f"已将 {display_path(folder / 'standard.yaml')} 的阶段由“{move.old}”改为“{move.new}”"
          f"（{move.date}），记入 {display_path(folder / stages.HISTORY_FILE)}")
    return EXIT_OK


# -- stdkit explanation --------------------------------------------------------------------


class Stop(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def explanation_files(folder: Path, out: Path, confdir: Path,
                      info: EditionInfo) -> dict[str, bytes]:
    """The 编制说明 as HTML, PDF and Word, by file name. Raises :class:`Stop` after printing
    what is wrong."""
    from ..diff.comparison import HEADER, comparison_table, intro
    from ..diff.foreword import change_list, lead_sentence
    from ..diff.match import diff_editions
    from ..diff.overrides import CHANGES_FILE, ChangesFileError, load_changes
    from ..sphinx.editions import EditionNotFound, resolve_edition
    from ..typeset import FontsNotFound, choose_fonts
    from .render import explanation_docx, explanation_html, explanation_pdf

    path = folder / EXPLANATION_FILE
    if not path.is_file():
        _error(diagnostic("E236", path, None, detail="文件不存在（stdkit new 写出各节的标题；"
                          "已有的标准目录可以从 editions/db3715t-draft/explanation.md 复制）"))
        raise Stop(EXIT_INPUT)
    try:
        authored = read_authored(path)
    except ExplanationError as err:
        _error(err.diagnostic)
        raise Stop(EXIT_INPUT) from None
    cache = out / ".cache"
    try:
        edition = resolve_edition(str(folder), cache=cache, confdir=confdir)
    except EditionNotFound as err:
        _error(diagnostic("E142", folder, None, detail=err))
        raise Stop(EXIT_INPUT) from None
    try:
        authored = resolve_references(authored, edition, path)
    except ExplanationError as err:
        _error(err.diagnostic)
        raise Stop(EXIT_INPUT) from None
    gen = Generated()
    if info.previous_edition and not info.previous_edition.endswith(".json"):
        previous = str((folder / info.previous_edition).resolve())
    else:
        previous = str(folder / info.previous_edition) if info.previous_edition else None
    if previous is not None:
        try:
            old = resolve_edition(previous, cache=cache, confdir=confdir)
            changes_file = folder / CHANGES_FILE
            overrides = load_changes(changes_file) if changes_file.is_file() else None
        except EditionNotFound as err:
            _error(diagnostic("E120", folder / "standard.yaml", None, detail=err))
            raise Stop(EXIT_INPUT) from None
        except ChangesFileError as err:
            _error(err.diagnostic)
            raise Stop(EXIT_INPUT) from None
        diff = diff_editions(old, edition)
        changes = change_list(diff, overrides)
        rows = comparison_table(diff, changes)
        texts = changes.texts()
        gen = Generated(
            lead=lead_sentence(diff, bool(texts)), changes=tuple(texts),
            comparison_intro=intro(diff, rows),
            comparison_rows=(tuple(HEADER), *(tuple(r.cells()) for r in rows)),
        )
    statistics = []
    for stage in stages_with_comments(folder):
        from ..comments.store import CommentsFileError, comment_statistics, load_comments

        try:
            comments = load_comments(folder, stage)
        except CommentsFileError as err:
            _error(err.diagnostic)
            raise Stop(EXIT_INPUT) from None
        if comments is not None:
            statistics.append((stage, comment_statistics(comments)))
    gen = dataclasses.replace(gen, statistics=tuple(statistics))
    doc = assemble(edition.info, authored, gen, folder, edition)
    for problem in doc.problems:
        _warn(problem)
    stem = f"{file_stem(info)}_编制说明"
    files = {f"{stem}.html": explanation_html(doc).encode("utf-8"),
             f"{stem}.docx": explanation_docx(doc)}
    try:
        files[f"{stem}.pdf"] = explanation_pdf(doc, choose_fonts())
    except FontsNotFound as err:
        print(f"警告：未生成编制说明的 PDF：{err}", file=sys.stderr)
    return files


def _publish(out: Path, target: str, files: dict[str, bytes]) -> Path:
    """Write ``files`` into OUT/target, staged and swapped in whole; what an earlier run wrote
    and this one did not is removed."""
    staging = outputs.stage(out, target)
    try:
        before = outputs.read_manifest(staging)
        for name, data in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(data)
        outputs.prune(staging, before.files, set(files))
        outputs.write_manifest(staging, outputs.Manifest(frozenset(files)))
        outputs.publish(out, [target])
    finally:
        outputs.discard(out, [target])
    return out / target


def _locked(out: Path):
    def waiting() -> None:
        print(f"输出目录 {display_path(out)} 正被另一个构建使用，等待其完成……", file=sys.stderr)

    return outputs.locked(out, wait=LOCK_WAIT, on_wait=waiting)


def run_explanation(args: argparse.Namespace, configuration: Configuration) -> int:
    folder: Path = args.source
    info = _info(folder)
    if info is None:
        return EXIT_INPUT
    confdir = configuration(folder, args.conf)
    try:
        with _locked(args.out):
            outputs.recover(args.out)
            files = explanation_files(folder, args.out, confdir, info)
            target = _publish(args.out, "explanation", files)
    except outputs.OutputBusy:
        _error(diagnostic("E141", args.out, None, seconds=int(LOCK_WAIT)))
        return EXIT_INPUT
    except Stop as stop:
        return stop.status
    if not args.quiet:
        print(f"已生成编制说明：{display_path(target)}（{'、'.join(sorted(files))}）")
    return EXIT_OK


# -- stdkit dossier ------------------------------------------------------------------------


def resolution_table_files(folder: Path, info: EditionInfo, out: Path,
                           confdir: Path) -> dict[str, bytes]:
    """The 征求意见汇总处理表 for the package, by file name — the HOOK to tooling.comments.

    Built as ``stdkit comments table`` builds it, from the comments package's own pieces: the
    comments on the 征求意见稿, that draft's numbering (the snapshot ``comments form`` kept),
    the cross-check with the current draft (for the clause numbers in the 报批稿), and its
    writers. Empty when there is no comments/征求意见稿.yaml. If tooling.comments later offers
    one function for this, call it here instead."""
    from ..comments import store
    from ..comments.checks import cross_check
    from ..comments.command import render_table
    from ..comments.numbering import from_edition, snapshot_path
    from ..comments.table import resolution_table
    from ..model import Edition
    from ..sphinx.editions import EditionNotFound, resolve_edition

    stage = stages.COMMENTED_STAGE
    comments = store.load_comments(folder, stage)
    if comments is None:
        return {}
    snapshot = snapshot_path(folder, stage)
    old = Edition.loads(snapshot.read_text("utf-8")) if snapshot.is_file() else None
    fates, next_stage = None, None
    if old is not None and info.stage != stage:
        try:
            new = resolve_edition(str(folder), cache=out / ".cache", confdir=confdir)
        except EditionNotFound as err:
            _error(diagnostic("E142", folder, None, detail=err))
            raise Stop(EXIT_INPUT) from None
        check = cross_check(comments, old, new, next_name=info.stage, new_root=folder)
        for warning in check.warnings:
            _warn(warning)
        fates, next_stage = check.fates, info.stage
    table = resolution_table(comments, old.info if old is not None else info,
                             from_edition(old) if old is not None else None,
                             fates=fates, next_stage=next_stage)
    name = f"{file_stem(info)}_征求意见汇总处理表"
    return {f"{name}{suffix}": data for suffix, data in render_table(table).items()
            if suffix != ".html"}


def run_dossier(args: argparse.Namespace, build: Build, configuration: Configuration) -> int:
    from ..comments.store import CommentsFileError
    from .dossier import (
        CHECKSUMS,
        MANIFEST,
        dossier_name,
        manifest,
        pack,
        review_docx,
        review_xlsx,
    )

    folder: Path = args.source
    info = _info(folder)
    if info is None:
        return EXIT_INPUT
    if info.stage != "报批稿" and not args.preview:
        _error(diagnostic("E239", folder / "standard.yaml", None, stage=info.stage))
        return EXIT_INPUT
    confdir = configuration(folder, args.conf)
    # The 报批稿 text: the same builds as `stdkit build pdf` and `stdkit build docx`.
    for target in ("pdf", "docx"):
        status = build(["build", target, "-q", "--source", str(folder), "--out", str(args.out),
                        "--conf", str(confdir)])
        if status:
            return status
    stem = file_stem(info)
    files: dict[str, bytes] = {}
    descriptions: dict[str, str] = {}
    for kind, what in (("pdf", "标准文本（PDF）"), ("docx", "标准文本（Word）")):
        path = args.out / kind / f"{stem}.{kind}"
        files[path.name] = path.read_bytes()
        descriptions[path.name] = f"{info.stage}{what}"
    try:
        with _locked(args.out):
            outputs.recover(args.out)
            for name, data in explanation_files(folder, args.out, confdir, info).items():
                if not name.endswith(".html"):
                    files[name] = data
                    descriptions[name] = "编制说明"
            try:
                table = resolution_table_files(folder, info, args.out, confdir)
            except CommentsFileError as err:  # the comments file says where it is wrong
                _error(err.diagnostic)
                _error(diagnostic("E240", folder, None, part="征求意见汇总处理表",
                                  detail=err.diagnostic.message))
                return EXIT_INPUT
            for name, data in table.items():
                files[name] = data
                descriptions[name] = "征求意见汇总处理表"
            if not table:
                print("警告：报批材料中没有征求意见汇总处理表（没有 comments/征求意见稿.yaml）",
                      file=sys.stderr)
            review = f"{file_stem(info)}_审查意见及汇总处理表（模板）"
            files[f"{review}.docx"] = review_docx(info)
            files[f"{review}.xlsx"] = review_xlsx(info)
            descriptions[f"{review}.docx"] = "审查意见和审查意见汇总处理表（模板，会后填写）"
            descriptions[f"{review}.xlsx"] = "审查意见汇总处理表（模板，会后填写）"
            text, sums = manifest(info, files, descriptions, preview=info.stage != "报批稿")
            name = dossier_name(info)
            content = {**files, MANIFEST: text.encode("utf-8"), CHECKSUMS: sums.encode("utf-8")}
            written = {f"{name}/{k}": v for k, v in content.items()}
            written[f"{name}.zip"] = pack(name, content)
            target = _publish(args.out, "dossier", written)
    except outputs.OutputBusy:
        _error(diagnostic("E141", args.out, None, seconds=int(LOCK_WAIT)))
        return EXIT_INPUT
    except Stop as stop:
        return stop.status
    if not args.quiet:
        print(f"已生成报批材料：{display_path(target / name)}（{len(content)} 个文件）"
              f"和 {display_path(target / (name + '.zip'))}")
    return EXIT_OK


# -- registration --------------------------------------------------------------------------


def add_parsers(sub: argparse._SubParsersAction, *, build: Build,
                configuration: Configuration) -> None:
    """Register ``stage``, ``explanation`` and ``dossier`` with the CLI's subparsers."""
    stage = sub.add_parser(
        "stage",
        help="把标准改到下一阶段（工作组讨论稿 → 征求意见稿 → 送审稿 → 报批稿 → published）",
        description="把 standard.yaml 中的阶段改为下一阶段（只改写 stage 一行和本稿完成日期，"
        "保留注释和格式），并记入 history.yaml。没有准备好时拒绝并说明原因：送审稿需要每条"
        "意见都已处理的 comments/征求意见稿.yaml；报批稿需要 explanation.md；published 需要"
        "正式编号和日期。",
    )
    stage.add_argument("next", metavar="阶段", help=f"下一阶段：{'、'.join(STAGES)}")
    stage.add_argument("--source", type=Path, default=Path("standard"), help="标准源文件目录")
    stage.add_argument("--date", default=None,
                       help="本稿完成日期和记录的日期 YYYY-MM-DD（默认今天）")
    stage.set_defaults(func=run_stage)

    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--source", type=Path, default=Path("standard"),
                            help="标准源文件目录（默认 standard）")
        parser.add_argument("--out", type=Path, default=Path("_build"),
                            help="输出目录（默认 _build）")
        parser.add_argument("--conf", type=Path, default=None, help="conf.py 所在目录")
        parser.add_argument("-q", "--quiet", action="store_true", help="只输出警告和错误")

    explanation = sub.add_parser(
        "explanation",
        help="生成编制说明（网页、PDF、Word）：起草组写的各节加上自动生成的部分",
        description="读标准目录中的 explanation.md（起草组撰写的各节），加入自动生成的部分："
        "起草单位和主要起草人、主要技术变化和条款对照表（与上一版本的修订对比）、规范性引用"
        "文件、征求意见的统计，写入 OUT/explanation/。",
    )
    common(explanation)
    explanation.set_defaults(func=lambda args: run_explanation(args, configuration))

    dossier = sub.add_parser(
        "dossier",
        help="生成报批材料（报批稿 PDF 和 Word、编制说明、征求意见汇总处理表、审查意见模板、"
             "文件清单）",
        description="为报批稿生成报批材料：OUT/dossier/ 中的一个目录和一个 zip，含报批稿的 PDF 和"
        " Word 版、编制说明（PDF、Word）、征求意见汇总处理表、审查意见及其汇总处理表的模板"
        "（Word、Excel），以及列出每个文件 SHA-256 的 manifest.json 和 SHA256SUMS。"
        "阶段不是报批稿时拒绝；--preview 照样生成，供检查。",
    )
    common(dossier)
    dossier.add_argument("--preview", action="store_true",
                         help="阶段不是报批稿也生成（预览；manifest.json 中 preview 为 true）")
    dossier.set_defaults(func=lambda args: run_dossier(args, build, configuration))


__all__ = ["add_parsers", "explanation_files", "resolution_table_files", "run_dossier",
           "run_explanation", "run_stage"]
