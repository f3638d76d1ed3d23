"""Suggested metadata from a clause's text, for an editor to confirm: ``kind`` from the modal
verb (:mod:`tooling.model.modal`), and the cadence, deadline and threshold the text states,
read the way the linter's text–metadata rules (GB705–GB707) read them, so a suggestion agrees
with the text it came from. Every suggestion is written with the comment ``# 建议值，请核对``.
"""

from __future__ import annotations

import re
from typing import Any

from ..model.modal import MODALS, first_modal

_PERIODS = {"日": "day", "天": "day", "周": "week", "月": "month", "季度": "quarter",
            "季": "quarter", "年": "year"}
_CADENCE = re.compile(r"每(季度|日|天|周|月|季|年)(?![度级初末底])")
_COUNT = re.compile(r"(不少于|至少|不低于)?\s*(\d+)\s*次")
_DEADLINE = re.compile(r"(?<![\d.:月年第])(\d+)\s*(个工作日|min|h|d)\s*(?:内|以内)")
_EVENT = re.compile(r"^([^，。；：]{2,16}?)(?:后|时)[，,]")
_RATE = re.compile(r"([\u4e00-\u9fff]{2,10}率)[^，；。]{0,6}?(不低于|不超过|达到)"
                   r"(\d+(?:\.\d+)?)\s*%")
_OPS = {"不低于": ">=", "不超过": "<=", "达到": "="}


def suggest(text: str) -> dict[str, Any]:
    """The metadata the text suggests (possibly empty)."""
    out: dict[str, Any] = {}
    verb = first_modal(text)
    if verb in MODALS:
        out["kind"] = MODALS[verb][0]
    sentence = re.split(r"[。；]", text, maxsplit=1)[0]
    segments = re.split(r"[，；。]", sentence)
    counted = False
    for segment in segments:
        cadence = _CADENCE.search(segment)
        if cadence:
            count = _COUNT.search(segment, cadence.end())
            counted = count is not None
            out["frequency"] = {"min": int(count.group(2)) if count else 1,
                                "per": _PERIODS[cadence.group(1)]}
            break
    if "frequency" not in out:
        deadline = _DEADLINE.search(sentence)
        event = _EVENT.match(sentence)
        if deadline and event:
            out["frequency"] = {"event": event.group(1).strip(),
                                "within": f"{deadline.group(1)} {deadline.group(2)}"}
    rate = _RATE.search(sentence)
    if rate and len(_RATE.findall(text)) == 1:
        value = float(rate.group(3))
        target: dict[str, Any] = {"metric": rate.group(1),
                                  "value": int(value) if value.is_integer() else value,
                                  "unit": "%", "op": _OPS[rate.group(2)]}
        period = _CADENCE.search(sentence)
        if period and not counted:
            target["per"] = _PERIODS[period.group(1)]
            out.pop("frequency", None)  # "每月不低于95%": the target's period, not a cadence
        out["target"] = target
    return out
