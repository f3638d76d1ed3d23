"""The stages a standard goes through, and everything an output prints because of its stage.

One source of truth for the cover's stage line (（征求意见稿）), the 本稿完成日期, the patent call
of a draft for comment, the footer, the HTML banner and the output file names: the PDF and Word
editions, the HTML theme and ``stdkit stage`` all ask this module, so the stage on the cover,
the footer and the file name cannot disagree.

Pure: no Sphinx, no docutils.
"""

from __future__ import annotations

import re
import unicodedata

from .clauses import EditionInfo

PUBLISHED = "published"
#: The stages in order (LOCAL-STANDARD-PROCESS.md): a standard moves one step at a time.
STAGES = ("工作组讨论稿", "征求意见稿", "送审稿", "报批稿", PUBLISHED)
DRAFT_STAGES = STAGES[:-1]
#: The cover's stage line of each draft stage; a published edition has none.
STAGE_LINES = {stage: f"（{stage}）" for stage in DRAFT_STAGES}
#: GB/T 20003.1—2014: the covers of the 征求意见稿 and the 送审稿 ask for patents.
PATENT_CALL = "在提交反馈意见时，请将您知道的相关专利连同支持性文件一并附上。"
PATENT_CALL_STAGES = frozenset({"征求意见稿", "送审稿"})
DRAFT_COMPLETED = "本稿完成日期"


def stage_line(info: EditionInfo) -> str | None:
    """（征求意见稿） for a draft, None for a published edition."""
    return STAGE_LINES.get(info.stage)


def patent_call(info: EditionInfo) -> str | None:
    """The sentence asking readers for patents, on the covers of drafts sent out for comment
    and for review."""
    return PATENT_CALL if info.stage in PATENT_CALL_STAGES else None


def completed_line(info: EditionInfo) -> str | None:
    """"本稿完成日期：2026-05-20" under a draft's stage line, when standard.yaml gives the date."""
    if not info.is_draft or not info.draft_completed:
        return None
    return f"{DRAFT_COMPLETED}：{info.draft_completed}"


def next_stage(stage: str) -> str | None:
    """The stage after ``stage``; None after published."""
    position = STAGES.index(stage)
    return STAGES[position + 1] if position + 1 < len(STAGES) else None


def safe_filename(number: str) -> str:
    """A file name from a standard number: "DB3715/T 12—2021" -> "DB3715-T_12-2021"."""
    text = unicodedata.normalize("NFKC", number).replace("—", "-").replace("–", "-")
    text = re.sub(r"[/\\:]+", "-", text)
    text = re.sub(r"\s+", "_", text.strip())
    text = re.sub(r"[^A-Za-z0-9._\-\u4e00-\u9fff]", "", text).strip("._-")
    return text or "standard"


def file_stem(info: EditionInfo) -> str:
    """The name every file of this edition starts with: the number, and for a draft its stage
    ("DB3715-T_XXXX-2026_征求意见稿"), so the 征求意见稿 PDF is never mistaken for the 报批稿."""
    stem = safe_filename(info.number)
    return f"{stem}_{info.stage}" if info.is_draft else stem


def banner_text(info: EditionInfo) -> str | None:
    """The sentence the HTML edition shows on every page of a draft."""
    if not info.is_draft:
        return None
    done = f"（{completed_line(info)}）" if completed_line(info) else ""
    return (f"本文件是{info.number}的{info.stage}{done}，"
            "不是正式发布的标准，不能作为依据使用。")


__all__ = ["DRAFT_COMPLETED", "DRAFT_STAGES", "PATENT_CALL", "PUBLISHED", "STAGES",
           "STAGE_LINES", "banner_text", "completed_line", "file_stem", "next_stage",
           "patent_call", "safe_filename", "stage_line"]
