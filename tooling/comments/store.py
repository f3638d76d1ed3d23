"""``comments/<stage>.yaml``: the comments on one draft, keyed by clause id, and their disposition.

A standard folder keeps, for each stage its drafts went out at, one file of comments::

    draft: {number: DB3715/T XXXX—XXXX, title: 城市社区楼长管理与服务规范, stage: 征求意见稿}
    consulted: [聊城市民政局, 东昌府区民政局]          # units asked for comments
    replies:
      - {unit: 聊城市民政局, contact: 李××, date: 2025-04-10, file: 民政局.xlsx}
      - {unit: 东昌府区民政局, date: 2025-04-12, no_comments: true}
    comments:
      visit-coverage:                             # the clause id: survives renumbering
        - unit: 聊城市民政局
          number: "6.2.1"                          # as typed, in the draft commented on
          comment: 走访覆盖率100%难以做到
          proposal: 改为不低于95%
          reason: 部分住户长期不在家
          source: {file: 民政局.xlsx, sheet: 征求意见表, row: 14}
          disposition: 部分采纳                     # 采纳 / 部分采纳 / 未采纳
          disposition_reason: 保留100%，增加“因住户原因无法走访的除外”

``_general`` holds comments on the whole draft. Rows of returned forms that could not be read
are kept verbatim beside it in ``comments/<stage>.rejects.yaml`` and counted as unresolved.

The file is data: read with the safe YAML loader (:mod:`tooling.io.safeyaml`), checked against
``schemas/comments.schema.json``; a file that is not valid raises :class:`CommentsFileError`
with one diagnostic naming the file and line (E210; E211 for a 部分采纳 or 未采纳 without a
reason). Writing goes through :mod:`tooling.io.atomic` and keeps the file's leading comment
block, so a note such as "illustrative data" survives ``stdkit comments collect``. Pure: no
Sphinx.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ..io import atomic, safeyaml
from ..io.diagnostics import Diagnostic, diagnostic
from ..model.clause_metadata import explain, first_error, schema

COMMENTS_DIR = "comments"
SCHEMA = "comments.schema.json"
GENERAL = "_general"  # the key of comments on the draft as a whole
ADOPTED, PARTLY, NOT_ADOPTED = "采纳", "部分采纳", "未采纳"
DISPOSITIONS = (ADOPTED, PARTLY, NOT_ADOPTED)
NEEDS_REASON = (PARTLY, NOT_ADOPTED)
# A stage names a file in comments/: a plain name, never a path.
_STAGE = re.compile(r"^[^/\\.:*?\"<>|\s][^/\\:*?\"<>|\s]{0,39}$")


class CommentsFileError(Exception):
    """A comments (or rejects) file that is not valid: one diagnostic says where and why."""

    def __init__(self, diag: Diagnostic) -> None:
        super().__init__(str(diag))
        self.diagnostic = diag


@dataclass(frozen=True)
class Source:
    """Where a comment was read from: a returned form, its sheet and row (1-based)."""

    file: str
    sheet: str | None = None
    row: int | None = None

    def describe(self) -> str:
        parts = [self.file, *([f"工作表“{self.sheet}”"] if self.sheet else []),
                 *([f"第{self.row}行"] if self.row else [])]
        return " ".join(parts)


@dataclass(frozen=True)
class Draft:
    """The draft commented on, as the form named it."""

    number: str | None = None
    title: str | None = None
    stage: str | None = None
    date: str | None = None  # 本稿完成日期
    fingerprint: str | None = None  # of the numbering snapshot the form was made on


@dataclass(frozen=True)
class Reply:
    """One reply received: a unit, who to ask, when, and the file (or none: 无意见)."""

    unit: str
    contact: str | None = None
    date: str | None = None
    file: str | None = None
    no_comments: bool = False
    line: int | None = field(default=None, compare=False)  # 1-based line in the comments file


@dataclass(frozen=True)
class Comment:
    """One comment on one clause (``clause`` is its id, or :data:`GENERAL`)."""

    clause: str
    unit: str
    comment: str
    number: str | None = None  # the clause number as typed, in the draft commented on
    proposal: str | None = None  # 修改建议
    reason: str | None = None  # the commenter's 理由
    source: Source | None = None
    disposition: str | None = None  # 采纳 / 部分采纳 / 未采纳; None: not decided yet
    disposition_reason: str | None = None
    line: int | None = field(default=None, compare=False)  # 1-based line in the comments file

    @property
    def identity(self) -> tuple[str, str, str, str, str]:
        """What makes two comments the same one (collecting a file twice adds nothing)."""
        return (self.clause, _norm(self.unit), _norm(self.comment), _norm(self.proposal or ""),
                _norm(self.reason or ""))


@dataclass(frozen=True)
class Reject:
    """A row of a returned form that could not be read, kept verbatim."""

    file: str
    problem: str
    cells: tuple[str, ...]
    sheet: str | None = None
    row: int | None = None
    unit: str | None = None

    @property
    def identity(self) -> tuple[str, str | None, int | None, tuple[str, ...]]:
        return (self.file, self.sheet, self.row, self.cells)


@dataclass(frozen=True)
class CommentSet:
    """The comments on one stage's draft: units consulted, replies, comments, rejected rows."""

    stage: str
    path: Path | None = None
    draft: Draft = Draft()
    consulted: tuple[str, ...] = ()
    replies: tuple[Reply, ...] = ()
    comments: tuple[Comment, ...] = ()  # in file order (clause by clause)
    rejects: tuple[Reject, ...] = ()

    def for_clause(self, clause_id: str) -> tuple[Comment, ...]:
        return tuple(c for c in self.comments if c.clause == clause_id)

    def clause_ids(self) -> tuple[str, ...]:
        """The clauses commented on, in file order, without :data:`GENERAL`."""
        return tuple(dict.fromkeys(c.clause for c in self.comments if c.clause != GENERAL))

    def units_replied(self) -> tuple[str, ...]:
        """Every unit that replied: a reply, a comment or a rejected row, first seen first."""
        units = [r.unit for r in self.replies] + [c.unit for c in self.comments]
        units += [r.unit for r in self.rejects if r.unit]
        return tuple(dict.fromkeys(_norm(u) for u in units))


@dataclass(frozen=True)
class CommentStatistics:
    """The figures of the 征求意见汇总处理表 and the 编制说明."""

    units_consulted: int
    units_replied: int
    replied_with_comments: int
    replied_without_comments: int
    units_not_replied: int
    received: int
    adopted: int
    partly_adopted: int
    not_adopted: int
    undecided: int  # comments with no 处理意见 yet
    unresolved: int  # rows kept in the rejects file (could not be read / resolved)


def comment_statistics(comments: CommentSet) -> CommentStatistics:
    """Units: consulted = the list of units consulted plus any other unit that replied;
    replied with comments = units with a comment (or a row kept in the rejects file)."""
    replied = comments.units_replied()
    consulted = set(_norm(u) for u in comments.consulted) | set(replied)
    with_comments = {_norm(c.unit) for c in comments.comments}
    with_comments |= {_norm(r.unit) for r in comments.rejects if r.unit}
    counts = {d: sum(1 for c in comments.comments if c.disposition == d) for d in DISPOSITIONS}
    return CommentStatistics(
        units_consulted=len(consulted),
        units_replied=len(replied),
        replied_with_comments=len(with_comments),
        replied_without_comments=len(replied) - len(with_comments),
        units_not_replied=len(consulted) - len(replied),
        received=len(comments.comments),
        adopted=counts[ADOPTED],
        partly_adopted=counts[PARTLY],
        not_adopted=counts[NOT_ADOPTED],
        undecided=sum(1 for c in comments.comments if c.disposition is None),
        unresolved=len(comments.rejects),
    )


# --- paths --------------------------------------------------------------------------------------


def check_stage(stage: str) -> str:
    """The stage as a file name; ValueError for anything that could leave comments/."""
    if not isinstance(stage, str) or not _STAGE.match(stage):
        raise ValueError(f"阶段名称“{stage}”不能用作文件名")
    return stage


def comments_path(folder: Path, stage: str) -> Path:
    return Path(folder) / COMMENTS_DIR / f"{check_stage(stage)}.yaml"


def rejects_path(folder: Path, stage: str) -> Path:
    return Path(folder) / COMMENTS_DIR / f"{check_stage(stage)}.rejects.yaml"


# --- reading ------------------------------------------------------------------------------------


def load_comments(folder: Path, stage: str) -> CommentSet | None:
    """The comments on ``stage``'s draft of the standard in ``folder``; None when there is no
    ``comments/<stage>.yaml``. Raise :class:`CommentsFileError` for a file that is not valid
    (the comments file or its rejects file)."""
    path = comments_path(folder, stage)
    if not path.is_file():
        return None
    data, lines = _read(path, SCHEMA_MAIN)
    rejects = load_rejects(rejects_path(folder, stage))
    return _build(stage, path, data or {}, lines, rejects)


def load_rejects(path: Path) -> tuple[Reject, ...]:
    """The rows kept in a rejects file; none when it does not exist."""
    if not path.is_file():
        return ()
    data, _lines = _read(path, SCHEMA_REJECTS)
    if not data:
        return ()
    return tuple(
        Reject(file=r["file"], problem=r["problem"], cells=tuple(r["cells"]),
               sheet=r.get("sheet"), row=r.get("row"), unit=r.get("unit"))
        for r in data.get("rejects", ()))


SCHEMA_MAIN = "main"
SCHEMA_REJECTS = "rejects"


def _schema(which: str) -> dict[str, Any]:
    main = schema(SCHEMA)
    if which == SCHEMA_MAIN:
        return main
    return {"$ref": "#/$defs/rejects", "$defs": main["$defs"]}


def _read(path: Path, which: str) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """The data and the 1-based line of every node, by its path of keys and indexes."""

    def fail(line: int | None, detail: str) -> CommentsFileError:
        return CommentsFileError(diagnostic("E210", path, line, detail=detail))

    text, loaded = safeyaml.load_file(path, fail)
    data = loaded.data
    if data is None:
        return None, {}
    lines = _node_lines(text)
    if not isinstance(data, dict):
        raise fail(1, "内容应为映射（draft、consulted、replies、comments 等键）")
    err = first_error(data, _schema(which))
    if err is not None:
        where = tuple(err.absolute_path)
        if err.validator == "propertyNames" or "propertyNames" in err.schema_path:
            bad = str(err.instance)
            line = lines.get((*where, bad), _nearest(lines, where))
            raise fail(line, f"comments 下的“{bad}”不是条款的标识（小写英文字母、数字和连字符，"
                             f"以字母开头），也不是 {GENERAL}")
        line = _nearest(lines, where)
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            known = err.schema.get("properties", {})
            extra = [k for k in err.instance if k not in known]
            line = lines.get((*where, extra[0]), line) if extra else line
        raise fail(line, explain(err))
    return data, lines


def _node_lines(text: str) -> dict[tuple[Any, ...], int]:
    """Line (1-based) of every mapping value and sequence item; the text was already checked by
    the safe loader (no tags beyond the safe ones, no aliases)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    out: dict[tuple[Any, ...], int] = {}
    stack: list[tuple[tuple[Any, ...], Any]] = [((), root)]
    while stack:
        path, node = stack.pop()
        if node is None:
            continue
        out.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, key.value)
                out[child] = key.start_mark.line + 1  # a key's line is where the user looks
                stack.append((child, value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                stack.append(((*path, i), item))
    return out


def _nearest(lines: dict[tuple[Any, ...], int], where: Sequence[Any]) -> int | None:
    path = tuple(where)
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


def _build(stage: str, path: Path, data: dict[str, Any], lines: dict[tuple[Any, ...], int],
           rejects: tuple[Reject, ...]) -> CommentSet:
    d = data.get("draft") or {}
    draft = Draft(number=d.get("number"), title=d.get("title"), stage=d.get("stage"),
                  date=_str(d.get("date")), fingerprint=d.get("fingerprint"))
    replies = tuple(
        Reply(unit=r["unit"].strip(), contact=r.get("contact"), date=_str(r.get("date")),
              file=r.get("file"), no_comments=bool(r.get("no_comments", False)),
              line=lines.get(("replies", i)))
        for i, r in enumerate(data.get("replies") or ()))
    comments: list[Comment] = []
    for clause, items in (data.get("comments") or {}).items():
        for i, c in enumerate(items):
            src = c.get("source")
            comment = Comment(
                clause=clause, unit=c["unit"].strip(), comment=c["comment"],
                number=_str(c.get("number")), proposal=c.get("proposal") or None,
                reason=c.get("reason") or None,
                source=Source(src["file"], src.get("sheet"), src.get("row")) if src else None,
                disposition=c.get("disposition"),
                disposition_reason=(c.get("disposition_reason") or "").strip() or None,
                line=lines.get(("comments", clause, i)))
            if comment.disposition in NEEDS_REASON and not comment.disposition_reason:
                line = lines.get(("comments", clause, i, "disposition"), comment.line)
                raise CommentsFileError(diagnostic(
                    "E211", path, line, clause=_clause_label(comment), unit=comment.unit,
                    disposition=comment.disposition))
            comments.append(comment)
    return CommentSet(stage=stage, path=path, draft=draft,
                      consulted=tuple(u.strip() for u in data.get("consulted") or ()),
                      replies=replies, comments=tuple(comments), rejects=rejects)


def _clause_label(c: Comment) -> str:
    if c.clause == GENERAL:
        return "总体意见"
    return f"{c.number}（{c.clause}）" if c.number else f"“{c.clause}”"


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _norm(text: str) -> str:
    """Whitespace does not make a different comment or unit."""
    return " ".join(text.split())


# --- merging and writing ------------------------------------------------------------------------


@dataclass(frozen=True)
class Merge:
    """What merging collected comments into a set did."""

    comments: CommentSet
    added: int  # new comments
    known: int  # comments already in the file (collected before)
    decided: int  # dispositions taken from the collected rows
    conflicts: tuple[tuple[Comment, Comment], ...]  # (kept, given): dispositions that differ


def merge(existing: CommentSet, comments: Iterable[Comment], replies: Iterable[Reply] = (),
          rejects: Iterable[Reject] = (), draft: Draft | None = None,
          order: Sequence[str] = ()) -> Merge:
    """Add collected comments, replies and rejected rows to ``existing``, never losing what is
    there: a comment already in the set (same clause, unit and words) keeps the editor's
    disposition; a collected disposition fills one that is missing, and one that differs is
    reported, not taken. ``order`` is the draft's clause ids in document order: comments are
    kept clause by clause in that order (clauses it does not know stay where they were)."""
    kept = list(existing.comments)
    index = {c.identity: i for i, c in enumerate(kept)}
    added = known = decided = 0
    conflicts: list[tuple[Comment, Comment]] = []
    for c in comments:
        i = index.get(c.identity)
        if i is None:
            index[c.identity] = len(kept)
            kept.append(c)
            added += 1
            continue
        known += 1
        old = kept[i]
        if c.disposition is None:
            continue
        if old.disposition is None:
            kept[i] = _with(old, disposition=c.disposition,
                            disposition_reason=old.disposition_reason or c.disposition_reason)
            decided += 1
        elif old.disposition != c.disposition:
            conflicts.append((old, c))
    new_replies = list(existing.replies)
    seen = {_reply_key(r) for r in new_replies}
    for r in replies:
        if _reply_key(r) not in seen:
            seen.add(_reply_key(r))
            new_replies.append(r)
    new_rejects = list(existing.rejects)
    seen_rejects = {r.identity for r in new_rejects}
    for r in rejects:
        if r.identity not in seen_rejects:
            seen_rejects.add(r.identity)
            new_rejects.append(r)
    rank = {cid: i for i, cid in enumerate(order)}
    first_seen = {cid: i for i, cid in enumerate(dict.fromkeys(c.clause for c in kept))}

    def place(c: Comment) -> tuple[int, int, int]:
        if c.clause == GENERAL:
            return (0, 0, 0)
        if c.clause in rank:
            return (1, rank[c.clause], 0)
        return (2, first_seen[c.clause], 0)

    ordered = sorted(kept, key=place)  # stable: within a clause, first collected first
    result = CommentSet(
        stage=existing.stage, path=existing.path,
        draft=_merge_draft(existing.draft, draft), consulted=existing.consulted,
        replies=tuple(new_replies), comments=tuple(ordered), rejects=tuple(new_rejects))
    return Merge(result, added, known, decided, tuple(conflicts))


def _reply_key(r: Reply) -> tuple[str, str | None, bool]:
    return (_norm(r.unit), r.file, r.no_comments)


def _merge_draft(old: Draft, new: Draft | None) -> Draft:
    if new is None:
        return old
    return Draft(**{k: getattr(old, k) or getattr(new, k)
                    for k in ("number", "title", "stage", "date", "fingerprint")})


def _with(c: Comment, **changes: Any) -> Comment:
    return replace(c, **changes)


def dumps(comments: CommentSet, header: str = "") -> str:
    """The comments file's text: fixed key order, Chinese as is, ``header`` (comment lines)
    first. The same set always gives the same text."""
    data: dict[str, Any] = {}
    draft = {k: getattr(comments.draft, k) for k in
             ("number", "title", "stage", "date", "fingerprint") if getattr(comments.draft, k)}
    if draft:
        data["draft"] = _Flow(draft)
    if comments.consulted:
        data["consulted"] = list(comments.consulted)
    if comments.replies:
        data["replies"] = [_Flow(_drop_none({
            "unit": r.unit, "contact": r.contact, "date": r.date, "file": r.file,
            "no_comments": True if r.no_comments else None})) for r in comments.replies]
    grouped: dict[str, list[dict[str, Any]]] = {}
    for c in comments.comments:
        grouped.setdefault(c.clause, []).append(_drop_none({
            "unit": c.unit, "number": c.number, "comment": c.comment, "proposal": c.proposal,
            "reason": c.reason,
            "source": _Flow(_drop_none({"file": c.source.file, "sheet": c.source.sheet,
                                        "row": c.source.row})) if c.source else None,
            "disposition": c.disposition, "disposition_reason": c.disposition_reason}))
    data["comments"] = grouped
    return header + _dump(data)


def dumps_rejects(rejects: Sequence[Reject], header: str = "") -> str:
    data = {"rejects": [_drop_none({
        "file": r.file, "sheet": r.sheet, "row": r.row, "unit": r.unit, "problem": r.problem,
        "cells": _FlowList(r.cells)}) for r in rejects]}
    return header + _dump(data)


def write_comments(folder: Path, comments: CommentSet) -> None:
    """Write ``comments/<stage>.yaml`` (and its rejects file when there are rejected rows),
    each atomically, keeping the leading comment block of the file being replaced."""
    path = comments_path(folder, comments.stage)
    atomic.write_text(path, dumps(comments, leading_comments(path)))
    rpath = rejects_path(folder, comments.stage)
    if comments.rejects:
        atomic.write_text(rpath, dumps_rejects(
            comments.rejects, leading_comments(rpath) or _REJECTS_HEADER))


_REJECTS_HEADER = (
    "# 无法读入的意见行，原样保留（stdkit comments collect 写入）。改正后可以把意见抄入意见文件，\n"
    "# 再删除这里的相应项；这里的每一项在统计中计为“未能处理”。\n"
    "# Rows of returned forms that could not be read, kept verbatim; counted as unresolved.\n")


def leading_comments(path: Path) -> str:
    """The ``#`` lines (and blank lines) at the top of an existing file."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
    out = []
    for line in text.splitlines(keepends=True):
        if line.startswith("#") or not line.strip():
            out.append(line if line.endswith("\n") else line + "\n")
        else:
            break
    return "".join(out)


class _Dumper(yaml.SafeDumper):
    """Block style; long texts stay on one line (no folding that an editor would have to undo)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)  # indent list items under their key


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> Any:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


class _Flow(dict):  # type: ignore[type-arg]
    """A small mapping written on one line: {file: 甲.xlsx, sheet: 征求意见表, row: 14}."""


class _FlowList(list):  # type: ignore[type-arg]
    """A row's cells, on one line as they were in the row."""


_Dumper.add_representer(str, _str_presenter)
_Dumper.add_representer(_Flow, lambda d, v: d.represent_mapping(
    "tag:yaml.org,2002:map", v.items(), flow_style=True))
_Dumper.add_representer(_FlowList, lambda d, v: d.represent_sequence(
    "tag:yaml.org,2002:seq", v, flow_style=True))


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000,
                     default_flow_style=False)


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}
