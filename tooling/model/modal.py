"""Finding the modal verb of a clause in Chinese text (GB/T 1.1—2020 附录C).

A plain substring search for 应 also hits 应急, 应用, 响应, 相应, 适应, and for 宜 hits 适宜.
We segment the text into words with jieba so that such words are single tokens and never
match — but a word splitter also joins a modal verb with what follows or precedes it (应立即,
应予以, 应为, 时宜), and different splitters, or dictionaries, join differently. So a token
that is not itself a modal verb is split again by rule (:func:`_split`), and a hit that falls
inside a known non-modal word of the text (:data:`NOT_MODAL`) is dropped, whatever the
splitter did. jieba's shared dictionary is never modified: the HTML search uses it too.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

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
# Words that contain a modal character but are not a modal verb (checked against the text
# itself, so they hold whatever the splitter does).
NOT_MODAL = frozenset({
    # 应/宜/可/能 second: no verb can start there.
    "响应", "相应", "适应", "对应", "反应", "供应", "感应", "呼应", "照应", "答应", "回应",
    "效应", "顺应", "理应", "内应", "适宜", "便宜", "事宜", "不合时宜", "因地制宜", "权宜",
    "合宜", "许可", "认可", "宁可", "无可", "尚可", "即可", "功能", "性能", "技能", "职能",
    "智能", "才能", "本能", "节能", "效能", "体能", "潜能", "动能", "热能", "电能", "赋能",
    "机能", "全能", "万能", "无能", "产能", "储能", "不得已", "不得不",
    # First, only where what follows cannot begin a verb (应征, 应答, 可变 … could: 应征求).
    "应急", "应用", "应届", "应有尽有", "应收账款", "应付账款", "宜居", "可能性", "可视化",
    "可燃", "可持续", "可追溯", "可及性", "可是", "可爱", "可惜", "可疑", "可观", "可口",
    "可乐", "可怜", "可怕", "可笑", "可贵", "可逆", "可塑", "可回收", "可再生", "可操作性",
    "不可抗力", "不可或缺", "能力", "能源", "能耗", "能效", "能手", "能见度", "必要", "必需",
})
# A token made of a modal verb and what follows is split when the rest is a word of its own
# (应立即, 应予以) or one of these single characters (应为, 应对, 应由, 应按, 应在).
_FOLLOWERS = frozenset("为对由按在于向与将把被给从经以予及当即")
# …and when a modal verb follows one of these (时宜, 均应, 也应), the modal verb is split off.
_PRECEDERS = frozenset({"时", "均", "也", "还", "亦", "即", "都", "仍", "则", "并", "尚", "更",
                        "时均", "时也", "时还", "时亦"})
_KEYS = sorted(MODALS, key=len, reverse=True)


@dataclass(frozen=True)
class ModalHit:
    word: str
    kind: str
    positive: bool
    offset: int  # character offset in the text


def _tokenizer() -> jieba.Tokenizer:
    """jieba's default tokenizer, shared with Sphinx's Chinese search (one dictionary in
    memory; a second Tokenizer costs ~0.5 s and ~70 MB). Used read-only."""
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.initialize()
    return jieba.dt


def _modal_at(word: str, i: int) -> str | None:
    return next((k for k in _KEYS if word.startswith(k, i)), None)


def _split(word: str) -> tuple[int, str] | None:
    """The modal verb inside a token that is not one itself, as (offset, verb), or None."""
    for k in range(len(word)):
        modal = _modal_at(word, k)
        if modal is None or (k and word[:k] not in _PRECEDERS):
            continue
        rest = word[k + len(modal):]
        # A word of its own: jieba's table (read, never copied: 349,045 entries).
        known = len(rest) > 1 and _tokenizer().FREQ.get(rest, 0) > 0
        if not rest or rest[0] in _FOLLOWERS or known:
            return k, modal
    return None


_NOT_MODAL_LENGTHS = sorted({len(w) for w in NOT_MODAL})
# Every character of a modal verb: a run of text without one holds no modal verb.
_MODAL_CHARS = frozenset("".join(MODALS))


def _covered(text: str, start: int, length: int) -> bool:
    """Whether text[start:start+length] lies inside an occurrence of a non-modal word."""
    for size in _NOT_MODAL_LENGTHS:
        for pos in range(max(0, start + length - size), start + 1):
            if text[pos:pos + size] in NOT_MODAL:
                return True
    return False


def _tokens(text: str) -> Iterator[tuple[str, int]]:
    """jieba's words of ``text`` with their offsets, for the runs that can hold a modal verb.
    jieba cuts each run of Han characters, letters and digits on its own (``re_han_default``),
    so cutting only the runs with a modal character gives the same words there — and a
    clause's second half (，并将……记入工作台账) is not segmented at all."""
    tokenizer = _tokenizer()
    for run in jieba.re_han_default.finditer(text):
        if _MODAL_CHARS.isdisjoint(run.group()):
            continue
        for word, start, _end in tokenizer.tokenize(run.group(), HMM=False):
            yield word, run.start() + start


def find_modals(text: str) -> list[ModalHit]:
    """Every modal verb in ``text``, in order, with its offset."""
    found: list[tuple[str, int]] = []
    for word, start in _tokens(text):
        if word in MODALS or word == "不":
            found.append((word, start))
        elif any(ch in word for ch in "应宜可能须得必无"):
            split = _split(word)
            if split is not None:
                found.append((split[1], start + split[0]))
    hits: list[ModalHit] = []
    i = 0
    while i < len(found):
        word, start = found[i]
        follow = found[i + 1] if i + 1 < len(found) else None
        if word == "不" and follow and follow[1] == start + 1 and "不" + follow[0] in MODALS:
            word = "不" + follow[0]
            i += 1
        if word in MODALS and not _covered(text, start, len(word)):
            kind, positive = MODALS[word]
            hits.append(ModalHit(word, kind, positive, start))
        i += 1
    return hits


def first_modal(text: str) -> str | None:
    hits = find_modals(text)
    return hits[0].word if hits else None
