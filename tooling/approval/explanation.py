"""The 编制说明: the sections the drafting group wrote in ``explanation.md``, with the parts the
toolkit generates merged in (:func:`assemble`).

``explanation.md`` is read with markdown-it (the parser under myst-parser): each ``##`` heading
names one section of :data:`tooling.model.explanation.SECTIONS` (its title or a usual short
form), ``###`` headings are sub-headings, and paragraphs, lists and tables are kept; HTML
comments are the authors' notes and are dropped. The generated parts come after the authored
text of their section: the drafting units and drafters and the recorded stage moves (工作简况),
the main technical changes with a pointer to the 条款对照表 annexed (编制原则), the normative
references (法律法规), and the comment statistics of every stage that has a comments file
(重大分歧意见).

The result is plain data (:class:`Explanation`), written out by :mod:`.render` as HTML, PDF
and Word.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

from ..io.diagnostics import Diagnostic, diagnostic
from ..model import NORMATIVE_REFERENCE, Edition, EditionInfo
from ..model.explanation import (
    BY_TITLE,
    CHANGES,
    COMMENTS,
    DRAFTERS,
    EXPLANATION_FILE,
    REFERENCES,
    SECTIONS,
    section_number,
)
from ..model.foreword import list_items
from ..model.stages import DRAFT_STAGES, completed_line
from .stage import read_history

ROLE = "{clause-ref}"
REF_OPEN, REF_CLOSE = "\u27e6", "\u27e7"  # ⟦id⟧ until the number is known
_REF = re.compile(f"{REF_OPEN}([^{REF_CLOSE}]*){REF_CLOSE}")
PLACEHOLDER = "（待填写）"
UNWRITTEN = "（未填写）"
# "一、工作简况", "1. 工作简况", "（一）任务来源": the number is ours to print.
_LEADING_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]?|（[一二三四五六七八九十]+）)\s*")


@dataclass(frozen=True)
class Block:
    """One block of a section: a paragraph, a sub-heading, a list or a table."""

    kind: str  # para / heading / list / table
    text: str = ""
    items: tuple[str, ...] = ()  # list items, labels included ("a)", "1.", "——")
    rows: tuple[tuple[str, ...], ...] = ()  # table rows, the header first
    generated: bool = False  # made by the toolkit, not written by the authors


@dataclass(frozen=True)
class Section:
    number: str  # 一、
    title: str
    key: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Explanation:
    """The whole 编制说明, ready to be written out."""

    info: EditionInfo
    title: str  # 《…》编制说明
    subtitle: str  # DB3715/T XXXX—2026（征求意见稿）
    dateline: str  # the drafting group and the 本稿完成日期
    sections: tuple[Section, ...]
    annex_title: str | None = None  # 附件　条款对照表
    annex_intro: str = ""
    annex_rows: tuple[tuple[str, ...], ...] = ()  # header first
    notice: str | None = None  # the authors' note for readers (an illustrative text …)
    problems: tuple[Diagnostic, ...] = field(default=(), compare=False)  # warnings


class ExplanationError(Exception):
    """explanation.md cannot be read: one diagnostic with the file and line."""

    def __init__(self, diag: Diagnostic) -> None:
        super().__init__(str(diag))
        self.diagnostic = diag


@dataclass(frozen=True)
class Authored:
    """What the authors wrote: blocks by section key, the optional notice, warnings."""

    sections: dict[str, list[Block]]
    lines: dict[str, int]
    notice: str | None
    problems: tuple[Diagnostic, ...]
    refs: tuple[tuple[str, int], ...] = ()  # ({clause-ref} id, line), to check and resolve


def _inline_text(token) -> str:
    """The inline token's text as printed: markup dropped, soft breaks joined (between two
    Chinese characters a line break is no space)."""
    out: list[str] = []
    for child in token.children or ():
        if child.type == "code_inline" and out and out[-1].endswith(ROLE):
            # {clause-ref}`id`: a marker the number replaces once the edition is known.
            out[-1] = out[-1][: -len(ROLE)]
            out.append(f"{REF_OPEN}{child.content.strip()}{REF_CLOSE}")
        elif child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
    text = "".join(out)
    return re.sub(r"(?<=[^\x00-\x7f])\n(?=[^\x00-\x7f])", "", text).replace("\n", " ").strip()


def read_authored(path: Path) -> Authored:
    """Parse explanation.md; raise :class:`ExplanationError` for what cannot be placed."""
    def fail(line: int | None, detail: str) -> ExplanationError:
        return ExplanationError(diagnostic("E236", path, line, detail=detail))

    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise fail(line, "文件不是 UTF-8 编码，请以 UTF-8 保存") from None
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    sections: dict[str, list[Block]] = {}
    lines: dict[str, int] = {}
    current: str | None = None
    notice: list[str] = []
    problems: list[Diagnostic] = []
    refs: list[tuple[str, int]] = []
    i = 0
    stack: list[tuple[bool, list[str], int]] = []  # open lists: ordered, items, counter

    def add(block: Block, line: int) -> None:
        if current is None:
            if block.kind == "para" and block.text.startswith(("注：", "说明：")):
                notice.append(block.text)
                return
            raise fail(line, "第一个“## 节标题”之前只能有“# 标题”和以“说明：”开头的说明段落；"
                             "正文请写在各节标题之下")
        sections[current].append(block)
        for text in (block.text, *block.items, *(c for row in block.rows for c in row)):
            refs.extend((found, line) for found in _REF.findall(text))

    while i < len(tokens):
        tok = tokens[i]
        line = (tok.map[0] + 1) if tok.map else None
        if tok.type == "heading_open":
            title = _inline_text(tokens[i + 1])
            level = int(tok.tag[1])
            if level == 1:
                pass  # the title comes from standard.yaml
            elif level == 2:
                bare = _LEADING_NUMBER.sub("", title).strip()
                section = BY_TITLE.get(bare)
                if section is None:
                    names = "、".join(s.title for s in SECTIONS)
                    raise fail(line, f"“{title}”不是编制说明的一节；各节依次为：{names}")
                if section.key in sections:
                    raise fail(line, f"“{title}”与第{lines[section.key]}行是同一节，只能写一次")
                current = section.key
                sections[current] = []
                lines[current] = line or 1
            else:
                add(Block("heading", _LEADING_NUMBER.sub("", title).strip()), line or 1)
            i += 3
            continue
        if tok.type == "paragraph_open" and not stack:
            para = _inline_text(tokens[i + 1])
            if para:
                add(Block("para", para), line or 1)
            i += 3
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            start = int(tok.attrs.get("start", 1) or 1) if tok.attrs else 1
            stack.append((tok.type == "ordered_list_open", [], start))
            if len(stack) == 1:
                list_line = line or 1
        elif tok.type == "inline" and stack:
            ordered, items, counter = stack[-1]
            label = f"{counter + len(items)}." if ordered else "——"
            depth = "\u3000" * (len(stack) - 1)
            items.append(f"{depth}{label}{_inline_text(tok)}")
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            _ordered, items, _counter = stack.pop()
            if stack:
                stack[-1][1].extend(items)
            else:
                add(Block("list", items=tuple(items)), list_line)
        elif tok.type == "table_open":
            rows: list[tuple[str, ...]] = []
            row: list[str] = []
            i += 1
            while tokens[i].type != "table_close":
                t = tokens[i]
                if t.type == "tr_open":
                    row = []
                elif t.type == "inline":
                    row.append(_inline_text(t))
                elif t.type == "tr_close":
                    rows.append(tuple(row))
                i += 1
            add(Block("table", rows=tuple(rows)), line or 1)
        elif tok.type in ("fence", "code_block"):
            add(Block("para", tok.content.strip()), line or 1)
        i += 1
    for key, blocks in sections.items():
        if any(b.kind == "para" and b.text == PLACEHOLDER for b in blocks):
            title = next(s.title for s in SECTIONS if s.key == key)
            problems.append(diagnostic("E238", path, lines[key], title=title))
    return Authored(sections, lines, "\n".join(notice) or None, tuple(problems), tuple(refs))


def resolve_references(authored: Authored, edition: Edition, path: Path) -> Authored:
    """Every {clause-ref}`id` replaced by the clause's number in ``edition`` (8.1.3, 表C.2);
    an id the edition does not have raises :class:`ExplanationError` with its line."""
    for ref, line in authored.refs:
        if ref not in edition:
            raise ExplanationError(diagnostic("E236", path, line, detail=(
                f"引用的标识“{ref}”不是本标准的条款（{{clause-ref}}`标识` 引用本标准的条款）")))

    def number(match: re.Match[str]) -> str:
        return edition.reference_text(match.group(1))

    def fix(block: Block) -> Block:
        return dataclasses.replace(
            block, text=_REF.sub(number, block.text),
            items=tuple(_REF.sub(number, i) for i in block.items),
            rows=tuple(tuple(_REF.sub(number, c) for c in row) for row in block.rows))

    sections = {key: [fix(b) for b in blocks] for key, blocks in authored.sections.items()}
    notice = _REF.sub(number, authored.notice) if authored.notice else None
    return dataclasses.replace(authored, sections=sections, notice=notice)


# -- the generated parts -------------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    """What the toolkit knows, gathered by the command: the change list and the 条款对照表
    from the diff, the comment statistics by stage."""

    lead: str | None = None  # 本文件在……的基础上制定，与……相比，……主要技术变化如下：
    changes: tuple[str, ...] = ()
    comparison_title: str | None = None
    comparison_intro: str = ""
    comparison_rows: tuple[tuple[str, ...], ...] = ()  # header first
    statistics: tuple[tuple[str, Any], ...] = ()  # (stage, CommentStatistics)


def _drafters(info: EditionInfo, folder: Path) -> list[Block]:
    blocks = [Block("para", f"本文件起草单位：{'、'.join(info.drafting_units)}。", generated=True)]
    if info.drafters:
        blocks.append(Block("para", f"本文件主要起草人：{'、'.join(info.drafters)}。",
                            generated=True))
    moves = read_history(folder)
    if moves:
        blocks.append(Block("para", "本文件各阶段完成的日期：", generated=True))
        blocks.append(Block("list", items=tuple(
            f"——{m.date}：{'正式发布' if m.new == 'published' else '完成' + m.new}"
            for m in moves), generated=True))
    return blocks


def _changes(info: EditionInfo, gen: Generated) -> list[Block]:
    if gen.lead is None:
        if info.predecessor is None:
            return [Block("para", "本文件为首次制定，没有可比较的上一版本。", generated=True)]
        return []
    if not gen.changes:
        return [Block("para", gen.lead, generated=True)]
    items = list_items(gen.changes)
    letters = "abcdefghijklmnopqrstuvwxyz"
    labelled = tuple(f"{letters[i % 26]}) {t}" for i, t in enumerate(items))
    blocks = [Block("para", gen.lead, generated=True),
              Block("list", items=labelled, generated=True)]
    if gen.comparison_rows:
        blocks.append(Block("para", "各处修改的原条文、新条文和修订说明见附件“条款对照表”。",
                            generated=True))
    return blocks


def _references(edition: Edition | None) -> list[Block]:
    if edition is None:
        return []
    refs = []
    for clause in edition.walk():
        if clause.element_type == NORMATIVE_REFERENCE and clause.document is not None:
            doc = clause.document
            refs.append(f"{doc.designation}　{doc.title}" if doc.designation else doc.title)
    if not refs:
        return [Block("para", "本文件没有规范性引用文件。", generated=True)]
    return [Block("para", "本文件规范性引用了下列文件：", generated=True),
            Block("list", items=tuple(f"——{r}；" if i < len(refs) - 1 else f"——{r}。"
                                      for i, r in enumerate(refs)), generated=True)]


def statistics_sentence(stage: str, s: Any) -> str:
    """The statistics of one stage's comments in one sentence (the 汇总处理表's figures);
    ``s`` is a :class:`tooling.comments.store.CommentStatistics`."""
    text = (f"{stage}征求了{s.units_consulted}个单位的意见，收到回复{s.units_replied}个"
            f"（其中有意见的{s.replied_with_comments}个，"
            f"无意见的{s.replied_without_comments}个），未回复{s.units_not_replied}个；"
            f"共收到意见{s.received}条，采纳{s.adopted}条，部分采纳{s.partly_adopted}条，"
            f"未采纳{s.not_adopted}条")
    open_parts = []
    if s.undecided:
        open_parts.append(f"尚未处理{s.undecided}条")
    if s.unresolved:
        open_parts.append(f"无法对应到条款的{s.unresolved}条")
    if open_parts:
        text += "，" + "，".join(open_parts)
    return text + "。"


def _comments(info: EditionInfo, gen: Generated) -> list[Block]:
    if not gen.statistics:
        if info.stage in ("工作组讨论稿", "征求意见稿"):
            return [Block("para", "本稿征求意见后，意见的处理情况在送审稿的编制说明中说明。",
                          generated=True)]
        return []
    blocks = [Block("para", statistics_sentence(stage, stats), generated=True)
              for stage, stats in gen.statistics]
    blocks.append(Block("para", "每条意见及其处理见《征求意见汇总处理表》。", generated=True))
    return blocks


def assemble(info: EditionInfo, authored: Authored, gen: Generated, folder: Path,
             edition: Edition | None = None) -> Explanation:
    """The 编制说明: every section in order, the authored text first, then what the toolkit
    adds; a section the authors left out is printed as （未填写） and reported."""
    problems = list(authored.problems)
    sections = []
    for index, spec in enumerate(SECTIONS):
        blocks = list(authored.sections.get(spec.key, ()))
        if spec.key not in authored.sections:
            problems.append(diagnostic("E237", folder / EXPLANATION_FILE, None,
                                       title=spec.title))
        if spec.generated == DRAFTERS:
            blocks += _drafters(info, folder)
        elif spec.generated == CHANGES:
            blocks += _changes(info, gen)
        elif spec.generated == REFERENCES:
            blocks += _references(edition)
        elif spec.generated == COMMENTS:
            blocks += _comments(info, gen)
        if not blocks:
            blocks = [Block("para", UNWRITTEN)]
        sections.append(Section(section_number(index), spec.title, spec.key, tuple(blocks)))
    stage = f"（{info.stage}）" if info.is_draft else ""
    unit = info.drafting_units[0] if info.drafting_units else info.issuer
    done = completed_line(info)
    return Explanation(
        info=info,
        title=f"《{info.title_zh}》编制说明",
        subtitle=f"{info.number}{stage}",
        dateline=f"{unit}（起草组）" + (f"　{done}" if done else ""),
        sections=tuple(sections),
        annex_title="附件　条款对照表" if gen.comparison_rows else None,
        annex_intro=gen.comparison_intro,
        annex_rows=gen.comparison_rows,
        notice=authored.notice,
        problems=tuple(problems),
    )


def stages_with_comments(folder: Path) -> Sequence[str]:
    """The draft stages that have a comments file, in order."""
    return [s for s in DRAFT_STAGES if (folder / "comments" / f"{s}.yaml").is_file()]
