"""Checks on the raw source files, before and while Sphinx reads them.

What the parser would silently accept and a user would lose: a file saved as GBK (Sphinx
would replace the bytes with "?"), an empty chapter file, an ``{include}`` that reaches outside
the standard's folder, and a colon fence (``:::``) that is never closed or closes the wrong
directive (myst-parser then swallows the rest of the file into one directive).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .diagnostics import Diagnostic, diagnostic

_COLON_OPEN = re.compile(r"^(:{3,})\{([^}]*)\}")
_COLON_CLOSE = re.compile(r"^(:{3,})\s*$")
_CODE_FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
_INCLUDE = re.compile(r"^(?:`{3,}|:{3,})\{include\}\s+(\S+)")


def check_bytes(path: Path, shown: str) -> Diagnostic | None:
    """Encoding and emptiness: the problems that must stop the build before parsing."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            guess = "（看起来是 GBK/GB18030 编码）"
        except UnicodeDecodeError:
            guess = ""
        return diagnostic("E115", shown, line, guess=guess)
    if not text.strip():
        return diagnostic("E116", shown, 1)
    return None


def check_text(
    lines: Iterable[str], shown: str, source_dir: Path, srcdir: Path
) -> list[Diagnostic]:
    """Fence structure and include targets, as myst-parser will read them."""
    problems: list[Diagnostic] = []
    fence: tuple[str, int, int, str] | None = None  # (char, length, line, name)
    for number, line in enumerate(lines, start=1):
        stripped = line.rstrip("\n")
        if fence is not None:
            char, length, _start, _name = fence
            if char == ":":
                close = _COLON_CLOSE.match(stripped)
                if close and len(close.group(1)) >= length:
                    fence = None
            elif stripped.startswith(char * length) and not stripped.strip(char).strip():
                fence = None
            continue
        code = _CODE_FENCE.match(stripped)
        opening = _COLON_OPEN.match(stripped)
        include = _INCLUDE.match(stripped)
        if include:
            target = (source_dir / include.group(1)).resolve()
            if srcdir.resolve() not in (target, *target.parents):
                problems.append(diagnostic("E117", shown, number, path=include.group(1)))
        if opening:
            fence = (":", len(opening.group(1)), number, opening.group(2))
        elif code:
            fence = (code.group(1)[0], len(code.group(1)), number, code.group(2).strip())
        elif _COLON_CLOSE.match(stripped):
            problems.append(diagnostic(
                "E118", shown, number,
                detail="这一行的“:::”没有对应的指令：可能是嵌套指令的冒号数量不对"
                       "（外层指令要比内层多用冒号，如 ::::{clause} 包住 :::{note}）",
            ))
    if fence is not None:
        _char, _length, start, name = fence
        problems.append(diagnostic(
            "E118", shown, start,
            detail=f"指令“{name or '代码块'}”没有结束的围栏，文件其余部分都会被并入该指令",
        ))
    return problems
