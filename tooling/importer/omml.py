"""Word equations (OMML) read back as LaTeX, as far as they can be: runs, fractions, sub- and
superscripts, sums and products with limits, delimiters, roots, functions, accents. The
inverse of :mod:`tooling.word.omml` for what that module writes, and the same constructs in
equations a drafter typed into Word's equation editor. What has no reading here keeps its
text (so nothing is dropped) and the verification report shows the formula."""

from __future__ import annotations

from typing import Any

from ..word.omml import _NARY, _SYMBOLS

M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_COMMANDS = {v: k for k, v in _SYMBOLS.items() if len(k) > 1 and k.isalpha()
             and k not in ("le", "ge", "ne", "varepsilon", "varphi", "percent", "degree")}
_COMMANDS.update({"≤": "le", "≥": "ge", "≠": "neq", "×": "times", "·": "cdot", "÷": "div",
                  "%": "%"})
_NARY_COMMANDS = {v: k for k, v in _NARY.items()}
_ESCAPE = {"%": r"\%", "#": r"\#", "&": r"\&", "{": r"\{", "}": r"\}", "_": r"\_"}


def _text(run: Any) -> str:
    plain = False
    rpr = run.find(M + "rPr")
    if rpr is not None:
        sty = rpr.find(M + "sty")
        plain = rpr.find(M + "nor") is not None or (sty is not None and sty.get(M + "val") == "p")
    raw = "".join(t.text or "" for t in run.iter(M + "t"))
    if plain and any("\u4e00" <= ch <= "\u9fff" for ch in raw):
        return r"\text{" + raw + "}"
    out = []
    for ch in raw:
        if ch in _ESCAPE:
            out.append(_ESCAPE[ch])
        elif ch in _COMMANDS:
            out.append("\\" + _COMMANDS[ch] + " ")
        elif ch == "\u2009":
            out.append(r"\,")
        else:
            out.append(ch)
    text = "".join(out)
    if plain and raw.isalpha() and len(raw) > 1:
        return r"\mathrm{" + text + "}"
    return text


def _arg(element: Any, name: str) -> str:
    part = element.find(M + name)
    return _seq(part) if part is not None else ""


def _group(text: str) -> str:
    text = text.strip()
    return text if len(text) == 1 else "{" + text + "}"


def _prop(element: Any, pr: str, name: str, default: str) -> str:
    props = element.find(M + pr)
    node = props.find(M + name) if props is not None else None
    if node is None:
        return default
    return node.get(M + "val", default)


def _node(el: Any) -> str:
    tag = el.tag
    if tag == M + "r":
        return _text(el)
    if tag == M + "f":
        return r"\frac{" + _arg(el, "num").strip() + "}{" + _arg(el, "den").strip() + "}"
    if tag == M + "sSub":
        return _arg(el, "e").strip() + "_" + _group(_arg(el, "sub"))
    if tag == M + "sSup":
        return _arg(el, "e").strip() + "^" + _group(_arg(el, "sup"))
    if tag == M + "sSubSup":
        return (_arg(el, "e").strip() + "_" + _group(_arg(el, "sub")) + "^"
                + _group(_arg(el, "sup")))
    if tag == M + "nary":
        char = _prop(el, "naryPr", "chr", "∫")
        command = "\\" + _NARY_COMMANDS.get(char, "int")
        sub, sup = _arg(el, "sub").strip(), _arg(el, "sup").strip()
        out = command
        if sub:
            out += "_{" + sub + "}"
        if sup:
            out += "^{" + sup + "}"
        return out + " " + _arg(el, "e").strip()
    if tag == M + "d":
        begin = _prop(el, "dPr", "begChr", "(")
        end = _prop(el, "dPr", "endChr", ")")
        parts = [_seq(e).strip() for e in el.findall(M + "e")]
        sep = _prop(el, "dPr", "sepChr", "|")
        inner = sep.join(parts) if len(parts) > 1 else (parts[0] if parts else "")
        left = {"{": r"\{", "": "."}.get(begin, begin)
        right = {"}": r"\}", "": "."}.get(end, end)
        if begin == "(" and end == ")":
            return "(" + inner + ")"
        return r"\left" + left + " " + inner + r" \right" + right
    if tag == M + "rad":
        degree = _arg(el, "deg").strip()
        body = _arg(el, "e").strip()
        return (r"\sqrt[" + degree + "]{" + body + "}") if degree else (r"\sqrt{" + body + "}")
    if tag == M + "func":
        return _arg(el, "fName").strip().replace(r"\mathrm{", r"\operatorname{") + " " + \
            _arg(el, "e").strip()
    if tag == M + "acc":
        char = _prop(el, "accPr", "chr", "\u0302")
        command = {"\u0302": "hat", "\u0305": "bar", "\u0304": "bar", "\u0307": "dot",
                   "\u20d7": "vec", "\u0303": "tilde"}.get(char, "hat")
        return "\\" + command + "{" + _arg(el, "e").strip() + "}"
    if tag == M + "bar":
        return r"\overline{" + _arg(el, "e").strip() + "}"
    if tag == M + "limLow":
        return _arg(el, "e").strip() + "_{" + _arg(el, "lim").strip() + "}"
    if tag == M + "limUpp":
        return _arg(el, "e").strip() + "^{" + _arg(el, "lim").strip() + "}"
    if tag in (M + "box", M + "borderBox", M + "groupChr", M + "phant"):
        return _arg(el, "e")
    if tag == M + "eqArr":
        return r" \\ ".join(_seq(e).strip() for e in el.findall(M + "e"))
    if tag == M + "m":
        rows = []
        for mr in el.findall(M + "mr"):
            rows.append(" & ".join(_seq(e).strip() for e in mr.findall(M + "e")))
        return r"\begin{matrix}" + r" \\ ".join(rows) + r"\end{matrix}"
    if tag == M + "sPre":
        return "{}_" + _group(_arg(el, "sub")) + "^" + _group(_arg(el, "sup")) + _arg(el, "e")
    if tag in (M + "e", M + "oMath", M + "num", M + "den", M + "sub", M + "sup"):
        return _seq(el)
    if tag == W + "r":  # a Word run inside an equation
        return "".join(t.text or "" for t in el.iter(W + "t"))
    return ""


def _seq(element: Any) -> str:
    out = ""
    for child in element:
        if child.tag.endswith("Pr") and child.tag.startswith(M):
            continue
        piece = _node(child)
        # A command followed by a letter needs a space; already added after symbol commands.
        out += piece
    return out


def to_latex(math: Any) -> str:
    """The LaTeX of an ``m:oMath`` element (spaces normalised)."""
    text = _seq(math)
    return " ".join(text.split())
