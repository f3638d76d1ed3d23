"""A .docx as a flat list of blocks: paragraphs (with their style, bookmarks, the label Word's
automatic numbering would print, inline tokens) and tables (cells with their spans).

python-docx gives the document, the style names and the related parts (images); lxml reads
what it does not expose: numbering.xml for auto-numbered lists, gridSpan/vMerge for merged
cells, hyperlinks to bookmarks, superscript marks, fields and OMML formulas.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.oxml.ns import qn

from . import omml
from .package import Package, PackageProblem

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
V = "{urn:schemas-microsoft-com:vml}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

# Bookmarks Word makes by itself: never ids.
_WORD_BOOKMARK = re.compile(r"^_(Toc|Ref|Hlk|GoBack|Hlt|Int)")


@dataclass(frozen=True)
class Token:
    """One piece of a paragraph: text, a hyperlink to a bookmark, a formula, a superscript
    mark, a picture."""

    kind: str  # "t", "ref", "math", "sup", "img"
    text: str = ""
    anchor: str = ""  # ref: the bookmark it points to
    image: tuple[bytes, str] | None = None  # img: bytes and extension


@dataclass
class Para:
    index: int  # 1-based position among the body's paragraphs and tables, for messages
    style: str
    tokens: list[Token]
    bookmarks: list[str] = field(default_factory=list)
    num_label: str | None = None  # what Word's automatic numbering prints: "a)", "1)", "——"
    outline: int | None = None  # heading level of the style (1 = Heading 1), if any
    display_math: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(t.text for t in self.tokens if t.kind != "img")

    @property
    def images(self) -> list[tuple[bytes, str]]:
        return [t.image for t in self.tokens if t.kind == "img" and t.image]


@dataclass
class Cell:
    tokens: list[Token]
    span: int = 1
    vmerge: str | None = None  # "restart", "continue" or None


@dataclass
class Table:
    index: int
    rows: list[list[Cell]]
    header_rows: int = 1
    bookmarks: list[str] = field(default_factory=list)


Block = Para | Table


def _level_of_style(style: Any) -> int | None:
    """Outline level of a paragraph style: Heading n / 标题 n, or a w:outlineLvl."""
    seen = 0
    while style is not None and seen < 10:
        name = (style.name or "").lower()
        match = re.fullmatch(r"(?:heading|标题)\s*(\d)", name)
        if match:
            return int(match.group(1))
        ppr = style.element.find(qn("w:pPr"))
        if ppr is not None:
            lvl = ppr.find(qn("w:outlineLvl"))
            if lvl is not None and lvl.get(qn("w:val"), "9").isdigit():
                value = int(lvl.get(qn("w:val")))
                if value < 9:
                    return value + 1
        style = style.base_style
        seen += 1
    return None


class _Numbering:
    """Word's automatic numbering: the label each numbered paragraph shows."""

    def __init__(self, document: Any) -> None:
        self.nums: dict[str, str] = {}
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            part = document.part.numbering_part
        except (KeyError, NotImplementedError, AttributeError):
            return
        root = part.element
        for abstract in root.iter(qn("w:abstractNum")):
            aid = abstract.get(qn("w:abstractNumId"))
            for lvl in abstract.iter(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                self.levels[(aid, ilvl)] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "%1.",
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )
        for num in root.iter(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.nums[num.get(qn("w:numId"))] = ref.get(qn("w:val"))

    def label(self, num_id: str, ilvl: int) -> str | None:
        aid = self.nums.get(num_id)
        if aid is None or num_id == "0":
            return None
        fmt, text, _start = self.levels.get((aid, ilvl), ("decimal", f"%{ilvl + 1}.", 1))
        counters = self.counters.setdefault(aid, [0] * 9)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt == "bullet":
            return "——" if text.strip() in ("—", "——", "–", "-", "－") else "·"

        def rendered(match: re.Match[str]) -> str:
            # %1.%2 of a multilevel list: each placeholder in the format of its own level.
            level = int(match.group(1)) - 1
            lfmt, _, lstart = self.levels.get((aid, level), ("decimal", "", 1))
            value = max(counters[level], 1) + lstart - 1
            return {"lowerLetter": chr(ord("a") + (value - 1) % 26),
                    "upperLetter": chr(ord("A") + (value - 1) % 26)}.get(lfmt, str(value))

        label = re.sub(r"%(\d)", rendered, text)
        return label.replace("）", ")").strip() or None


def _num_pr(paragraph: Any) -> tuple[str, int] | None:
    ppr = paragraph._p.pPr
    element = ppr.find(qn("w:numPr")) if ppr is not None else None
    if element is None:
        style = paragraph.style
        while style is not None and element is None:
            sppr = style.element.find(qn("w:pPr"))
            element = sppr.find(qn("w:numPr")) if sppr is not None else None
            style = style.base_style
    if element is None:
        return None
    num = element.find(qn("w:numId"))
    lvl = element.find(qn("w:ilvl"))
    if num is None:
        return None
    return num.get(qn("w:val")), int(lvl.get(qn("w:val"))) if lvl is not None else 0


class _Inline:
    """Reads a paragraph's runs in order into tokens."""

    def __init__(self, part: Any) -> None:
        self.part = part
        self.field_depth = 0
        self.in_instruction: list[bool] = []

    def image(self, rid: str) -> Token | None:
        try:
            target = self.part.related_parts[rid]
        except KeyError:
            return None
        name = str(getattr(target, "partname", "image.png"))
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else "png"
        return Token("img", image=(target.blob, ext))

    def walk(self, element: Any, out: list[Token], anchor: str = "") -> None:
        for child in element:
            tag = child.tag
            if tag == W + "r":
                self.run(child, out, anchor)
            elif tag == W + "hyperlink":
                target = child.get(W + "anchor") or ""
                self.walk(child, out, target or anchor)
            elif tag in (W + "ins", W + "smartTag", W + "customXml", W + "fldSimple",
                         W + "sdt", W + "sdtContent", M + "oMathPara"):
                if tag == M + "oMathPara":
                    for math in child.iter(M + "oMath"):
                        out.append(Token("math", text=omml.to_latex(math), anchor="display"))
                else:
                    self.walk(child, out, anchor)
            elif tag == M + "oMath":
                out.append(Token("math", text=omml.to_latex(child)))
            # w:del, w:bookmarkStart, w:proofErr …: nothing to read

    def run(self, run: Any, out: list[Token], anchor: str) -> None:
        rpr = run.find(W + "rPr")
        sup = False
        if rpr is not None:
            va = rpr.find(W + "vertAlign")
            sup = va is not None and va.get(W + "val") == "superscript"
            if rpr.find(W + "vanish") is not None:
                return
        for child in run:
            tag = child.tag
            if tag == W + "fldChar":
                kind = child.get(W + "fldCharType")
                if kind == "begin":
                    self.in_instruction.append(True)
                elif kind == "separate" and self.in_instruction:
                    self.in_instruction[-1] = False
                elif kind == "end" and self.in_instruction:
                    self.in_instruction.pop()
                continue
            if any(self.in_instruction):
                continue
            if tag == W + "t":
                text = child.text or ""
                if sup:
                    out.append(Token("sup", text=text))
                elif anchor:
                    out.append(Token("ref", text=text, anchor=anchor))
                else:
                    out.append(Token("t", text=text))
            elif tag == W + "tab":
                out.append(Token("t", text="\t"))
            elif tag in (W + "br", W + "cr"):
                if child.get(W + "type") not in ("page", "column"):
                    out.append(Token("t", text="\n"))
            elif tag == W + "noBreakHyphen":
                out.append(Token("t", text="-"))
            elif tag == W + "sym":
                code = child.get(W + "char") or ""
                with contextlib.suppress(ValueError):
                    out.append(Token("t", text=chr(int(code, 16) & 0xFFFF if code else 0x20)))
            elif tag == W + "drawing":
                for blip in child.iter(A + "blip"):
                    token = self.image(blip.get(R + "embed") or "")
                    if token:
                        out.append(token)
            elif tag == MC + "AlternateContent":
                choice = child.find(MC + "Choice")
                for blip in (choice.iter(A + "blip") if choice is not None else ()):
                    token = self.image(blip.get(R + "embed") or "")
                    if token:
                        out.append(token)
            elif tag == W + "pict" or tag == W + "object":
                for data in child.iter(V + "imagedata"):
                    token = self.image(data.get(R + "id") or "")
                    if token:
                        out.append(token)


def _merge(tokens: list[Token]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        if out and token.kind == out[-1].kind and token.kind in ("t", "sup", "ref") \
                and token.anchor == out[-1].anchor:
            out[-1] = Token(token.kind, out[-1].text + token.text, token.anchor)
        else:
            out.append(token)
    return out


def read(package: Package) -> list[Block]:
    """The body's blocks in reading order."""
    try:
        document = docx.Document(io.BytesIO(_rebuild(package)))
    except Exception as err:  # python-docx raises many kinds on a malformed part
        raise PackageProblem("E253", detail=f"Word 文档的内容无法解析（{type(err).__name__}）") \
            from None
    numbering = _Numbering(document)
    inline = _Inline(document.part)
    blocks: list[Block] = []
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    def paragraph(p_el: Any, index: int) -> Para:
        p = DocxParagraph(p_el, document)
        tokens: list[Token] = []
        inline.in_instruction = []
        inline.walk(p_el, tokens)
        tokens = _merge(tokens)
        try:
            style = p.style
        except (KeyError, ValueError):
            style = None
        label = None
        pr = _num_pr(p) if style is not None else None
        if pr is not None:
            label = numbering.label(*pr)
        display = [t.text for t in tokens if t.kind == "math" and t.anchor == "display"]
        bookmarks = [b.get(W + "name") for b in p_el.iter(W + "bookmarkStart")]
        return Para(index, style.name if style is not None else "", tokens,
                    [b for b in bookmarks if b and not _WORD_BOOKMARK.match(b)], label,
                    _level_of_style(style) if style is not None else None, display)

    for index, child in enumerate(document.element.body.iterchildren(), start=1):
        if child.tag == W + "p":
            # Text boxes first (the cover of many templates sits in them); of a drawing's two
            # renderings (mc:Choice, mc:Fallback) only the first is read.
            for box in child.iter(W + "txbxContent"):
                if any(a.tag == MC + "Fallback" for a in box.iterancestors()):
                    continue
                for inner in box.iter(W + "p"):
                    blocks.append(paragraph(inner, index))
            blocks.append(paragraph(child, index))
        elif child.tag == W + "tbl":
            table = DocxTable(child, document)
            rows: list[list[Cell]] = []
            header = 0
            marks: list[str] = []
            for r, tr in enumerate(table._tbl.tr_lst):
                trpr = tr.find(W + "trPr")
                if trpr is not None and trpr.find(W + "tblHeader") is not None and header == r:
                    header = r + 1
                cells: list[Cell] = []
                for tc in tr.iter(W + "tc"):
                    tcpr = tc.find(W + "tcPr")
                    span, vmerge = 1, None
                    if tcpr is not None:
                        g = tcpr.find(W + "gridSpan")
                        if g is not None and (g.get(W + "val") or "1").isdigit():
                            span = max(1, int(g.get(W + "val")))
                        v = tcpr.find(W + "vMerge")
                        if v is not None:
                            vmerge = v.get(W + "val") or "continue"
                    tokens: list[Token] = []
                    for n, p_el in enumerate(tc.iter(W + "p")):
                        if n:
                            tokens.append(Token("t", text="\n"))
                        inline.in_instruction = []
                        inline.walk(p_el, tokens)
                        marks += [b.get(W + "name") for b in p_el.iter(W + "bookmarkStart")]
                    cells.append(Cell(_merge(tokens), span, vmerge))
                rows.append(cells)
            blocks.append(Table(index, rows, header or 1,
                                [m for m in marks if m and not _WORD_BOOKMARK.match(m)]))
    return blocks


def _rebuild(package: Package) -> bytes:
    """The checked parts as a fresh ZIP for python-docx (it reads only what we checked)."""
    import zipfile
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
        for name, data in package.parts.items():
            out.writestr(name, data)
    return buffer.getvalue()
