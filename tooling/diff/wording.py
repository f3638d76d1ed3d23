"""Chinese wording of a revision diff: one-line summaries and the phrases the reports use."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .. import model
from ..model import Clause, Edition, EditionInfo
from .records import (
    ADDED,
    N_EDITORIAL,
    N_REFERENCES,
    REF_MARKER,
    REMOVED,
    ChangeRecord,
    EditionDiff,
    Segment,
    TableDiff,
)

# -- summaries (Chinese, one line per record) -------------------------------------------------

ELEMENT_ZH = {
    model.CHAPTER: "章", model.CLAUSE: "条", model.UNTITLED: "条", model.PARAGRAPH: "段",
    model.TERM: "术语", model.ANNEX: "附录", model.TABLE: "表", model.FIGURE: "图",
    model.LIST_ITEM: "列项", model.FOREWORD: "前言", model.INTRODUCTION: "引言",
    model.BIBLIOGRAPHY: "参考文献", model.INDEX: "索引", model.FORMULA: "公式",
    model.NOTE: "注", model.EXAMPLE: "示例", model.NORMATIVE_REFERENCE: "规范性引用文件",
    model.BIBLIOGRAPHY_ENTRY: "参考文献条目",
}
# The names the clause index uses for these columns.
METADATA_ZH = {
    "kind": "条款类型", "role": "执行主体", "frequency": "频次", "target": "目标",
    "applies_to": "适用对象", "checklist": "检查表", "checklist_text": "检查表用语",
    "evidence": "证明记录",
}
# GB/T 1.1—2020 names of provision types.
PROVISION_ZH = {
    "requirement": "要求型条款", "recommendation": "推荐型条款", "permission": "允许型条款",
    "possibility": "陈述型条款", "statement": "陈述型条款", "instruction": "指示型条款",
}


def short(text: str, limit: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def metadata_value_zh(name: str, value: Any) -> str:
    if value is None:
        return "无"
    if name == "kind":
        return model.KIND_ZH.get(value, value)
    if name == "frequency":
        return model.Frequency(**value).describe()
    if name == "target":
        return model.Target(**value).describe()
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def diff_phrases(segments: Sequence[Segment], limit: int = 3,
                 show: Callable[[str], str] = str) -> str:
    """“a”改为“b”, 删除“c”, 增加“d”: the first few changes of a character diff."""
    segments = [(op, show(text)) for op, text in segments]
    phrases = []
    i = 0
    while i < len(segments):
        op, text = segments[i]
        if op == "-" and i + 1 < len(segments) and segments[i + 1][0] == "+":
            inserted = segments[i + 1][1]
            before = after = ""
            if re.search(r"\d", text + inserted) and max(len(text), len(inserted)) <= 3:
                # "1"改为"2" says little: show the number with the words around it.
                if i and segments[i - 1][0] == "=":
                    before = re.split(r"[，。；：、,.;:\s]", segments[i - 1][1])[-1][-3:]
                if i + 2 < len(segments) and segments[i + 2][0] == "=":
                    after = re.split(r"[，。；：、,.;:\s]", segments[i + 2][1])[0][:2]
            phrases.append(f"“{short(before + text + after, 16)}”改为"
                           f"“{short(before + inserted + after, 16)}”")
            i += 2
            continue
        if op == "-":
            phrases.append(f"删除“{short(text, 16)}”")
        elif op == "+":
            phrases.append(f"增加“{short(text, 16)}”")
        i += 1
    more = "等" if len(phrases) > limit else ""
    return "，".join(phrases[:limit]) + more


def _finish(record: ChangeRecord, old: Edition | None = None,
            new: Edition | None = None) -> ChangeRecord:
    from dataclasses import replace

    return replace(record, summary=_summary(record, old, new))


def _summary(r: ChangeRecord, old: Edition | None, new: Edition | None) -> str:
    side = r.new or r.old
    assert side is not None
    what = ELEMENT_ZH.get(side.element_type, side.element_type)
    if r.change in (ADDED, REMOVED):
        verb = "新增" if r.change == ADDED else "删除"
        body = side.title or side.text
        return f"{verb}{what}：{short(body)}" if body else f"{verb}{what}"
    parts = []

    def show(text: str) -> str:
        return REF_MARKER.sub(lambda m: _marker_reference(m.group(1), old, new), text)

    for f in r.fields:
        if f.field == "id":
            parts.append(f"标识由{f.old}改为{f.new}（按相似度匹配，{r.score:.2f}）")
        elif f.field == "number":
            parts.append(f"编号由{r.old.reference if r.old else ''}改为"
                         f"{r.new.reference if r.new else ''}")
        elif f.field == "parent":
            def where(edition: Edition | None, pid: str | None) -> str:
                if edition is None or pid is None:
                    return "顶层"
                parent = edition[pid]
                return edition.reference_text(pid) + (f"“{parent.title}”" if parent.title else "")
            parts.append(f"由{where(old, f.old)}移至{where(new, f.new)}")
        elif f.field == "element_type":
            parts.append(f"由{ELEMENT_ZH.get(f.old, f.old)}改为{ELEMENT_ZH.get(f.new, f.new)}")
        elif f.field == "annex_obligation":
            parts.append(f"附录性质由{f.old}改为{f.new}")
        elif f.nature == N_REFERENCES:
            parts.append("引用的条款编号随之更新")
        elif f.nature == N_EDITORIAL:
            parts.append("编辑性修改（标点、空格或全角半角）")
        elif f.field == "text":
            parts.append("条文修改：" + diff_phrases(f.ref_diff or f.diff, show=show))
        elif f.field in ("notes", "examples"):
            label = "注" if f.field == "notes" else "示例"
            parts.append(f"{label}修改：" + diff_phrases(f.diff))
        elif f.field == "title":
            parts.append(f"标题“{f.old}”改为“{f.new}”")
        elif f.field == "term.term":
            parts.append(f"术语“{f.old}”改为“{f.new}”")
        elif f.field.startswith("term."):
            parts.append(f"术语的{f.field[5:]}由“{f.old or '无'}”改为“{f.new or '无'}”")
        elif f.field.startswith("metadata."):
            name = f.field.split(".", 1)[1]
            parts.append(f"{METADATA_ZH.get(name, name)}由“{metadata_value_zh(name, f.old)}”"
                         f"改为“{metadata_value_zh(name, f.new)}”")
        elif f.field == "rows" and f.table is not None:
            parts.append("表格：" + table_phrases(f.table))
    if r.obligation:
        word = "加严" if r.obligation.direction == "strengthened" else "放宽"
        if r.obligation.basis == "metadata":
            parts.append(f"{word}：由{PROVISION_ZH.get(r.obligation.old, r.obligation.old)}改为"
                         f"{PROVISION_ZH.get(r.obligation.new, r.obligation.new)}")
        else:
            parts.append(f"{word}：“{r.obligation.old or '（无）'}”改为"
                         f"“{r.obligation.new or '（无）'}”")
    return "；".join(parts)


def _marker_reference(token: str, old: Edition | None, new: Edition | None) -> str:
    """How a ⟦target⟧ marker of a normalised text prints (new numbering where it exists)."""
    if token.startswith("old:") and old is not None and token[4:] in old:
        return old.reference_text(token[4:])
    token = token.removeprefix("new:")
    if new is not None and token in new:
        return new.reference_text(token)
    return token


def table_phrases(t: TableDiff) -> str:
    parts = []
    if t.columns_added:
        parts.append("增加" + "、".join(f"“{short(c, 12)}”" for c in t.columns_added) + "列")
    if t.columns_removed:
        parts.append("删除" + "、".join(f"“{short(c, 12)}”" for c in t.columns_removed) + "列")
    if t.rows_added:
        parts.append("增加" + "、".join(f"“{short(row_name(r), 12)}”" for r in t.rows_added)
                     + "行")
    if t.rows_removed:
        parts.append("删除" + "、".join(f"“{short(row_name(r), 12)}”" for r in t.rows_removed)
                     + "行")
    if t.cells_changed:
        parts.append(f"修改{t.cells_changed}处内容")
    return "，".join(parts) or "引用编号或标点更新"


def row_name(row: Sequence[str]) -> str:
    """How a table row is named in a summary: its first non-empty cell."""
    return next((c for c in row if c.strip()), "空行")


# -- helpers for reports --------------------------------------------------------------------


def old_year(info: EditionInfo) -> str | None:
    """The year of an edition from its number: the digits after the em dash (or hyphen)."""
    m = re.search(r"[—\-－]\s*(\d{4})\s*$", info.number)
    return m.group(1) if m else None


def merged(d: EditionDiff) -> Iterator[tuple[Clause | None, Clause | None, ChangeRecord | None]]:
    """Every element of both editions in record order: (old, new, record or None)."""
    assert d.old is not None and d.new is not None
    for oid, nid in d.alignment:
        yield (d.old[oid] if oid else None, d.new[nid] if nid else None,
               d.record_for(oid, nid))
