"""``stdkit comments form|collect|table``: the command line of the comments round.

- ``form`` writes, for the standard's current draft, ``OUT/comments/<阶段>-意见反馈表.xlsx`` and
  ``.docx``, and keeps the draft the form was made on as ``comments/<阶段>.draft.json`` in the
  standard folder (its clause index), so that clause numbers in returned forms resolve against
  that draft later, whatever the next draft renumbers;
- ``collect FILE…`` reads returned forms into ``comments/<阶段>.yaml`` (merging, never losing an
  editor's disposition; collecting the same file twice adds nothing), rows it cannot read into
  ``comments/<阶段>.rejects.yaml``;
- ``table`` writes the 征求意见汇总处理表 (``OUT/comments/<阶段>-意见汇总处理表.xlsx/.docx/.html/
  .pdf``) and, when the standard has moved on to the next stage, checks the comments against
  the next draft's diff.

The CLI module registers it with two lines (:func:`add_parser`); the toolkit's conf.py finder is
passed in, so this package needs nothing from :mod:`tooling.cli`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from ..io import atomic
from ..io.diagnostics import Diagnostic, StandardInputError, diagnostic, display_path
from ..model import Edition, EditionInfo
from ..model.explanation import EXPLANATION_FILE, referenced_ids
from ..model.stages import STAGES
from . import store
from .numbering import Numbering, from_edition, snapshot_path

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
FORM_NAME = "{stage}-意见反馈表"
TABLE_NAME = "{stage}-意见汇总处理表"


def add_parser(subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
               configuration: Callable[[Path, Path | None], Path]) -> None:
    """Register ``stdkit comments``; ``configuration(source, --conf)`` finds conf.py."""
    parser = subparsers.add_parser(
        "comments",
        help="征求意见：生成意见反馈表、收集返回的意见、生成征求意见汇总处理表",
        description="征求意见的三步：form 为当前稿生成意见反馈表（.xlsx 和 .docx）；collect 把返回"
        "的意见表读入标准目录的 comments/<阶段>.yaml（按条款标识保存，编号变化后仍对应原条款）；"
        "table 生成征求意见汇总处理表（.xlsx、.docx、HTML、PDF），标准进入下一阶段后同时核对"
        "处理意见与下一稿的修改。",
    )
    sub = parser.add_subparsers(dest="comments_command", required=True, metavar="操作")

    def common(p: argparse.ArgumentParser, out: bool = True) -> None:
        p.add_argument("--source", type=Path, default=Path("standard"),
                       help="标准源文件目录（默认 standard）")
        if out:
            p.add_argument("--out", type=Path, default=Path("_build"),
                           help="输出目录（默认 _build；文件写入 OUT/comments/）")
        else:
            p.add_argument("--out", type=Path, default=Path("_build"),
                           help="构建缓存目录（默认 _build）")
        p.add_argument("--conf", type=Path, default=None, help="conf.py 所在目录（默认自动查找）")
        p.add_argument("--stage", default=None,
                       help="意见所针对的稿的阶段（默认：form 和 collect 为 standard.yaml 中的"
                            "阶段，table 为有意见文件的最近一个阶段）")

    form = sub.add_parser(
        "form", help="生成当前稿的意见反馈表（.xlsx 和 .docx）",
        description="为标准的当前稿生成意见反馈表：OUT/comments/<阶段>-意见反馈表.xlsx（每条一行，"
        "条款标识在隐藏并保护的 A 列）和 .docx（给用 Word 回复的单位），并把这一稿的条款和编号"
        "记录在标准目录的 comments/<阶段>.draft.json 中，收集意见时按它对应章条编号。")
    common(form)
    form.add_argument("--date", default=None,
                      help="本稿完成日期（YYYY-MM-DD），印在表头；也是文件属性中的日期")
    form.set_defaults(func=run, configuration=configuration)

    collect = sub.add_parser(
        "collect", help="把返回的意见表读入 comments/<阶段>.yaml",
        description="读入返回的意见表（.xlsx、.csv、.docx），按条款标识合并到标准目录的"
        " comments/<阶段>.yaml：已有的意见和编辑填写的处理意见不会丢失，同一文件读两次不会重复。"
        "只写了章条编号的行按意见表所依据的稿对应到条款。无法读入的行原样保存在"
        " comments/<阶段>.rejects.yaml 中，计为未能处理；有这样的行时以状态 1 退出。")
    collect.add_argument("files", nargs="+", type=Path, metavar="FILE", help="返回的意见表")
    common(collect, out=False)
    collect.add_argument("--unit", default=None,
                         help="提出单位（意见表的表头没有填写时，或 CSV 没有“提出单位”列时）")
    collect.set_defaults(func=run, configuration=configuration)

    table = sub.add_parser(
        "table", help="生成征求意见汇总处理表（.xlsx、.docx、HTML、PDF）",
        description="由 comments/<阶段>.yaml 生成征求意见汇总处理表：序号、标准章条编号（征求意见"
        "稿的编号，标准进入下一阶段后还有下一稿的编号或“已删除”）、意见内容、提出单位、处理意见、"
        "备注，表头有标准名称、负责起草单位、日期和统计。标准已进入下一阶段时，与下一稿的修改"
        "核对：采纳的意见所针对的条款没有修改（E220），技术性修改没有相应的意见（E221）。")
    common(table)
    table.add_argument("--date", default=None,
                       help="表头的日期（YYYY-MM-DD；默认为最近一份回函的日期）")
    table.add_argument("--draft", default=None,
                       help="意见所针对的稿（源文件目录、clause-index.json 或 git 版本；默认为"
                            " comments/<阶段>.draft.json，没有时为当前目录）")
    table.set_defaults(func=run, configuration=configuration)


def run(args: argparse.Namespace) -> int:
    source: Path = args.source
    if not (source / "standard.yaml").is_file():
        print(f"错误：{source} 不是标准源文件目录（缺少 standard.yaml）"
              "(not a standard source folder)", file=sys.stderr)
        return EXIT_USAGE
    try:
        info = _info(source)
        if args.stage is not None:
            store.check_stage(args.stage)
        return {"form": _form, "collect": _collect, "table": _table}[args.comments_command](
            args, info)
    except StandardInputError as err:
        for diag in err.diagnostics:
            _error(diag)
        return EXIT_INPUT
    except store.CommentsFileError as err:
        _error(err.diagnostic)
        return EXIT_INPUT
    except ValueError as err:
        print(diagnostic("E143", "--stage", None, option="--stage", detail=err),
              file=sys.stderr)
        return EXIT_USAGE


def _info(source: Path) -> EditionInfo:
    from ..model.edition_metadata import load_edition_info

    return load_edition_info(source / "standard.yaml")


def _error(diag: Diagnostic) -> None:
    print(f"{diag.location}: ERROR: {diag.code} {diag.message} [stdkit.{diag.name}]",
          file=sys.stderr)


def _warning(diag: Diagnostic) -> None:
    print(f"{diag.location}: WARNING: {diag.code} {diag.message} [stdkit.{diag.name}]",
          file=sys.stderr)


class _Editions:
    """Getting an edition's model through a build (cached in OUT/.cache), as stdkit diff does."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args

    def get(self, spec: str) -> Edition | None:
        from ..sphinx.editions import EditionNotFound, resolve_edition

        confdir = self.args.configuration(Path(spec) if Path(spec).is_dir() else Path("."),
                                          self.args.conf)
        try:
            return resolve_edition(spec, cache=self.args.out / ".cache", confdir=confdir)
        except EditionNotFound as err:
            print(diagnostic("E142", spec, None, detail=err), file=sys.stderr)
            return None


def _snapshot(folder: Path, stage: str) -> Edition | None:
    path = snapshot_path(folder, stage)
    if not path.is_file():
        return None
    try:
        return Edition.loads(path.read_text("utf-8"))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as err:
        raise store.CommentsFileError(diagnostic(
            "E210", path, None, detail=f"编号快照无法读取（{err}）；可重新运行 stdkit comments form"
        )) from None


# --- form ---------------------------------------------------------------------------------------


def _form(args: argparse.Namespace, info: EditionInfo) -> int:
    from .forms import form_docx, form_info, form_xlsx

    stage = args.stage or info.stage
    edition = _Editions(args).get(str(args.source))
    if edition is None:
        return EXIT_INPUT
    numbering = from_edition(edition)
    f = form_info(edition.info, stage, numbering, args.date)
    out = args.out / "comments"
    name = FORM_NAME.format(stage=stage)
    atomic.write_bytes(out / f"{name}.xlsx", form_xlsx(f, numbering))
    atomic.write_bytes(out / f"{name}.docx", form_docx(f))
    snap = snapshot_path(args.source, stage)
    text = edition.dumps()
    if not snap.is_file() or snap.read_text("utf-8") != text:
        atomic.write_text(snap, text)
    print(f"已生成意见反馈表：{display_path(out / name)}.xlsx、.docx"
          f"（{len(numbering.form_rows())} 行）")
    print(f"已记录{stage}的条款和编号：{display_path(snap)}（收集意见时按它对应章条编号，"
          "请与标准一起保存）")
    return EXIT_OK


# --- collect ------------------------------------------------------------------------------------


def _collect(args: argparse.Namespace, info: EditionInfo) -> int:
    from .collect import display_name, resolve_form
    from .reading import FormError, read_form

    folder: Path = args.source
    files: list[Path] = args.files
    forms = []
    for path in files:  # every file is read before anything is written
        try:
            forms.append(read_form(path))
        except FormError as err:
            _error(err.diagnostic)
            print("未写入任何意见（nothing written）", file=sys.stderr)
            return EXIT_INPUT
    stage = args.stage or next((f.stage for f in forms if f.stage), None) or info.stage
    store.check_stage(stage)
    existing = store.load_comments(folder, stage) or store.CommentSet(
        stage, store.comments_path(folder, stage))
    numbering = _numbering_for(args, folder, stage, info, forms)
    rejects_name = display_path(store.rejects_path(folder, stage))
    draft_name = f"《{info.title_zh}》{stage}"
    collected = []
    for form in forms:
        c = resolve_form(form, numbering, stage=stage, unit=args.unit,
                         rejects_name=rejects_name, draft_name=draft_name,
                         source_name=display_name(form.path, files))
        for w in c.warnings:
            _warning(w)
        for p in c.problems:
            _error(p)
        collected.append(c)
    draft = store.Draft(number=info.number, title=info.title_zh, stage=stage,
                        fingerprint=next((c.draft.fingerprint for c in collected if c.draft),
                                         numbering.fingerprint if numbering else None))
    merged = store.merge(
        existing, [x for c in collected for x in c.comments], [c.reply for c in collected],
        [x for c in collected for x in c.rejects], draft,
        order=numbering.order() if numbering else ())
    for kept, given in merged.conflicts:
        src = given.source
        _warning(diagnostic("E217", src.file if src else "?", src.row if src else None,
                            where=src.describe() if src else "", given=given.disposition,
                            kept=kept.disposition))
    store.write_comments(folder, merged.comments)
    rejected = sum(len(c.rejects) for c in collected)
    path = store.comments_path(folder, stage)
    print(f"已读入 {len(files)} 个文件：新增意见 {merged.added} 条，已有 {merged.known} 条"
          + (f"，从表中读入处理意见 {merged.decided} 条" if merged.decided else "")
          + f" → {display_path(path)}")
    if rejected:
        print(f"无法读入 {rejected} 行，已原样保存在 {rejects_name}", file=sys.stderr)
        return EXIT_INPUT
    return EXIT_OK


def _numbering_for(args: argparse.Namespace, folder: Path, stage: str, info: EditionInfo,
                   forms: Iterable[object]) -> Numbering | None:
    """The numbering of the draft commented on: the snapshot ``comments form`` kept, else
    (when the standard is still at that stage) the current draft; None when neither exists.
    Rows of our .xlsx forms carry their own numbering and do not need it."""
    snap = _snapshot(folder, stage)
    if snap is not None:
        return from_edition(snap)
    if info.stage != stage:
        print(f"注意：没有{stage}的编号快照（{display_path(snapshot_path(folder, stage))}），"
              "只写了章条编号的行无法对应到条款", file=sys.stderr)
        return None
    if all(getattr(f, "numbering", None) is not None for f in forms):
        return None
    edition = _Editions(args).get(str(folder))
    return from_edition(edition) if edition is not None else None


# --- table --------------------------------------------------------------------------------------


def choose_stage(folder: Path, current: str) -> str:
    """The stage whose comments the table is for: the current stage's when they exist, else
    the latest stage before it that has a comments file, else the current stage."""
    if store.comments_path(folder, current).is_file():
        return current
    earlier = STAGES[: STAGES.index(current)] if current in STAGES else STAGES
    for stage in reversed(earlier):
        if store.comments_path(folder, stage).is_file():
            return stage
    return current


def _table(args: argparse.Namespace, info: EditionInfo) -> int:
    from .checks import Fate, cross_check, unknown_clauses
    from .table import resolution_table

    folder: Path = args.source
    stage = args.stage or choose_stage(folder, info.stage)
    comments = store.load_comments(folder, stage)
    if comments is None:
        print(diagnostic("E210", store.comments_path(folder, stage), None,
                         detail=f"没有{stage}的意见文件；先用 stdkit comments collect 读入意见"),
              file=sys.stderr)
        return EXIT_INPUT
    editions = _Editions(args)
    moved_on = info.stage != stage
    old: Edition | None
    if args.draft:
        old = editions.get(args.draft)
        if old is None:
            return EXIT_INPUT
    else:
        old = _snapshot(folder, stage)
    new: Edition | None = None
    if moved_on or old is None:
        current = editions.get(str(folder))
        if current is None:
            return EXIT_INPUT
        if moved_on:
            new = current
        else:
            old = current
    fates = None
    next_stage = None
    if old is not None:
        for w in unknown_clauses(comments, old, f"《{old.info.title_zh}》{stage}"):
            _warning(w)
    if new is not None and old is not None:
        check = cross_check(comments, old, new, explained_ids(folder),
                            next_name=f"{info.stage}", new_root=folder)
        for w in check.warnings:
            _warning(w)
        fates = check.fates
        next_stage = info.stage
    elif new is not None:
        # No record of the draft commented on: the numbers typed on the forms stand for it,
        # and the ids still say where each clause is now; there is nothing to diff against.
        print(f"注意：没有{stage}的编号快照（{display_path(snapshot_path(folder, stage))}），"
              f"{stage}的编号按意见上写的列出，未与{info.stage}的修改核对", file=sys.stderr)
        numbers = from_edition(new)
        fates = {cid: Fate(None, cid if cid in new else None, numbers.label(cid), False)
                 for cid in comments.clause_ids()}
        next_stage = info.stage
    base = old.info if old is not None else info
    t = resolution_table(comments, base, from_edition(old) if old else None, fates=fates,
                         next_stage=next_stage, date=args.date)
    files = render_table(t)
    out = args.out / "comments"
    name = TABLE_NAME.format(stage=stage)
    for suffix, data in files.items():
        atomic.write_bytes(out / f"{name}{suffix}", data)
    s = t.statistics
    print(f"已生成征求意见汇总处理表：{display_path(out / name)}"
          f"{'、'.join(files)}（意见 {s.received} 条：采纳 {s.adopted}，部分采纳 "
          f"{s.partly_adopted}，未采纳 {s.not_adopted}，待处理 {s.undecided}；"
          f"未能读入 {s.unresolved} 行）")
    return EXIT_OK


def explained_ids(folder: Path) -> frozenset[str]:
    """Clause ids the 编制说明 (``explanation.md``) cites with {clause-ref}: a technical change
    explained there needs no comment (E221)."""
    path = folder / EXPLANATION_FILE
    if not path.is_file():
        return frozenset()
    return referenced_ids(path.read_text("utf-8", errors="replace"))


def render_table(t: object) -> dict[str, bytes]:
    """The table as .xlsx, .docx, .html and (when fonts are found) .pdf, by suffix."""
    from ..typeset import FontsNotFound, choose_fonts
    from .table import table_docx, table_html, table_typst, table_xlsx

    files = {".xlsx": table_xlsx(t), ".docx": table_docx(t),  # type: ignore[arg-type]
             ".html": table_html(t).encode("utf-8")}  # type: ignore[arg-type]
    try:
        import typst

        fonts = choose_fonts()
        source = table_typst(t, fonts.serif, fonts.sans)  # type: ignore[arg-type]
        files[".pdf"] = typst.compile(source.encode("utf-8"), format="pdf",
                                      font_paths=list(fonts.font_paths))
    except FontsNotFound as err:
        print(f"警告：未生成 PDF：{err}", file=sys.stderr)
    return files


__all__ = ["add_parser", "choose_stage", "explained_ids", "render_table", "run"]
