"""``stdkit stage NEXT``: move a standard to its next stage, or say why it is not ready.

The move rewrites one line of ``standard.yaml`` (``stage:``) and, for a draft, the
``draft_completed:`` line (本稿完成日期) in place: the editor's comments, key order and quoting
stay as they were (a YAML round trip would drop them). The move is recorded in
``history.yaml`` beside it, an append-only list (why a file of its own: ``history:`` in
standard.yaml already means the 历次版本 the 前言 prints, and a file nobody edits by hand can
only grow). Both files are written atomically; if the second write fails the first is put back.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..io import atomic, safeyaml
from ..io.diagnostics import Diagnostic, StandardInputError, diagnostic
from ..model import EditionInfo
from ..model.edition_metadata import PLACEHOLDER_DATE, load_edition_info
from ..model.explanation import EXPLANATION_FILE
from ..model.stages import PUBLISHED, STAGES, next_stage

HISTORY_FILE = "history.yaml"
HISTORY_HEADER = (
    "# 阶段记录（stdkit stage 每次改阶段时在末尾追加一条；不要改动已有的条目）。\n"
    "# Stage history: appended by `stdkit stage`, one entry per move.\n"
)
COMMENTED_STAGE = "征求意见稿"  # the stage whose comments must be settled before review
# `stage: 征求意见稿   # comment`: the key, the value (plain or quoted) and the rest of the line.
_LINE = re.compile(r"""^(?P<key>{key}:[ \t]*)(?P<value>"[^"\n]*"|'[^'\n]*'|[^\s#]+)(?P<rest>.*)$""")


class StageRefused(Exception):
    """The move is not possible now: one diagnostic says why and where."""

    def __init__(self, diag: Diagnostic) -> None:
        super().__init__(str(diag))
        self.diagnostic = diag


@dataclass(frozen=True)
class StageMove:
    """What ``stdkit stage`` will write."""

    folder: Path
    old: str
    new: str
    date: str
    standard_yaml: str  # the new text of standard.yaml
    history_yaml: str  # the new text of history.yaml


def _line_of(text: str, key: str) -> int | None:
    """The 0-based line of top-level ``key``, if it is on a line of its own."""
    pattern = re.compile(rf"^{re.escape(key)}:", re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) if match else None


def _set_value(text: str, key: str, value: str, *, after: str | None = None) -> str | None:
    """``text`` with the value of top-level ``key`` replaced, keeping the line's spacing and
    comment; a new line after ``after`` when the key is absent. None if neither is possible."""
    lines = text.splitlines(keepends=True)
    index = _line_of(text, key)
    if index is not None:
        line = lines[index]
        body = line.rstrip("\r\n")
        match = re.match(_LINE.pattern.format(key=re.escape(key)), body)
        if match is None:  # a block scalar or something else we will not guess about
            return None
        old = match["value"]
        quote = old[0] if old[:1] in ("'", '"') else ""  # keep the editor's quoting
        lines[index] = match["key"] + quote + value + quote + match["rest"] + line[len(body):]
        return "".join(lines)
    if after is None:
        return None
    anchor = _line_of(text, after)
    if anchor is None:
        return None
    newline = "\r\n" if lines[anchor].endswith("\r\n") else "\n"
    if not lines[anchor].endswith(("\n", "\r")):
        lines[anchor] += newline
    lines.insert(anchor + 1, f"{key}: {value}{newline}")
    return "".join(lines)


def _refuse(code: str, path: Path, line: int | None, **params: object) -> StageRefused:
    return StageRefused(diagnostic(code, path, line, **params))


def check_ready(folder: Path, info: EditionInfo, target: str, text: str) -> None:
    """Raise :class:`StageRefused` when ``target`` is not the next stage, or the standard is
    not ready for it (comments not settled, no 编制说明, placeholders left)."""
    path = folder / "standard.yaml"
    stage_line = (_line_of(text, "stage") or 0) + 1
    if target not in STAGES:
        raise _refuse("E230", path, stage_line, old=info.stage, new=target,
                      detail=f"没有这个阶段；阶段依次为 {' → '.join(STAGES)}")
    expected = next_stage(info.stage)
    if target != expected:
        detail = (f"下一阶段是“{expected}”（阶段依次为 {' → '.join(STAGES)}，每次前进一个）"
                  if expected else "已经是正式发布的版本，没有下一阶段")
        raise _refuse("E230", path, stage_line, old=info.stage, new=target, detail=detail)
    if target == "送审稿":
        _check_comments(folder)
    if target == "报批稿" and not (folder / EXPLANATION_FILE).is_file():
        raise _refuse("E233", folder / EXPLANATION_FILE, None)
    if target == PUBLISHED:
        missing = []
        if "XXXX" in info.number:
            missing.append(("number", f"编号 {info.number} 中的顺序号 XXXX"))
        for key, name in (("issued", "发布日期"), ("implemented", "实施日期")):
            if getattr(info, key) is None:
                missing.append((key, f"{name}（{key}: {PLACEHOLDER_DATE} 或未写）"))
        if missing:
            line = _line_of(text, missing[0][0])
            raise _refuse("E234", path, line + 1 if line is not None else None,
                          detail="、".join(what for _key, what in missing))


def _check_comments(folder: Path) -> None:
    """送审稿 needs the comments on the 征求意见稿, each with its disposition."""
    from ..comments.store import CommentsFileError, comment_statistics, load_comments

    where = folder / "comments" / f"{COMMENTED_STAGE}.yaml"
    try:
        comments = load_comments(folder, COMMENTED_STAGE)
    except CommentsFileError as err:
        raise StageRefused(err.diagnostic) from None
    if comments is None:
        raise _refuse("E231", where, None)
    stats = comment_statistics(comments)
    if stats.undecided or stats.unresolved:
        raise _refuse("E232", where, None, undecided=stats.undecided,
                      unresolved=stats.unresolved)


def plan(folder: Path, target: str, date: str | None = None) -> StageMove:
    """Check the move and prepare both files' new text; nothing is written."""
    path = folder / "standard.yaml"
    try:
        info = load_edition_info(path)
    except StandardInputError as err:
        raise StageRefused(err.diagnostics[0]) from None
    text = path.read_bytes().decode("utf-8-sig")
    day = date or dt.date.today().isoformat()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        raise _refuse("E235", path, None, detail=f"日期应写成 YYYY-MM-DD，现为“{day}”")
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        raise _refuse("E235", path, None, detail=f"日期“{day}”不存在") from None
    check_ready(folder, info, target, text)
    new_text = _set_value(text, "stage", target)
    if new_text is not None and target != PUBLISHED:
        new_text = _set_value(new_text, "draft_completed", day, after="stage")
    if new_text is None:
        line = _line_of(text, "stage")
        raise _refuse("E235", path, line + 1 if line is not None else None,
                      detail="找不到单独一行的“stage: 阶段”，请手工修改")
    return StageMove(folder, info.stage, target, day, new_text,
                     _history_text(folder / HISTORY_FILE, info.stage, target, day))


def _history_text(path: Path, old: str, new: str, day: str) -> str:
    """history.yaml with one more entry at the end; a file that is not a list of moves is
    refused rather than overwritten."""
    if path.is_file():
        text = path.read_bytes().decode("utf-8-sig")
        try:
            data = safeyaml.load(text).data
        except safeyaml.YamlProblem as err:
            line = err.line + 1 if err.line is not None else None
            raise _refuse("E235", path, line, detail="history.yaml 不是有效的 YAML") from None
        if data is not None and not isinstance(data, list):
            raise _refuse("E235", path, 1, detail="history.yaml 应为阶段记录的列表")
        if text and not text.endswith("\n"):
            text += "\n"
    else:
        text = HISTORY_HEADER
    return text + f"- {{from: {old}, to: {new}, date: {day}}}\n"


def apply(move: StageMove) -> None:
    """Write history.yaml, then standard.yaml; if the second fails, put the first back."""
    history = move.folder / HISTORY_FILE
    before = history.read_bytes() if history.is_file() else None
    atomic.write_text(history, move.history_yaml)
    try:
        atomic.write_text(move.folder / "standard.yaml", move.standard_yaml)
    except BaseException:
        if before is None:
            history.unlink(missing_ok=True)
        else:
            atomic.write_bytes(history, before)
        raise


@dataclass(frozen=True)
class HistoryEntry:
    old: str
    new: str
    date: str


def read_history(folder: Path) -> list[HistoryEntry]:
    """The moves recorded in history.yaml (empty when there is none or it is unreadable)."""
    path = folder / HISTORY_FILE
    try:
        data = safeyaml.load(path.read_bytes().decode("utf-8-sig")).data
    except (OSError, UnicodeDecodeError, safeyaml.YamlProblem):
        return []
    if not isinstance(data, list):
        return []
    return [HistoryEntry(str(d.get("from")), str(d.get("to")), str(d.get("date")))
            for d in data if isinstance(d, dict)]
