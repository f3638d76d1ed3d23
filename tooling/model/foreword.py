"""The fixed wording of GB/T 1.1—2020 that the toolkit generates: 前言 and cover lines.

Pure functions from :class:`~tooling.model.EditionInfo` to text, so the HTML and PDF editions
print exactly the same words, and the linter can compare a draft against them.
"""

from __future__ import annotations

from collections.abc import Sequence

from .clauses import EditionInfo
from .stages import completed_line, patent_call, stage_line

DRAFTING_BASIS = (
    "本文件按照GB/T 1.1—2020《标准化工作导则\u3000第1部分：标准化文件的结构和起草规则》的规定起草。"
)
PATENT_NOTICE = "请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。"
CHANGES_LEAD = "与{old}相比，除结构调整和编辑性改动外，主要技术变化如下："

class PendingChanges:
    """Stands in the 前言 for the change list that is generated later, from the diff."""


PENDING_CHANGES = PendingChanges()
Block = str | list[str] | PendingChanges


def list_items(texts: Sequence[str]) -> list[str]:
    """GB/T 列项 punctuation: every item ends with "；", the last with "。"."""
    out = []
    for i, text in enumerate(texts):
        stripped = text.rstrip("；;。.，, ")
        out.append(stripped + ("。" if i == len(texts) - 1 else "；"))
    return out


def replaces_sentence(info: EditionInfo, has_changes: bool) -> str:
    """The 前言 sentence on the document this edition follows: "本文件代替……" for a revision
    (``replaces``), "本文件在……的基础上制定" for a document made on the basis of another one
    it does not replace (``based_on``); with the lead-in of the change list when there is one
    ("与……相比，除结构调整和编辑性改动外，主要技术变化如下：")."""
    if info.replaces:
        docs = "和".join(f"{r.number}《{r.title}》" for r in info.replaces)
        opening = f"本文件代替{docs}"
    elif info.based_on is not None:
        opening = f"本文件在{info.based_on.number}《{info.based_on.title}》的基础上制定"
    else:
        return ""
    predecessor = info.predecessor
    if not has_changes or predecessor is None:
        return f"{opening}。"
    return f"{opening}，" + CHANGES_LEAD.format(old=predecessor.number)


def foreword_blocks(
    info: EditionInfo, changes: Sequence[str] | PendingChanges = ()
) -> list[Block]:
    """The 前言 as paragraphs (str) and dash lists (list of str, items printed after "——"),
    in GB/T order. ``changes`` is the list of main technical changes, or PENDING_CHANGES when
    it will be generated once the whole edition is known."""
    blocks: list[Block] = [DRAFTING_BASIS]
    if info.predecessor is not None:
        pending = isinstance(changes, PendingChanges)
        blocks.append(replaces_sentence(info, pending or bool(changes)))
        if pending:
            blocks.append(PENDING_CHANGES)
        elif changes:
            blocks.append(list_items(changes))
    blocks.append(PATENT_NOTICE)
    if info.proposer and info.proposer == info.administrator:
        blocks.append(f"本文件由{info.proposer}提出并归口。")
    else:
        if info.proposer:
            blocks.append(f"本文件由{info.proposer}提出。")
        if info.administrator:
            blocks.append(f"本文件由{info.administrator}归口。")
    blocks.append(f"本文件起草单位：{'、'.join(info.drafting_units)}。")
    if info.drafters:
        blocks.append(f"本文件主要起草人：{'、'.join(info.drafters)}。")
    # 历次版本 are this document's own editions; a document it is only based on is not one.
    if info.history and info.based_on is None:
        blocks.append("本文件及其所代替文件的历次版本发布情况为：")
        entries = []
        for i, entry in enumerate(info.history):
            if i == 0:
                entries.append(f"{entry.year}年首次发布为{entry.number}")
            else:
                entries.append(f"{entry.year}年第{i}次修订为{entry.number}")
        entries.append(f"本次为第{len(info.history)}次修订")
        blocks.append(list_items(entries))
    return blocks


def cover_lines(info: EditionInfo) -> list[tuple[str, str]]:
    """Cover rows as (css class, text), top to bottom (GB/T 1.1—2020 附录F)."""
    rows: list[tuple[str, str]] = []
    if info.ics:
        rows.append(("cover-ics", "ICS " + "；".join(info.ics)))
    if info.ccs:
        rows.append(("cover-ccs", f"CCS {info.ccs}"))
    if info.filing_number:
        rows.append(("cover-filing", f"备案号：{info.filing_number}"))
    if info.code_mark:
        rows.append(("cover-mark", info.code_mark))
    rows.append(("cover-class", info.class_line))  # above the number, as on the PDF cover
    rows.append(("cover-number", info.number))
    if info.replaces:  # never for based_on: the document it builds on stays in force until
        # withdrawn by its own issuer
        rows.append(("cover-replaces", "代替" + "、".join(r.number for r in info.replaces)))
    rows.append(("cover-title", info.title_zh))
    if info.title_en:
        rows.append(("cover-title-en", info.title_en))
    # The stage, its 本稿完成日期 and the patent call, as the PDF and Word covers print them.
    for css, text in (("cover-stage", stage_line(info)), ("cover-completed", completed_line(info)),
                      ("cover-patent", patent_call(info))):
        if text:
            rows.append((css, text))
    issued = info.issued or "XXXX-XX-XX"
    implemented = info.implemented or "XXXX-XX-XX"
    rows.append(("cover-dates", f"{issued}发布\u3000\u3000{implemented}实施"))
    rows.append(("cover-issuer", f"{info.issuer}\u3000发布"))
    return rows
