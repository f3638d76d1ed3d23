"""Suggested metadata from a clause's text, for an editor to confirm: ``kind`` from the modal
verb (:mod:`tooling.model.modal`), ``role`` from its subject, and the cadence, deadline and
threshold the text states, read the way the linter's text–metadata rules (GB705–GB707) read
them, so a suggestion agrees with the text it came from. Every suggestion is written with the
comment ``# 建议值，请核对``.
"""

from __future__ import annotations

import re
from typing import Any

from ..model.modal import MODALS, find_modals

_PERIODS = {"日": "day", "天": "day", "周": "week", "月": "month", "季度": "quarter",
            "季": "quarter", "年": "year"}
_CADENCE = re.compile(r"每(季度|日|天|周|月|季|年)(?![度级初末底])")
_COUNT = re.compile(r"(不少于|至少|不低于)?\s*(\d+)\s*次")
_UNITS = r"(?:个工作日|工作日|个小时|小时|分钟|个月|min|h|d|日|天|周|年)"
_DEADLINE = re.compile(rf"(?<![\d.:月年第])(\d+(?:\.\d+)?)\s*({_UNITS})\s*(?:内|以内)")
_EVENTS = (re.compile(r"^(?:遇|在|自|从|对)?([^，。；：]{2,30}?)(?:后|时|之后)[，,]"),
           re.compile(r"(?:在|于|自|从)([^，。；：]{2,30}?)(?:后|之后|起)\d"))
_COMPARATORS = {"不低于": ">=", "不少于": ">=", "至少": ">=", "不超过": "<=", "不多于": "<=",
                "不高于": "<=", "至多": "<=", "达到": "=", "为": "="}
_THRESHOLD = re.compile(
    r"(不低于|不少于|至少|不超过|不多于|不高于|至多|达到|(?<=[应宜率])为)"
    r"([^，；。：\d]{0,16}?)(\d+(?:\.\d+)?)\s*"
    r"(%|周岁|岁|学时|分钟|分|户|名|人|次|届|个工作日|个月|年|min|h|d|日|天)")
_SUBJECT = re.compile(r"^[\u4e00-\u9fff]{2,12}$")
# Subjects that are things, not parties that act (楼长工作档案应由专人保管).
_NOT_AGENTS = ("档案", "记录", "率", "期限", "年龄", "时间", "内容", "结果", "比例", "资料", "台账",
               "信息", "标准", "工作", "名册", "牌", "表", "期", "费用", "场所", "设施")


def _segments(text: str) -> list[str]:
    return [s for s in re.split(r"[，；。]", text) if s]


def suggest(text: str, terms: tuple[str, ...] = ()) -> dict[str, Any]:
    """The metadata the text suggests (possibly empty); ``terms`` are the standard's defined
    terms, so a target's metric is named as defined (年度走访覆盖率 → 走访覆盖率)."""
    out: dict[str, Any] = {}
    hits = find_modals(text)
    if hits:
        out["kind"] = MODALS[hits[0].word][0]
        # The subject of the first modal verb, when it is a plain noun phrase (楼长应…).
        before = re.split(r"[，；。：]", text[: hits[0].offset])[-1]
        if _SUBJECT.match(before) and not before.endswith(("的", "时", "后", *_NOT_AGENTS)):
            out["role"] = before
    sentence = re.split(r"[。；]", text, maxsplit=1)[0]
    counted = False
    cadence_per = None
    for segment in _segments(sentence):
        cadence = _CADENCE.search(segment)
        if cadence:
            count = _COUNT.search(segment, cadence.end())
            counted = count is not None
            cadence_per = _PERIODS[cadence.group(1)]
            out["frequency"] = {"min": int(count.group(2)) if count else 1, "per": cadence_per}
            break
    if "frequency" not in out:
        deadline = _DEADLINE.search(sentence)
        if deadline:
            event = next((m.group(1) for p in _EVENTS if (m := p.search(sentence))), None)
            unit = deadline.group(2)
            out["frequency"] = {"event": (event or "（请填写触发事件）").strip(),
                                "within": f"{deadline.group(1)} {unit}"}
    target = _threshold(sentence)
    if target is not None:
        named = [t for t in terms if t and t in target["metric"]]
        if named:
            target["metric"] = max(named, key=len)
    if target is not None:
        if cadence_per and not counted:
            target["per"] = cadence_per
            out.pop("frequency", None)  # "每月不低于95%": the target's period, not a cadence
        out["target"] = target
    return out


def _threshold(sentence: str) -> dict[str, Any] | None:
    for segment in _segments(sentence):
        for match in _THRESHOLD.finditer(segment):
            rest = segment[match.end():]
            if rest.endswith("的") or (match.group(4) == "次" and _CADENCE.search(segment)):
                continue
            if _COUNT.fullmatch(match.group(0)) and _CADENCE.search(segment):
                continue
            value = float(match.group(3))
            metric = segment[: match.start()]
            metric = re.sub(r"(应当|应该|不应|应|宜|可|均|每(?:季度|日|天|周|月|季|年))", "",
                            metric).strip() or "（请填写指标）"
            return {"metric": metric[:40], "value": int(value) if value.is_integer() else value,
                    "unit": match.group(4), "op": _COMPARATORS[match.group(1)]}
    return None
