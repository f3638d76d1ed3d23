"""Typst markup for literal text, shared by the PDF edition and the checklists.

Every text run is escaped: Typst's markup treats ``#``, ``*``, ``_``, ``<``, ``[`` … as syntax,
and a backslash before any ASCII symbol makes it literal.
"""

from __future__ import annotations

import datetime as dt
import os
import re

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


def escape(text: str) -> str:
    """Typst markup for literal text: ASCII symbols escaped, soft line breaks joined."""
    text = _join_lines(text)
    return "".join(f"\\{ch}" if ch.isascii() and not ch.isalnum() and not ch.isspace() else ch
                   for ch in text)


def string(text: str | None) -> str:
    """A Typst string literal (or ``none``)."""
    if text is None:
        return "none"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _join_lines(text: str) -> str:
    """A newline between two CJK characters is no space; elsewhere it is one space."""
    if "\n" not in text:
        return text
    out = []
    parts = text.split("\n")
    for i, part in enumerate(parts):
        if i:
            prev, nxt = out[-1][-1:] if out and out[-1] else "", part[:1]
            if not (_CJK.match(prev or " ") and _CJK.match(nxt or " ")):
                out.append(" ")
        out.append(part)
    return "".join(out)


def edition_date(issued: str | None, implemented: str | None) -> tuple[int, int, int] | None:
    """The date a Typst document carries: ``SOURCE_DATE_EPOCH`` if set, else the edition's."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        day = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        return day.year, day.month, day.day
    for value in (issued, implemented):
        if value:
            y, m, d = (int(p) for p in value.split("-"))
            return y, m, d
    return None


def typst_date(issued: str | None, implemented: str | None) -> str:
    """:func:`edition_date` as a Typst value for ``#set document(date: …)``: without one,
    Typst stamps the PDF with the day it is compiled, and a rebuild tomorrow differs."""
    day = edition_date(issued, implemented)
    return f"datetime(year: {day[0]}, month: {day[1]}, day: {day[2]})" if day else "none"
