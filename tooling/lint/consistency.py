"""Text–metadata consistency (GB705–GB707): what a clause says and what its metadata records.

The checklists, the clause index and the evaluation read a clause's metadata, people read its
text; both must state the same cadence (每月……不少于N次 ↔ ``frequency: {min, per}``), the same
deadline (N d内 / N个工作日内 / N h内 ↔ ``frequency.within``) and the same threshold (不低于N%,
不少于N, 不超过N ↔ ``target``). This module reads those three kinds of value out of a clause's
own text (not its list items, which are checked as their own elements, nor conditions such as
"合计不超过60户的，") and out of its metadata, and reports each difference in both directions,
with both values. The ``checklist_text`` a sheet prints instead of the text is read the same way
and must agree with the text.

Pure: no Sphinx. Durations are compared by value and unit (``3 d`` = ``3日``) through
:mod:`tooling.model.units`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import PERIOD_ZH, Clause, Frequency, Target
from ..model.units import parse_duration

CADENCE, DEADLINE, THRESHOLD = "频次", "时限", "限值"

_PERIODS = {"日": "day", "天": "day", "周": "week", "月": "month", "季度": "quarter",
            "季": "quarter", "年": "year"}
_CADENCE = re.compile(r"每(季度|日|天|周|月|季|年)(?![度级初末底])")
_COUNT = re.compile(r"(不少于|至少|不低于)?\s*(\d+)\s*次")
_UNITS = r"(?:个工作日|工作日|个小时|小时|分钟|个月|min|h|d|日|天|周|年)"
_DEADLINE = re.compile(rf"(?<![\d.:月年第])(\d+(?:\.\d+)?)\s*({_UNITS})\s*(?:内|以内)")
_COMPARATORS = {"不低于": ">=", "不少于": ">=", "至少": ">=", "不超过": "<=", "不多于": "<=",
                "不高于": "<=", "至多": "<=", "达到": "=", "为": "="}
_THRESHOLD = re.compile(
    r"(不低于|不少于|至少|不超过|不多于|不高于|至多|达到|(?<=[应宜率])为)"
    r"([^，；。：\d]{0,16}?)(\d+(?:\.\d+)?)\s*"
    r"(%|周岁|岁|学时|分钟|分|户|名|人|次|届|个工作日|个月|年|min|h|d|日|天)")
_OP_WORDS = {">=": "不低于", "<=": "不超过", "=": "为", ">": "高于", "<": "低于"}
# Which written comparators a metadata op accepts.
_OP_ACCEPTS = {">=": {">=", "="}, "<=": {"<=", "="}, "=": {"="}, ">": {">="}, "<": {"<="}}


@dataclass(frozen=True)
class Stated:
    """One value a text states: a cadence, a deadline or a threshold."""

    what: str  # CADENCE / DEADLINE / THRESHOLD
    written: str  # as written, for messages and to find it in the source
    key: tuple[object, ...]  # what two values are compared by
    op: str = ""  # thresholds: >=, <=, =
    counted: bool = True  # cadences: "每月……N次" (False for a bare "每月": once)

    def same(self, other: Stated) -> bool:
        if self.key != other.key:
            return False
        if self.what == THRESHOLD:
            return other.op in _OP_ACCEPTS.get(self.op, {self.op})
        return True


def _duration_key(value: str, unit: str) -> tuple[object, ...]:
    duration = parse_duration(f"{value} {unit}")
    if duration is None:
        return (float(value), unit)
    return (float(duration.value), duration.unit.words)


def _unit_key(value: str, unit: str) -> tuple[object, ...]:
    unit = {"岁": "周岁", "天": "日", "工作日": "个工作日"}.get(unit, unit)
    return _duration_key(value, unit) if parse_duration(f"{value} {unit}") else (
        float(value), unit)


def _segments(text: str) -> Iterator[tuple[int, str]]:
    """The parts of a text between "；" and "。", with their offsets."""
    start = 0
    for match in re.finditer(r"[；。\n]", text):
        yield start, text[start : match.start()]
        start = match.end()
    if start < len(text):
        yield start, text[start:]


def stated_in(text: str) -> list[Stated]:
    """The cadences, deadlines and thresholds a text states, in order."""
    found: list[Stated] = []
    for _offset, part in _segments(text):
        counted: set[int] = set()
        for match in _CADENCE.finditer(part):
            per = _PERIODS[match.group(1)]
            count = _COUNT.search(part, match.end())
            times = int(count.group(2)) if count else 1
            if count:
                counted.add(count.start())
            written = part[match.start() : count.end()] if count else match.group(0)
            found.append(Stated(CADENCE, written, (per, times), counted=count is not None))
        for match in _DEADLINE.finditer(part):
            found.append(Stated(DEADLINE, match.group(0),
                                _duration_key(match.group(1), match.group(2))))
        for match in _THRESHOLD.finditer(part):
            if match.start() in counted or _counted_within(match, counted):
                continue  # the "不少于1次" of a cadence
            rest = part[match.end():]
            clause_end = re.search(r"[，；。]", rest)
            tail = rest[: clause_end.start()] if clause_end else rest
            if tail.endswith("的"):
                continue  # a condition: "相邻楼宇住户合计不超过60户的，……"
            if match.group(4) == "次" and _CADENCE.search(part[: match.start()]):
                continue
            found.append(Stated(THRESHOLD, match.group(0),
                                _unit_key(match.group(3), match.group(4)),
                                _COMPARATORS[match.group(1)]))
    return found


def _counted_within(match: re.Match[str], counted: set[int]) -> bool:
    return any(match.start() <= c < match.end() for c in counted)


def _number(value: float | int) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def from_metadata(clause: Clause) -> list[tuple[str, Stated]]:
    """The values the metadata records, as (field, value)."""
    meta = clause.metadata
    out: list[tuple[str, Stated]] = []
    freq: Frequency | None = meta.frequency
    if freq is not None and freq.per and freq.min:
        out.append(("frequency", Stated(CADENCE, freq.describe(), (freq.per, freq.min))))
    if freq is not None and freq.within:
        duration = parse_duration(freq.within)
        if duration is not None:
            out.append(("frequency.within", Stated(
                DEADLINE, f"{freq.within}内", (float(duration.value), duration.unit.words))))
    target: Target | None = meta.target
    if target is not None:
        value = _number(target.value)
        written = f"{_OP_WORDS.get(target.op, target.op)}{value}{target.unit or ''}"
        out.append(("target", Stated(THRESHOLD, written, _unit_key(value, target.unit or ""),
                                     target.op)))
    return out


@dataclass(frozen=True)
class Drift:
    """One difference: ``code`` GB705 (text only), GB706 (metadata only), GB707 (both,
    different); ``snippet`` is where to point in the source."""

    code: str
    what: str
    field: str
    text: str
    meta: str
    snippet: str


def drifts(clause: Clause) -> list[Drift]:
    """Every difference between a clause's text and its metadata."""
    target = clause.metadata.target
    # "每季度……名额不超过10%": the period of a target, not a cadence.
    text_values = [v for v in stated_in(clause.text)
                   if not (v.what == CADENCE and not v.counted and target is not None
                           and target.per == v.key[0])]
    meta_values = from_metadata(clause)
    out: list[Drift] = []
    used: set[int] = set()
    for field, meta in meta_values:
        same_kind = [i for i, t in enumerate(text_values) if t.what == meta.what]
        match = next((i for i in same_kind if text_values[i].same(meta)), None)
        if match is not None:
            used.update(i for i in same_kind if text_values[i].same(meta))
            continue
        if same_kind:
            other = text_values[same_kind[0]]
            used.add(same_kind[0])
            out.append(Drift("GB707", meta.what, field, other.written, meta.written,
                             other.written))
        else:
            out.append(Drift("GB706", meta.what, field, "", meta.written, ""))
    fields = {CADENCE: "frequency", DEADLINE: "frequency.within", THRESHOLD: "target"}
    for i, value in enumerate(text_values):
        if i not in used:
            out.append(Drift("GB705", value.what, fields[value.what], value.written, "",
                             value.written))
    # What a checklist prints instead of the text must say the same.
    if clause.metadata.checklist_text:
        for value in stated_in(clause.metadata.checklist_text):
            if not any(t.same(value) or value.same(t) for t in text_values):
                written = next((t.written for t in text_values if t.what == value.what), "")
                out.append(Drift("GB707" if written else "GB706", value.what,
                                 "checklist_text", written, value.written, written))
    return out


def describe_period(per: str, times: int) -> str:
    return f"每{PERIOD_ZH.get(per, per)}不少于{times}次"
