"""Reports of a revision diff (:class:`tooling.diff.EditionDiff`): the public surface.

- :func:`summary_text` — a few lines for the terminal (here);
- :func:`foreword_items` / :func:`change_list` — the 前言's list of main technical changes
  (:mod:`tooling.diff.foreword`; an editor's ``changes.yaml``: :mod:`tooling.diff.overrides`);
- :func:`redline_html`, :func:`redline_fragment`, :func:`redline_typst` — the redline
  (:mod:`tooling.diff.redline`);
- :func:`comparison_rows` and its writers :func:`comparison_csv`, :func:`comparison_xlsx`,
  :func:`comparison_html`, :func:`comparison_typst` — the 条款对照表
  (:mod:`tooling.diff.comparison`).

The JSON is :meth:`EditionDiff.to_json` (schema: ``tooling/schemas/diff.schema.json``), with
the 前言 list added by :func:`diff_json`. Every text taken from the sources is escaped for its
output format.
"""

from __future__ import annotations

from typing import Any

from ..io.tables import neutralise as neutralise  # re-exported: the CSV rule lives in io
from .comparison import (
    comparison_columns,
    comparison_csv,
    comparison_html,
    comparison_rows,
    comparison_table,
    comparison_typst,
    comparison_xlsx,
)
from .foreword import ChangeList, change_list, foreword_items
from .records import ADDED, CHANGED, EDITORIAL, REMOVED, TECHNICAL, EditionDiff
from .redline import redline_body, redline_fragment, redline_html, redline_typst
from .render import change_label, esc, segments_html, table_grid, typ, typ_string

__all__ = [
    "change_label", "change_list", "comparison_columns", "comparison_csv", "comparison_html",
    "comparison_rows", "comparison_table", "comparison_typst", "comparison_xlsx", "diff_json",
    "esc", "foreword_items", "neutralise", "redline_body", "redline_fragment", "redline_html",
    "redline_typst", "segments_html", "summary_text", "table_grid", "typ", "typ_string",
]


def diff_json(d: EditionDiff, changes: ChangeList | None = None) -> dict[str, Any]:
    """:meth:`EditionDiff.to_json` with the 前言 list: every item (its key, wording, the
    wording the model made, its reference, the changes it lists) and every change's status."""
    changes = changes if changes is not None else change_list(d)
    data = d.to_json()
    data["foreword"] = {
        "items": [{"key": i.key, "text": i.text, "generated": i.generated, "refs": i.refs,
                   "changes": list(i.changes)} for i in changes.items],
        "changes": [{"key": c.key, "status": c.status, "phrase": c.phrase,
                     "cause": c.cause, "reason": c.reason} for c in changes.changes],
    }
    return data


# -- terminal ---------------------------------------------------------------------------------


def summary_text(d: EditionDiff, changes: ChangeList | None = None, *,
                 detail: bool = False) -> str:
    """A short report for the terminal: counts, then the 前言 list; with ``detail``, one line
    per non-structural record as well (ids and similarity scores included)."""
    from ..model.foreword import list_items
    from .foreword import letter

    c = d.counts()
    modified = sum(1 for r in d.records if r.change == CHANGED and r.category == TECHNICAL)
    lines = [
        f"条款级修订差异：{d.old_info.number} → {d.new_info.number}",
        f"旧版 {c['old_elements']} 个元素，新版 {c['new_elements']} 个元素；"
        f"未变 {c['unchanged']} 个。",
        f"技术性变化 {c['technical']}（新增 {c['added']}，删除 {c['removed']}，修改 {modified}），"
        f"编辑性修改 {c['editorial']}，结构调整 {c['structural']}"
        f"（其中仅编号变化 {c['renumbered_only']}，移动 {c['moved']}），前言 {c['front_matter']}。",
        f"加严 {c['strengthened']}，放宽 {c['weakened']}；按相似度匹配 "
        f"{c['matched_by_similarity']}（阈值 {d.threshold:g}）。",
    ]
    changes = changes if changes is not None else change_list(d)
    texts = changes.texts()
    if texts:
        lines += ["", f"前言中的主要技术变化（{len(texts)} 项）："]
        lines += [f"  {letter(i)} {t}" for i, t in enumerate(list_items(texts))]
    shown = [r for r in d.records if r.category in (TECHNICAL, EDITORIAL)] if detail else []
    if shown:
        lines += ["", "逐条变化："]
    for r in shown:
        mark = {ADDED: "+", REMOVED: "-"}.get(r.change, "~" if r.category == TECHNICAL else "·")
        where = r.new.reference if r.new else ""
        if r.old and (not r.new or r.old.reference != r.new.reference):
            where += f"（原{r.old.reference}）" if r.new else f"原{r.old.reference}"
        label = f"{change_label(r)}：" if r.change == CHANGED else ""
        lines.append(f"  {mark} {where}  {label}{r.summary}")
    return "\n".join(lines) + "\n"
