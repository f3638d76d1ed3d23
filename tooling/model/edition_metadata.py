"""Reading ``standard.yaml``: the edition metadata printed on the cover and in the 前言, and
the standard's own settings (``lint:``; ``rights_holder`` for the HTML footer)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..io import safeyaml
from ..io.diagnostics import StandardInputError, diagnostic
from .clause_metadata import explain, first_error, schema
from .clauses import EditionInfo

SCHEMA = "standard.schema.json"
PLACEHOLDER_DATE = "XXXX-XX-XX"
DEFAULT_CLASS_LINES = {
    "national": "中华人民共和国国家标准",
    "group": "团体标准",
    "enterprise": "企业标准",
}


def load_edition_info(path: Path) -> EditionInfo:
    """Load and validate ``standard.yaml``; raise StandardInputError naming file and line."""
    def fail(code: str, line: int | None, **params: object) -> StandardInputError:
        return StandardInputError([diagnostic(code, path, line, **params)])

    if not path.is_file():
        raise fail("E112", None, detail=f"{path}（每个标准目录都需要 standard.yaml）")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise fail("E108", line, detail="文件不是 UTF-8 编码，请以 UTF-8 保存") from None
    try:
        loaded = safeyaml.load(text)
    except safeyaml.YamlProblem as err:
        line = err.line + 1 if err.line is not None else None
        if err.code == "E101":
            raise fail("E108", line, detail=f"YAML 语法错误：{err.params.get('detail')}") from None
        raise fail(err.code, line, **err.params) from None
    data = loaded.data
    if not isinstance(data, dict):
        raise fail("E108", 1, detail="内容应为“键: 值”形式的映射")  # also: an empty file

    err = first_error(data, schema(SCHEMA))
    if err is not None:
        key = str(err.absolute_path[0]) if err.absolute_path else None
        line = loaded.key_lines.get(key) if key else None
        if err.validator == "required" and not err.absolute_path:
            detail = f"缺少必填字段：{explain(err).removeprefix('缺少必填项：')}"
        elif err.validator == "additionalProperties" and not err.absolute_path:
            detail = f"未知的字段：{explain(err).removeprefix('含有未知的键：')}"
        else:
            detail = f"字段 {explain(err)}"
        # Problems with the file as a whole (a missing field) point at its first line.
        raise fail("E108", line + 1 if line is not None else 1, detail=detail)

    if data.get("based_on") and data.get("replaces"):
        raise fail("E108", _line(loaded, "based_on"),
                   detail="based_on 和 replaces 不能同时使用：本文件或者代替另一文件（修订），"
                          "或者在另一文件的基础上制定（不代替它）")
    base = data.get("based_on")
    if base and any(h.get("number") == base.get("number") for h in data.get("history") or ()):
        raise fail("E108", _line(loaded, "history"),
                   detail=f"history 中列出了 {base['number']}：历次版本只列本文件及其所代替"
                          "文件的版本，本文件在其基础上制定的文件不是它的版本")
    # XXXX-XX-XX: a draft's dates are not known yet. The cover prints the placeholder for a
    # date that is not given; a published edition must have both.
    for key in ("issued", "implemented"):
        if data.get(key) == PLACEHOLDER_DATE:
            if data["stage"] == "published":
                raise fail("E108", loaded.key_lines.get(key, 0) + 1,
                           detail=f"字段 {key} 为 {PLACEHOLDER_DATE}：正式发布的版本（stage: "
                           "published）必须写明日期")
            del data[key]
    if data.get("draft_completed") == PLACEHOLDER_DATE:
        del data["draft_completed"]
    data.setdefault("class_line", DEFAULT_CLASS_LINES.get(data["class"]))
    return EditionInfo.from_json(data)


def _line(loaded: safeyaml.LoadedYaml, key: str) -> int:
    line = loaded.key_lines.get(key)
    return line + 1 if line is not None else 1


@dataclass(frozen=True)
class LintSettings:
    """The ``lint:`` section of ``standard.yaml``: which drafting rules this standard checks,
    and at which severity. ``lines`` gives the line of each code, for messages."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    lines: tuple[tuple[str, int], ...] = ()


def load_lint_settings(path: Path) -> LintSettings:
    """Read the ``lint:`` section of a ``standard.yaml`` that :func:`load_edition_info` has
    already validated (the schema gives its shape)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
        loaded = safeyaml.load(text)
    except (OSError, UnicodeDecodeError, safeyaml.YamlProblem):
        return LintSettings()
    section = loaded.data.get("lint") if isinstance(loaded.data, dict) else None
    if not isinstance(section, dict):
        return LintSettings()
    start = loaded.key_lines.get("lint", 0)
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines()[start:], start=start + 1):
        for code in re.findall(r"GB\d{0,3}", line):
            lines.setdefault(code, number)
    severity = section.get("severity") or {}
    return LintSettings(
        select=tuple(section.get("select") or ()), ignore=tuple(section.get("ignore") or ()),
        severity=tuple(sorted(severity.items())), lines=tuple(sorted(lines.items())),
    )
