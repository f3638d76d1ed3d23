"""The 前言's list of main technical changes: which changes it lists, grouped how, said how.

:func:`change_list` turns an :class:`~tooling.diff.EditionDiff` into a :class:`ChangeList`:

Changes
    One :class:`Change` per provision that changed: an element with the list items below it
    (an added or removed subtree counts once, at its top). Its ``key`` is the element's id in
    the new edition (the old one's when it was removed): the stable handle an editor's
    ``changes.yaml`` uses (:mod:`tooling.diff.overrides`).

What reaches the 前言 (``status``)
    - ``listed``: a technical change, stated in GB/T 1.1—2020 phrasing that carries its
      substance (增加了…的要求 / 删除了…的规定 / 将…由不少于1次改为不少于2次 / 将…由推荐改为
      要求 / 将“…”更改为“…” / 将术语“…”更改为“…”).
    - ``cited``: follows another change and is cited with it, in its reference: an annex
      change whose new content refers to a changed provision, or that makes the same change
      of a number in an annex that refers to it (附录B "1条" → "2条" with 8.1.2's "1次" → "2次").
    - ``consequence``: nothing changed but a renamed term, written the new way; the rename is
      listed once, at the term.
    - ``editorial``: punctuation, spacing, or a filler word (基本, 相关 …) added or dropped;
      GB/T 1.1—2020 lists changes "除结构调整和编辑性改动外".
    - ``metadata``: only the clause's metadata changed (role, evidence …); the printed text,
      which is what the standard says, is the same. Shown in the 条款对照表's notes.
    - ``omitted``: left out by the editor (``changes.yaml``).

Items
    Listed changes with one topic share an item: terms added to one clause, and the changes
    within one titled clause (8.6, 11.2 …), up to :data:`MAX_PER_ITEM`. Items follow the new
    edition's order. Each item ends with its reference "（见8.1.2、附录B，2020年版的7.1.2、
    附录B）": new places first, then the old edition's.

Pure: no Sphinx.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .. import model
from ..model import Clause, Edition
from . import phrases as P
from .match import REF_MARKER, _Refs, char_diff, editorial_form
from .records import (
    ADDED,
    CHANGED,
    EDITORIAL,
    FRONT_MATTER,
    N_TECHNICAL,
    REMOVED,
    STRUCTURAL,
    TECHNICAL,
    ChangeRecord,
    EditionDiff,
    FieldChange,
    Segment,
)
from .wording import _marker_reference, old_year, row_name

if TYPE_CHECKING:
    from ..io.diagnostics import Diagnostic
    from .overrides import ChangesFile

LISTED, CITED, CONSEQUENCE, EDITORIAL_ONLY, METADATA, OMITTED = (
    "listed", "cited", "consequence", "editorial", "metadata", "omitted",
)
STATUSES = (LISTED, CITED, CONSEQUENCE, EDITORIAL_ONLY, METADATA, OMITTED)
# More changes than this under one heading read better as items of their own.
MAX_PER_ITEM = 4
# Words whose adding or dropping does not change what a provision requires (删除"基本").
FILLER_WORDS = ("基本", "相关", "有关", "具体", "进行", "的", "了", "之")
# A phrase longer than this stops being a summary: the item names the topic instead.
LONGEST = 44

_OBLIGATION_ZH = {
    "requirement": "要求", "instruction": "要求", "recommendation": "推荐", "permission": "允许",
    "possibility": "陈述", "statement": "陈述",
}
_HEADINGS = (model.CHAPTER, model.CLAUSE, model.ANNEX, model.INTRODUCTION)
# Titles that name their content already: "增加了基本原则", not "基本原则的要求".
_NOUN_ENDINGS = ("要求", "规定", "原则", "程序", "方法", "规则", "内容", "措施", "制度", "条件",
                 "机制", "流程", "职责", "范围", "依据", "指标", "分类", "组成", "说明", "示例",
                 "格式", "式样", "表", "台账", "记录")
# 下列疫情防控工作： names what a list is about; 下列情况： is too short to name anything.
_LEAD_IN = re.compile(r"下列(.{4,15}?)[：:]")


@dataclass(frozen=True)
class Change:
    """One provision that changed, and what the 前言 does with it."""

    key: str
    change: str  # added / removed / changed
    old_id: str | None
    new_id: str | None
    records: tuple[ChangeRecord, ...]
    status: str
    phrase: str = ""  # what it does, in a 前言's words, without the reference
    phrases: tuple[str, ...] = ()  # the same in parts, for an item that lists several
    cause: str | None = None  # the change it follows (cited, consequence)
    reason: str = ""  # why it is not listed on its own, in plain words (条款对照表)
    topic: str = ""  # changes with one topic share an item


@dataclass(frozen=True)
class Item:
    """One item of the 前言 list."""

    key: str  # the key of its first change
    text: str  # the wording, without the reference
    refs: str  # （见8.1.2，2020年版的7.1.2）
    changes: tuple[str, ...]  # keys of every change it lists or cites
    generated: str  # the wording the model made (``text`` unless the editor rewrote it)

    @property
    def full(self) -> str:
        return self.text + self.refs


@dataclass(frozen=True)
class ChangeList:
    """The 前言 items and every non-structural change, in document order."""

    items: tuple[Item, ...]
    changes: tuple[Change, ...]
    problems: tuple[Diagnostic, ...] = ()  # about the editor's changes.yaml (warnings)
    notes: Mapping[str, str] = field(default_factory=dict)  # the editor's 修订说明, by key

    def item_of(self, key: str) -> tuple[int, Item] | None:
        for i, item in enumerate(self.items):
            if key in item.changes:
                return i, item
        return None

    def change(self, key: str) -> Change | None:
        return next((c for c in self.changes if c.key == key), None)

    def texts(self) -> list[str]:
        return [item.full for item in self.items]


def letter(index: int) -> str:
    """a) … z), aa) …: the letters of a GB/T list."""
    from ..model.numbering import annex_letter

    return f"{annex_letter(index).lower()})"


# -- units ------------------------------------------------------------------------------------


@dataclass
class _Unit:
    change: str
    old_id: str | None
    new_id: str | None
    records: list[ChangeRecord] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.new_id or self.old_id or ""


def _units(d: EditionDiff) -> list[_Unit]:
    """The records that matter to a reader (not the 前言, not renumbering alone), gathered per
    provision: list items with their clause, an added or removed subtree at its top."""
    old, new = d.old, d.new
    assert old is not None and new is not None
    added = {r.new.id for r in d.records if r.change == ADDED and r.new}
    removed = {r.old.id for r in d.records if r.change == REMOVED and r.old}
    to_new = {o: n for o, n in d.alignment if o is not None and n is not None}
    to_old = {n: o for o, n in to_new.items()}

    def top(edition: Edition, clause_id: str, within: set[str]) -> str:
        parent = edition.parent(clause_id)
        while parent is not None and parent.id in within:
            clause_id = parent.id
            parent = edition.parent(clause_id)
        return clause_id

    def holder(edition: Edition, clause_id: str) -> str:
        clause = edition[clause_id]
        while clause.element_type == model.LIST_ITEM:
            parent = edition.parent(clause.id)
            if parent is None:
                break
            clause = parent
        return clause.id

    units: dict[tuple[str, str], _Unit] = {}
    for r in d.records:
        if r.category in (FRONT_MATTER, STRUCTURAL):
            continue
        if r.change == REMOVED and r.old is not None:
            head = holder(old, top(old, r.old.id, removed))
            if head in removed:
                unit = ("removed", top(old, head, removed))
                made = _Unit(REMOVED, unit[1], None)
            else:
                # A list item gone from a clause that stays: a change of that clause, keyed
                # as its other changes are (by the clause's id in the new edition).
                unit = ("changed", to_new.get(head, head))
                made = _Unit(CHANGED, head, to_new.get(head))
        else:
            assert r.new is not None
            start = top(new, r.new.id, added) if r.change == ADDED else r.new.id
            head = holder(new, start)
            if head in added:
                unit = ("added", top(new, head, added))
                made = _Unit(ADDED, None, unit[1])
            else:
                unit = ("changed", head)
                made = _Unit(CHANGED, to_old.get(head), head)
        units.setdefault(unit, made).records.append(r)
    return list(units.values())


# -- the texts as a change left them ---------------------------------------------------------


class _Texts:
    """Showing ⟦reference⟧ markers as numbers, and putting renamed terms in."""

    def __init__(self, d: EditionDiff, renames: Sequence[tuple[str, str]]) -> None:
        self.d = d
        self.renames = sorted(renames, key=lambda p: -len(p[0]))

    def show(self, text: str) -> str:
        return REF_MARKER.sub(lambda m: _marker_reference(m.group(1), self.d.old, self.d.new),
                              text)

    def renamed(self, text: str) -> str:
        """``text`` with every renamed term written the new way (an occurrence that is already
        the new name stays as it is)."""
        for old, new in self.renames:
            if old not in text:
                continue
            parts = text.split(new) if old in new else [text]
            text = new.join(p.replace(old, new) for p in parts)
        return text


def _residual(segments: Sequence[Segment], texts: _Texts) -> tuple[list[Segment], bool]:
    """The diff left once renamed terms are written the new way; and whether a rename
    accounted for any of it."""
    old, new = P.sides(segments)
    fixed = texts.renamed(old)
    if fixed == old:
        return list(segments), False
    if editorial_form(fixed) == editorial_form(new):
        return [], True
    return list(char_diff(fixed, new)), True


def _technical(segments: Sequence[Segment]) -> list[P.Edit]:
    """The regions of a diff that are not punctuation or spacing."""
    old, new = P.sides(segments)
    return [e for e in P.edits(segments)
            if editorial_form(e.deleted(old)) != editorial_form(e.inserted(new))]


def _filler_only(segments: Sequence[Segment]) -> list[str]:
    """The filler words a diff adds or drops, when that is all it does; else []."""
    old, new = P.sides(segments)
    found = []
    for e in _technical(segments):
        for text in (e.deleted(old), e.inserted(new)):
            rest = editorial_form(text)
            for word in sorted(FILLER_WORDS, key=len, reverse=True):
                if word in rest:
                    found.append(word)
                    rest = rest.replace(word, "")
            if rest:
                return []
    return found


# -- wording ----------------------------------------------------------------------------------


def _suffix(clause: Clause | None, said: str = "") -> str:
    """的要求 for what someone must do; 的规定 for a figure (任期5年) or a softer provision."""
    kind = clause.kind if clause is not None else None
    if re.search(r"\d", said) or kind not in (None, "requirement", "instruction"):
        return "的规定"
    return "的要求"


def _titled_ancestor(edition: Edition, clause: Clause) -> Clause | None:
    parent = edition.parent(clause.id)
    while parent is not None and not parent.title:
        parent = edition.parent(parent.id)
    return parent


def topic_name(edition: Edition, clause: Clause) -> str:
    """What a change names when it cannot say more: 术语“…”, a heading (“范围”), the thing a
    list's lead-in lists, or the heading above an untitled clause, with 的要求 / 的规定."""
    if clause.term is not None:
        return f"术语“{clause.term.term}”"
    if clause.title and clause.element_type not in (model.UNTITLED, model.PARAGRAPH,
                                                     model.LIST_ITEM):
        if clause.element_type in (model.TABLE, model.FIGURE, model.ANNEX):
            return f"“{clause.title}”"
        return clause.title
    m = _LEAD_IN.search(clause.text)
    if m:
        base = m.group(1)
    else:
        heading = _titled_ancestor(edition, clause)
        base = heading.title if heading else P.plain(clause.text)[:12]
    if base.endswith(("要求", "规定")):
        return base
    return base + _suffix(clause)


def _named(title: str, clause: Clause) -> str:
    """A heading as an item names it: 基本原则; 网格化服务的要求."""
    if title.endswith(_NOUN_ENDINGS):
        return title
    kinds = {c.kind for c in clause.walk() if c.kind}
    return title + ("的要求" if kinds & {"requirement", "instruction"} or not kinds
                    else "的规定")


def _statement(edition: Edition, clause: Clause) -> str:
    """What an untitled provision says, in a few words: its lead-in's subject (下列X：), or
    its main segment without the modal verb; "" when that would be too long."""
    m = _LEAD_IN.search(clause.text)
    if m:
        return m.group(1) + _suffix(clause)
    text = REF_MARKER.sub("", clause.text).replace("下列", "")
    spans = P.spans(text) or [(0, len(text))]
    hits = [s for s in spans if P.has_modal(text[s[0]:s[1]])]
    start, end = hits[0] if hits else spans[0]
    # A condition before the provision belongs to it, quoted as written: 增加了“对新迁入
    # 住户，楼长应在1个月内走访”的规定.
    if hits and spans.index(hits[0]) == 1 and text[spans[0][1]] == "，":
        quoted = text[spans[0][0]:end]
        if len(quoted) <= LONGEST:
            return f"“{quoted}”的规定"
    said = P.plain(text[start:end])
    who = P.subject(text)
    if who and not said.startswith(who) and not P.subject(text[start:end]):
        said = who + said
    if not said or len(said) > LONGEST:
        return ""
    return said + _suffix(clause, said)


def _whole(edition: Edition, clause: Clause, verb: str) -> str:
    """增加了… / 删除了… for a whole element (and everything below it)."""
    if clause.term is not None:
        return f"{verb}术语“{clause.term.term}”"
    if clause.element_type in (model.ANNEX, model.TABLE, model.FIGURE) and clause.title:
        return f"{verb}“{clause.title}”"
    if clause.title and clause.element_type in _HEADINGS:
        return verb + _named(clause.title, clause)
    if clause.element_type == model.LIST_ITEM:
        return f"{verb}“{P.plain(clause.text)}”"
    said = _statement(edition, clause)
    return verb + (said or topic_name(edition, clause))


class _Phrasing:
    """The wording of one changed provision, from the diff of its texts."""

    def __init__(self, d: EditionDiff, texts: _Texts) -> None:
        assert d.old is not None and d.new is not None
        self.d, self.texts = d, texts
        self.old, self.new = d.old, d.new

    def text_edits(self, clause: Clause, segments: Sequence[Segment],
                   topic: str) -> list[str] | None:
        """Phrases for the regions of a text diff; None when there are too many to say
        (the item then names the topic)."""
        old, new = P.sides(segments)
        found = _technical(segments)
        if not found:
            return []
        changed = sum(len(e.gone) + len(e.came) for e in found)
        if len(found) > 3 or changed * 5 > (len(old) + len(new)) * 3:
            return None  # rewritten rather than changed: the item names the topic
        out: list[str] = []
        for i, e in enumerate(found):
            lo = found[i - 1].b1 if i else 0
            hi = found[i + 1].b0 if i + 1 < len(found) else len(new)
            phrase = self.edit(clause, old, new, e, lo, hi)
            if phrase and phrase not in out:
                out.append(phrase)
        return out

    def edit(self, clause: Clause, old: str, new: str, e: P.Edit, lo: int, hi: int) -> str:
        show = self.texts.show
        gone = e.gone if editorial_form(e.gone) else ""
        came = e.came if editorial_form(e.came) else ""
        # An obligation: one modal verb for another (宜 → 应).
        if gone and came and P.only_modal(gone) and P.only_modal(came):
            return self.obligation(new, e, gone, came)
        # A number: 不少于1次 → 不少于2次.
        if gone and came and re.search(r"\d", gone + came):
            phrase = self.quantity(clause, old, new, e)
            if phrase:
                return phrase
        if not gone:
            whole = self.whole_segments(new, e.b0, e.b1)
            if whole:
                return self.whole_phrase("增加了", new, whole, clause)
            span = P.segment_at(new, e.b0)
            segment = new[span[0]:span[1]]
            # A new figure or a large part of a short provision: say the provision.
            if P.has_modal(segment) and (re.search(r"\d", came) or (
                    len(came) * 5 >= len(segment) * 2 and len(segment) <= 24)):
                said_one = self.said(new, span)
                return "增加了" + said_one + _suffix(clause, said_one)
        if not came:
            whole = self.whole_segments(old, e.a0, e.a1)
            if whole:
                return self.whole_phrase("删除了", old, whole, clause)
            if gone.lstrip().startswith((*P.JOINTS, "且", "同时")) and P.plain(gone):
                span = P.segment_at(old, e.a0)
                who = P.subject(old[span[0]:span[1]])
                said_one = who + show(P.plain(gone))
                return "删除了" + said_one + _suffix(clause, said_one)
        was, now = P.quote_pair(old, new, e, lo, hi)
        if min(len(editorial_form(was)), len(editorial_form(now))) < 2 \
                or P.flips_negation(gone, came):
            # 应 → 不应, or a word too short to quote alone: the whole provision, both ways.
            whole_old = P.after_subject(old[slice(*P.segment_at(old, e.a0))])
            whole_new = P.after_subject(new[slice(*P.segment_at(new, e.b0))])
            if max(len(whole_old), len(whole_new)) <= P.QUOTE_LONGEST:
                was, now = whole_old, whole_new
        return f"将“{show(was)}”更改为“{show(now)}”"

    def whole_phrase(self, verb: str, text: str, whole: list[tuple[int, int]],
                     clause: Clause) -> str:
        """增加了/删除了 whole segments: a provision said plainly (…的要求); several segments,
        or one that is not a provision (除……以外), quoted as written."""
        segment = text[whole[0][0]:whole[-1][1]]
        # A provision (its modal verb, a figure, a statement's clause, a 并… continuing it),
        # not a fragment of one (除……以外).
        provision = P.has_modal(segment) or re.search(r"\d", segment) or \
            segment.lstrip().startswith(("并", "且", "同时", "还")) or \
            (clause.kind == "statement" and not segment.lstrip().startswith(("除", "但")))
        if len(whole) == 1 and provision:
            said = self.said(text, whole[0])
            return verb + said + _suffix(clause, said)
        if len(segment) <= P.QUOTE_LONGEST:
            return f"{verb}“{self.texts.show(segment)}”"
        said = self.said(text, whole[0])
        return verb + said + _suffix(clause, said)

    def whole_segments(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        return [(s, t) for s, t in P.spans(text) if start <= s and t <= end
                and any(ch not in P.DELIMITERS for ch in text[s:t])]

    def said(self, text: str, span: tuple[int, int]) -> str:
        """A segment as a statement: without the modal verb, with the provision's subject
        when the segment starts without one (…，不应承担…事务 → 楼长不承担…事务)."""
        segment = text[span[0]:span[1]]
        said = P.plain(self.texts.show(segment))
        who = P.subject(text)
        starts_bare = not P.subject(segment) and (
            P.has_modal(segment) or segment.lstrip().startswith(("并", "且", "同时", "还")))
        if who and starts_bare and not said.startswith(who):
            said = who + said
        return said

    def obligation(self, new: str, e: P.Edit, gone: str, came: str) -> str:
        def kind(word: str) -> str:
            hit = P.modal_kinds(word)
            return _OBLIGATION_ZH.get(hit[0] if hit else "", "陈述")

        what = self.said(new, P.segment_at(new, e.b0))
        # "将楼长将…由推荐改为要求" stumbles: a provision that itself says 将 leads the item.
        lead = "" if "将" in what or "把" in what else "将"
        return f"{lead}{what}由{kind(gone)}改为{kind(came)}"

    def quantity(self, clause: Clause, old: str, new: str, e: P.Edit) -> str | None:
        """将…的次数由不少于1次改为不少于2次; or, for a figure inside a provision (在24 h内
        处理), the provision quoted either way."""
        q_new = P.quantity_around(new, e.b0, e.b1)
        q_old = P.quantity_around(old, e.a0, e.a1)
        if q_new is None or q_old is None or q_new.text == q_old.text:
            return None
        start, end = P.segment_at(new, q_new.start)
        o_start, o_end = P.segment_at(old, q_old.start)
        before, after = P.named_before(P.plain(self.texts.show(new[start:q_new.start]))), \
            P.plain(self.texts.show(new[q_new.end:end]))
        if not P.counts_a_noun(after) or not before or before.endswith(P.PREPOSITIONS):
            # The provision after its modal verb, quoted: 将“在24 h内处理”更改为“在12 h内处理”.
            was, now = P.after_modal(old[o_start:o_end]), P.after_modal(new[start:end])
            if max(len(was), len(now)) > P.QUOTE_LONGEST:
                return None
            return f"将“{self.texts.show(was)}”更改为“{self.texts.show(now)}”"
        for thing in clause.metadata.applies_to:
            if thing not in new[start:end] and not after:
                before += thing
                break
        word = P.measure(before, q_new.unit, after)
        what = f"{before}的{word}" if word else before
        return f"将{what}由{q_old.text}改为{q_new.text}"


def _table_phrase(rows: FieldChange, cells: Sequence[tuple[str, str]], clause: Clause) -> str:
    t = rows.table
    assert t is not None
    name = f"“{clause.title}”" if clause.title else "表"
    added = []
    removed = []
    if t.columns_added:
        added.append("".join(f"“{c}”" for c in t.columns_added) + "栏")
    if len(t.rows_added) > 3:
        added.append(f"“{row_name(t.rows_added[0])}”等{len(t.rows_added)}行")
    elif t.rows_added:
        added.append("".join(f"“{row_name(r)}”" for r in t.rows_added) + "行")
    if t.columns_removed:
        removed.append("".join(f"“{c}”" for c in t.columns_removed) + "栏")
    if len(t.rows_removed) > 3:
        removed.append(f"“{row_name(t.rows_removed[0])}”等{len(t.rows_removed)}行")
    elif t.rows_removed:
        removed.append("".join(f"“{row_name(r)}”" for r in t.rows_removed) + "行")
    parts = [verb + "和".join(what) for verb, what in (("增加了", added), ("删除了", removed))
             if what]
    # A cell or two said as they read; more, as "the content".
    if cells and len(cells) <= 2 and all(max(len(a), len(b)) <= 20 for a, b in cells):
        quoted = "，".join(f"将“{a}”更改为“{b}”" for a, b in cells)
        return (f"在{name}中" + "，".join(parts) + "，" + quoted) if parts \
            else f"将{name}中的" + quoted.removeprefix("将")
    if cells and not parts:
        return f"更改了{name}的内容"
    if not parts:
        return ""
    return f"在{name}中" + "，".join(parts) + ("，并更改了其他内容" if cells else "")


# -- analysis of one change -------------------------------------------------------------------


@dataclass(frozen=True)
class _Analysis:
    status: str
    phrase: str = ""
    phrases: tuple[str, ...] = ()
    reason: str = ""
    cause_rename: bool = False
    numbers: frozenset[tuple[str, str]] = frozenset()  # (old, new) numbers a text change swaps
    added_refs: frozenset[str] = frozenset()  # ids the change's new content refers to
    inserted: tuple[str, ...] = ()  # what its text edits insert and delete (editorial form)
    deleted: tuple[str, ...] = ()
    text_only: bool = False  # only its texts changed (no table, title, term, annex type)
    content: str = ""  # an added subtree's text (editorial form)


def _cells_changed(rows: FieldChange, old: Clause, new: Clause, refs: tuple[_Refs, _Refs],
                   texts: _Texts) -> list[tuple[str, str]]:
    """Cells of rows and columns on both sides that differ other than by a renamed term,
    a renumbered reference, or punctuation: (old, new) for each."""
    t = rows.table
    assert t is not None
    changed: list[tuple[str, str]] = []
    for io, jn in t.rows:
        if io is None or jn is None:
            continue
        for co, cn in t.columns:
            if co is None or cn is None:
                continue
            a = old.rows[io][co] if io < len(old.rows) and co < len(old.rows[io]) else ""
            b = new.rows[jn][cn] if jn < len(new.rows) and cn < len(new.rows[jn]) else ""
            a_ref, b_ref = refs[0].literal(texts.renamed(a)), refs[1].literal(b)
            if editorial_form(a_ref) != editorial_form(b_ref):
                changed.append((a, b))
    return changed


def _ids_in(text: str, refs: _Refs) -> set[str]:
    """The ids a text (printed references, or ⟦markers⟧) refers to, in new-edition ids."""
    found = set()
    marked = refs.literal(text) if "⟦" not in text else text
    for m in REF_MARKER.finditer(marked):
        found.add(m.group(1).removeprefix("new:"))
    return found


def _analyse(unit: _Unit, d: EditionDiff, texts: _Texts, phrasing: _Phrasing,
             refs: tuple[_Refs, _Refs]) -> _Analysis:
    old, new = d.old, d.new
    assert old is not None and new is not None
    if unit.change == ADDED:
        clause = new[unit.new_id or ""]
        cited = set()
        for c in clause.walk():
            cited |= _ids_in(c.ref_text or c.text, refs[1])
            for row in c.rows:
                for cell in row:
                    cited |= _ids_in(cell, refs[1])
        content = editorial_form("".join(REF_MARKER.sub("", c.ref_text or c.text)
                                         for c in clause.walk()))
        phrase = _whole(new, clause, "增加了")
        return _Analysis(LISTED, phrase, (phrase,), added_refs=frozenset(cited),
                         content=content)
    if unit.change == REMOVED:
        clause = old[unit.old_id or ""]
        phrase = _whole(old, clause, "删除了")
        return _Analysis(LISTED, phrase, (phrase,))

    technical = [r for r in unit.records if r.category == TECHNICAL]
    if not technical:
        editorial = [r for r in unit.records if r.category == EDITORIAL]
        where = new if unit.new_id else old
        fallback = f"更改了{topic_name(where, where[unit.key])}"
        return _Analysis(EDITORIAL_ONLY, fallback, (fallback,),
                         reason="编辑性修改（标点、空格或全角半角）" if editorial else "")
    head = new[unit.new_id] if unit.new_id else old[unit.old_id or ""]
    edition = new if unit.new_id else old
    topic = topic_name(edition, head)
    phrases: list[str] = []
    renamed_any = False
    residual_any = False
    fillers: list[str] = []
    numbers: set[tuple[str, str]] = set()
    added_refs: set[str] = set()
    generic = False
    inserted: list[str] = []
    deleted: list[str] = []
    text_only = True
    for r in technical:
        clause = (new[r.new.id] if r.new else old[r.old.id]) if (r.new or r.old) else head
        if r.change == ADDED:
            residual_any = True
            text_only = False
            phrases.append(f"在{topic}中增加了“{P.plain(clause.text)}”"
                           if clause.element_type == model.LIST_ITEM
                           else _whole(new, clause, "增加了"))
            added_refs |= _ids_in(clause.ref_text or clause.text, refs[1])
            continue
        if r.change == REMOVED:
            residual_any = True
            text_only = False
            phrases.append(f"在{topic}中删除了“{P.plain(clause.text)}”"
                           if clause.element_type == model.LIST_ITEM
                           else _whole(old, clause, "删除了"))
            continue
        for f in r.fields:
            if f.nature != N_TECHNICAL:
                continue
            if f.field == "term.term":
                residual_any = True
                text_only = False
                phrases.insert(0, f"将术语“{f.old}”更改为“{f.new}”")
            elif f.field in ("text", "notes", "examples", "title") or f.field.startswith("term."):
                segments = f.ref_diff or f.diff
                if f.field in ("notes", "examples") or f.field.startswith("term."):
                    segments = list(char_diff(texts.renamed("\n".join(f.old) if isinstance(
                        f.old, list) else f.old or ""), "\n".join(f.new) if isinstance(
                        f.new, list) else f.new or ""))
                    rest, renamed = segments, False
                    if not _technical(rest):
                        renamed_any = True
                        continue
                else:
                    rest, renamed = _residual(segments, texts)
                renamed_any |= renamed
                if not rest or not _technical(rest):
                    continue
                filler = _filler_only(rest)
                if filler:
                    fillers.extend(filler)
                    continue
                residual_any = True
                o_text, n_text = P.sides(rest)
                if f.field != "text":
                    text_only = False
                for e in _technical(rest):
                    inserted.append(editorial_form(REF_MARKER.sub("", e.came)))
                    deleted.append(editorial_form(REF_MARKER.sub("", e.gone)))
                    a, b = e.deleted(o_text), e.inserted(n_text)
                    na, nb = re.findall(r"\d+(?:\.\d+)?", a), re.findall(r"\d+(?:\.\d+)?", b)
                    numbers |= set(zip(na, nb, strict=False))
                    added_refs |= _ids_in(b, refs[1])
                if f.field == "title":
                    phrases.append(f"将“{texts.show(texts.renamed(f.old))}”更改为“{f.new}”")
                elif f.field in ("notes", "examples"):
                    word = "注" if f.field == "notes" else "示例"
                    phrases.append(f"更改了{topic}的{word}")
                elif f.field.startswith("term."):
                    phrases.append("更改了其定义" if head.term else f"更改了{topic}")
                elif head.term is not None:
                    phrases.append(f"更改了术语“{head.term.term}”的定义"
                                   if not any(p.startswith("将术语") for p in phrases)
                                   else "并更改了其定义")
                else:
                    said = phrasing.text_edits(clause, rest, topic)
                    # A chapter's own text (范围, 引言) is said as a whole: 更改了范围.
                    if said is None or clause.element_type in (model.CHAPTER,
                                                               model.INTRODUCTION):
                        generic = True
                    elif clause.element_type == model.LIST_ITEM and said:
                        phrases.extend(p if p.startswith("将") else f"在{topic}中{p}"
                                       for p in said)
                    else:
                        phrases.extend(said)
            elif f.field == "rows" and f.table is not None:
                cells = _cells_changed(f, old[r.old.id], new[r.new.id], refs, texts) \
                    if r.old and r.new else []
                t = f.table
                if not (t.columns_added or t.columns_removed or t.rows_added
                        or t.rows_removed or cells):
                    renamed_any = True
                    continue
                residual_any = True
                text_only = False
                phrases.append(_table_phrase(f, cells, clause))
                for row in t.rows_added:
                    for cell in row:
                        added_refs |= _ids_in(cell, refs[1])
                for cell in t.columns_added:
                    added_refs |= _ids_in(cell, refs[1])
            elif f.field == "annex_obligation":
                residual_any = True
                text_only = False
                zh = {"normative": "规范性", "informative": "资料性"}
                phrases.append(f"将{topic}由{zh.get(f.old, f.old)}附录更改为"
                               f"{zh.get(f.new, f.new)}附录")
    if not residual_any:
        fallback = f"更改了{topic}"  # should the editor list it after all
        if renamed_any:
            return _Analysis(CONSEQUENCE, fallback, (fallback,), cause_rename=True)
        if fillers:
            words = "、".join(f"“{w}”" for w in dict.fromkeys(fillers))
            return _Analysis(EDITORIAL_ONLY, fallback, (fallback,),
                             reason=f"措辞修改（增删{words}），不改变技术内容")
        return _Analysis(METADATA, fallback, (fallback,), reason=_metadata_reason(technical))
    if generic or not phrases or len(phrases) > 3:
        phrases = [f"更改了{topic}"]  # more than a few changes: the item names the provision
    return _Analysis(LISTED, _combine(phrases), tuple(phrases), numbers=frozenset(numbers),
                     added_refs=frozenset(added_refs), inserted=tuple(inserted),
                     deleted=tuple(deleted), text_only=text_only)


def _metadata_reason(records: Sequence[ChangeRecord]) -> str:
    from .wording import METADATA_ZH, metadata_value_zh

    parts = []
    for r in records:
        for f in r.fields:
            if f.field.startswith("metadata."):
                name = f.field.split(".", 1)[1]
                parts.append(f"{METADATA_ZH.get(name, name)}由“{metadata_value_zh(name, f.old)}”"
                             f"改为“{metadata_value_zh(name, f.new)}”")
    return "条文未变，仅元数据变化：" + "；".join(parts) if parts else "条文未变"


_SHAPE = re.compile(r"^(增加了|删除了)(.+?)(的要求|的规定)$")


def _combine(phrases: Sequence[str]) -> str:
    """Phrases joined with "，"; those of one shape share it, at the first one's place:
    增加了A的要求，将…，增加了B的要求 → 增加了A和B的要求，将…."""
    out: list[list[str]] = []  # [verb, suffix, *bodies] or [phrase]
    for phrase in phrases:
        m = _SHAPE.match(phrase)
        if m is None:
            out.append([phrase])
            continue
        same = next((part for part in out
                     if len(part) > 1 and part[:2] == [m.group(1), m.group(3)]), None)
        if same is not None:
            same.append(m.group(2))
        else:
            out.append([m.group(1), m.group(3), m.group(2)])
    texts = []
    for part in out:
        if len(part) == 1:
            texts.append(part[0])
            continue
        verb, suffix, *bodies = part
        joined = bodies[0] if len(bodies) == 1 else "、".join(bodies[:-1]) + "和" + bodies[-1]
        texts.append(verb + joined + suffix)
    return "，".join(texts)


# -- the list ---------------------------------------------------------------------------------


def _in_annex(edition: Edition, clause_id: str) -> Clause | None:
    clause: Clause | None = edition[clause_id]
    while clause is not None:
        if clause.element_type == model.ANNEX:
            return clause
        clause = edition.parent(clause.id)
    return None


def _subtree(edition: Edition, clause_id: str | None) -> set[str]:
    if clause_id is None or clause_id not in edition:
        return set()
    return {c.id for c in edition[clause_id].walk()}


def _follows(changes: list[Change], analyses: Mapping[str, _Analysis], d: EditionDiff,
             refs: tuple[_Refs, _Refs]) -> dict[str, str]:
    """Annex changes that follow a provision's change: key → the cause's key.

    An annex change follows a listed change outside the annexes when the content it adds
    refers to that provision (or to anything below it), or when it swaps the same number
    (1 → 2) in an annex that refers to the provision. Other changes of the same annex that
    add a column or row of the same name follow the same cause."""
    new = d.new
    assert new is not None
    causes = [c for c in changes if c.status == LISTED and c.new_id
              and _in_annex(new, c.new_id) is None]
    found: dict[str, str] = {}
    annexed = [c for c in changes if c.status == LISTED and c.new_id
               and _in_annex(new, c.new_id) is not None]
    for c in annexed:
        a = analyses[c.key]
        annex = _in_annex(new, c.new_id or "")
        assert annex is not None
        annex_refs = set()
        for element in annex.walk():
            annex_refs |= _ids_in(element.ref_text or element.text, refs[1])
            for row in element.rows:
                for cell in row:
                    annex_refs |= _ids_in(cell, refs[1])
        for cause in causes:
            below = _subtree(new, cause.new_id)
            if a.added_refs & below:
                found[c.key] = cause.key
                break
            numbers = analyses[cause.key].numbers
            if a.numbers and a.numbers & numbers and annex_refs & below:
                found[c.key] = cause.key
                break
    # A provision changed to say what an added one says (报告 → 通过网格化服务管理平台上报,
    # as 8.6.1 now requires): cited with the addition.
    additions = [c for c in causes if c.change == ADDED]
    for c in changes:
        a = analyses[c.key]
        if c.status != LISTED or c.change != CHANGED or c in annexed or not a.text_only \
                or not a.inserted or c.key in found:
            continue
        if min(len(x) for x in a.inserted) < 6 or max(len(x) for x in a.deleted) > 4:
            continue
        for cause in additions:
            if all(x in analyses[cause.key].content for x in a.inserted):
                found[c.key] = cause.key
                break
    # Siblings in one annex that add the same heading (表A.1's column, 表A.2's row).
    for c in annexed:
        if c.key in found:
            continue
        annex = _in_annex(new, c.new_id or "")
        names = _added_names(c)
        for other, cause in list(found.items()):
            o = next(x for x in changes if x.key == other)
            if names and _in_annex(new, o.new_id or "") == annex and names & _added_names(o):
                found[c.key] = cause
                break
    return found


def _added_names(change: Change) -> set[str]:
    names = set()
    for r in change.records:
        f = r.field("rows")
        if f is not None and f.table is not None:
            names |= {editorial_form(x) for x in f.table.columns_added}
            names |= {editorial_form(row_name(row)) for row in f.table.rows_added}
    return names


def _topic(change: Change, d: EditionDiff) -> str:
    old, new = d.old, d.new
    assert old is not None and new is not None
    edition, cid = (new, change.new_id) if change.new_id else (old, change.old_id)
    assert cid is not None
    clause = edition[cid]
    parent = edition.parent(cid)
    if clause.term is not None and change.change in (ADDED, REMOVED):
        return f"terms{'+' if change.change == ADDED else '-'}:{parent.id if parent else ''}"
    if clause.title and clause.element_type != model.LIST_ITEM:
        return f"own:{change.key}"
    heading = _titled_ancestor(edition, clause)
    if heading is None:
        return f"own:{change.key}"
    if edition is old:
        back = {o: n for o, n in d.alignment if o and n}
        return f"under:{back.get(heading.id, 'old:' + heading.id)}"
    return f"under:{heading.id}"


def _refs_text(changes: Sequence[Change], d: EditionDiff) -> str:
    old, new = d.old, d.new
    assert old is not None and new is not None
    year = old_year(d.old_info)
    label = f"{year}年版" if year else d.old_info.number
    new_refs: list[str] = []
    old_refs: list[str] = []
    for c in changes:
        if c.new_id and c.new_id in new:
            new_refs.append(new.reference_text(c.new_id))
        if c.old_id and c.old_id in old:
            old_refs.append(old.reference_text(c.old_id))
    return _where(new_refs, old_refs, label)


def _join_refs(refs: Sequence[str]) -> str:
    """5.1、5.3; three or more siblings in a row read as a range: 3.8～3.10."""
    seen: list[str] = []
    for ref in refs:
        if ref not in seen:
            seen.append(ref)
    out: list[str] = []
    run: list[tuple[str, int]] = []

    def flush() -> None:
        if len(run) >= 3:
            out.append(f"{run[0][0]}{run[0][1]}～{run[-1][0]}{run[-1][1]}")
        else:
            out.extend(f"{p}{n}" for p, n in run)
        run.clear()

    for ref in seen:
        m = re.fullmatch(r"(.*\.)(\d+)", ref)
        if m and run and run[-1][0] == m.group(1) and run[-1][1] + 1 == int(m.group(2)):
            run.append((m.group(1), int(m.group(2))))
            continue
        flush()
        if m:
            run.append((m.group(1), int(m.group(2))))
        else:
            out.append(ref)
    flush()
    return "、".join(out)


def _where(new_refs: Sequence[str], old_refs: Sequence[str], old_label: str) -> str:
    parts = []
    if new_refs:
        parts.append(_join_refs(new_refs))
    if old_refs:
        parts.append(f"{old_label}的{_join_refs(old_refs)}")
    return "（见" + "，".join(parts) + "）" if parts else ""


def _terms_phrase(changes: Sequence[Change], d: EditionDiff, added: bool) -> str:
    edition = d.new if added else d.old
    assert edition is not None
    names = []
    for c in changes:
        clause = edition[(c.new_id if added else c.old_id) or ""]
        if clause.term is not None:
            names.append(f"“{clause.term.term}”")
    return ("增加了" if added else "删除了") + "术语" + "".join(names)


def change_list(d: EditionDiff, overrides: ChangesFile | None = None) -> ChangeList:
    """The 前言's list (see the module docstring). ``overrides``: an editor's
    :class:`tooling.diff.overrides.ChangesFile`, applied after the model's own choices."""
    old, new = d.old, d.new
    assert old is not None and new is not None
    to_common = {o: n for o, n in d.alignment if o is not None and n is not None}
    refs = (_Refs(old, to_common, "old:"), _Refs(new, {n: n for n in to_common.values()}, "new:"))
    units = _units(d)
    renames: list[tuple[str, str, str]] = []
    for unit in units:
        for r in unit.records:
            f = r.field("term.term")
            if f is not None and f.nature == N_TECHNICAL and f.old and f.new:
                renames.append((f.old, f.new, unit.key))
    texts = _Texts(d, [(a, b) for a, b, _ in renames])
    phrasing = _Phrasing(d, texts)
    analyses: dict[str, _Analysis] = {}
    changes: list[Change] = []
    for unit in units:
        a = _analyse(unit, d, texts, phrasing, refs)
        analyses[unit.key] = a
        cause, reason = None, a.reason
        if a.cause_rename:
            # The rename whose old name the change's old texts hold.
            said = json.dumps([[f.old for f in r.fields] for r in unit.records],
                              ensure_ascii=False)
            hit = next(((o, n, k) for o, n, k in renames if o in said), None)
            if hit is not None:
                cause = hit[2]
                reason = f"术语“{hit[0]}”更名为“{hit[1]}”"
        changes.append(Change(unit.key, unit.change, unit.old_id, unit.new_id,
                              tuple(unit.records), a.status, a.phrase, a.phrases, cause,
                              reason))
    follows = _follows(changes, analyses, d, refs)
    for i, c in enumerate(changes):
        if c.key in follows:
            cause_change = next(x for x in changes if x.key == follows[c.key])
            where = new.reference_text(cause_change.new_id or "") if cause_change.new_id else ""
            reason = (f"与新增的{where}相应" if cause_change.change == ADDED
                      else f"随{where}的更改而更改")
            changes[i] = replace(c, status=CITED, cause=follows[c.key], reason=reason)
    changes = [replace(c, topic=_topic(c, d)) for c in changes]
    problems: list[Diagnostic] = []
    texts_by_key: dict[str, tuple[str, str | None]] = {}
    if overrides is not None:
        changes, problems, texts_by_key = overrides.apply(changes)
    items = _items(changes, d, texts_by_key)
    if overrides is not None:
        problems.extend(overrides.check(items, changes))
    notes = {o.key: o.note for o in overrides.overrides if o.note} if overrides else {}
    return ChangeList(tuple(items), tuple(changes), tuple(problems), notes)


def _items(changes: Sequence[Change], d: EditionDiff,
           texts_by_key: Mapping[str, tuple[str, str | None]]) -> list[Item]:
    listed = [c for c in changes if c.status == LISTED]
    by_topic: dict[str, list[Change]] = {}
    for c in listed:
        by_topic.setdefault(c.topic, []).append(c)
    groups: list[list[Change]] = []
    for topic, members in by_topic.items():
        if topic.startswith("terms") or len(members) <= MAX_PER_ITEM:
            groups.append(members)
        else:
            groups.extend([m] for m in members)
    position = {c.key: i for i, c in enumerate(changes)}
    groups.sort(key=lambda g: position[g[0].key])
    in_group = {c.key: k for k, g in enumerate(groups) for c in g}
    cited: dict[int, list[Change]] = {}
    for c in changes:
        if c.status != CITED or c.cause is None:
            continue
        target = c.cause
        seen = set()
        while target not in in_group and target not in seen:
            seen.add(target)
            cause = next((x for x in changes if x.key == target), None)
            if cause is None or cause.cause is None:
                break
            target = cause.cause
        if target in in_group:
            cited.setdefault(in_group[target], []).append(c)
    items = []
    for k, group in enumerate(groups):
        if group[0].topic.startswith("terms"):
            generated = _terms_phrase(group, d, group[0].change == ADDED)
        else:
            generated = _combine([p for c in group for p in (c.phrases or (c.phrase,))])
        everything = sorted(group + cited.get(k, []), key=lambda c: position[c.key])
        text = generated
        for c in group + cited.get(k, []):
            if c.key in texts_by_key:
                text = texts_by_key[c.key][0]
                break
        items.append(Item(group[0].key, text, _refs_text(everything, d),
                          tuple(c.key for c in everything), generated))
    return items


def foreword_items(d: EditionDiff, overrides: ChangesFile | None = None) -> list[str]:
    """The 前言's list of main technical changes, in GB/T 1.1—2020 phrasing, each with its
    reference and without final punctuation (``model.foreword.list_items`` adds "；" and
    "。"). See :func:`change_list`."""
    return change_list(d, overrides).texts()



def lead_sentence(d: EditionDiff, has_items: bool = True) -> str:
    """本文件代替……，与……相比，除结构调整和编辑性改动外，主要技术变化如下：— naming the old
    edition when the new one's standard.yaml does not say what it replaces."""
    from ..model import Replaced
    from ..model.foreword import replaces_sentence

    info = d.new_info
    # An edition that says what it follows (replaces, or is based on) keeps its own words.
    if not info.replaces and getattr(info, "based_on", None) is None:
        info = replace(info, replaces=(Replaced(d.old_info.number, d.old_info.title_zh),))
    return replaces_sentence(info, has_items)


def foreword_text(d: EditionDiff, changes: ChangeList) -> str:
    """The 前言 paragraph with its lettered list, as ``foreword.txt`` holds it."""
    from ..model.foreword import list_items

    texts = changes.texts()
    lines = [lead_sentence(d, bool(texts))]
    lines.extend(f"{letter(i)} {t}" for i, t in enumerate(list_items(texts)))
    return "\n".join(lines) + "\n"
