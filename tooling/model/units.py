"""Units of time as people say them: one table for every output that prints a duration.

A standard writes durations the GB/T way, with a symbol ("24 h", "3 d") or in words
("5 个工作日", "1 个月"); metadata such as ``frequency.within`` copies them. A sheet filled in
with a pen, a web page for residents or an index column says them in plain words: 24小时,
3日, 5个工作日. :func:`say_duration` turns one value into words, :func:`plain_units` rewrites
every duration inside a running text, and :data:`TIME_UNITS` is the table both read.

Pure: no Sphinx, no docutils.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class TimeUnit:
    """One unit of time: how a standard may write it and how people say it."""

    words: str  # what is printed after the number: 小时, 日, 个工作日
    spellings: tuple[str, ...]  # symbols and words that mean it, as found after a number
    hours: float | None  # its length, to compare durations; None where it varies (工作日)


#: The one table. Order matters for matching: longer spellings are tried first.
TIME_UNITS: tuple[TimeUnit, ...] = (
    TimeUnit("分钟", ("min", "分钟"), 1 / 60),
    TimeUnit("小时", ("h", "小时", "个小时"), 1),
    TimeUnit("个工作日", ("个工作日", "工作日", "working days", "working day"), None),
    TimeUnit("日", ("d", "日", "天"), 24),
    TimeUnit("周", ("周", "个星期", "星期"), 24 * 7),
    TimeUnit("个月", ("个月", "month", "months"), None),
    TimeUnit("年", ("年", "a"), None),
)

_BY_SPELLING = {s: unit for unit in TIME_UNITS for s in unit.spellings}
_SPELLINGS = sorted(_BY_SPELLING, key=len, reverse=True)
# A number, optional space, a spelling; a Latin symbol must not run on into a longer word
# ("2 days", "3 dB", "5 mm" are not ours), and "400 mm" must never read as minutes.
_SYMBOL_END = r"(?![A-Za-z])"
_DURATION = re.compile(
    r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>"
    + "|".join(re.escape(s) + (_SYMBOL_END if s.isascii() else "") for s in _SPELLINGS)
    + r")"
)
# In running text only the symbols need rewriting (words are already plain); "a" (annus) and
# the English words are left to metadata, where they cannot be mistaken for something else.
_RUNNING = re.compile(r"(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>min|h|d)(?![A-Za-z0-9])")


@dataclass(frozen=True)
class Duration:
    value: str  # as written: "24", "1.5"
    unit: TimeUnit

    def words(self) -> str:
        """24小时, 3日, 5个工作日: the number joined to the unit, no space."""
        return f"{self.value}{self.unit.words}"


def parse_duration(text: str) -> Duration | None:
    """The duration a metadata value such as ``"24 h"`` or ``"5 个工作日"`` states, or None
    when the whole value is not one number and one known unit."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        return None
    return Duration(match["number"], _BY_SPELLING[match["unit"]])


def say_duration(text: str) -> str:
    """A duration in plain words ("24 h" → "24小时"); text that is not one is kept as it is."""
    duration = parse_duration(text)
    return duration.words() if duration else plain_units(text)


def plain_units(text: str) -> str:
    """Every "24 h", "3 d", "30 min" in a running text said in words: 24小时, 3日, 30分钟.
    Other symbols (mm, %, m²) are left alone."""
    return _RUNNING.sub(lambda m: m["number"] + _BY_SPELLING[m["unit"]].words, text)
