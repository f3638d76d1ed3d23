"""From the Word file's blocks to the standard's structure: cover, 前言, chapters, 条, terms,
lists, notes, tables, figures, formulas, annexes, references.

Structure comes from what a drafter types — numbers at the start of paragraphs (5.2, 表A.1,
附录B, a), 注1：) — with paragraph styles (Heading n, the 标准文件_ styles of the GB/T
templates) and Word's automatic list numbering as hints, so a file with no styles at all and
one written by our own Word edition both read. Every typed number is kept beside the element
it numbered (``typed``), for the verification that compares it with the computed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .reader import Block, Cell, Para, Table, Token

SPACE = "[\\s\u3000\u00a0]"
NUM = r"(\d{1,2}(?:\.\d{1,3}){0,5}|[A-Z](?:\.\d{1,3}){1,5})"
_HEADING = re.compile(rf"^{NUM}\.?(?:{SPACE}+|(?=[\u4e00-\u9fff（“《]))(.*)$", re.S)
_NUMBER_ONLY = re.compile(rf"^{NUM}{SPACE}*$")
_ANNEX = re.compile(rf"^附{SPACE}*录{SPACE}*([A-Z])(?![A-Za-z.\d])(.*)$", re.S)
_OBLIGATION = re.compile(rf"^[（(]{SPACE}*(规范性|资料性)(?:附录)?{SPACE}*[）)](.*)$", re.S)
_LETTER = re.compile(rf"^([a-z])[)）]{SPACE}*(.*)$", re.S)
_DIGIT = re.compile(rf"^(\d{{1,2}})[)）]{SPACE}*(.*)$", re.S)
_DASH = re.compile(rf"^(?:——|—|－－|--){SPACE}*(.*)$", re.S)
_DOT = re.compile(rf"^[·•●▪]{SPACE}*(.*)$", re.S)
_NOTE = re.compile(rf"^(注|示例){SPACE}*(\d*){SPACE}*[:：]{SPACE}*(.*)$", re.S)
_TABLE_CAPTION = re.compile(rf"^表{SPACE}*([A-Z]\.\d+|\d+){SPACE}*(.*)$", re.S)
_FIGURE_CAPTION = re.compile(rf"^图{SPACE}*([A-Z]\.\d+|\d+){SPACE}*(.*)$", re.S)
_FORMULA_NUMBER = re.compile(rf"[（(]{SPACE}*([A-Z]\.\d+|\d+){SPACE}*[)）]{SPACE}*$")
_WHERE_ENTRY = re.compile(rf"^(.+?){SPACE}*—+{SPACE}*(.+?)[；;。.]?$", re.S)
_SOURCE = re.compile(rf"^[\[［]{SPACE}*来源{SPACE}*[:：]{SPACE}*(.+?)[\]］]$", re.S)
DESIGNATION = (r"(?:GB/T|GB/Z|GB|JJF|JJG|DB\d{2,6}/T|DB\d{2,6}|T/[A-Z]{2,12}|Q/[A-Z0-9]{1,12}|"
               r"ISO/IEC|ISO|IEC|[A-Z]{2,4}/[TZ]|[A-Z]{2,4})"
               r"[ \u00a0]?\d[\dA-Z.]*(?:(?:[—–-]|\u2014)\d{4})?")
_REFERENCE = re.compile(rf"^({DESIGNATION}){SPACE}+(.+)$", re.S)
_BIB = re.compile(rf"^[\[［](\d+)[\]］]{SPACE}*(.+)$", re.S)
_TITLE_END = re.compile(r"[。；：，,;:！？]$")
CN = re.compile(r"[\u4e00-\u9fff]")

FIXED_TITLES = {"范围": "scope", "规范性引用文件": "normative-references",
                "术语和定义": "terms", "符号和缩略语": "symbols", "符号": "symbols",
                "缩略语": "abbreviations", "前言": "foreword", "引言": "introduction",
                "参考文献": "bibliography", "索引": "index-terms"}


@dataclass
class Node:
    """One element while the structure is read (mutable until it is written)."""

    kind: str  # chapter annex clause untitled para list item note example table figure
    #            formula term reference bib bibliography foreword introduction
    typed: str | None = None
    title: str = ""
    tokens: list[Token] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    id: str | None = None
    index: int = 0  # the Word block it came from
    bookmark: str | None = None
    obligation: str | None = None  # annexes: normative / informative
    en: str | None = None  # terms
    source: str | None = None  # terms: the text of [来源：…]
    label: str | None = None  # list items: "a)", "1)", "——", "·"
    level: int = 1  # list items: nesting
    rows: list[list[Cell]] = field(default_factory=list)  # tables
    header_rows: int = 1
    footnotes: list[list[Token]] = field(default_factory=list)  # tables, figures
    images: list[tuple[bytes, str]] = field(default_factory=list)  # figures
    latex: str = ""  # formulas
    where: list[tuple[str, str]] = field(default_factory=list)
    designation: str | None = None  # references and bibliography entries
    sequence: int = 0  # position among siblings of its kind, for ids from position
    verified: bool = True  # False: the number was not in the Word file (a bare Heading n)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Parsed:
    cover: list[str]
    cover_notice: list[str]
    foreword: list[Para]
    introduction: Node | None
    body: list[Node]
    problems: list[tuple[str, int, dict[str, str]]]  # (code, block index, params)
    title: str


def squash(text: str) -> str:
    return re.sub(r"[\s\u3000\u00a0]+", "", text)


def strip_tokens(tokens: list[Token], count: int) -> list[Token]:
    """The tokens without their first ``count`` characters of text (a typed number)."""
    out: list[Token] = []
    for token in tokens:
        if count <= 0 or token.kind in ("img",):
            out.append(token)
            continue
        if token.kind == "math":
            out.append(token)
            count = 0
            continue
        if len(token.text) <= count:
            count -= len(token.text)
            continue
        out.append(Token(token.kind, token.text[count:], token.anchor, token.image))
        count = 0
    return trim(out)


def trim(tokens: list[Token]) -> list[Token]:
    out = list(tokens)
    while out and out[0].kind in ("t",) and not out[0].text.strip(" \t\u3000\u00a0\n"):
        out.pop(0)
    if out and out[0].kind == "t":
        out[0] = Token("t", out[0].text.lstrip(" \t\u3000\u00a0\n"))
    while out and out[-1].kind == "t" and not out[-1].text.strip(" \t\u3000\u00a0\n"):
        out.pop()
    if out and out[-1].kind == "t":
        out[-1] = Token("t", out[-1].text.rstrip(" \t\u3000\u00a0\n"))
    return out


def plain(tokens: list[Token]) -> str:
    return "".join(t.text for t in tokens if t.kind != "img")


def _split_lines(para: Para) -> list[Para]:
    """A paragraph with manual line breaks is several paragraphs to a drafter (3.1↵楼长)."""
    if not any(t.kind == "t" and "\n" in t.text for t in para.tokens):
        return [para]
    parts: list[list[Token]] = [[]]
    for token in para.tokens:
        if token.kind == "t" and "\n" in token.text:
            pieces = token.text.split("\n")
            for k, piece in enumerate(pieces):
                if k:
                    parts.append([])
                if piece:
                    parts[-1].append(Token("t", piece))
        else:
            parts[-1].append(token)
    out = []
    for k, tokens in enumerate(parts):
        if not tokens:
            continue
        out.append(Para(para.index, para.style, tokens, para.bookmarks if k == 0 else [],
                        para.num_label if k == 0 else None, para.outline,
                        para.display_math if k == 0 else []))
    return out


class Parser:
    def __init__(self, blocks: list[Block]) -> None:
        self.blocks = blocks
        self.problems: list[tuple[str, int, dict[str, str]]] = []

    def problem(self, code: str, index: int, **params: str) -> None:
        self.problems.append((code, index, params))

    # --- the three parts -------------------------------------------------------------
    def parse(self) -> Parsed:
        blocks = self.blocks
        cover: list[str] = []
        notice: list[str] = []
        position = 0
        # Cover: everything before 目次, 前言 or the first chapter.
        while position < len(blocks):
            block = blocks[position]
            if isinstance(block, Para):
                text = squash(block.text)
                if text in ("目次", "目录", "前言", "引言") or self._is_first_chapter(block):
                    break
                if block.style.endswith("封面说明"):
                    notice.append(block.text.strip())
                elif block.text.strip():
                    cover.extend(line.strip() for line in block.text.split("\n") if line.strip())
            else:
                for row in block.rows:
                    for cell in row:
                        for line in plain(cell.tokens).split("\n"):
                            if line.strip():
                                cover.append(line.strip())
            position += 1
        # 目次: skipped (it is generated).
        if position < len(blocks) and isinstance(blocks[position], Para) \
                and squash(blocks[position].text) in ("目次", "目录"):
            position += 1
            while position < len(blocks):
                block = blocks[position]
                if isinstance(block, Para) and (squash(block.text) in ("前言", "引言")
                                                or self._is_first_chapter(block)) \
                        and not block.style.lower().startswith("toc"):
                    break
                position += 1
        foreword: list[Para] = []
        introduction: Node | None = None
        title = ""
        while position < len(blocks):
            block = blocks[position]
            if isinstance(block, Para) and squash(block.text) == "前言":
                position += 1
                while position < len(blocks):
                    block = blocks[position]
                    if isinstance(block, Para) and (self._is_first_chapter(block)
                                                    or squash(block.text) == "引言"
                                                    or block.style.endswith("正文标准名称")):
                        break
                    if isinstance(block, Para) and block.text.strip():
                        foreword.extend(_split_lines(block))
                    position += 1
                continue
            if isinstance(block, Para) and squash(block.text) == "引言":
                introduction = Node("introduction", title="引言", index=block.index,
                                    bookmark=_first(block.bookmarks))
                start = position + 1
                end = start
                while end < len(blocks):
                    b = blocks[end]
                    if isinstance(b, Para) and (self._is_first_chapter(b)
                                                or b.style.endswith("正文标准名称")):
                        break
                    end += 1
                self._body(blocks[start:end], [introduction])
                position = end
                continue
            if isinstance(block, Para) and not self._is_first_chapter(block) \
                    and block.text.strip():
                # The title repeated on the first page of the body.
                title = title or block.text.strip()
                position += 1
                continue
            if isinstance(block, Para) and not block.text.strip():
                position += 1
                continue
            break
        body: list[Node] = []
        self._body(blocks[position:], body)
        return Parsed(cover, notice, foreword, introduction, body, self.problems, title)

    def _is_first_chapter(self, block: Para) -> bool:
        if squash(block.text) == "范围" and (block.outline is not None or block.num_label):
            return True
        match = _HEADING.match(block.text.strip())
        return bool(match and match.group(1) == "1" and squash(match.group(2)) == "范围")

    # --- the body --------------------------------------------------------------------
    def _body(self, blocks: list[Block], body: list[Node]) -> None:
        self.top = body
        self.stack: list[Node] = list(body[-1:]) if body and body[-1].kind == "introduction" \
            else []
        self.open: Node | None = None  # an untitled clause, a term or a list's owner
        self.figure: Node | None = None  # an image waiting for its caption
        self.caption: tuple[str, str, Para] | None = None  # a table caption waiting
        self.formula: Node | None = None
        self.where_mode = False
        self.last_table: Node | None = None
        self.term_waiting: Node | None = None
        self.annex_waiting: Node | None = None
        self.chapter_numbers: list[int] = []
        self.synthetic: set[int] = set()  # headings numbered here, not in the Word file
        for block in blocks:
            if isinstance(block, Table):
                self._table(block)
                continue
            for para in _split_lines(block):
                self._para(para)
        self._flush_figure()

    def _next_number(self, level: int) -> str | None:
        """The number a heading styled Heading n without any number would have."""
        if level == 1:
            if self.stack and self.stack[0].kind == "annex":
                return None
            return str((self.chapter_numbers[-1] + 1) if self.chapter_numbers else 1)
        if not self.stack or len(self.stack) < level - 1:
            return None
        parent = self.stack[level - 2]
        if parent.typed is None:
            return None
        count = sum(1 for c in parent.children if c.kind in ("clause", "untitled"))
        return f"{parent.typed}.{count + 1}"

    def container(self) -> Node | None:
        if self.open is not None:
            return self.open
        return self.stack[-1] if self.stack else None

    def add(self, node: Node) -> None:
        owner = self.container()
        if owner is None:
            self.problem("E261", node.index,
                         detail=f"正文第一个章之前的内容：“{plain(node.tokens)[:30]}”")
            return
        owner.children.append(node)

    def _in_chapter(self, title: str) -> bool:
        return bool(self.stack) and self.stack[0].kind == "chapter" and \
            squash(self.stack[0].title) == title

    def _table(self, block: Table) -> None:
        self._flush_figure()
        caption = self.caption
        self.caption = None
        rows = [row for row in block.rows]
        node = Node("table", index=block.index, bookmark=_first(block.bookmarks))
        if caption:
            node.typed, node.title, para = caption
            node.bookmark = node.bookmark or _first(para.bookmarks)
        # A last row of one cell across the table holding 注 and footnotes (GB/T layout).
        if len(rows) > 1 and len(rows[-1]) == 1 and rows[-1][0].span > 1:
            text = plain(rows[-1][0].tokens)
            if re.match(r"^(注|示例|[a-z]" + SPACE + ")", text.strip()):
                self._table_notes(node, rows[-1][0].tokens)
                rows = rows[:-1]
        node.rows = rows
        node.header_rows = min(block.header_rows, max(1, len(rows) - 1))
        if self.open is not None and self.open.kind in ("untitled",):
            self.open = None
        self.add(node)
        self.last_table = node
        self.formula = None

    def _table_notes(self, node: Node, tokens: list[Token]) -> None:
        lines: list[list[Token]] = [[]]
        for token in tokens:
            if token.kind == "t" and "\n" in token.text:
                for k, piece in enumerate(token.text.split("\n")):
                    if k:
                        lines.append([])
                    if piece:
                        lines[-1].append(Token("t", piece))
            else:
                lines[-1].append(token)
        for line in lines:
            text = plain(line).strip()
            match = _NOTE.match(text)
            foot = re.match(rf"^([a-z]){SPACE}+(.*)$", text, re.S)
            if match:
                kind = "note" if match.group(1) == "注" else "example"
                tokens = strip_tokens(line, len(text) - len(match.group(3)))
                node.children.append(Node(kind, typed=match.group(2) or None, tokens=tokens))
            elif foot:
                node.footnotes.append(strip_tokens(line, 2))
            elif text and node.children:
                node.children[-1].tokens += [Token("t", "\n"), *trim(line)]

    def _flush_figure(self) -> None:
        if self.figure is not None:
            figure, self.figure = self.figure, None
            self.problem("E261", figure.index,
                         detail="图片没有图题（“图n　图题”），已按无图题的图导入")
            self.add(figure)

    def _para(self, para: Para) -> None:
        label = para.num_label
        heading_style = para.outline is not None or "标题" in para.style
        if label and heading_style and re.fullmatch(r"(\d+(\.\d+)*|[A-Z](\.\d+)+)\.?|附录[A-Z]",
                                                    label):
            # A heading numbered by Word's multilevel list: the number is not in the text.
            label = label.rstrip(".")
            gap = "" if label.startswith("附录") else "\u3000"
            para = Para(para.index, para.style, [Token("t", label + gap), *para.tokens],
                        para.bookmarks, None, para.outline, para.display_math)
        elif heading_style and para.outline and not label and para.text.strip() \
                and not _HEADING.match(para.text.strip()) and not _ANNEX.match(para.text.strip())\
                and squash(para.text) not in ("前言", "引言", "参考文献", "索引", "目次"):
            number = self._next_number(para.outline)
            if number is not None:
                self.synthetic.add(para.index)
                para = Para(para.index, para.style, [Token("t", number + "\u3000"), *para.tokens],
                            para.bookmarks, None, para.outline, para.display_math)
        text = para.text.strip()
        if para.images:
            self._flush_figure()
            self.figure = Node("figure", index=para.index, images=para.images,
                               bookmark=_first(para.bookmarks))
            if self.open is not None and self.open.kind == "untitled":
                self.open = None
            rest = plain([t for t in para.tokens if t.kind != "img"]).strip()
            if not rest:
                return
            text = rest
        if not text and not para.display_math:
            return
        if para.style.lower().startswith("toc") or para.style.endswith("终结线"):
            return
        # Annexes, headings, terms -----------------------------------------------------
        if self.annex_waiting is not None:
            annex = self.annex_waiting
            match = _OBLIGATION.match(text)
            if match and annex.obligation is None:
                annex.obligation = "normative" if match.group(1) == "规范性" else "informative"
                if not match.group(2).strip():
                    return
                text = match.group(2).strip()
            if not annex.title and not _HEADING.match(text) and not _NOTE.match(text):
                annex.title = text
                self.annex_waiting = None
                return
            self.annex_waiting = None
        match = _ANNEX.match(text)
        if match and len(text) < 80:
            self._close_all()
            rest = match.group(2).strip()
            node = Node("annex", typed=match.group(1), index=para.index,
                        bookmark=_first(para.bookmarks))
            obligation = _OBLIGATION.match(rest)
            if obligation:
                node.obligation = "normative" if obligation.group(1) == "规范性" \
                    else "informative"
                rest = obligation.group(2).strip()
            node.title = rest
            self.top.append(node)
            self.stack = [node]
            if not node.title or node.obligation is None:
                self.annex_waiting = node
            return
        if squash(text) == "参考文献":
            self._close_all()
            node = Node("bibliography", title="参考文献", index=para.index,
                        bookmark=_first(para.bookmarks))
            self.top.append(node)
            self.stack = [node]
            return
        if squash(text) == "索引":
            self._close_all()
            self.problem("E261", para.index, detail="索引（由构建生成，未导入）")
            self.stack = []
            return
        if self.term_waiting is not None:
            term = self.term_waiting
            self.term_waiting = None
            if not term.title:
                zh, en = _split_term(text)
                if zh:
                    term.title, term.en = zh, en
                    return
        if self.open is not None and self.open.kind == "term" and self.open.en is None \
                and not self.open.children and self.open.title \
                and re.fullmatch(r"[A-Za-z][A-Za-z0-9 ,;\-'()/]*", text):
            self.open.en = text  # the English equivalent on a line of its own
            return
        if self.formula is not None and (squash(text) in ("式中：", "式中:")
                                         or squash(text).startswith("式中")):
            self.where_mode = True
            rest = re.sub(r"^式中[：:]", "", text.strip()).strip()
            if not rest:
                return
            text = rest
        if self.where_mode and self.formula is not None:
            entry = _WHERE_ENTRY.match(text)
            if entry and len(entry.group(1)) <= 30:
                self.formula.where.append((entry.group(1).strip(), entry.group(2).strip()))
                return
            self.where_mode = False
        # A formula: a paragraph of an equation and its number.
        maths = [t for t in para.tokens if t.kind == "math"]
        others = plain([t for t in para.tokens if t.kind != "math"])
        number = _FORMULA_NUMBER.search(others)
        if maths and (para.display_math or number) and not CN.search(others) and True:
            node = Node("formula", typed=number.group(1) if number else None,
                        latex=" ".join(m.text for m in maths), index=para.index,
                        bookmark=_first(para.bookmarks))
            if self.open is not None and self.open.kind == "untitled":
                self.open = None
            self.add(node)
            self.formula = node
            self.where_mode = False
            return
        self.formula = None if not self.where_mode else self.formula
        heading = _HEADING.match(text)
        only = _NUMBER_ONLY.match(text)
        if (only or heading) and self._numbered(para, (only or heading).group(1),
                          "" if only else heading.group(2).strip()):
            return
        # Captions ------------------------------------------------------------------
        match = _FIGURE_CAPTION.match(text)
        if match and self.figure is not None:
            figure, self.figure = self.figure, None
            figure.typed, figure.title = match.group(1), match.group(2).strip()
            figure.bookmark = figure.bookmark or _first(para.bookmarks)
            self.add(figure)
            return
        match = _TABLE_CAPTION.match(text)
        if match and len(text) < 80 and not _TITLE_END.search(text):
            self.caption = (match.group(1), match.group(2).strip(), para)
            return
        # Notes and examples -----------------------------------------------------------
        match = _NOTE.match(text)
        if match:
            kind = "note" if match.group(1) == "注" else "example"
            node = Node(kind, typed=match.group(2) or None, index=para.index,
                        tokens=strip_tokens(para.tokens, len(para.text) - len(para.text.lstrip())
                                            + len(text) - len(match.group(3))),
                        bookmark=_first(para.bookmarks))
            if self.figure is not None:
                self.figure.children.append(node)
            elif self.last_table is not None and self._just_after_table():
                self.last_table.children.append(node)
            else:
                self.add(node)
            return
        if para.style.endswith("注、示例续段") or (self.figure is not None and
                                                   re.match(rf"^[a-z]{SPACE}+", text)):
            target = self.figure if self.figure is not None else self.container()
            foot = re.match(rf"^([a-z]){SPACE}+(.*)$", text, re.S)
            if target is not None and target.kind == "figure" and foot:
                target.footnotes.append(strip_tokens(para.tokens, len(para.text)
                                                     - len(para.text.lstrip()) + 2))
                return
            owner = self.container()
            last = owner.children[-1] if owner and owner.children else None
            if last is not None and last.kind in ("note", "example"):
                last.tokens += [Token("t", "\n"), *trim(para.tokens)]
                return
        # Term source -----------------------------------------------------------------
        match = _SOURCE.match(text)
        if match and self.open is not None and self.open.kind == "term":
            self.open.source = match.group(1).strip()
            return
        # References and bibliography entries ----------------------------------------
        if self._in_chapter("规范性引用文件"):
            match = _REFERENCE.match(text)
            if match and not text.startswith("本文件"):
                designation = _designation(match.group(1))
                self.add(Node("reference", designation=designation,
                              title=match.group(2).strip(), index=para.index,
                              bookmark=_first(para.bookmarks)))
                return
        if self.stack and self.stack[0].kind == "bibliography":
            match = _BIB.match(text)
            if match:
                rest = match.group(2).strip()
                designation = None
                ref = _REFERENCE.match(rest)
                if ref:
                    designation, rest = _designation(ref.group(1)), ref.group(2).strip()
                self.add(Node("bib", typed=match.group(1), designation=designation,
                              title=rest, index=para.index, bookmark=_first(para.bookmarks)))
                return
        # List items ------------------------------------------------------------------
        item = self._list_item(para, text)
        if item is not None:
            return
        # Plain paragraphs ------------------------------------------------------------
        node = Node("para", tokens=trim(para.tokens), index=para.index,
                    bookmark=_first(para.bookmarks))
        if self.open is not None and self.open.kind == "term" and self.open.children \
                and self.open.children[-1].kind in ("note", "example"):
            self.open.children[-1].tokens += [Token("t", "\n"), *trim(para.tokens)]
            return
        self._flush_figure()
        self.add(node)

    def _just_after_table(self) -> bool:
        owner = self.container()
        return bool(owner and owner.children and (owner.children[-1] is self.last_table))

    def _close_all(self) -> None:
        self._flush_figure()
        self.open = None
        self.formula = None
        self.where_mode = False
        self.term_waiting = None
        self.last_table = None

    def _numbered(self, para: Para, number: str, rest: str) -> bool:
        """A chapter, 条 or term entry; False when the number is not one (e.g. "2 名")."""
        depth = number.count(".") + 1
        style = para.style
        heading_style = para.outline is not None or "标题" in style or "章" in style
        if depth == 1:
            if not number.isdigit() or number[0] == "0":
                return False
            value = int(number)
            expected = (self.chapter_numbers[-1] + 1) if self.chapter_numbers else 1
            titled = bool(rest) and len(rest) <= 40 and not _TITLE_END.search(rest)
            if not titled or not (heading_style or abs(value - expected) <= 1
                                  or value == expected + 2):
                return False
            if self.stack and self.stack[0].kind in ("annex", "bibliography"):
                return False
            self._close_all()
            node = Node("chapter", typed=number, title=rest, index=para.index,
                        bookmark=_first(para.bookmarks))
            node.verified = para.index not in self.synthetic
            self.top.append(node)
            self.stack = [node]
            self.chapter_numbers.append(value)
            return True
        if not self.stack:
            return False
        head = self.stack[0]
        first = number.split(".")[0]
        if head.kind == "annex" and first != head.typed:
            return False
        if head.kind == "chapter" and first != head.typed:
            return False
        if head.kind not in ("chapter", "annex", "introduction"):
            return False
        if self._in_chapter("术语和定义") and (True) \
                and not ("条标题" in style or para.outline):
            self._flush_figure()
            self.open = None
            zh, en = _split_term(rest) if rest else ("", None)
            node = Node("term", typed=number, title=zh, en=en, index=para.index,
                        bookmark=_first(para.bookmarks))
            parent = self.stack[-1]
            parent.children.append(node)
            self.open = node
            self.last_table = None
            if not zh:
                self.term_waiting = node
            return True
        titled_style = "条标题" in style or (para.outline is not None and para.outline > 1)
        untitled_style = "无标题" in style
        looks_titled = bool(rest) and len(rest) <= 30 and not _TITLE_END.search(rest) \
            and "，" not in rest and not re.search(r"[应宜可]", rest[-1:])
        titled = titled_style or (looks_titled and not untitled_style)
        self._close_all()
        parent_depth = depth - 1
        while len(self.stack) > parent_depth:
            self.stack.pop()
        parent = self.stack[-1]
        if titled:
            node = Node("clause", typed=number, title=rest, index=para.index,
                        bookmark=_first(para.bookmarks))
            parent.children.append(node)
            self.stack.append(node)
            node.verified = para.index not in self.synthetic
        else:
            tokens = strip_tokens(para.tokens, len(para.text) - len(para.text.lstrip())
                                  + len(para.text.strip()) - len(rest))
            node = Node("untitled", typed=number, tokens=tokens, index=para.index,
                        bookmark=_first(para.bookmarks))
            parent.children.append(node)
            self.open = node
        return True

    def _list_item(self, para: Para, text: str) -> Node | None:
        label, level, body = None, 1, None
        offset = len(para.text) - len(para.text.lstrip())
        if para.num_label:
            label = para.num_label
            body = trim(para.tokens)
        else:
            for pattern, lvl in ((_LETTER, 1), (_DIGIT, 2), (_DASH, 1), (_DOT, 2)):
                match = pattern.match(text)
                if match:
                    if pattern is _LETTER or pattern is _DIGIT:
                        label = match.group(1) + ")"
                    elif pattern is _DASH:
                        label = "——"
                    else:
                        label = "·"
                    level = lvl
                    body = strip_tokens(para.tokens, offset + len(text) - len(match.groups()[-1]))
                    break
        if label is None or body is None:
            return None
        level = 2 if label[0].isdigit() or label == "·" else 1
        owner = self.container()
        if owner is None:
            return None
        # The list continues the owner's last list, or starts one.
        last = owner.children[-1] if owner.children else None
        node = Node("item", label=label, level=level, tokens=body, index=para.index,
                    bookmark=_first(para.bookmarks))
        if last is not None and last.kind == "list":
            items = last.children
            top = items[-1] if items else None
            if level == 2 and top is not None and top.level == 1:
                sub = top.children[-1] if top.children and top.children[-1].kind == "list" \
                    else None
                if sub is None:
                    sub = Node("list", index=para.index)
                    top.children.append(sub)
                sub.children.append(node)
            else:
                items.append(node)
        else:
            owner.children.append(Node("list", index=para.index, children=[node]))
        return node


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def _designation(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("–", "—")
    text = re.sub(r"-(\d{4})$", r"—\1", text)
    return re.sub(r"^([A-Z/]+[A-Z])(\d)", r"\1 \2", text)


def _split_term(text: str) -> tuple[str, str | None]:
    """"楼长　building steward" → ("楼长", "building steward")."""
    text = text.strip()
    match = re.match(r"^(.*?[\u4e00-\u9fff）)][^A-Za-z]*?)[\s\u3000\u00a0;；]*"
                     r"([A-Za-z][A-Za-z0-9 ,;\-'()/]*)$", text)
    if match and CN.search(match.group(1)):
        return match.group(1).strip(" \u3000;；"), match.group(2).strip()
    if CN.search(text) and len(text) <= 40 and not _TITLE_END.search(text):
        return text, None
    if not CN.search(text):
        return "", None
    return "", None


def parse(blocks: list[Block]) -> Parsed:
    return Parser(blocks).parse()
