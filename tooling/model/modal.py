"""Finding the modal verb of a clause in Chinese text (GB/T 1.1—2020 附录C).

A plain substring search for 应 also hits 应急, 应用, 响应, 相应, 适应, and for 宜 hits 适宜.
We segment the text into words with jieba (already used by the HTML search) so that those
words are single tokens and never match, and then join 不 with the verb that follows it.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from functools import cache

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # jieba still imports pkg_resources
    import jieba

# word -> (clause kind it expresses, polarity). 必须/不得/不可 are forbidden substitutes (they
# still express a requirement; the linter reports them).
MODALS: dict[str, tuple[str, bool]] = {
    "应": ("requirement", True), "应当": ("requirement", True), "应该": ("requirement", True),
    "不应": ("requirement", False), "不应当": ("requirement", False),
    "不应该": ("requirement", False),
    "必须": ("requirement", True), "不得": ("requirement", False), "不可": ("requirement", False),
    "不可以": ("requirement", False),
    "宜": ("recommendation", True), "不宜": ("recommendation", False),
    "可": ("permission", True), "可以": ("permission", True),
    "不必": ("permission", False), "无须": ("permission", False), "无需": ("permission", False),
    "能": ("possibility", True), "能够": ("possibility", True),
    "不能": ("possibility", False), "不能够": ("possibility", False),
    "可能": ("possibility", True), "不可能": ("possibility", False),
}
FORBIDDEN = {"必须": "应", "不得": "不应", "不可": "不应", "不可以": "不应"}
# Words jieba keeps whole but in standards usually mean "modal + next word".
_SPLIT = ("应为", "应对", "应由", "应按", "应在", "可由", "可按", "宜由", "宜在", "不应", "时宜")


@dataclass(frozen=True)
class ModalHit:
    word: str
    kind: str
    positive: bool
    offset: int  # character offset in the text


def prepare_dictionary() -> None:
    """Apply this module's adjustments to jieba's shared dictionary now (idempotent), so that
    everything else segmenting with it (Sphinx's Chinese search) sees the same dictionary
    whether or not a modal verb was looked up first in this process."""
    _tokenizer()


@cache
def _tokenizer() -> jieba.Tokenizer:
    """jieba's default tokenizer, shared with Sphinx's Chinese search: one dictionary in
    memory and one load per build (a second Tokenizer costs ~0.5 s and ~70 MB)."""
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.dt
    tokenizer.initialize()
    for word in _SPLIT:
        tokenizer.del_word(word)
    return tokenizer


def find_modals(text: str) -> list[ModalHit]:
    """Every modal verb in ``text``, in order, with its offset."""
    hits: list[ModalHit] = []
    tokens = list(_tokenizer().tokenize(text, HMM=False))
    i = 0
    while i < len(tokens):
        word, start, _end = tokens[i]
        if word == "不" and i + 1 < len(tokens) and ("不" + tokens[i + 1][0]) in MODALS:
            word = "不" + tokens[i + 1][0]
            i += 1
        if word in MODALS:
            kind, positive = MODALS[word]
            hits.append(ModalHit(word, kind, positive, start))
        i += 1
    return hits


def first_modal(text: str) -> str | None:
    hits = find_modals(text)
    return hits[0].word if hits else None
