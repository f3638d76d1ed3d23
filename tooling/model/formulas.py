"""Formulas: the LaTeX an author writes, checked, as MathML (HTML) and as Typst math (PDF).

Authors write formulas in LaTeX, the notation most people who write formulas know (Word's
equation editor accepts it too). One parse serves every output:

- **HTML**: MathML, made by latex2mathml (pure Python, pinned) and re-serialised here from an
  allow-list of MathML elements and attributes. Browsers lay MathML out themselves (MathML
  Core: Chromium 109+, Firefox, Safari), so the edition needs no script, no font download
  and no network; the formula stays text (it can be copied, searched and read aloud).
  Measured against Typst-made SVG (see README, "Formulas"): 0.2 ms per formula and about
  1 KB of HTML, against 2 ms and 5–10 KB of path data per formula, which is not text.
- **PDF**: Typst math, written from the same MathML tree by :func:`to_typst`, so the PDF shows
  exactly what the HTML shows.

latex2mathml is lenient (``\\foo`` becomes an identifier, a missing brace is supplied), so
:func:`parse` checks what it lets through: balanced braces, commands it knows, ``\\left`` with
``\\right``. A formula that does not parse is a :class:`FormulaError` with a Chinese reason,
reported by the directive with its file and line.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache

from latex2mathml.converter import convert

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_NS = f"{{{MATHML_NS}}}"
# \text{…} and its kin: latex2mathml copies their content into <mtext> unescaped, so their
# content is taken out before conversion and put back as element text (escaped on output).
_TEXT_COMMANDS = re.compile(r"\\(?:text|textrm|mbox|textnormal|mathrm|operatorname)\s*\{")
_COMMAND = re.compile(r"\\([A-Za-z]+)")

# MathML elements (and their attributes) the HTML edition may carry.
_ELEMENTS = {
    "math", "mrow", "mi", "mn", "mo", "mtext", "mspace", "msub", "msup", "msubsup", "mfrac",
    "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle",
}
_ATTRIBUTES = {
    "display", "mathvariant", "stretchy", "fence", "form", "accent", "accentunder",
    "linethickness", "width", "columnalign", "movablelimits", "minsize", "maxsize",
    "displaystyle", "scriptlevel",
}
# Function names set upright with operator spacing (\sin x).
_FUNCTIONS = {
    "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh",
    "tanh", "log", "ln", "lg", "exp", "det", "dim", "ker", "arg", "deg", "gcd", "Pr",
}
_INVISIBLE = {"\u2061", "\u2062", "\u2063", "\u2064"}  # function application, invisible times …
# Accents over a base: the MathML mo -> the Typst accent function.
_ACCENTS = {
    "\u00af": "overline", "\u2015": "overline", "\u203e": "overline", "^": "hat", "\u02c6": "hat",
    "\u02d9": "dot", "\u00a8": "dot.double", "~": "tilde", "\u02dc": "tilde", "\u2192": "arrow",
    "\u20d7": "arrow", "\u02c7": "caron", "\u02d8": "breve",
}
_UNDER_ACCENTS = {"\u00af": "underline", "\u2015": "underline", "_": "underline"}
# Characters with a meaning in Typst math markup: escaped with a backslash.
_TYPST_SPECIAL = set("()[]{}/^_,;\"\\$#&'*@<>|=+-!.:~`%")


class FormulaError(ValueError):
    """A formula that does not parse; the message says why, in Chinese."""


@dataclass(frozen=True)
class Rendered:
    """One formula, ready for every output."""

    tex: str
    mathml: str  # <math display="…">…</math>
    typst: str  # Typst math markup, without the surrounding $ $


@lru_cache(maxsize=4096)
def parse(tex: str, display: bool = True) -> Rendered:
    """Check ``tex`` and render it; raise :class:`FormulaError` when it does not parse."""
    source = tex.strip()
    if not source:
        raise FormulaError("公式为空")
    _check_braces(source)
    _check_fences(source)
    masked, texts = _mask_text(source)
    try:
        converted = convert(masked)
    except Exception as err:  # latex2mathml raises its own exception types for bad input
        raise FormulaError(f"写法不完整或有误（{type(err).__name__}）") from None
    try:
        root = ET.fromstring(converted)
    except ET.ParseError as err:
        raise FormulaError(f"写法有误（{err}）") from None
    _unmask_text(root, texts)
    _check_commands(root)
    if display:
        _limits_above_and_below(root)
    root.set("display", "block" if display else "inline")
    return Rendered(source, _serialise(root), to_typst(root))


def _check_braces(tex: str) -> None:
    depth = 0
    escaped = False
    for char in tex:
        if escaped:
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                raise FormulaError("多了一个“}”：花括号不配对")
    if depth:
        raise FormulaError("缺少“}”：花括号不配对")


def _check_fences(tex: str) -> None:
    left = len(re.findall(r"\\left(?![A-Za-z])", tex))
    right = len(re.findall(r"\\right(?![A-Za-z])", tex))
    if left != right:
        raise FormulaError("\\left 和 \\right 应成对使用")


def _mask_text(tex: str) -> tuple[str, list[str]]:
    """Replace the content of each \\text{…} by a placeholder: T0, T1 …"""
    texts: list[str] = []
    out = []
    position = 0
    for match in _TEXT_COMMANDS.finditer(tex):
        if match.start() < position:
            continue
        depth, end = 1, match.end()
        while end < len(tex) and depth:
            depth += {"{": 1, "}": -1}.get(tex[end], 0)
            end += 1
        content = tex[match.end() : end - 1]
        out.append(tex[position : match.end()])
        out.append(f"Q{len(texts)}Q")
        out.append("}")
        texts.append(content)
        position = end
    out.append(tex[position:])
    return "".join(out), texts


def _unmask_text(root: ET.Element, texts: list[str]) -> None:
    if not texts:
        return
    for element in root.iter():
        if element.text and "Q" in element.text:
            element.text = re.sub(r"Q(\d+)Q", lambda m: texts[int(m.group(1))], element.text)
    # \mathrm{ab} comes out as one <mi> per letter: the placeholder's letters are split over
    # several elements. Join runs of single-letter <mi> that spell a placeholder.
    for parent in root.iter():
        children = list(parent)
        i = 0
        while i < len(children):
            match = None
            for j in range(i + 1, len(children) + 1):
                spelled = "".join((c.text or "") for c in children[i:j])
                if re.fullmatch(r"Q\d+Q", spelled) and all(c.tag == f"{_NS}mi"
                                                           or c.tag == f"{_NS}mn"
                                                           for c in children[i:j]):
                    match = (j, spelled)
                    break
            if match is None:
                i += 1
                continue
            j, spelled = match
            first = children[i]
            first.tag = f"{_NS}mi"
            first.text = texts[int(spelled[1:-1])]
            first.set("mathvariant", "normal")
            for extra in children[i + 1 : j]:
                parent.remove(extra)
            children = list(parent)
            i += 1


# Large operators whose limits a displayed formula sets below and above (as Typst does).
_LIMIT_OPERATORS = {"\u2211", "\u220f", "\u2210", "\u22c3", "\u22c2", "lim", "max", "min", "sup",
                    "inf"}
_SCRIPT_TO_LIMIT = {"msub": "munder", "msup": "mover", "msubsup": "munderover"}


def _limits_above_and_below(root: ET.Element) -> None:
    """latex2mathml writes \\sum_{i=1}^{n} as scripts; a displayed formula puts them below and
    above the operator, as the PDF does."""
    for element in root.iter():
        tag = element.tag.removeprefix(_NS)
        kids = list(element)
        if tag in _SCRIPT_TO_LIMIT and kids and kids[0].tag == f"{_NS}mo" and (
                (kids[0].text or "").strip() in _LIMIT_OPERATORS):
            element.tag = f"{_NS}{_SCRIPT_TO_LIMIT[tag]}"
            kids[0].set("movablelimits", "false")  # browsers would set them as scripts


def _check_commands(root: ET.Element) -> None:
    """latex2mathml keeps a command it does not know as text (``\\foo``): refuse it."""
    for element in root.iter():
        if element.tag in (f"{_NS}mtext",):
            continue
        match = _COMMAND.search(element.text or "")
        if match:
            raise FormulaError(f"不认识的命令“\\{match.group(1)}”")


def _serialise(root: ET.Element) -> str:
    """The MathML as HTML carries it: allow-listed elements and attributes, text escaped."""

    def clean(element: ET.Element) -> ET.Element:
        tag = element.tag.removeprefix(_NS)
        if tag not in _ELEMENTS:
            raise FormulaError(f"不支持的写法（MathML 元素 {tag}）")
        out = ET.Element(tag, {k: v for k, v in element.attrib.items() if k in _ATTRIBUTES})
        out.text = element.text
        for child in element:
            out.append(clean(child))
        return out

    cleaned = clean(root)
    cleaned.set("xmlns", MATHML_NS)
    return ET.tostring(cleaned, encoding="unicode", short_empty_elements=False)


# -- Typst -----------------------------------------------------------------------------------


def to_typst(root: ET.Element) -> str:
    """Typst math markup for a MathML tree made by :func:`parse`."""
    return _children(root).strip()


def _children(element: ET.Element) -> str:
    kids = list(element)
    # \binom draws its own parentheses; latex2mathml adds sized ones around it as well.
    if any(k.tag == f"{_NS}mfrac" and k.get("linethickness") == "0" for k in kids):
        kids = [k for k in kids if not (k.tag == f"{_NS}mo" and k.get("minsize"))]
    return " ".join(part for part in (_typst(c) for c in kids) if part)


def _group(element: ET.Element) -> str:
    """An argument: a sequence in a function's parentheses."""
    return _typst(element) or "\"\""


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _symbol(text: str) -> str:
    """One operator or other symbol character, escaped where Typst math gives it a meaning."""
    if text in _INVISIBLE:
        return ""
    if len(text) == 1:
        return f"\\{text}" if text in _TYPST_SPECIAL else text
    return _string(text)


def _typst(element: ET.Element) -> str:
    tag = element.tag.removeprefix(_NS)
    text = (element.text or "").strip()
    if tag in ("math", "mrow", "mstyle", "mtd"):
        return _fenced(element) or _children(element)
    if tag == "mi":
        if len(text) > 1 and text in _FUNCTIONS:
            return f"op({_string(text)})"
        if len(text) == 1 and text.isalpha() and element.get("mathvariant") == "normal":
            return f"upright({text})"
        if element.get("mathvariant") == "normal" or len(text) > 1:
            return f"upright({_string(text)})"
        if text.isalpha():
            return text
        return _symbol(text)
    if tag == "mn":
        return text if re.fullmatch(r"\d+(\.\d+)?", text) else _string(text)
    if tag == "mo":
        if len(text) > 1 and text.isalpha():  # lim, max, min, sup …
            return f"op({_string(text)}, limits: #true)"
        return _symbol(text)
    if tag == "mtext":
        return _string(element.text or "")
    if tag == "mspace":
        width = element.get("width", "")
        return {"0.167em": "thin", "0.222em": "med", "0.278em": "thick", "1em": "quad",
                "2em": "wide"}.get(width, "thin")
    kids = list(element)
    if tag == "msub" and len(kids) == 2:
        return f"attach({_group(kids[0])}, b: {_group(kids[1])})"
    if tag == "msup" and len(kids) == 2:
        return f"attach({_group(kids[0])}, t: {_group(kids[1])})"
    if tag == "msubsup" and len(kids) == 3:
        return f"attach({_group(kids[0])}, b: {_group(kids[1])}, t: {_group(kids[2])})"
    if tag == "mfrac" and len(kids) == 2:
        function = "binom" if element.get("linethickness") == "0" else "frac"
        return f"{function}({_group(kids[0])}, {_group(kids[1])})"
    if tag == "msqrt":
        return f"sqrt({_children(element) or _string('')})"
    if tag == "mroot" and len(kids) == 2:
        return f"root({_group(kids[1])}, {_group(kids[0])})"
    if tag == "mover" and len(kids) == 2:
        accent = _ACCENTS.get((kids[1].text or "").strip()) if kids[1].tag == f"{_NS}mo" else None
        if accent:
            return f"{accent}({_group(kids[0])})"
        return f"attach(limits({_group(kids[0])}), t: {_group(kids[1])})"
    if tag == "munder" and len(kids) == 2:
        accent = (_UNDER_ACCENTS.get((kids[1].text or "").strip())
                  if kids[1].tag == f"{_NS}mo" else None)
        if accent:
            return f"{accent}({_group(kids[0])})"
        return f"attach(limits({_group(kids[0])}), b: {_group(kids[1])})"
    if tag == "munderover" and len(kids) == 3:
        return (f"attach(limits({_group(kids[0])}), b: {_group(kids[1])}, "
                f"t: {_group(kids[2])})")
    if tag == "mtable":
        rows = [", ".join(_group(cell) for cell in row) for row in element]
        return f"mat(delim: #none, {'; '.join(rows)})"
    raise FormulaError(f"不支持的写法（MathML 元素 {tag}）")


def _fenced(element: ET.Element) -> str | None:
    """\\left( … \\right): delimiters that grow with what they enclose (Typst's lr)."""
    kids = list(element)
    if len(kids) < 2:
        return None
    first, last = kids[0], kids[-1]
    if not (first.tag == f"{_NS}mo" and first.get("fence") == "true"
            and first.get("form") == "prefix"):
        return None
    opening = (first.text or "").strip()
    closing_is_fence = (last.tag == f"{_NS}mo" and last.get("fence") == "true"
                        and last.get("form") == "postfix")
    closing = (last.text or "").strip() if closing_is_fence else ""
    inner = kids[1:-1] if closing_is_fence else kids[1:]
    if opening == "{" and not closing and len(inner) == 1 and inner[0].tag == f"{_NS}mtable":
        rows = ", ".join(" & quad ".join(_group(cell) for cell in row) for row in inner[0])
        return f"cases({rows})"
    body = " ".join(part for part in (_typst(c) for c in inner) if part)
    # An empty side (\left. or \right.) is a zero-width delimiter.
    left = _symbol(opening) if opening else "zws"
    right = _symbol(closing) if closing else "zws"
    return f"lr({left} {body} {right})"
