"""Cover and 前言 → the fields of standard.yaml.

The cover lines are recognised by their shape (ICS …, CCS …, 备案号：…, a standard number,
代替…, a class line ending in 标准, the stage line, the dates, "… 发布"); the 前言's fixed
sentences (tooling/model/foreword.py writes them) by their wording. Whatever is not
recognised is kept: cover text as the notice of index.md, 前言 text as authored paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model import foreword as fixed
from ..model.stages import DRAFT_COMPLETED, DRAFT_STAGES
from .reader import Para
from .structure import CN, squash

_NUMBER = re.compile(r"^[A-Z][A-Z0-9/]*(?:[ \u00a0]?[A-Z0-9.]+)?(?:[—–-]|－)(?:\d{4}|X{4})$")
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2}|X{4}-X{2}-X{2})\s*(发布|实施)")
_STAGES = set(DRAFT_STAGES)  # the cover's stage line: （征求意见稿） …


@dataclass
class Front:
    data: dict[str, Any] = field(default_factory=dict)
    notice: list[str] = field(default_factory=list)
    authored: list[str] = field(default_factory=list)  # 前言 text kept as written (Markdown)
    unrecognised_cover: list[str] = field(default_factory=list)


def _number(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("–", "—")
    text = re.sub(r"[-－](\d{4}|X{4})$", r"—\1", text)
    return text


def read_cover(lines: list[str], notice: list[str], body_title: str) -> Front:
    front = Front(notice=list(notice))
    data = front.data
    english: list[str] = []
    chinese: list[str] = []
    for raw in lines:
        line = raw.replace("\u00a0", " ").strip()
        # The cover table of our Word edition runs ICS, CCS and 备案号 together in one cell.
        for part in re.split(r"(?=CCS\s)|(?=备案号)", line):
            part = part.strip()
            if not part:
                continue
            _cover_line(part, data, english, chinese, front)
    if chinese:
        data.setdefault("title_zh", chinese[0])
    if body_title and not data.get("title_zh"):
        data["title_zh"] = body_title
    if english:
        data["title_en"] = " ".join(english)
    number = data.get("number", "")
    if number.startswith("DB"):
        data["class"] = "local"
        data.setdefault("code_mark", number.split("/")[0].split(" ")[0])
    elif number.startswith(("GB/T", "GB/Z", "GB ")):
        data["class"] = "national"
    elif number.startswith("T/"):
        data["class"] = "group"
    elif number.startswith("Q/"):
        data["class"] = "enterprise"
    else:
        data["class"] = "other"
    data.setdefault("stage", "published")
    return front


def _cover_line(line: str, data: dict[str, Any], english: list[str], chinese: list[str],
                front: Front) -> None:
    if m := re.match(r"^ICS\s*(.+)$", line):
        data["ics"] = [c for c in re.split(r"[；;,，\s]+", m.group(1)) if c]
    elif m := re.match(r"^CCS\s*(\S+)", line):
        data["ccs"] = m.group(1)
    elif m := re.match(r"^备案号\s*[：:]\s*(.+)$", line):
        data["filing_number"] = _number(m.group(1).strip())
    elif m := re.match(r"^代替\s*(.+)$", line):
        data["replaces_numbers"] = [_number(n.strip()) for n in re.split(r"[、，,；;]", m.group(1))]
    elif re.fullmatch(r"[A-Z]{1,4}\d{0,6}", line):
        data["code_mark"] = line
    elif _NUMBER.match(line) and "number" not in data:
        data["number"] = _number(line)
    elif m := re.fullmatch(r"[（(](.+)[）)]", line):
        if m.group(1) in _STAGES:
            data["stage"] = m.group(1)
        else:
            front.unrecognised_cover.append(line)
    elif m := re.search(rf"{DRAFT_COMPLETED}\s*[：:]\s*(\d{{4}}-\d{{2}}-\d{{2}})", line):
        data["draft_completed"] = m.group(1)
    elif _DATE.search(line):
        for value, what in _DATE.findall(line):
            if not value.startswith("X"):
                data["issued" if what == "发布" else "implemented"] = value
    elif line.endswith("发布") and len(line) < 60:
        data["issuer"] = re.sub(r"[\s\u3000]*发布$", "", line).strip()
    elif CN.search(line) and line.endswith("标准") and "class_line" not in data \
            and len(line) <= 30 and not chinese:
        data["class_line"] = line
    elif not CN.search(line) and re.search(r"[A-Za-z]{3}", line):
        english.append(line)
    elif CN.search(line) and ("请将" in line or "专利" in line):
        pass  # the draft's patent sentence: generated for a draft
    elif CN.search(line):
        chinese.append(line) if not chinese else front.unrecognised_cover.append(line)


_BASIS = re.compile(r"^本文件按照GB/T1\.1")
_REPLACES = re.compile(r"^本文件代替(.+?)(?:。|，与.+相比.*：)$")
_BASED = re.compile(r"^本文件在(.+?)《(.+?)》的基础上制定(?:。|，与.+相比.*：)$")
_PAIR = re.compile(r"([^《》和、]+?)《([^》]+)》")


def read_foreword(paras: list[Para], front: Front) -> None:
    data = front.data
    authored = front.authored
    history_mode = False
    changes_mode = False
    for para in paras:
        text = para.text.strip().replace("\u00a0", " ")
        flat = squash(text)
        label = para.num_label
        list_item = label is not None or re.match(r"^([a-z][)）]|——)", text)
        if history_mode and (list_item or text.startswith("——")):
            body = re.sub(r"^——\s*", "", text).rstrip("；;。")
            if m := re.match(r"^(\d{4})年(?:首次发布|第\d+次修订)为(.+)$", squash(body)):
                data.setdefault("history", []).append(
                    {"year": int(m.group(1)), "number": _number(m.group(2))})
            continue
        history_mode = False
        if changes_mode and list_item:
            body = re.sub(r"^[a-z][)）]\s*", "", text)
            authored.append(f"1. {_escape(body)}")
            continue
        if changes_mode:
            authored.append("")
        changes_mode = False
        if _BASIS.match(flat):
            continue
        if flat == squash(fixed.PATENT_NOTICE):
            continue
        if m := _BASED.match(flat):
            data["based_on"] = {"number": _number(m.group(1)), "title": m.group(2)}
            changes_mode = flat.endswith("：")
            if changes_mode:
                authored.append("本文件的主要技术变化（导入时保留的原文，请核对）：")
                authored.append("")
            continue
        if m := _REPLACES.match(flat):
            data["replaces"] = [{"number": _number(n), "title": t}
                                for n, t in _PAIR.findall(m.group(1))]
            changes_mode = flat.endswith("：")
            if changes_mode:
                authored.append("本文件的主要技术变化（导入时保留的原文，请核对）：")
                authored.append("")
            continue
        if m := re.match(r"^本文件由(.+?)提出并归口。$", text):
            data["proposer"] = data["administrator"] = m.group(1).strip()
            continue
        if m := re.match(r"^本文件由(.+?)提出。$", text):
            data["proposer"] = m.group(1).strip()
            continue
        if m := re.match(r"^本文件由(.+?)归口。$", text):
            data["administrator"] = m.group(1).strip()
            continue
        if m := re.match(r"^本文件起草单位[:：](.+?)。?$", text):
            data["drafting_units"] = [u.strip() for u in re.split(r"[、，,；;]", m.group(1))
                                      if u.strip()]
            continue
        if m := re.match(r"^本文件主要起草人[:：](.+?)。?$", text):
            data["drafters"] = [u.strip() for u in re.split(r"[、，,；;]", m.group(1))
                                if u.strip()]
            continue
        if flat.startswith("本文件及其所代替文件的历次版本发布情况为"):
            history_mode = True
            continue
        authored.append(_escape(text))
        authored.append("")


def _escape(text: str) -> str:
    from .render import escape
    return escape(text)
