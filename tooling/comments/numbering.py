"""The numbering of the draft a form was made on: clause ids and the numbers people type.

A returned form names a clause by its id (the form's hidden column) or only by its number
("6.2.1", "第6章", "表A.1", "附录B", "4.1.2 a)"). Numbers change from draft to draft; so the
form carries, in a hidden sheet, the numbering of the draft it was made on, and
``comments form`` also keeps the draft itself as ``comments/<stage>.draft.json`` (its clause
index): a number resolves against *that* draft, never against a later one. Pure: no Sphinx.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import model as model_constants
from ..model import Edition

# Elements a form lists, one row each (list items, notes, paragraphs belong to their clause's
# row; they still resolve when someone types "4.1.2 a)").
FORM_TYPES = (
    model_constants.FOREWORD, model_constants.INTRODUCTION, model_constants.CHAPTER,
    model_constants.CLAUSE, model_constants.UNTITLED, model_constants.TERM,
    model_constants.ANNEX, model_constants.TABLE, model_constants.FIGURE,
    model_constants.FORMULA, model_constants.BIBLIOGRAPHY,
)
# Whole-draft comments: what people write in the 章条编号 cell for them.
GENERAL_WORDS = ("", "总体", "总体意见", "全文", "通篇", "整体", "全篇", "—", "-", "/", "无")
# Elements whose bare number is their reference (a table's bare "1" would be chapter 1).
_BARE = {model_constants.CHAPTER, model_constants.CLAUSE, model_constants.UNTITLED,
         model_constants.TERM, model_constants.ANNEX}
_UNNUMBERED_NAMES = {model_constants.FOREWORD: "前言", model_constants.INTRODUCTION: "引言",
                     model_constants.BIBLIOGRAPHY: "参考文献"}


@dataclass(frozen=True)
class Entry:
    """One element of the draft: its id, type, number and how a reader cites it."""

    id: str
    element_type: str
    number: str | None
    label: str  # 6.2.1, 第6章, 表A.1, 附录B, 前言
    title: str = ""
    text: str = ""  # a short text for the form


@dataclass(frozen=True)
class Numbering:
    """The numbering of one draft, in document order."""

    entries: tuple[Entry, ...]
    _by_id: dict[str, Entry] = field(default_factory=dict, compare=False, repr=False)
    _by_key: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for e in self.entries:
            self._by_id[e.id] = e
            for key in _keys(e):
                self._by_key.setdefault(key, e.id)

    @property
    def fingerprint(self) -> str:
        """Names this numbering: equal ids and numbers give an equal fingerprint."""
        text = "\n".join(f"{e.id}\t{e.label}" for e in self.entries)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def get(self, clause_id: str) -> Entry | None:
        return self._by_id.get(clause_id)

    def label(self, clause_id: str) -> str | None:
        e = self._by_id.get(clause_id)
        return e.label if e else None

    def resolve(self, typed: str) -> str | None:
        """The id a typed clause number names in this draft, or None."""
        return self._by_key.get(normalise(typed))

    def order(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.entries)

    def form_rows(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.element_type in FORM_TYPES)


def is_general(typed: str | None) -> bool:
    return normalise(typed or "") in {normalise(w) for w in GENERAL_WORDS}


def normalise(typed: str) -> str:
    """How a typed number compares: full-width forms folded, spaces and the words 第/章/条
    dropped, letters in upper case: "第 6 章" → "6", "６．２．１" → "6.2.1", "a)" stays "A)"."""
    text = unicodedata.normalize("NFKC", str(typed)).strip()
    text = re.sub(r"\s+", "", text)
    text = text.replace("。", ".").replace("．", ".").replace("（", "(").replace("）", ")")
    text = re.sub(r"^第(.+?)[章条]$", r"\1", text)
    text = re.sub(r"^(.+?)条$", r"\1", text)
    text = re.sub(r"^(附录)?([A-Za-z])$", lambda m: f"附录{m.group(2).upper()}", text)
    text = text.rstrip(".")
    return text.upper()


def _keys(e: Entry) -> Iterable[str]:
    yield normalise(e.label)
    if e.number and e.element_type in _BARE:
        yield normalise(e.number)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def from_edition(edition: Edition) -> Numbering:
    """Every element with an id, number or name, in document order."""
    entries = []
    for c in edition.walk():
        if c.element_type in _UNNUMBERED_NAMES:
            label = _UNNUMBERED_NAMES[c.element_type]
        elif c.number is None:
            continue  # an unnumbered paragraph or —— item: it is its parent's row
        else:
            label = edition.reference_text(c.id)
        entries.append(Entry(c.id, c.element_type, c.number, label, _short(c.title, 40),
                             _short(c.text)))
    return Numbering(tuple(entries))


def from_rows(rows: Sequence[Sequence[str]]) -> Numbering:
    """From a form's hidden sheet (id, type, number, label)."""
    return Numbering(tuple(Entry(r[0], r[1], r[2] or None, r[3]) for r in rows))


def snapshot_path(folder: Path, stage: str) -> Path:
    """Where ``comments form`` keeps the draft the form was made on (its clause index)."""
    from .store import COMMENTS_DIR, check_stage

    return Path(folder) / COMMENTS_DIR / f"{check_stage(stage)}.draft.json"
