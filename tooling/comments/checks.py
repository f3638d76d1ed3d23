"""Comments checked against the next draft: what became of each clause commented on, adopted
comments the next draft did not act on, and technical changes nobody asked for.

:func:`cross_check` takes the comments on one draft, that draft and the next (as
:class:`~tooling.model.Edition`), diffs them with :func:`tooling.diff.match.diff_editions` and
returns a :class:`CrossCheck`:

- :attr:`~CrossCheck.fates`: for every clause commented on, its number in the next draft, or
  ``None`` when the next draft deleted it (the comment keeps its record and its number in the
  draft commented on);
- :attr:`~CrossCheck.warnings`: E220 for a comment marked 采纳 or 部分采纳 on a clause the next
  draft did not change (its text, or anything below it), with the comments file's line;
- :attr:`~CrossCheck.unexplained` and E221 warnings: technical changes (GB/T 1.1—2020's sense,
  as the diff classifies them) that no comment asked for and that the 编制说明 does not
  explain. ``explained`` is the set of clause ids the 编制说明 covers (ids in either draft).

A comment on a clause covers the changes to that clause and to everything below it. Pure: no
Sphinx.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..diff.match import diff_editions
from ..diff.records import (
    ADDED,
    EDITORIAL,
    FRONT_MATTER,
    REMOVED,
    TECHNICAL,
    ChangeRecord,
    EditionDiff,
)
from ..io.diagnostics import Diagnostic, diagnostic
from ..model import Edition
from .numbering import FORM_TYPES, Numbering, from_edition
from .store import ADOPTED, GENERAL, PARTLY, CommentSet


@dataclass(frozen=True)
class Fate:
    """What became of one clause of the draft commented on."""

    old_label: str | None
    new_id: str | None  # None: deleted in the next draft
    new_label: str | None
    changed: bool  # its text (or anything below it) changed, or it was deleted


@dataclass(frozen=True)
class CrossCheck:
    diff: EditionDiff
    fates: dict[str, Fate]
    warnings: tuple[Diagnostic, ...]
    unexplained: tuple[ChangeRecord, ...]


def _descendants(edition: Edition, clause_id: str) -> list[str]:
    clause = edition.get(clause_id)
    return [c.id for c in clause.walk()] if clause else []


def _ancestors(edition: Edition, clause_id: str) -> list[str]:
    out = [clause_id]
    parent = edition.parent(clause_id)
    while parent is not None:
        out.append(parent.id)
        parent = edition.parent(parent.id)
    return out


def cross_check(comments: CommentSet, old: Edition, new: Edition,
                explained: Iterable[str] = frozenset(), *, next_name: str = "下一稿",
                new_root: Path | None = None, threshold: float = 0.6) -> CrossCheck:
    """Check the comments on ``old`` against ``new`` (the next draft); see the module.
    ``new_root`` is the next draft's folder, for the file names in E221 warnings."""
    diff = diff_editions(old, new, threshold=threshold)
    explained = frozenset(explained)
    counterpart: dict[str, str | None] = {}
    for o, n in diff.alignment:
        if o is not None:
            counterpart[o] = n
    touched_new: set[str] = set()
    touched_old: set[str] = set()
    for r in diff.records:
        if r.category not in (TECHNICAL, EDITORIAL):
            continue
        if r.new is not None:
            touched_new.add(r.new.id)
        if r.old is not None and (r.change == REMOVED or r.new is None):
            touched_old.add(r.old.id)
    old_numbers, new_numbers = from_edition(old), from_edition(new)

    def changed(old_id: str) -> bool:
        if any(o in touched_old for o in _descendants(old, old_id)):
            return True
        new_id = counterpart.get(old_id)
        return new_id is not None and any(n in touched_new for n in _descendants(new, new_id))

    fates: dict[str, Fate] = {}
    for clause_id in comments.clause_ids():
        new_id = counterpart.get(clause_id) if clause_id in old else (
            clause_id if clause_id in new else None)
        fates[clause_id] = Fate(
            old_label=old_numbers.label(clause_id),
            new_id=new_id,
            new_label=new_numbers.label(new_id) if new_id else None,
            changed=new_id is None or changed(clause_id) if clause_id in old else False)
    warnings: list[Diagnostic] = []
    path = comments.path or "comments"
    for c in comments.comments:
        if c.clause == GENERAL or c.disposition not in (ADOPTED, PARTLY):
            continue
        fate = fates.get(c.clause)
        if fate is None or fate.changed or c.clause not in old:
            continue
        warnings.append(diagnostic("E220", path, c.line, number=fate.old_label or c.number,
                                   unit=c.unit, disposition=c.disposition, next=next_name))
    commented = {c.clause for c in comments.comments if c.clause != GENERAL}
    unexplained: list[ChangeRecord] = []
    for r in diff.records:
        if r.category != TECHNICAL or r.category == FRONT_MATTER:
            continue
        if _covered(r, old, new, counterpart, commented, explained):
            continue
        unexplained.append(r)
        side = r.new or r.old
        clause = (new.get(r.new.id) if r.new else old.get(r.old.id))  # type: ignore[union-attr]
        where: str | Path = clause.source if clause and clause.source else "(unknown)"
        if new_root is not None and r.new is not None and not Path(where).is_absolute():
            where = new_root / where
        label = (new_numbers.label(r.new.id) if r.new else
                 f"{old_numbers.label(r.old.id)}（已删除）")  # type: ignore[union-attr]
        warnings.append(diagnostic("E221", where, clause.line if clause else None,
                                   number=label or side.reference,  # type: ignore[union-attr]
                                   summary=r.summary or _aspects_zh(r)))
    return CrossCheck(diff, fates, tuple(warnings), tuple(unexplained))


def _covered(r: ChangeRecord, old: Edition, new: Edition, counterpart: dict[str, str | None],
             commented: set[str], explained: frozenset[str]) -> bool:
    """A change is asked for by a comment on the element itself or on the row of the form it
    belongs to (a list item's clause, a table's own row); a comment on a whole chapter does not
    cover every change inside it."""
    ids: set[str] = set()
    if r.old is not None:
        ids.update({r.old.id, _row_of(old, r.old.id)})
    if r.new is not None:
        back = {n: o for o, n in counterpart.items() if n is not None}
        for n in (r.new.id, _row_of(new, r.new.id)):
            ids.add(n)
            if n in back:
                ids.add(back[n])
    return bool(ids & commented) or bool(ids & explained)


def _row_of(edition: Edition, clause_id: str) -> str:
    """The element whose row of the form this one is on: itself, or its nearest ancestor
    that has a row."""
    for cid in _ancestors(edition, clause_id):
        clause = edition.get(cid)
        if clause is not None and clause.element_type in FORM_TYPES:
            return cid
    return clause_id


def _aspects_zh(r: ChangeRecord) -> str:
    if r.change == ADDED:
        return "新增"
    if r.change == REMOVED:
        return "删除"
    return "、".join(r.aspects) or "修改"


def unknown_clauses(comments: CommentSet, draft: Edition, draft_name: str) -> list[Diagnostic]:
    """E219 for comments keyed by an id the draft commented on does not have (typed by hand
    in the comments file, or a form of another draft)."""
    path = comments.path or "comments"
    return [diagnostic("E219", path, c.line, id=c.clause, draft=draft_name,
                       number=c.number or "")
            for c in comments.comments if c.clause != GENERAL and c.clause not in draft]


def numbering_of(edition: Edition) -> Numbering:
    return from_edition(edition)
