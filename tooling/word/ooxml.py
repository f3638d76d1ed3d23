"""WordprocessingML pieces python-docx has no API for, built with lxml: runs with East Asian
fonts, paragraphs in named styles, complex fields (TOC, PAGE, PAGEREF), bookmarks, internal
hyperlinks, page and column breaks.

Everything returns loose elements that the caller appends where they belong; nothing here
knows about standards.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from .styles import FONTS, SERIF

Element = etree._Element

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def el(tag: str, attrs: dict[str, str | int | float] | None = None,
       *children: Element) -> Element:
    """An element ``w:tag`` (any known prefix) with attributes given by prefixed name."""
    node = OxmlElement(tag)
    for key, value in (attrs or {}).items():
        node.set(qn(key), str(value))
    for child in children:
        node.append(child)
    return node


def twips(points: float) -> int:
    return round(points * 20)


@dataclass(frozen=True)
class Format:
    """Character formatting of a run (direct formatting, on top of the paragraph style)."""

    font: str | None = None  # SERIF / SANS; None = the style's
    bold: bool = False
    italic: bool = False
    size: float | None = None  # pt
    vert: str | None = None  # superscript / subscript
    spacing: float = 0.0  # pt of letter spacing
    underline: bool = False
    strike: bool = False

    def with_(self, **changes: object) -> Format:
        from dataclasses import replace

        return replace(self, **changes)  # type: ignore[arg-type]


PLAIN = Format()


def run_properties(fmt: Format) -> Element | None:
    if fmt == PLAIN:
        return None
    rpr = el("w:rPr")
    if fmt.font is not None:
        latin, east = FONTS[fmt.font]
        rpr.append(el("w:rFonts", {"w:ascii": latin, "w:hAnsi": latin, "w:eastAsia": east,
                                   "w:cs": latin}))
    if fmt.bold:
        rpr.append(el("w:b"))
        rpr.append(el("w:bCs"))
    if fmt.italic:
        rpr.append(el("w:i"))
    if fmt.strike:
        rpr.append(el("w:strike"))
    if fmt.spacing:
        rpr.append(el("w:spacing", {"w:val": twips(fmt.spacing)}))
    if fmt.size is not None:
        rpr.append(el("w:sz", {"w:val": round(fmt.size * 2)}))
        rpr.append(el("w:szCs", {"w:val": round(fmt.size * 2)}))
    if fmt.underline:
        rpr.append(el("w:u", {"w:val": "single"}))
    if fmt.vert:
        rpr.append(el("w:vertAlign", {"w:val": fmt.vert}))
    return rpr


def runs(text: str, fmt: Format = PLAIN) -> list[Element]:
    """Runs for literal text: a newline is a line break (w:br), a tab a w:tab."""
    out: list[Element] = []
    for piece in re.split(r"(\n|\t)", text):
        if not piece:
            continue
        r = el("w:r")
        rpr = run_properties(fmt)
        if rpr is not None:
            r.append(rpr)
        if piece == "\n":
            r.append(el("w:br"))
        elif piece == "\t":
            r.append(el("w:tab"))
        else:
            t = el("w:t")
            t.text = _xml_safe(piece)
            if piece != piece.strip() or "  " in piece:
                t.set(XML_SPACE, "preserve")
            r.append(t)
        out.append(r)
    return out


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot hold control characters: drop them (they print as nothing anyway)."""
    return _CONTROL.sub("", text)


def page_break() -> Element:
    return el("w:r", None, el("w:br", {"w:type": "page"}))


def paragraph(style_id: str | None, children: Iterable[Element] = (), *,
              keep_next: bool | None = None, keep_lines: bool | None = None,
              align: str | None = None, left: float | None = None,
              first_line: float | None = None, page_break_before: bool | None = None,
              before: float | None = None) -> Element:
    """A paragraph in a named style, with a few paragraph properties set directly."""
    p = el("w:p")
    ppr = el("w:pPr")
    if style_id:
        ppr.append(el("w:pStyle", {"w:val": style_id}))
    if keep_next is not None:
        ppr.append(el("w:keepNext", {"w:val": "1" if keep_next else "0"}))
    if keep_lines is not None:
        ppr.append(el("w:keepLines", {"w:val": "1" if keep_lines else "0"}))
    if page_break_before is not None:
        ppr.append(el("w:pageBreakBefore", {"w:val": "1" if page_break_before else "0"}))
    if before is not None:
        ppr.append(el("w:spacing", {"w:before": twips(before)}))
    if left is not None or first_line is not None:
        attrs: dict[str, str | int | float] = {}
        if left is not None:
            attrs["w:left"] = twips(left)
        if first_line is not None:
            key = "w:firstLine" if first_line >= 0 else "w:hanging"
            attrs[key] = twips(abs(first_line))
        ppr.append(el("w:ind", attrs))
    if align is not None:
        ppr.append(el("w:jc", {"w:val": align}))
    if len(ppr):
        p.append(ppr)
    for child in children:
        p.append(child)
    return p


def paragraph_properties(p: Element) -> Element:
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = el("w:pPr")
        p.insert(0, ppr)
    return ppr


# The order WordprocessingML wants paragraph properties in (CT_PPr), as far as we use them.
_PPR_ORDER = [qn(f"w:{t}") for t in (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
    "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap",
    "jc", "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId",
    "cnfStyle", "rPr", "sectPr", "pPrChange")]


def set_property(p: Element, prop: Element) -> Element:
    """Put a paragraph property in its place, replacing one of the same kind."""
    ppr = paragraph_properties(p)
    old = ppr.find(prop.tag)
    if old is not None:
        ppr.replace(old, prop)
        return prop
    rank = _PPR_ORDER.index(prop.tag)
    for child in ppr:
        if child.tag in _PPR_ORDER and _PPR_ORDER.index(child.tag) > rank:
            child.addprevious(prop)
            return prop
    ppr.append(prop)
    return prop


# -- fields ---------------------------------------------------------------------------------


def field(instruction: str, result: Sequence[Element], fmt: Format = PLAIN,
          dirty: bool = False) -> list[Element]:
    """A complex field: begin, instruction, separate, the cached result runs, end. Word shows
    the cached result until the field is updated (F9)."""

    def char(kind: str) -> Element:
        r = el("w:r")
        rpr = run_properties(fmt)
        if rpr is not None:
            r.append(rpr)
        attrs: dict[str, str | int | float] = {"w:fldCharType": kind}
        if dirty and kind == "begin":
            attrs["w:dirty"] = "true"
        r.append(el("w:fldChar", attrs))
        return r

    instr = el("w:r")
    rpr = run_properties(fmt)
    if rpr is not None:
        instr.append(rpr)
    text = el("w:instrText", {})
    text.text = f" {instruction} "
    text.set(XML_SPACE, "preserve")
    instr.append(text)
    return [char("begin"), instr, char("separate"), *result, char("end")]


def field_begin(instruction: str) -> list[Element]:
    """The opening half of a field whose result spans paragraphs (the TOC)."""
    begin = el("w:r", None, el("w:fldChar", {"w:fldCharType": "begin"}))
    instr = el("w:r")
    text = el("w:instrText")
    text.text = f" {instruction} "
    text.set(XML_SPACE, "preserve")
    instr.append(text)
    separate = el("w:r", None, el("w:fldChar", {"w:fldCharType": "separate"}))
    return [begin, instr, separate]


def field_end() -> Element:
    return el("w:r", None, el("w:fldChar", {"w:fldCharType": "end"}))


# -- bookmarks and links -------------------------------------------------------------------


def bookmark_name(key: str, prefix: str = "_") -> str:
    """A Word bookmark name for an id: letters, digits and underscores, at most 40 characters;
    a leading underscore keeps it out of the user's bookmark list."""
    name = prefix + re.sub(r"[^A-Za-z0-9_]", "_", key)
    if len(name) > 40:
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
        name = name[:31] + "_" + digest
    return name


def bookmark(bookmark_id: int, name: str) -> tuple[Element, Element]:
    start = el("w:bookmarkStart", {"w:id": bookmark_id, "w:name": name})
    end = el("w:bookmarkEnd", {"w:id": bookmark_id})
    return start, end


def internal_link(anchor: str, children: Iterable[Element]) -> Element:
    link = el("w:hyperlink", {"w:anchor": anchor, "w:history": "1"})
    for child in children:
        link.append(child)
    return link


def text_of(node: Element) -> str:
    """The text a paragraph (or any element) shows: w:t, tabs and breaks; deleted text and
    field instructions left out."""
    out = []
    for item in node.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if item.tag == qn("w:t"):
            out.append(item.text or "")
        elif item.tag == qn("w:tab"):
            if item.getparent() is not None and item.getparent().tag == qn("w:r"):
                out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


__all__ = [
    "PLAIN", "SERIF", "W_NS", "Element", "Format", "bookmark", "bookmark_name", "el", "field",
    "field_begin", "field_end", "internal_link", "page_break", "paragraph",
    "paragraph_properties", "run_properties", "runs", "set_property", "text_of", "twips",
]
