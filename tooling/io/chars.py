"""Characters a reader cannot see, named by code point so that a message shows what text hides.

Two kinds matter for a standard's sources:

- *control characters* (C0 and C1 controls, DEL, and the bidirectional embedding, override
  and isolate marks): a published standard never needs them, they are invisible on the page,
  and they would be copied raw into the HTML, the CSV and the PDF (ESC and BEL reach a
  terminal; a right-to-left override makes the text read differently from what it says);
- *invisible characters* (zero-width spaces and joiners, the word joiner, a byte-order mark
  inside text, the soft hyphen …): harmless in running text but fatal inside an id, where
  ``steward\u200b-age`` looks exactly like ``steward-age``.
"""

from __future__ import annotations

import re
import unicodedata

#: Refused in sources: the C0 and C1 controls (Unicode category Cc) except tab and line ends,
#: and the bidirectional embedding, override and isolate marks that reorder what is displayed.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Blank-looking letters that Unicode does not class as format characters.
_INVISIBLE_LETTERS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")
_C0_NAMES = (
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR",
    "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB",
    "ESC", "FS", "GS", "RS", "US",
)


def is_control(char: str) -> bool:
    """A character the sources must not contain: a control other than tab and line ends,
    or a bidirectional control mark."""
    return CONTROL.fullmatch(char) is not None


def is_invisible(char: str) -> bool:
    """A character that prints as nothing (or as a plain space): controls, format
    characters such as U+200B and U+FEFF, line/paragraph separators, blank letters."""
    return (
        is_control(char)
        or char in "\t\n\r"
        or unicodedata.category(char) in ("Cf", "Zl", "Zp")
        or char in _INVISIBLE_LETTERS
    )


def describe(char: str) -> str:
    """``U+001B（ESC）``, ``U+200B（ZERO WIDTH SPACE）``: the code point and, where Unicode or
    the C0 table knows one, its name."""
    code = ord(char)
    if code < 0x20:
        name = _C0_NAMES[code]
    elif code == 0x7F:
        name = "DEL"
    else:
        name = unicodedata.name(char, "")
    return f"U+{code:04X}（{name}）" if name else f"U+{code:04X}"


def first_control(text: str) -> tuple[int, str] | None:
    """Index and character of the first control character in ``text``, if any."""
    match = CONTROL.search(text)
    return (match.start(), match.group()) if match else None


def first_invisible(text: str) -> str | None:
    for char in text:
        if is_invisible(char):
            return char
    return None


def visible(text: str) -> str:
    """``text`` with every invisible character written as ``<U+200B>``."""
    if text.isprintable() and not any(is_invisible(c) for c in text):
        return text
    return "".join(f"<U+{ord(c):04X}>" if is_invisible(c) else c for c in text)


def show(text: str, limit: int = 60) -> str:
    """``text`` fit for a one-line message: invisible characters made visible, and a long
    text cut, saying how long it was."""
    if len(text) > limit:
        text = f"{text[: limit - 20]}…（共 {len(text)} 个字符）"
    return visible(text)
