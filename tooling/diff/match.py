"""Clause-level revision diff: what changed from one edition of a standard to the next.

``diff_editions(old, new)`` compares two :class:`~tooling.model.Edition` models (from a build or
from clause-index JSON) and returns an :class:`EditionDiff`: one :class:`ChangeRecord` per
added element, per removed element and per matched pair that differs, plus the count of
matched pairs that are identical. Every element of both editions is in exactly one record or
in that count. The reports (terminal summary, JSON, HTML and Typst redline, 条款对照表, the
前言 change list) are in :mod:`tooling.diff.reports`.

Matching
    First by id. Elements left over on both sides are then paired by character-level
    similarity (:func:`similarity`: difflib ratio over the text with references, whitespace
    and punctuation taken out, so it works for Chinese without word segmentation), best score
    first, only within one family of element types (text clauses and list items; headings;
    terms; tables; figures) and only at or above ``threshold``. The score is reported.

Aspects of a matched pair (a pair may have several; see :data:`ASPECTS`)
    ``id_changed`` (a similarity match), ``renumbered`` (number differs), ``moved`` (its
    parent is not the counterpart of its old parent), ``type_changed`` (element type),
    ``references_renumbered`` (text differs only in the numbers printed for cross-references:
    same targets, renumbered), ``editorial`` (differs only in punctuation, whitespace or
    full-width/half-width forms: equal after NFKC and after dropping whitespace and punctuation
    not between digits), ``text_modified`` (text, notes or examples changed otherwise),
    ``title_changed``, ``term_renamed`` (term.term), ``term_changed`` (en, source, synonyms),
    ``metadata_changed`` (field by field), ``strengthened`` / ``weakened`` (obligation, see
    :func:`obligation_change`), ``table_changed`` (rows and columns) and
    ``annex_obligation_changed`` (规范性/资料性).

Category of a record
    ``technical`` (added, removed, or any aspect of :data:`TECHNICAL`), else ``editorial``
    (an ``editorial`` aspect), else ``structural`` (renumbering, moves, references that follow
    a renumbering). Changes to the 前言 element are ``front_matter``: the toolkit generates it.
    GB/T 1.1—2020's 前言 lists technical changes only ("除结构调整和编辑性改动外").

Order of records
    New-edition document order; a removed element comes right after the new counterpart of
    the element that preceded it in the old edition (removed elements with no matched
    predecessor come first), several in old document order.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher

from .. import model
from ..model import Clause, Edition
from .records import (
    _FAMILIES,
    ADDED,
    ASPECTS,
    CHANGED,
    EDITORIAL,
    FRONT_MATTER,
    LEVEL,
    METADATA_FIELDS,
    N_EDITORIAL,
    N_REFERENCES,
    N_STRUCTURAL,
    N_TECHNICAL,
    REF_MARKER,
    REMOVED,
    STRUCTURAL,
    TECHNICAL,
    TECHNICAL_ASPECTS,
    TERM_FIELDS,
    ChangeRecord,
    EditionDiff,
    FieldChange,
    Obligation,
    Segment,
    Side,
    TableDiff,
)
from .wording import (
    _finish,
)

# -- text normalisation --------------------------------------------------------------------

# Cross-references as GB/T prints them: 第6章, 附录A, 表1, 表A.1, 图2, 5.2, A.1.2, 5.2 a) 1).
_REF = re.compile(
    r"第(?P<ch>\d+)章"
    r"|附录(?P<ax>[A-Z]{1,2})(?![A-Za-z0-9])"
    r"|(?P<cap>[表图])(?P<capnum>(?:[A-Z]{1,2}\.)?\d+)(?![\d.]*\d)"
    r"|(?<![0-9A-Za-z.])(?P<num>(?:\d+|[A-Z]{1,2})(?:\.\d+)+)"
    r"(?P<li>(?: [a-z]\))?(?: \d+\))?)(?![0-9])"
)
# Punctuation that an editorial change may add, drop or swap (kept between two digits, where
# it is part of a number, time or range: 1.5, 8:00—12:00, 6.2～6.6).
_PUNCT = set(
    "，。、；：？！,.;:?!“”‘’\"'「」『』（）()《》〈〉【】[]{}…—–-‐‑·・～~/\\"
)


def _refmap(edition: Edition) -> dict[str, str]:
    """Printed reference → id of the element it names."""
    out: dict[str, str] = {}
    for clause in edition.walk():
        if clause.number is not None:
            out.setdefault(model.reference_form(clause.element_type, clause.number), clause.id)
    return out


class _Refs:
    """Replaces the references in a text by the (new-edition) identity of their target."""

    def __init__(self, edition: Edition, to_common: dict[str, str], prefix: str) -> None:
        self.edition = edition
        self.refmap = _refmap(edition)
        self.to_common = to_common
        self.prefix = prefix

    def token(self, clause_id: str) -> str:
        common = self.to_common.get(clause_id)
        return f"⟦{common}⟧" if common else f"⟦{self.prefix}{clause_id}⟧"

    def literal(self, text: str) -> str:
        """References typed or rendered as numbers."""
        def sub(m: re.Match[str]) -> str:
            if m.group("ch"):
                key = f"第{m.group('ch')}章"
                return self.token(self.refmap[key]) if key in self.refmap else m.group()
            if m.group("ax"):
                key = f"附录{m.group('ax')}"
                return self.token(self.refmap[key]) if key in self.refmap else m.group()
            if m.group("cap"):
                key = m.group("cap") + m.group("capnum")
                return self.token(self.refmap[key]) if key in self.refmap else m.group()
            num, li = m.group("num"), m.group("li")
            parts = li.split(" ")[1:] if li else []
            for n in range(len(parts), -1, -1):
                key = " ".join([num, *parts[:n]])
                if key in self.refmap:
                    rest = "".join(" " + p for p in parts[n:])
                    return self.token(self.refmap[key]) + rest
            return m.group()

        return _REF.sub(sub, text)

    def marked(self, ref_text: str) -> str:
        """A model ``ref_text``: ⟦id⟧ markers for {clause-ref}s, literal text between them."""
        out = []
        pos = 0
        for m in REF_MARKER.finditer(ref_text):
            out.append(self.literal(ref_text[pos:m.start()]))
            target = m.group(1)
            if target in self.edition:
                printed = self.edition.reference_text(target)
                out.append(self.token(self.refmap.get(printed, target)))
            else:  # a reference to nothing (the build reported it): never equal to a target
                out.append(f"⟦?{target}⟧")
            pos = m.end()
        out.append(self.literal(ref_text[pos:]))
        return "".join(out)

    def text(self, clause: Clause) -> str:
        if clause.ref_text is not None:
            return self.marked(clause.ref_text)
        return self.literal(clause.text)


def editorial_form(text: str) -> str:
    """Text with the differences an editorial change may make taken out: NFKC, no whitespace,
    no punctuation except between two digits."""
    text = "".join(unicodedata.normalize("NFKC", text).split())
    out = []
    for i, ch in enumerate(text):
        if ch in _PUNCT:
            prev, nxt = text[i - 1 : i], text[i + 1 : i + 2]
            if not (prev.isdigit() and nxt.isdigit()):
                continue
        out.append(ch)
    return "".join(out)


def _nature(old: str, new: str, old_refs: str, new_refs: str) -> str | None:
    """How two versions of one text differ: None (equal), references, editorial, technical."""
    if old == new:
        return None
    if old_refs == new_refs:
        return N_REFERENCES
    if editorial_form(old_refs) == editorial_form(new_refs):
        return N_EDITORIAL
    return N_TECHNICAL


def char_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Character-level diff: ("=", same), ("-", deleted), ("+", inserted) segments.

    Joining "=" and "-" gives ``old``; "=" and "+" gives ``new``. A single equal character
    between two changes is folded into them, so the result reads as whole replacements.
    """
    a, b = _units(old), _units(new)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    raw: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            raw.append(("=", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                raw.append(("-", "".join(a[i1:i2])))
            if j2 > j1:
                raw.append(("+", "".join(b[j1:j2])))
    # Fold short equal runs lying between two changes.
    folded: list[Segment] = []
    for i, (op, text) in enumerate(raw):
        between = 0 < i < len(raw) - 1 and raw[i - 1][0] != "=" and raw[i + 1][0] != "="
        if op == "=" and between and len(text) <= 1:
            folded.extend([("-", text), ("+", text)])
        else:
            folded.append((op, text))
    out: list[Segment] = []
    dels: list[str] = []
    ins: list[str] = []

    def flush() -> None:
        if dels:
            out.append(("-", "".join(dels)))
        if ins:
            out.append(("+", "".join(ins)))
        dels.clear()
        ins.clear()

    for op, text in folded:
        if op == "=":
            flush()
            if out and out[-1][0] == "=":
                out[-1] = ("=", out[-1][1] + text)
            else:
                out.append(("=", text))
        elif op == "-":
            dels.append(text)
        else:
            ins.append(text)
    flush()
    return tuple(s for s in out if s[1])


def _units(text: str) -> list[str]:
    """What a diff compares: characters, except that a ⟦reference⟧ marker, a number (with its
    dots: 7.1.2, 1.5) and a run of Latin letters are one unit each, so that 7.1.2 → 8.1.2 reads
    as one replacement."""
    return re.findall(r"⟦[^⟦⟧]*⟧|\d+(?:\.\d+)*|[A-Za-z]+|.", text, flags=re.S)


def _content(clause: Clause) -> str:
    """What a clause says, for similarity: title, text (or table cells), notes, examples."""
    parts = [clause.title]
    if clause.rows:
        parts.extend("\t".join(row) for row in clause.rows)
    else:
        parts.append(clause.text)
    parts.extend(clause.notes)
    parts.extend(clause.examples)
    if clause.term:
        parts.extend([clause.term.term, clause.term.en or ""])
    text = "\n".join(p for p in parts if p)
    return editorial_form(_REF.sub("§", REF_MARKER.sub("§", text)))


def similarity(a: str, b: str) -> float:
    """Character-level similarity in [0, 1], symmetric; 0 when either side is empty."""
    if not a or not b:
        return 0.0
    x, y = sorted((a, b))
    return SequenceMatcher(None, x, y, autojunk=False).ratio()


# -- obligation -----------------------------------------------------------------------------


def _modal_words(text: str) -> list[str]:
    from ..model.modal import find_modals

    return [hit.word for hit in find_modals(text)]


def obligation_change(old: Clause, new: Clause, text_changed: bool) -> Obligation | None:
    """Strengthened or weakened, by metadata.kind when both sides have one and their levels
    differ, else by the modal verbs that left and entered the text (when it changed): all new
    verbs stronger than all dropped ones is a strengthening, all weaker a weakening."""
    from ..model.modal import MODALS

    if old.kind and new.kind and LEVEL.get(old.kind) != LEVEL.get(new.kind):
        lo, ln = LEVEL.get(old.kind, 0), LEVEL.get(new.kind, 0)
        direction = "strengthened" if ln > lo else "weakened"
        return Obligation(direction, "metadata", old.kind, new.kind)
    if not text_changed:
        return None
    old_words, new_words = Counter(_modal_words(old.text)), Counter(_modal_words(new.text))
    gone, came = old_words - new_words, new_words - old_words
    # A clause with a kind and no modal verb is a statement.
    if old.kind and not old_words:
        gone = Counter({"": 1})
    if new.kind and not new_words:
        came = Counter({"": 1})
    if not gone or not came:
        return None

    def level(word: str) -> int:
        return LEVEL[MODALS[word][0]] if word else 0

    gone_levels = [level(w) for w in gone.elements()]
    came_levels = [level(w) for w in came.elements()]
    if min(came_levels) > max(gone_levels):
        direction = "strengthened"
    elif max(came_levels) < min(gone_levels):
        direction = "weakened"
    else:
        return None
    return Obligation(direction, "text", "、".join(sorted(gone.elements())),
                      "、".join(sorted(came.elements())))


# -- tables ---------------------------------------------------------------------------------


def _pairs(old: Sequence[str], new: Sequence[str]) -> list[tuple[int | None, int | None]]:
    """Line two sequences of keys up: equal runs pair, replaced runs pair in order as far as
    they are alike (similarity ≥ 0.5, or the same length), the rest are added or removed."""
    matcher = SequenceMatcher(None, list(old), list(new), autojunk=False)
    out: list[tuple[int | None, int | None]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(zip(range(i1, i2), range(j1, j2), strict=True))
            continue
        same_length = (i2 - i1) == (j2 - j1)
        j = j1
        for i in range(i1, i2):
            k = next((k for k in range(j, j2)
                      if (same_length and k - j1 == i - i1)
                      or similarity(old[i], new[k]) >= 0.5), None)
            if k is None:
                out.append((i, None))
                continue
            out.extend((None, m) for m in range(j, k))
            out.append((i, k))
            j = k + 1
        out.extend((None, m) for m in range(j, j2))
    return out


def table_diff(old: Clause, new: Clause, old_refs: _Refs, new_refs: _Refs) -> TableDiff:
    def header(clause: Clause) -> list[str]:
        return [editorial_form(c) for c in clause.rows[0]] if clause.rows else []

    width_old = max((len(r) for r in old.rows), default=0)
    width_new = max((len(r) for r in new.rows), default=0)
    ho, hn = header(old), header(new)
    ho += [f"\0{i}" for i in range(len(ho), width_old)]
    hn += [f"\0{i}" for i in range(len(hn), width_new)]
    columns = _pairs(ho, hn)

    def cell(row: Sequence[str], i: int | None) -> str:
        return row[i] if i is not None and i < len(row) else ""

    def key(row: Sequence[str], refs: _Refs, side: int) -> str:
        cells = [cell(row, pair[side]) for pair in columns if pair[side] is not None]
        return editorial_form("\t".join(refs.literal(c) for c in cells))

    rows = _pairs([key(r, old_refs, 0) for r in old.rows], [key(r, new_refs, 1) for r in new.rows])
    cells_changed = 0
    for io, jn in rows:
        if io is None or jn is None:
            continue
        for co, cn in columns:
            if co is None or cn is None:
                continue
            a, b = cell(old.rows[io], co), cell(new.rows[jn], cn)
            if _nature(a, b, old_refs.literal(a), new_refs.literal(b)) == N_TECHNICAL:
                cells_changed += 1
    first = old.rows[0] if old.rows else ()
    first_new = new.rows[0] if new.rows else ()
    return TableDiff(
        columns=tuple(columns),
        rows=tuple(rows),
        columns_added=tuple(cell(first_new, n) for o, n in columns if o is None),
        columns_removed=tuple(cell(first, o) for o, n in columns if n is None),
        rows_added=tuple(new.rows[n] for o, n in rows if o is None and n is not None),
        rows_removed=tuple(old.rows[o] for o, n in rows if n is None and o is not None),
        cells_changed=cells_changed,
    )


# -- matching -------------------------------------------------------------------------------


def _match(old: Edition, new: Edition, threshold: float
           ) -> tuple[dict[str, str], dict[str, float]]:
    """old id → new id, and the similarity score of pairs matched by similarity."""
    old_ids = [c.id for c in old.walk()]
    new_ids = [c.id for c in new.walk()]
    matched = {i: i for i in old_ids if i in new}
    left_old = [(k, old[i]) for k, i in enumerate(old_ids) if i not in matched]
    taken = set(matched.values())
    left_new = [(k, new[i]) for k, i in enumerate(new_ids) if i not in taken]
    scores: dict[str, float] = {}
    if not left_old or not left_new:
        return matched, scores
    content_new = [(k, c, _content(c)) for k, c in left_new]
    candidates = []
    for i, a in left_old:
        ca = _content(a)
        if not ca:
            continue
        family = _FAMILIES.get(a.element_type, a.element_type)
        for j, b, cb in content_new:
            if not cb or _FAMILIES.get(b.element_type, b.element_type) != family:
                continue
            x, y = sorted((ca, cb))
            m = SequenceMatcher(None, x, y, autojunk=False)
            if m.real_quick_ratio() < threshold or m.quick_ratio() < threshold:
                continue
            score = m.ratio()
            if score >= threshold:
                # Ties are broken the same way whichever edition is "old" (diff(B, A) mirrors).
                candidates.append((-score, i + j, abs(i - j), tuple(sorted((a.id, b.id))),
                                   a.id, b.id, score))
    candidates.sort()
    used_new: set[str] = set()
    for *_, a_id, b_id, score in candidates:
        if a_id in matched or b_id in used_new:
            continue
        matched[a_id] = b_id
        used_new.add(b_id)
        scores[a_id] = round(score, 4)
    return matched, scores


# -- comparing a matched pair ---------------------------------------------------------------


def _text_field(name: str, old: str, new: str, old_refs: str | None = None,
                new_refs: str | None = None) -> FieldChange | None:
    nature = _nature(old, new, old if old_refs is None else old_refs,
                     new if new_refs is None else new_refs)
    if nature is None:
        return None
    ref_diff = ()
    if nature == N_TECHNICAL and old_refs is not None and new_refs is not None:
        ref_diff = char_diff(old_refs, new_refs)
    return FieldChange(name, old, new, nature, char_diff(old, new), ref_diff=ref_diff)


def _compare(o: Clause, n: Clause, old: Edition, new: Edition, match: dict[str, str],
             old_refs: _Refs, new_refs: _Refs) -> tuple[list[FieldChange], Obligation | None]:
    fields: list[FieldChange] = []
    if o.id != n.id:
        fields.append(FieldChange("id", o.id, n.id, N_STRUCTURAL))
    if o.number != n.number:
        fields.append(FieldChange("number", o.number, n.number, N_STRUCTURAL))
    old_parent, new_parent = old.parent(o.id), new.parent(n.id)
    mapped = match.get(old_parent.id) if old_parent else None
    if mapped != (new_parent.id if new_parent else None):
        fields.append(FieldChange("parent", old_parent.id if old_parent else None,
                                  new_parent.id if new_parent else None, N_STRUCTURAL))
    if o.element_type != n.element_type:
        fields.append(FieldChange("element_type", o.element_type, n.element_type, N_STRUCTURAL))
    if o.annex_obligation != n.annex_obligation:
        fields.append(FieldChange("annex_obligation", o.annex_obligation, n.annex_obligation,
                                  N_TECHNICAL))
    is_term_title = (o.term is not None and n.term is not None
                     and o.title == o.term.term and n.title == n.term.term)
    if not is_term_title:
        title = _text_field("title", o.title, n.title, old_refs.literal(o.title),
                            new_refs.literal(n.title))
        if title:
            fields.append(title)
    tabular = bool(o.rows or n.rows)
    if not tabular:
        text = _text_field("text", o.text, n.text, old_refs.text(o), new_refs.text(n))
        if text:
            fields.append(text)
    for name in ("notes", "examples"):
        a, b = getattr(o, name), getattr(n, name)
        if a != b:
            ja, jb = "\n".join(a), "\n".join(b)
            nature = _nature(ja, jb, old_refs.literal(ja), new_refs.literal(jb))
            # Same joined text, different split: still a change of the notes' structure.
            fields.append(FieldChange(name, list(a), list(b), nature or N_EDITORIAL,
                                      char_diff(ja, jb)))
    if tabular and o.rows != n.rows:
        table = table_diff(o, n, old_refs, new_refs)
        flat_o = "\n".join("\t".join(r) for r in o.rows)
        flat_n = "\n".join("\t".join(r) for r in n.rows)
        if (table.columns_added or table.columns_removed or table.rows_added
                or table.rows_removed or table.cells_changed):
            nature = N_TECHNICAL
        else:
            nature = _nature(flat_o, flat_n, old_refs.literal(flat_o),
                             new_refs.literal(flat_n)) or N_EDITORIAL
        fields.append(FieldChange("rows", [list(r) for r in o.rows], [list(r) for r in n.rows],
                                  nature, table=table))
    mo, mn = o.metadata.to_json(), n.metadata.to_json()
    for name in METADATA_FIELDS:
        if mo.get(name) != mn.get(name):
            fields.append(FieldChange(f"metadata.{name}", mo.get(name), mn.get(name),
                                      N_TECHNICAL))
    to = o.term.to_json() if o.term else {}
    tn = n.term.to_json() if n.term else {}
    for name in TERM_FIELDS:
        a, b = to.get(name), tn.get(name)
        if a == b:
            continue
        if isinstance(a, str) and isinstance(b, str):
            nature = N_EDITORIAL if editorial_form(a) == editorial_form(b) else N_TECHNICAL
            fields.append(FieldChange(f"term.{name}", a, b, nature, char_diff(a, b)))
        else:
            fields.append(FieldChange(f"term.{name}", a, b, N_TECHNICAL))
    text_field = next((f for f in fields if f.field == "text"), None)
    text_changed = text_field is not None and text_field.nature == N_TECHNICAL
    return fields, obligation_change(o, n, text_changed)


def _aspects(fields: Iterable[FieldChange], obligation: Obligation | None) -> tuple[str, ...]:
    found: set[str] = set()
    for f in fields:
        if f.field == "id":
            found.add("id_changed")
        elif f.field == "number":
            found.add("renumbered")
        elif f.field == "parent":
            found.add("moved")
        elif f.field == "element_type":
            found.add("type_changed")
        elif f.field == "annex_obligation":
            found.add("annex_obligation_changed")
        elif f.nature == N_REFERENCES:
            found.add("references_renumbered")
        elif f.nature == N_EDITORIAL:
            found.add("editorial")
        elif f.field in ("text", "notes", "examples"):
            found.add("text_modified")
        elif f.field == "title":
            found.add("title_changed")
        elif f.field == "term.term":
            found.add("term_renamed")
        elif f.field.startswith("term."):
            found.add("term_changed")
        elif f.field.startswith("metadata."):
            found.add("metadata_changed")
        elif f.field == "rows":
            found.add("table_changed")
    if obligation:
        found.add(obligation.direction)
    return tuple(a for a in ASPECTS if a in found)


def _category(change: str, aspects: Iterable[str], element_type: str) -> str:
    aspects = set(aspects)
    if element_type == model.FOREWORD:
        return FRONT_MATTER
    if change != CHANGED or aspects & TECHNICAL_ASPECTS:
        return TECHNICAL
    if "editorial" in aspects:
        return EDITORIAL
    return STRUCTURAL


def _side(edition: Edition, clause: Clause) -> Side:
    parent = edition.parent(clause.id)
    return Side(clause.id, clause.element_type, clause.number,
                edition.reference_text(clause.id), clause.title, clause.text,
                parent.id if parent else None)


# -- the diff -------------------------------------------------------------------------------


def diff_editions(old: Edition, new: Edition, *, threshold: float = 0.6) -> EditionDiff:
    """Compare two editions clause by clause (see the module docstring for the rules)."""
    if not 0 < threshold <= 1:
        raise ValueError(f"相似度阈值应在 0 与 1 之间（threshold={threshold}）")
    match, scores = _match(old, new, threshold)
    back = {v: k for k, v in match.items()}
    old_refs = _Refs(old, match, "old:")
    new_refs = _Refs(new, {i: i for i in back}, "new:")

    old_order = [c.id for c in old.walk()]
    new_order = [c.id for c in new.walk()]
    new_pos = {i: k for k, i in enumerate(new_order)}

    # Merged order: new document order, removed elements after the counterpart of their old
    # predecessor.
    keyed: list[tuple[tuple[int, int, int], str | None, str | None]] = []
    for k, nid in enumerate(new_order):
        keyed.append(((k, 0, 0), back.get(nid), nid))
    anchor = -1
    for k, oid in enumerate(old_order):
        if oid in match:
            anchor = new_pos[match[oid]]
        else:
            keyed.append(((anchor, 1, k), oid, None))
    keyed.sort(key=lambda t: t[0])
    alignment = tuple((o, n) for _, o, n in keyed)

    records: list[ChangeRecord] = []
    unchanged = 0
    for oid, nid in alignment:
        if oid is None:
            assert nid is not None
            clause = new[nid]
            side = _side(new, clause)
            records.append(_finish(ChangeRecord(
                ADDED, None, side, _category(ADDED, (), clause.element_type))))
            continue
        if nid is None:
            clause = old[oid]
            side = _side(old, clause)
            records.append(_finish(ChangeRecord(
                REMOVED, side, None, _category(REMOVED, (), clause.element_type))))
            continue
        o, n = old[oid], new[nid]
        fields, obligation = _compare(o, n, old, new, match, old_refs, new_refs)
        by = "similarity" if oid in scores else "id"
        if not fields:
            unchanged += 1
            continue
        aspects = _aspects(fields, obligation)
        records.append(_finish(ChangeRecord(
            CHANGED, _side(old, o), _side(new, n), _category(CHANGED, aspects, n.element_type),
            aspects, tuple(fields), by, scores.get(oid), obligation,
        ), old, new))
    return EditionDiff(old.info, new.info, tuple(records), unchanged, threshold, alignment,
                       old, new)


def has_changes(diff: EditionDiff, level: str = "technical") -> bool:
    """Exit-status helper for CI: ``level`` "technical" (a change for the 前言 list) or "any"."""
    return diff.has_changes(level)
