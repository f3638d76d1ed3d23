"""The drafting linter: GB/T 1.1—2020 checks on the clause model.

Pure Python: :func:`lint` takes an :class:`~tooling.model.Edition` (from a build, or loaded from
an archived clause-index.json) and returns findings with file, line and column. The Sphinx
extension raises the same findings as warnings during every build; ``stdkit lint`` prints them.
The rules and their codes are in :mod:`tooling.lint.rules`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .. import model
from ..model import Clause, Edition
from ..model.foreword import DRAFTING_BASIS
from ..model.modal import FORBIDDEN, ModalHit, find_modals
from ..model.units import parse_duration
from . import consistency
from .rules import BY_CODE, ERROR, RULES, Rule

NORMATIVE_LEAD = (
    "下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，"
    "仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于本文件。"
)
NO_NORMATIVE = "本文件没有规范性引用文件。"
TERMS_LEAD = "下列术语和定义适用于本文件。"
NO_TERMS = "本文件没有需要界定的术语和定义。"
TERMS_LEAD_WITH_SOURCE = re.compile(r"^.+界定的以及下列术语和定义适用于本文件。$")
SCOPE_OPENINGS = ("本文件规定了", "本文件确立了", "本文件给出了", "本文件描述了", "本文件界定了",
                  "本文件提供了")
SCOPE_APPLIES = "本文件适用于"

# Element names and where they may appear (GB/T 1.1—2020 element order).
SCOPE, NORMATIVE, TERMS = "范围", "规范性引用文件", "术语和定义"
_RANK = {model.FOREWORD: 0, model.INTRODUCTION: 1, SCOPE: 2, NORMATIVE: 3, TERMS: 4,
         model.CHAPTER: 6, model.ANNEX: 7, model.BIBLIOGRAPHY: 8, model.INDEX: 9}
_RANK_NAME = {0: "前言", 1: "引言", 2: SCOPE, 3: NORMATIVE, 4: TERMS, 6: "技术章",
              7: "附录", 8: "参考文献", 9: "索引"}

_CJK = "\u3400-\u9fff\uf900-\ufaff"
_HALF_WIDTH = re.compile(rf"(?<=[{_CJK}])[,;:?!]|[,;:?!](?=[{_CJK}])|(?<=[{_CJK}])\((?=\S)"
                         rf"|(?<=\S)\)(?=[{_CJK}])")
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_STD_NUMBER = re.compile(
    r"(?<![A-Za-z0-9/])((?:GB/[TZ]|GB|DB\d{2,4}(?:/T)?|[A-Z]{1,3}/T|T/[A-Z0-9]+|Q/[A-Z0-9]+"
    r"|G/[A-Z0-9]+)\s?[\dA-Z.]+)-((?:19|20)\d{2})(?!\d)")
_LIST_LINE = re.compile(r"^(?:([a-z])\)|(\d+)\)|——|·) ")
_HAND_LABEL = re.compile(r"(?:^|(?<=[\s：；。，、]))([a-z])[）)]")
_MENTION = re.compile(r"附录([A-Z]{1,2})|表([A-Z]{0,2}\.?\d+)|图([A-Z]{0,2}\.?\d+)|第(\d+)章")
_QUOTED = re.compile(rf"“([{_CJK}]{{2,10}})”")


@dataclass(frozen=True, order=True)
class Finding:
    source: str
    line: int
    column: int
    code: str
    params: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    # The standard's own choice (standard.yaml ``lint: severity:``), else the rule's.
    severity: str | None = field(default=None, compare=False)
    # What ``stdkit lint --fix`` may write at (line, column): (text there now, replacement).
    # Only for a finding whose repair is unambiguous.
    fix: tuple[str, str] | None = field(default=None, compare=False)

    @property
    def rule(self) -> Rule:
        return BY_CODE[self.code]

    @property
    def level(self) -> str:
        return self.severity or self.rule.severity

    @property
    def message(self) -> str:
        return self.rule.message.format(**dict(self.params))

    @property
    def message_en(self) -> str:
        return self.rule.message_en.format(**dict(self.params))

    def human(self) -> str:
        return (f"{self.source}:{self.line}:{self.column}: {self.code} {self.message} "
                f"[{self.rule.name}]")

    def github(self) -> str:
        level = "error" if self.level == ERROR else "warning"
        return (f"::{level} file={self.source},line={self.line},col={self.column},"
                f"title={self.code} {self.rule.name}::{self.message}")

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "name": self.rule.name, "severity": self.level,
                "message": self.message, "message_en": self.message_en, "source": self.source,
                "line": self.line, "column": self.column}


class _Sources:
    """Source lines, read once, to turn a clause's line and a snippet into line and column.

    A clause's ``source`` is relative to the project root, or to the standard's folder when
    that lies outside the project (see ``tooling.sphinx.env.source_path``): look in both, or
    every finding of an outside standard points at column 1 of the clause's first line."""

    def __init__(self, *bases: Path) -> None:
        self.bases = bases
        self.cache: dict[str, list[str]] = {}

    def lines(self, source: str) -> list[str]:
        if source not in self.cache:
            self.cache[source] = []
            for base in self.bases:
                path = base / source
                if not path.is_file():
                    continue
                with contextlib.suppress(OSError, UnicodeDecodeError):
                    self.cache[source] = path.read_text("utf-8-sig").splitlines()
                break
        return self.cache[source]

    def locate(self, clause: Clause, snippet: str) -> tuple[int, int]:
        start = max((clause.line or 1) - 1, 0)
        lines = self.lines(clause.source)
        probe = snippet[:12]
        for number in range(start, min(start + 80, len(lines))):
            column = lines[number].find(probe)
            if column >= 0:
                return number + 1, column + 1
        return clause.line or 1, 1


@dataclass
class Context:
    """What every check gets: the edition, the sources, and where findings go."""

    edition: Edition
    sources: _Sources
    checklist_ids: set[str] | None
    edition_file: str
    findings: list[Finding] = field(default_factory=list)
    # Modal verbs by text: word segmentation is the linter's main cost, and a build's
    # environment keeps this between builds, so an incremental build segments only new text.
    modal_cache: dict[str, tuple[ModalHit, ...]] = field(default_factory=dict)
    used_cache: dict[str, tuple[ModalHit, ...]] = field(default_factory=dict)

    def modals(self, text: str) -> tuple[ModalHit, ...]:
        hits = self.used_cache.get(text)
        if hits is None:
            hits = self.modal_cache.get(text)
            if hits is None:
                hits = tuple(find_modals(text))
            self.used_cache[text] = hits
        return hits

    def add(self, code: str, source: str, line: int | None, column: int = 1,
            fix: tuple[str, str] | None = None, **params: object) -> None:
        self.findings.append(Finding(source, line or 1, column, code,
                                     tuple((k, str(v)) for k, v in params.items()), fix=fix))

    def at(self, code: str, clause: Clause, snippet: str | None = None, focus: int = 0,
           **params: object) -> None:
        """A finding on a clause, at the line and column where ``snippet`` is written (plus
        ``focus`` characters into it, for a finding about one character of the snippet)."""
        if snippet:
            line, column = self.sources.locate(clause, snippet)
            if line != clause.line or column != 1:
                column += focus
        else:
            line, column = clause.line or 1, 1
        self.add(code, clause.source, line, column, **params)

    def yaml_line(self, needle: str) -> int:
        for number, line in enumerate(self.sources.lines(self.edition_file), start=1):
            if needle in line:
                return number
        return 1


def lint(
    edition: Edition,
    *,
    root: Path,
    srcdir: Path | None = None,
    checklist_ids: set[str] | None = None,
    edition_file: str = "standard.yaml",
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    severity: Mapping[str, str] | None = None,
    modal_cache: dict[str, tuple[ModalHit, ...]] | None = None,
) -> list[Finding]:
    """All findings on an edition, sorted by file, line and column. ``modal_cache`` (text ->
    modal verbs) is read, and replaced by the entries this run used."""
    bases = (root,) if srcdir is None else (root, srcdir)
    ctx = Context(edition, _Sources(*bases), checklist_ids, edition_file,
                  modal_cache=modal_cache if modal_cache is not None else {})
    for check in CHECKS:
        check(ctx)
    if modal_cache is not None:
        modal_cache.clear()
        modal_cache.update(ctx.used_cache)
    chosen = severity or {}
    selected = [dataclasses.replace(f, severity=chosen.get(f.code))
                for f in ctx.findings if _wanted(f.code, tuple(select), tuple(ignore))]
    return sorted(set(selected))


def _wanted(code: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    if select and not any(code.startswith(s) for s in select):
        return False
    return not any(code.startswith(i) for i in ignore)


# -- structure -----------------------------------------------------------------------------


def _category(clause: Clause) -> int:
    if clause.element_type == model.CHAPTER and clause.title in (SCOPE, NORMATIVE, TERMS):
        return _RANK[clause.title]
    return _RANK.get(clause.element_type, 6)


def check_structure(ctx: Context) -> None:
    edition, at = ctx.edition, ctx.at
    tops = edition.clauses
    titles = {c.title for c in tops if c.element_type == model.CHAPTER}

    def missing(element: str, rank: int) -> None:
        # Reported where the element should have been: at the element that follows it.
        after = next((c for c in tops if _category(c) > rank), tops[-1] if tops else None)
        if after is None:
            ctx.add("GB101", ctx.edition_file, 1, element=element)
        else:
            at("GB101", after, element=element)

    if not any(c.element_type == model.FOREWORD for c in tops):
        missing("前言", _RANK[model.FOREWORD])
    for name in (SCOPE, NORMATIVE, TERMS):
        if name not in titles:
            missing(name, _RANK[name])
    highest = -1
    highest_clause: Clause | None = None
    for clause in tops:
        rank = _category(clause)
        if rank < highest and highest_clause is not None:
            at("GB102", clause, element=clause.title or _RANK_NAME[rank],
               before=highest_clause.title or _RANK_NAME[highest])
        elif rank >= highest:
            highest, highest_clause = rank, clause
    for annex in (c for c in tops if c.element_type == model.ANNEX):
        for inner in list(annex.walk())[1:]:
            if inner.title in (SCOPE, NORMATIVE, TERMS) or inner.element_type == model.TERM:
                at("GB103", inner, element=inner.title if inner.title in (
                    SCOPE, NORMATIVE, TERMS) else "术语条目")


def check_fixed_wording(ctx: Context) -> None:
    edition, at = ctx.edition, ctx.at
    for top in edition.clauses:
        paragraphs = _lead_paragraphs(top)
        if top.element_type == model.FOREWORD and paragraphs and paragraphs[0] != DRAFTING_BASIS:
            at("GB201", top, element="前言", expected=DRAFTING_BASIS)
        if top.element_type != model.CHAPTER:
            continue
        if top.title == SCOPE:
            if not any(p.startswith(SCOPE_OPENINGS) for p in paragraphs):
                at("GB201", top, element=SCOPE, expected="本文件规定了……。")
            if not any(p.startswith(SCOPE_APPLIES) for p in paragraphs):
                at("GB201", top, element=SCOPE, expected="本文件适用于……。")
        elif top.title == NORMATIVE:
            if not paragraphs or paragraphs[0] not in (NORMATIVE_LEAD, NO_NORMATIVE):
                at("GB201", top, paragraphs[0] if paragraphs else None,
                   element=NORMATIVE, expected=f"{NORMATIVE_LEAD}（或：{NO_NORMATIVE}）")
        elif top.title == TERMS:
            has_terms = any(c.element_type == model.TERM for c in top.walk())
            lead = paragraphs[0] if paragraphs else ""
            ok = (lead == TERMS_LEAD or TERMS_LEAD_WITH_SOURCE.match(lead)) if has_terms else (
                lead == NO_TERMS)
            if not ok:
                at("GB201", top, lead or None, element=TERMS,
                   expected=TERMS_LEAD if has_terms else NO_TERMS)


def _lead_paragraphs(top: Clause) -> list[str]:
    """The paragraphs an element opens with, whether written directly under its heading or
    inside the clause blocks that open it (fixed wording counts wherever it stands)."""
    paragraphs = [p for p in top.text.split("\n") if p]
    for child in top.children:
        if child.element_type not in (model.PARAGRAPH, model.UNTITLED):
            break
        paragraphs += [p for p in child.text.split("\n") if p]
    return paragraphs


# -- modal verbs ---------------------------------------------------------------------------

_STRONG = {"requirement", "recommendation"}


def check_modals(ctx: Context) -> None:
    edition, at = ctx.edition, ctx.at
    informative = {c.id for top in edition.clauses if top.annex_obligation == "资料性"
                   for c in top.walk()}
    for clause in edition.walk():
        hits = ctx.modals(clause.text) if clause.text else ()
        for hit in hits:
            if hit.word in FORBIDDEN:
                at("GB303", clause, _around(clause.text, hit.offset), verb=hit.word,
                   instead=FORBIDDEN[hit.word])
        kind = clause.metadata.kind
        if kind in ("requirement", "recommendation", "permission", "possibility"):
            # A list item's verb is usually in its lead-in: "……应符合下列条件：—— 身体健康；".
            lead = _lead_in(edition, clause)
            lead_hits = ctx.modals(lead.text) if lead is not None and lead.text else ()
            if not any(h.kind == kind for h in (*hits, *lead_hits)):
                verbs = {"requirement": "应/不应", "recommendation": "宜/不宜",
                         "permission": "可/不必", "possibility": "能/可能"}[kind]
                at("GB301", clause, kind=model.KIND_ZH[kind], verbs=verbs)
        elif kind in ("statement", "instruction"):
            strong = next((h for h in hits if h.kind in _STRONG), None)
            if strong:
                at("GB302", clause, _around(clause.text, strong.offset),
                   kind=model.KIND_ZH[kind], verb=strong.word)
        if clause.element_type in (model.NOTE, model.EXAMPLE):
            strong = next((h for h in hits if h.kind in _STRONG), None)
            if strong:
                at("GB304", clause, _around(clause.text, strong.offset),
                   where="注" if clause.element_type == model.NOTE else "示例", verb=strong.word)
        elif clause.id in informative and clause.element_type != model.TABLE:
            strong = next((h for h in hits if h.kind in _STRONG), None)
            if strong:
                at("GB304", clause, _around(clause.text, strong.offset), where="资料性附录",
                   verb=strong.word)
        for where, blocks in (("注", clause.notes), ("示例", clause.examples)):
            for block in blocks:
                strong = next((h for h in ctx.modals(block) if h.kind in _STRONG), None)
                if strong:
                    at("GB304", clause, _around(block, strong.offset), where=where,
                       verb=strong.word)


def _lead_in(edition: Edition, clause: Clause) -> Clause | None:
    """The element whose text introduces a list item (its nearest ancestor not a list item)."""
    if clause.element_type != model.LIST_ITEM:
        return None
    parent = edition.parent(clause.id)
    while parent is not None and parent.element_type == model.LIST_ITEM:
        parent = edition.parent(parent.id)
    return parent


def _around(text: str, offset: int) -> str:
    """A snippet of the text starting near ``offset`` that can be found in the source line."""
    start = max(offset - 4, 0)
    snippet = text[start : offset + 4].split("\n")[-1]
    return snippet if len(snippet) >= 2 else text[offset : offset + 6]


# -- clauses and lists ---------------------------------------------------------------------

_NUMBERED_CHILD = (model.CLAUSE, model.UNTITLED, model.PARAGRAPH)


def check_clause_structure(ctx: Context) -> None:
    edition, at = ctx.edition, ctx.at
    for clause in edition.walk():
        kinds = {c.element_type for c in clause.children}
        own_text = clause.text.strip() if clause.element_type in (
            model.CHAPTER, model.CLAUSE, model.ANNEX) else ""
        if own_text and kinds & set(_NUMBERED_CHILD):
            label = edition.reference_text(clause.id)
            at("GB401", clause, own_text.split("\n")[0][:12], number=label)
        if model.CLAUSE in kinds and model.UNTITLED in kinds:
            at("GB402", clause, number=edition.reference_text(clause.id))


def check_lists(ctx: Context) -> None:
    edition, at = ctx.edition, ctx.at
    # GB/T punctuates a list as a whole: only the last item of the whole list, in reading
    # order, ends with "。"; the last item of a nested list inside an earlier item ends "；".
    ends_list: dict[str, bool] = {}
    for clause in edition.walk():
        items = [c for c in clause.children if c.element_type == model.LIST_ITEM]
        if clause.element_type == model.LIST_ITEM and items:
            parent_last = ends_list.get(clause.id, True)
        else:
            parent_last = True
        for position, item in enumerate(items):
            first_line = item.text.split("\n")[0].rstrip()
            has_sub = any(c.element_type == model.LIST_ITEM for c in item.children) or (
                "\n" in item.text)
            label = item.label or (item.number.split()[-1] if item.number else "")
            # Items without an id are in the parent's text: the item is not the last one if
            # the next label follows there.
            following = _next_label(label)
            # Dash items without an id are in the parent's text too, but in no known order:
            # when there are any, either ending is accepted.
            unlabelled = not following and any(
                line.startswith(f"{label} ") for line in clause.text.split("\n"))
            last = parent_last and position == len(items) - 1 and not unlabelled and not (
                following and any(line.startswith(f"{following} ")
                                  for line in clause.text.split("\n")))
            ends_list[item.id] = last
            allowed = ("：", "；", "。") if has_sub else (("。",) if last else ("；", "。"))
            if first_line and not first_line.endswith(allowed):
                at("GB403", item, first_line[-8:], label=label, expected="/".join(allowed))
        for line in clause.text.split("\n"):
            match = _LIST_LINE.match(line)
            if match and not line.rstrip().endswith(("；", "。", "：")):
                label = line.split(" ", 1)[0]
                at("GB403", clause, line[len(label) + 1 :][:10], label=label,
                   expected="；/。")
        _check_hand_labels(clause, at)


def _next_label(label: str) -> str | None:
    """a) -> b), 3) -> 4); None for dashes."""
    body = label.rstrip(")")
    if len(body) == 1 and body.isalpha() and body != "z":
        return f"{chr(ord(body) + 1)})"
    if body.isdigit():
        return f"{int(body) + 1})"
    return None


def _check_hand_labels(clause: Clause, at: Callable[..., None]) -> None:
    previous: str | None = None
    for match in _HAND_LABEL.finditer(clause.text):
        label = match.group(1)
        if label != "a" and previous is not None and ord(label) != ord(previous) + 1:
            at("GB404", clause, match.group(0).strip()[:4], previous=f"{previous})",
               label=f"{label})")
        previous = label


def check_mentions(ctx: Context) -> None:
    edition, at = ctx.edition, ctx.at
    annexes = {c.number for c in edition.clauses if c.element_type == model.ANNEX}
    tables = {c.number for c in edition.walk() if c.element_type == model.TABLE}
    figures = {c.number for c in edition.walk() if c.element_type == model.FIGURE}
    chapters = {c.number for c in edition.clauses if c.element_type == model.CHAPTER}
    for clause in edition.walk():
        if clause.element_type in (model.FOREWORD, model.TABLE):
            continue
        for match in _MENTION.finditer(clause.text):
            annex, table, figure, chapter = match.groups()
            missing = (
                (annex and annex not in annexes) or (table and table not in tables)
                or (figure and figure not in figures) or (chapter and chapter not in chapters)
            )
            if missing:
                at("GB405", clause, match.group(0), mention=match.group(0))


# -- terms ---------------------------------------------------------------------------------


def check_terms(ctx: Context) -> None:
    edition, at = ctx.edition, ctx.at
    terms = [c for c in edition.walk() if c.element_type == model.TERM]
    others = [c for c in edition.walk() if c.element_type not in (model.TERM, model.FOREWORD)]
    corpus = "\n".join(f"{c.title}\n{c.text}\n" + "\n".join((*c.notes, *c.footnotes))
                       for c in others)
    defined: set[str] = set()
    for term in terms:
        words = [term.title, *(term.term.synonyms if term.term else ())]
        defined.update(words)
        if not any(w in corpus for w in words):
            at("GB501", term, term=term.title)
    quoted: dict[str, list[Clause]] = {}
    for clause in others:
        for word in set(_QUOTED.findall(clause.text)):
            quoted.setdefault(word, []).append(clause)
    for word, clauses in sorted(quoted.items()):
        if len(clauses) >= 2 and word not in defined:
            at("GB502", clauses[0], f"“{word}”", term=word)


# -- punctuation and numbers ---------------------------------------------------------------


def check_punctuation(ctx: Context) -> None:
    edition, at = ctx.edition, ctx.at
    for clause in edition.walk():
        # The text as written: a rendered reference (公式(1), 5.2 a)) is the toolkit's.
        for text in (clause.title, clause.ref_text or clause.text, *clause.notes):
            for match in _HALF_WIDTH.finditer(text):
                start = max(match.start() - 3, 0)
                at("GB601", clause, text[start : match.end() + 1], focus=match.start() - start,
                   char=match.group(0), full=_FULL[match.group(0)])
            for match in _STD_NUMBER.finditer(text):
                at("GB602", clause, match.group(0), number=match.group(0))


def check_edition(ctx: Context) -> None:
    info = ctx.edition.info
    for number in (info.number, *(r.number for r in info.replaces),
                   *(h.number for h in info.history)):
        for match in _STD_NUMBER.finditer(number):
            ctx.add("GB602", ctx.edition_file, ctx.yaml_line(number), number=match.group(0))
    if info.issued and info.implemented and info.implemented < info.issued:
        ctx.add("GB701", ctx.edition_file, ctx.yaml_line("implemented"),
                issued=info.issued, implemented=info.implemented)


def check_metadata(ctx: Context) -> None:
    at, checklist_ids = ctx.at, ctx.checklist_ids
    for clause in ctx.edition.walk():
        meta = clause.metadata
        if meta.frequency and not meta.role:
            at("GB702", clause)
        if meta.kind in _STRONG and not meta.role and not meta.frequency:
            at("GB704", clause)
        if checklist_ids is not None:
            for checklist in meta.checklist:
                if checklist not in checklist_ids:
                    at("GB703", clause, checklist, checklist=checklist)



# -- annexes: order of first citation, the 范围 list, citation at all ----------------------

_ANNEX_CITED = re.compile(r"附录([A-Z]{1,2})(?![A-Za-z])|[表图]([A-Z]{1,2})\.\d"
                          r"|(?:见|按|依据|符合|按照)([A-Z]{1,2})\.\d")
_TITLE_SUFFIX = re.compile(r"[（(][^）)]*[）)]$")


def _texts(clause: Clause) -> list[str]:
    """Everything a reader reads in one element: title, text, notes, examples, table cells."""
    cells = ["\u3000".join(row) for row in clause.rows]
    return [clause.title, clause.text, *clause.notes, *clause.examples, *cells]


def check_annexes(ctx: Context) -> None:
    edition, at = ctx.edition, ctx.at
    annexes = [c for c in edition.clauses if c.element_type == model.ANNEX]
    if not annexes:
        return
    first: dict[str, tuple[int, str]] = {}
    order = 0
    for top in edition.clauses:
        if top.element_type in (model.ANNEX, model.FOREWORD) or top.title == SCOPE:
            continue
        for clause in top.walk():
            for text in _texts(clause):
                for match in _ANNEX_CITED.finditer(text):
                    letter = next(g for g in match.groups() if g)
                    order += 1
                    first.setdefault(letter, (order, edition.reference_text(clause.id)))
    cited = [a for a in annexes if a.number in first]
    for annex in annexes:
        if annex.number not in first:
            at("GB106", annex, annex=annex.number)
    for previous, annex in itertools.pairwise(cited):
        if first[annex.number][0] < first[previous.number][0]:
            at("GB104", annex, annex=annex.number, first=first[annex.number][1],
               previous_annex=previous.number, previous_first=first[previous.number][1])
    scope = next((c for c in edition.clauses if c.title == SCOPE), None)
    if scope is None:
        return
    scope_text = "\n".join(c.text for c in scope.walk())
    listed = []
    for annex in annexes:
        title = _TITLE_SUFFIX.sub("", annex.title)
        position = scope_text.find(title) if title else -1
        if position >= 0:
            listed.append((position, annex, title))
    for (pos_a, annex_a, title_a), (pos_b, annex_b, title_b) in itertools.pairwise(listed):
        if pos_b < pos_a:
            at("GB105", scope, title_b, title=title_b, annex=annex_b.number, other_title=title_a,
               other_annex=annex_a.number)


# -- typed designations (GB406), found in the source lines -----------------------------------

_ROLE_MARKUP = re.compile(r"\{[a-z-]+\}`[^`]*`")
_DIRECTIVE = re.compile(r"^\s*(?::{3,}|`{3,})")
_FIELD_LINE = re.compile(r"^:[A-Za-z_][\w-]*:")
_LABEL_LINE = re.compile(r"^\([a-z][a-z0-9-]*\)=\s*$")
_DESIGNATION = re.compile(
    r"附录[A-Z]{1,2}(?![A-Za-z.])|[表图](?:[A-Z]{1,2}\.\d+|\d+)(?![\d.])|第\d+章"
    r"|(?<=见|按|据|合|照)(?:\d+(?:\.\d+)+(?:\s?[a-z]\))?|[A-Z]{1,2}\.\d+(?:\.\d+)*)(?![\d.])")
# "GB/T 1.1—2020的第5章", "2020年版的6.2": a designation of another document.
_OTHER_DOCUMENT = re.compile(r"(?:[A-Z]\s?[\d.]+—\d{4}|\d{4}年版|》)的?\s*(?:见|按)?$")


def text_lines(path_lines: list[str]) -> Iterator[tuple[int, str]]:
    """(line number, line) of the lines of a chapter file that carry text: not directive
    fences, labels, or the metadata block at the top of a directive."""
    in_meta = False
    after_fence = False
    for number, line in enumerate(path_lines, start=1):
        stripped = line.strip()
        if in_meta:
            if stripped == "---":
                in_meta = False
            continue
        if _DIRECTIVE.match(line):
            after_fence = True
            continue
        if after_fence and stripped == "---":
            in_meta = True
            after_fence = False
            continue
        if after_fence and _FIELD_LINE.match(stripped):
            continue
        after_fence = False
        if _LABEL_LINE.match(stripped) or not stripped:
            continue
        yield number, line


def _masked(line: str) -> str:
    """The line with every {role}`…` blanked out (same length, so columns stay)."""
    return _ROLE_MARKUP.sub(lambda m: " " * len(m.group(0)), line)


def designation_targets(edition: Edition) -> dict[str, list[str]]:
    """How each numbered element of the edition is cited (附录A, 表A.1, 第4章, 5.2, 5.2a)),
    spaces removed, to the ids cited that way."""
    targets: dict[str, list[str]] = {}
    for clause in edition.walk():
        if clause.number is None or clause.element_type == model.PARAGRAPH:
            continue
        key = edition.reference_text(clause.id).replace(" ", "")
        targets.setdefault(key, []).append(clause.id)
    return targets


def check_designations(ctx: Context) -> None:
    edition = ctx.edition
    targets = designation_targets(edition)
    sources = sorted({c.source for c in edition.walk()
                      if c.source and c.element_type != model.FOREWORD})
    for source in sources:
        for number, line in text_lines(ctx.sources.lines(source)):
            masked = _masked(line)
            for match in _DESIGNATION.finditer(masked):
                if _OTHER_DOCUMENT.search(masked[max(0, match.start() - 30) : match.start()]):
                    continue
                mention = match.group(0)
                ids = targets.get(mention.replace(" ", ""), [])
                if not ids:
                    continue  # a number that is not an element here (GB405 names those)
                if len(ids) == 1:
                    ref = f"{{clause-ref}}`{ids[0]}`"
                    fix: tuple[str, str] | None = (mention, ref)
                else:
                    ref, fix = "{clause-ref}`标识`（编号不唯一，请手工选择）", None
                ctx.add("GB406", source, number, match.start() + 1, fix=fix, mention=mention,
                        ref=ref)


# -- modal verbs: kinds, parts, qualifiers, requirement words --------------------------------

_NORMATIVE = ("requirement", "recommendation", "permission")
_REQUIREMENT_WORDS = re.compile(
    r"至少|不少于|不低于|不超过|不多于|应当|统一(?!社会信用代码)|(?<![必无])须(?![知要])|务必"
    r"|一律|严禁|禁止")
_QUALIFIERS_BEFORE = ("原则上", "一般情况下", "一般", "尽量", "尽可能", "酌情")
_QUALIFIERS_AFTER = ("尽量", "尽可能", "酌情", "原则上")


def check_provisions(ctx: Context) -> None:
    edition, at = ctx.edition, ctx.at
    informative = {c.id for top in edition.clauses if top.annex_obligation == "资料性"
                   for c in top.walk()}
    for clause in edition.walk():
        if clause.element_type == model.FOREWORD:
            continue
        hits = ctx.modals(clause.text) if clause.text else ()
        for hit in hits:
            if hit.kind not in _STRONG:
                continue
            before = clause.text[max(0, hit.offset - 5) : hit.offset]
            after = clause.text[hit.offset + len(hit.word) : hit.offset + len(hit.word) + 3]
            qualifier = next((q for q in _QUALIFIERS_BEFORE if before.endswith(q)), None)
            if qualifier:
                phrase = qualifier + hit.word
                at("GB308", clause, phrase, phrase=phrase, qualifier=qualifier)
                continue
            qualifier = next((q for q in _QUALIFIERS_AFTER if after.startswith(q)), None)
            if qualifier:
                phrase = hit.word + qualifier
                at("GB308", clause, phrase, phrase=phrase, qualifier=qualifier)
        if clause.metadata.kind in _NORMATIVE and clause.element_type != model.TERM:
            kinds = [h for h in hits if h.kind in _NORMATIVE]
            other = next((h for h in kinds if h.kind != kinds[0].kind), None) if kinds else None
            if other is not None:
                at("GB306", clause, _around(clause.text, other.offset), modal_a=kinds[0].word,
                   modal_b=other.word)
            for offset, part in consistency._segments(clause.text) if hits else ():
                body = part.strip()
                if len(re.findall(f"[{_CJK}]", body)) < 6 or _LIST_LINE.match(body):
                    continue  # short, or an item of a list written in the text (its lead-in
                    # carries the modal verb)
                if not any(offset <= h.offset < offset + len(part) for h in hits):
                    at("GB307", clause, body[:12], part=body[:16] + ("……" if len(body) > 16
                                                                     else ""))
        where_texts: list[tuple[str, str]] = []
        if clause.id in informative:
            where_texts += [("资料性附录", t) for t in (clause.text, *(
                "\u3000".join(r) for r in clause.rows)) if t]
        where_texts += [("注", n) for n in clause.notes]
        where_texts += [("示例", x) for x in clause.examples]
        for where, text in where_texts:
            match = _REQUIREMENT_WORDS.search(text)
            if match:
                at("GB305", clause, text[max(0, match.start() - 4) : match.end() + 4],
                   where=where, word=match.group(0))


# -- definitions -----------------------------------------------------------------------------

_CONTEXT_START = re.compile(r"^(指|是|即|本文件中|本文件所称|在本文件中|这里|此处)")
_DEFINITION_REQUIREMENT = re.compile(r"不少于|至少|不超过|不低于|(?<![必无])须(?![知要])")
_PLURAL = re.compile(r"(?<![su])s$|ies$")
_EN_HEAD = re.compile(r"\s+(?:with|of|for|in|on|at|by|from|to)\s+")


def check_definitions(ctx: Context) -> None:
    edition, at = ctx.edition, ctx.at
    terms = [c for c in edition.walk() if c.element_type == model.TERM]
    defined = {w for t in terms for w in (t.title, *(t.term.synonyms if t.term else ()))}
    parties = {r for c in edition.walk() for r in c.metadata.role} | defined
    for term in terms:
        definition = term.text.strip()
        modal = next((h for h in ctx.modals(definition) if h.kind in _NORMATIVE), None)
        word = modal.word if modal else None
        if word is None:
            match = _DEFINITION_REQUIREMENT.search(definition)
            word = match.group(0) if match else None
        if word:
            at("GB503", term, definition[:12], term=term.title, word=word)
        start = _CONTEXT_START.match(definition)
        party = next((p for p in sorted(parties, key=len, reverse=True)
                      if definition.startswith(p) and definition[len(p):].startswith(
                          ("负责", "所", "管理", "应", "宜", "可"))), None)
        if start or definition.startswith(term.title) or party:
            lead = start.group(0) if start else definition[: len(party or term.title) + 2]
            at("GB504", term, definition[:12], term=term.title, start=lead)
        if term.title and term.title in definition:
            at("GB505", term, definition[:12], term=term.title)
        en = term.term.en if term.term else None
        if en:
            head = _EN_HEAD.split(en.strip())[0].split()
            if head and _PLURAL.search(head[-1].lower()):
                at("GB508", term, en, term=term.title, en=en)
    for clause in edition.walk():
        target = clause.metadata.target
        if target is not None and target.metric.endswith("率") and target.metric not in defined:
            at("GB506", clause, f"metric: {target.metric}", metric=target.metric)


# -- names written two ways ------------------------------------------------------------------

NAME_VARIANTS = (
    ("社区居民委员会", "社区居委会"), ("村民委员会", "村委会"), ("业主委员会", "业委会"),
    ("人民调解委员会", "调委会"), ("街道办事处", "街道办"), ("物业服务企业", "物业公司"),
)


def check_names(ctx: Context) -> None:
    edition = ctx.edition
    elements = [c for c in edition.walk() if c.element_type != model.FOREWORD]
    corpus = "\n".join(t for c in elements for t in _texts(c))
    for full, short in NAME_VARIANTS:
        # Most pairs are settled by the whole text at once: one of the names never occurs,
        # or the short one is introduced as an abbreviation.
        if full not in corpus or short not in corpus.replace(full, ""):
            continue
        if f"简称“{short}”" in corpus:
            continue
        hits: dict[str, list[Clause]] = {full: [], short: []}
        for clause in elements:
            for text in _texts(clause):
                if full in text:
                    hits[full].append(clause)
                if short in text.replace(full, ""):
                    hits[short].append(clause)
        if hits[full] and hits[short]:
            rare = full if len(hits[full]) <= len(hits[short]) else short
            ctx.at("GB507", hits[rare][0], rare, one=rare,
                   other=short if rare == full else full)


# -- ranges, time units, example dates -------------------------------------------------------

_STD_DESIGNATION = re.compile(
    r"(?:GB/[TZ]|GB|DB\d{2,4}(?:/T)?|[A-Z]{1,3}/T|T/[A-Z0-9]+|Q/[A-Z0-9]+|G/[A-Z0-9]+)"
    r"\s?[\dA-Z.]+[—–](?:19|20)\d{2}")
_TIME_RANGE = re.compile(r"\d{1,2}:\d{2}\s*[—–\-~－]\s*\d{1,2}:\d{2}")
_NUMBER_RANGE = re.compile(rf"(?<![\d.:/A-Za-z-])\d+(?:\.\d+)?\s*[—–－~]\s*\d+(?:\.\d+)?"
                           rf"(?=\s*[%{_CJK}])")
_TIME_WORD = re.compile(r"(?<![\d.:月年第])(\d+(?:\.\d+)?)\s*(个小时|小时|分钟|天|日)(?![期\d])")
_SYMBOL = {"个小时": "h", "小时": "h", "分钟": "min", "天": "d", "日": "d"}
_EXAMPLE_DATE = re.compile(r"((?:19|20)\d{2})(?:-\d{1,2}-\d{1,2}|年\d{1,2}月)")


def check_numbers(ctx: Context) -> None:
    edition, at = ctx.edition, ctx.at
    informative = {c.id for top in edition.clauses if top.annex_obligation == "资料性"
                   for c in top.walk()}
    year = _edition_year(edition.info)
    for clause in edition.walk():
        if clause.element_type == model.FOREWORD:
            continue
        for text in _texts(clause):
            plain = _STD_NUMBER.sub(lambda m: "#" * len(m.group(0)), text)
            # A designation's dash before its year (GB/T 20647.1—2006) is no range.
            plain = _STD_DESIGNATION.sub(lambda m: "#" * len(m.group(0)), plain)
            plain = re.sub(r"\d{4}-\d{2}-\d{2}", lambda m: "#" * len(m.group(0)), plain)
            for match in (*_TIME_RANGE.finditer(plain), *_NUMBER_RANGE.finditer(plain)):
                at("GB603", clause, match.group(0), range=match.group(0))
            for match in _TIME_WORD.finditer(plain):
                expected = f"{match.group(1)} {_SYMBOL[match.group(2)]}"
                at("GB604", clause, match.group(0), value=match.group(0), symbol=expected)
        freq, target = clause.metadata.frequency, clause.metadata.target
        for value in (freq.within if freq else None,
                      f"1 {target.unit}" if target and target.unit else None):
            duration = parse_duration(value) if value else None
            if duration and duration.unit.words in ("小时", "日", "分钟") and not re.search(
                    r"\d\s*(?:h|d|min)$", value or ""):
                symbol = {"小时": "h", "日": "d", "分钟": "min"}[duration.unit.words]
                at("GB604", clause, value=value, symbol=f"{duration.value} {symbol}")
        if year is None:
            continue
        texts = list(clause.notes) + list(clause.examples)
        if clause.id in informative:
            texts += _texts(clause)
        for text in texts:
            for match in _EXAMPLE_DATE.finditer(text):
                if int(match.group(1)) < year:
                    at("GB605", clause, match.group(0), date=match.group(0), year=year)


def _edition_year(info: model.EditionInfo) -> int | None:
    match = re.search(r"[—-]((?:19|20)\d{2})$", info.number)
    if match:
        return int(match.group(1))
    return int(info.issued[:4]) if info.issued else None


# -- text and metadata ------------------------------------------------------------------------

_PERSON = re.compile(r"[\u4e00-\u9fff·×]{2,5}|[A-Z][a-z]+(?: [A-Z][a-z]+)+")
_ORGANISATION_END = ("部", "局", "科", "委", "会", "处", "室", "社区", "中心", "公司", "单位",
                     "人员", "组", "站", "院", "办", "所", "队")


def check_text_metadata(ctx: Context) -> None:
    edition, at = ctx.edition, ctx.at
    for clause in edition.walk():
        if clause.element_type in (model.FOREWORD, model.TERM, model.TABLE):
            continue
        meta = clause.metadata
        if not (meta.kind in _NORMATIVE or meta.frequency or meta.target):
            continue
        for drift in consistency.drifts(clause):
            params: dict[str, object] = {"what": drift.what, "field": drift.field}
            if drift.code != "GB706":
                params["text"] = drift.text
            if drift.code != "GB705":
                params["meta"] = drift.meta
            # Where the value is written: in the text, else at its metadata key.
            key = drift.field.rsplit(".", 1)[-1] + ":"
            at(drift.code, clause, drift.snippet or key, **params)
    # Each record once, at the first clause naming it (a standard names a few dozen records).
    first_named: dict[str, Clause] = {}
    for clause in edition.walk():
        for evidence in clause.metadata.evidence:
            first_named.setdefault(evidence, clause)
    if first_named:
        corpus = "\n".join(t for c in edition.walk() if c.element_type != model.FOREWORD
                           for t in _texts(c))
        for evidence, clause in first_named.items():
            if evidence not in corpus:
                at("GB709", clause, evidence, evidence=evidence)
    for name in edition.info.drafters:
        if not _PERSON.fullmatch(name) or name.endswith(_ORGANISATION_END):
            ctx.add("GB708", ctx.edition_file, ctx.yaml_line(name), name=name)
    _check_roles(ctx)


_ADVERBS = ("还", "也", "均", "亦", "并", "则", "都")


def _check_roles(ctx: Context) -> None:
    edition = ctx.edition
    parties = sorted({r for c in edition.walk() for r in c.metadata.role}, key=len,
                     reverse=True)
    for clause in edition.walk():
        role = clause.metadata.role
        if not role or not clause.text or clause.element_type == model.TERM:
            continue
        for hit in ctx.modals(clause.text):
            if hit.kind not in _NORMATIVE:
                continue
            before = clause.text[: hit.offset]
            for adverb in _ADVERBS:
                before = before.removesuffix(adverb)
            subject = next((p for p in parties if before.endswith(p)), None)
            if subject is not None and subject not in role:
                ctx.at("GB710", clause, subject + hit.word, subject=subject, verb=hit.word,
                       role="、".join(role))
                break

CHECKS = (check_structure, check_annexes, check_fixed_wording, check_modals, check_provisions,
          check_clause_structure, check_lists, check_mentions, check_designations, check_terms,
          check_definitions, check_names, check_punctuation, check_numbers, check_edition,
          check_metadata, check_text_metadata)


# -- output --------------------------------------------------------------------------------


def format_findings(findings: list[Finding], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=1) + "\n"
    if fmt == "github":
        return "".join(f.github() + "\n" for f in findings)
    lines = [f.human() for f in findings]
    errors = sum(1 for f in findings if f.level == ERROR)
    lines.append(f"发现 {len(findings)} 个问题（{errors} 个错误）" if findings
                 else "未发现问题 (no problems found)")
    return "\n".join(lines) + "\n"


def catalogue() -> Iterator[Rule]:
    yield from RULES
