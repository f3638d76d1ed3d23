"""Formulas as Word equations (Office Math Markup, OMML) from the LaTeX a standard's formulas are
written in: letters, digits, operators, sub- and superscripts, fractions, roots, sums and
products with limits, delimiters, Greek letters, relation signs and upright text.

What this subset cannot say raises :class:`FormulaError` naming the construct, and the caller
puts a visible placeholder there: a formula is never silently dropped or half converted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .ooxml import Element, el

_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "Pi": "Π",
    "times": "×", "cdot": "·", "div": "÷", "pm": "±", "mp": "∓", "leq": "≤", "le": "≤",
    "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "equiv": "≡", "sim": "∼",
    "infty": "∞", "partial": "∂", "nabla": "∇", "degree": "°", "circ": "∘", "to": "→",
    "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "percent": "%", "ldots": "…",
    "cdots": "⋯", "prime": "′", "in": "∈", "subset": "⊂", "cup": "∪", "cap": "∩",
    "%": "%", ",": "\u2009", ";": "\u2005", " ": " ", "quad": "\u2003", "qquad": "\u2003\u2003",
    "{": "{", "}": "}", "_": "_", "#": "#", "&": "&",
}
_NARY = {"sum": "∑", "prod": "∏", "int": "∫", "oint": "∮"}
_FUNCTIONS = {"sin", "cos", "tan", "log", "ln", "lg", "exp", "max", "min", "lim"}
_TEXT = {"text", "mathrm", "textrm", "operatorname", "mbox"}
_DELIMS = {"(": "(", ")": ")", "[": "[", "]": "]", "|": "|", ".": "", "\\{": "{", "\\}": "}",
           "\\langle": "⟨", "\\rangle": "⟩"}
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}^_]|\s+|.", re.S)


class FormulaError(ValueError):
    """The formula uses LaTeX this converter does not know."""


def to_omml(latex: str, display: bool = True) -> Element:
    """``m:oMathPara`` (display) or ``m:oMath`` (inline) for the formula."""
    parser = _Parser(latex)
    items = parser.sequence(stop=None)
    math = el("m:oMath", None, *items)
    return el("m:oMathPara", None, math) if display else math


@dataclass
class _Parser:
    source: str

    def __post_init__(self) -> None:
        self.tokens = [t for t in _TOKEN.findall(self.source.strip())]
        self.pos = 0
        if not self.tokens:
            raise FormulaError("公式为空")

    def peek(self) -> str | None:
        while self.pos < len(self.tokens) and self.tokens[self.pos].isspace():
            self.pos += 1
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise FormulaError("公式不完整")
        self.pos += 1
        return token

    def sequence(self, stop: str | None) -> list[Element]:
        out: list[Element] = []
        while True:
            token = self.peek()
            if token is None:
                if stop is not None:
                    raise FormulaError(f"缺少“{stop}”")
                return out
            if token == stop:
                self.pos += 1
                return out
            if token == "}" or (token == "\\right" and stop != "\\right"):
                raise FormulaError(f"多余的“{token}”")
            out.append(self.scripted())

    def scripted(self) -> Element:
        """An atom with any sub- and superscript after it."""
        token = self.peek()
        if token in ("\\sum", "\\prod", "\\int", "\\oint"):
            return self.nary()
        base = self.atom()
        sub = sup = None
        while self.peek() in ("_", "^"):
            mark = self.take()
            arg = self.argument()
            if mark == "_":
                if sub is not None:
                    raise FormulaError("重复的下标")
                sub = arg
            else:
                if sup is not None:
                    raise FormulaError("重复的上标")
                sup = arg
        if sub is None and sup is None:
            return base
        e = el("m:e", None, base)
        if sub is not None and sup is not None:
            return el("m:sSubSup", None, e, el("m:sub", None, *sub), el("m:sup", None, *sup))
        if sub is not None:
            return el("m:sSub", None, e, el("m:sub", None, *sub))
        return el("m:sSup", None, e, el("m:sup", None, *(sup or [])))

    def argument(self) -> list[Element]:
        if self.peek() == "{":
            self.take()
            return self.sequence("}")
        return [self.atom()]

    def nary(self) -> Element:
        symbol = _NARY[self.take()[1:]]
        sub: list[Element] = []
        sup: list[Element] = []
        while self.peek() in ("_", "^"):
            mark = self.take()
            if mark == "_":
                sub = self.argument()
            else:
                sup = self.argument()
        body = self.scripted() if self.peek() not in (None, "}") else _run("")
        pr = el("m:naryPr", None, el("m:chr", {"m:val": symbol}),
                el("m:limLoc", {"m:val": "undOvr" if symbol in "∑∏" else "subSup"}))
        if not sub:
            pr.append(el("m:subHide", {"m:val": "1"}))
        if not sup:
            pr.append(el("m:supHide", {"m:val": "1"}))
        return el("m:nary", None, pr, el("m:sub", None, *sub), el("m:sup", None, *sup),
                  el("m:e", None, body))

    def atom(self) -> Element:
        token = self.take()
        if token == "{":
            items = self.sequence("}")
            return _box(items)
        if token in ("^", "_"):
            raise FormulaError(f"“{token}”前缺少内容")
        if not token.startswith("\\"):
            return _run(token, italic=token.isalpha() and token.isascii())
        name = token[1:]
        if name == "frac" or name == "dfrac" or name == "tfrac":
            num, den = self.argument(), self.argument()
            return el("m:f", None, el("m:num", None, *num), el("m:den", None, *den))
        if name == "sqrt":
            degree: list[Element] = []
            if self.peek() == "[":
                self.take()
                degree = self.sequence("]")
            radicand = self.argument()
            pr = el("m:radPr", None, el("m:degHide", {"m:val": "1"})) if not degree else None
            parts = [pr] if pr is not None else []
            return el("m:rad", None, *parts, el("m:deg", None, *degree),
                      el("m:e", None, *radicand))
        if name == "left":
            opening = self.delimiter()
            inner = self.sequence("\\right")
            closing = self.delimiter()
            pr = el("m:dPr", None, el("m:begChr", {"m:val": opening}),
                    el("m:endChr", {"m:val": closing}))
            return el("m:d", None, pr, el("m:e", None, *inner))
        if name in _TEXT:
            if self.take() != "{":
                raise FormulaError(f"\\{name} 后应为 {{…}}")
            text = []
            depth = 0
            while True:
                t = self.tokens[self.pos] if self.pos < len(self.tokens) else None
                if t is None:
                    raise FormulaError("缺少“}”")
                self.pos += 1
                if t == "}" and depth == 0:
                    break
                depth += {"{": 1, "}": -1}.get(t, 0)
                text.append(t[1:] if t.startswith("\\") and len(t) == 2 else t)
            return _run("".join(text), italic=False)
        if name in _FUNCTIONS:
            return _run(name, italic=False)
        if name in _SYMBOLS:
            return _run(_SYMBOLS[name], italic=False)
        if token in ("\\%", "\\,", "\\;", "\\ ", "\\{", "\\}", "\\_", "\\#", "\\&"):
            return _run(_SYMBOLS[token[1:]], italic=False)
        raise FormulaError(f"不支持的命令“{token}”")

    def delimiter(self) -> str:
        token = self.take()
        if token not in _DELIMS:
            raise FormulaError(f"不支持的括号“{token}”")
        return _DELIMS[token]


def _run(text: str, italic: bool = True) -> Element:
    r = el("m:r")
    if not italic:
        r.append(el("m:rPr", None, el("m:sty", {"m:val": "p"})))
    t = el("m:t")
    t.text = text
    r.append(t)
    return r


def _box(items: list[Element]) -> Element:
    """A group ``{…}`` as one atom (so that ``{ab}^2`` squares both)."""
    return el("m:box", None, el("m:e", None, *items))


__all__ = ["FormulaError", "to_omml"]
