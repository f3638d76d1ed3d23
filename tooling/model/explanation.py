"""The 编制说明 (drafting explanation): its sections, in the order the approving departments ask
for them (LOCAL-STANDARD-PROCESS.md), and which of them the toolkit fills in itself.

The drafting group writes ``explanation.md`` in the standard's folder, one ``##`` heading per
section; :mod:`tooling.approval` reads it and merges in what it can generate (drafting units
and drafters, the main technical changes and the 条款对照表, the normative references, the
comment statistics). ``stdkit new`` writes the file with these headings (:func:`template`).

Pure: no Sphinx, no docutils.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EXPLANATION_FILE = "explanation.md"

# What the toolkit adds to a section, after the authored text.
DRAFTERS = "drafters"  # 起草单位 and 主要起草人, from standard.yaml
CHANGES = "changes"  # 主要技术变化 (from the diff) and a pointer to the 条款对照表
REFERENCES = "references"  # the normative references of the edition
COMMENTS = "comments"  # the comment statistics (征求意见汇总处理表)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    aliases: tuple[str, ...]  # shorter headings people write for the same section
    hint: str  # what to write, for the template
    generated: str | None = None  # what the toolkit adds
    default: str = ""  # the template's text where the answer is usually the same


SECTIONS: tuple[Section, ...] = (
    Section("work", "工作简况", ("工作概况",),
            "任务来源（下达任务的计划及其文号）；主要工作过程（起草、调研、试点、征求意见、审查）"
            "和时间；起草单位和主要起草人所做的工作。", DRAFTERS),
    Section("principles", "标准编制原则和确定主要内容的论据",
            ("编制原则和依据", "编制原则", "主要内容的论据", "标准编制原则"),
            "编制原则；确定主要内容（技术指标、参数、要求）的论据；修订或在原文件基础上制定的，"
            "写主要技术变化的理由。", CHANGES),
    Section("verification", "主要试验（或验证）的分析、综述报告，技术经济论证，预期的经济效果",
            ("主要试验（或验证）情况", "主要试验或验证情况", "试验验证", "预期效果"),
            "服务类标准：试点的经验和支撑主要指标的数据；预期的社会效益和经济效果。"),
    Section("adoption", "采用国际标准和国外先进标准的情况", ("采用国际标准情况",),
            "", default="本文件没有采用国际标准和国外先进标准。"),
    Section("laws", "与有关的现行法律、法规和强制性国家标准的关系",
            ("与法律法规和强制性标准的关系", "与有关法律法规和标准的关系"),
            "本文件与哪些法律、法规、规章和强制性国家标准有关，是否协调一致。", REFERENCES),
    Section("disputes", "重大分歧意见的处理经过和依据", ("重大分歧意见的处理",),
            "", COMMENTS, default="无重大分歧意见。"),
    Section("nature", "标准作为强制性或推荐性的建议", ("强制性或推荐性的建议",),
            "", default="建议本文件作为推荐性标准发布实施。"),
    Section("implementation", "贯彻标准的要求和措施建议", ("贯彻建议", "贯彻标准的措施建议"),
            "宣传和培训、试点、实施时间、所需条件。"),
    Section("withdrawal", "废止现行有关标准的建议", ("废止建议", "废止现行有关文件的建议"),
            "", default="无。"),
    Section("other", "其他应予说明的事项", ("其他",), "", default="无。"),
)
BY_TITLE = {name: s for s in SECTIONS for name in (s.title, *s.aliases)}
CHINESE_NUMERALS = "一二三四五六七八九十"


#: A clause cited in explanation.md by its id, as in the standard's own sources; the number is
#: filled in when the 编制说明 is made, so renumbering never leaves it wrong.
CLAUSE_REF = re.compile(r"\{clause-ref\}`([^`\n]+)`")


def referenced_ids(text: str) -> frozenset[str]:
    """The clause ids an explanation.md cites with {clause-ref}: the changes it explains (the
    comments cross-check need not ask for a comment on them)."""
    return frozenset(m.group(1).strip() for m in CLAUSE_REF.finditer(text))


def section_number(index: int) -> str:
    """一、二、… for the sections (index from 0)."""
    return CHINESE_NUMERALS[index] + "、"


def template(title_zh: str) -> str:
    """The ``explanation.md`` that ``stdkit new`` writes: every section's heading, with what
    to write in a comment and the usual answer where there is one."""
    lines = [
        f"# 《{title_zh}》编制说明",
        "",
        "<!-- 编制说明中由起草组撰写的部分。每个“##”标题是一节，按下列顺序；“###”是节中的小标题。",
        "     stdkit explanation 生成编制说明（网页、PDF、Word），并自动加入：起草单位和主要起草人"
        "（standard.yaml）、",
        "     主要技术变化和条款对照表（与上一版本的修订对比）、规范性引用文件、征求意见的统计"
        "（comments/）。",
        "     这些内容不要手写。引用本标准的条款写 {clause-ref}`标识`，生成时换成条款编号。 -->",
        "",
    ]
    for section in SECTIONS:
        lines.append(f"## {section.title}")
        lines.append("")
        if section.hint:
            lines.append(f"<!-- {section.hint} -->")
            lines.append("")
        lines.append(section.default or "（待填写）")
        lines.append("")
    return "\n".join(lines)


__all__ = ["BY_TITLE", "CHANGES", "CLAUSE_REF", "COMMENTS", "DRAFTERS", "EXPLANATION_FILE",
           "REFERENCES", "SECTIONS", "Section", "referenced_ids", "section_number", "template"]
