"""Checks on the raw source files, before and while Sphinx reads them.

What the parser would silently accept and a user would lose: a file saved as GBK (Sphinx
would replace the bytes with "?"), an empty chapter file, a colon fence (``:::``) that is never
closed or closes the wrong directive (myst-parser then swallows the rest of the file into one
directive), and control characters (copied raw into every output). Files read from outside
the standard's folder are refused by :mod:`tooling.sphinx.guard`, where the parser resolves
them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from . import chars
from .diagnostics import Diagnostic, diagnostic

#: URL schemes a standard may link to, and show images from; a URL without a scheme is a
#: relative address and always allowed. Everything else (javascript:, data:, file:, vbscript:,
#: ftp: …) is refused: a standard's pages must not run code, embed content or reach the disk.
LINK_SCHEMES = ("http", "https", "mailto")
IMAGE_SCHEMES = ("http", "https")
#: Files a browser runs (pages, SVG, XML with style sheets, scripts): an image or a download
#: of one of these, copied into the published site, would be active content on its origin.
ACTIVE_SUFFIXES = frozenset((
    ".htm", ".html", ".shtml", ".xht", ".xhtml", ".svg", ".svgz", ".xml", ".xsl", ".xslt",
    ".js", ".mjs", ".hta", ".swf",
))
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_URL_IGNORED = re.compile(r"[\t\n\r]")

_COLON_OPEN = re.compile(r"^(:{3,})\{([^}]*)\}")
_COLON_CLOSE = re.compile(r"^(:{3,})\s*$")
_CODE_FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")


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


def check_text(lines: Iterable[str], shown: str) -> list[Diagnostic]:
    """Fence structure, as myst-parser will read it."""
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


def control_characters(text: str, shown: str) -> tuple[list[Diagnostic], str]:
    """Every control character in ``text`` (one message per line that has any), and the text
    with each replaced by U+FFFD, so that nothing later reads it again or copies it out."""
    if not chars.CONTROL.search(text):
        return [], text
    problems: list[Diagnostic] = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        found = chars.first_control(line)
        if found is None:
            continue
        index, char = found
        problems.append(diagnostic("E127", shown, number, column=index + 1,
                                   char=chars.describe(char)))
        lines[number - 1] = chars.CONTROL.sub("\ufffd", line)
    return problems, "\n".join(lines)


def url_scheme(url: str) -> str | None:
    """The scheme of ``url`` as a browser reads it (leading spaces and controls dropped, tabs
    and line breaks ignored anywhere: ``" java\tscript:"`` is ``javascript``), lowercased; None
    for a relative address."""
    cleaned = _URL_IGNORED.sub("", url).lstrip("".join(map(chr, range(0x21))))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def active_suffix(path: str) -> str | None:
    """The suffix of ``path`` if a browser would run such a file, else None."""
    suffix = Path(path.split("#", 1)[0].split("?", 1)[0]).suffix.lower()
    return suffix if suffix in ACTIVE_SUFFIXES else None
