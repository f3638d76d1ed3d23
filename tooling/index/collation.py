"""汉语拼音 order for the 术语索引: words sorted as a Chinese dictionary sorts them.

Pinyin comes from pypinyin (its phrase dictionary picks the reading in context: 楼长 is
lóuzhǎng, not lóucháng). Words compare syllable by syllable: letters (ü after u), then tone
(1–4, neutral last), then the character itself, so the order never depends on code points
alone. Latin letters and digits in a term sort as themselves, before Chinese syllables.

pypinyin's phrase dictionary, loaded whole, costs about 0.3 s and 59 MB — a quarter of a
5,000-clause build's memory, for the ten terms of a 术语索引. So pypinyin is imported without it
(its own ``PYPINYIN_NO_PHRASES`` switch), and :func:`learn` gives it only the entries of that
dictionary that occur inside the words being read, found in the dictionary's file by key
(about 30 ms, 5 MB while it runs). pypinyin segments a word by forward maximum matching on
its phrases, and every phrase a match can reach inside a word is such an entry, so each
reading is exactly the one the whole dictionary gives (``tests/test_index.py`` compares
them). :func:`reading` results are also kept by the caller (in the build environment), so an
incremental build with the same terms reads nothing.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

SyllableKey = tuple[int, str, int, int, str]


class Reading(NamedTuple):
    """What the 术语索引 needs of a word: its sort key, its pinyin, its index letter."""

    key: tuple[SyllableKey, ...]
    pinyin: str
    letter: str


def reading(word: str) -> Reading:
    return Reading(pinyin_key(word), pinyin_text(word), initial(word))


# Substrings of words already looked up in the phrase dictionary (found there or not).
_LEARNT: set[str] = set()
_KEY = re.compile(r'^"([^"\\\n]+)": ', re.M)


def _phrase_file() -> Path | None:
    spec = importlib.util.find_spec("pypinyin")
    folders = spec.submodule_search_locations if spec else None
    return Path(next(iter(folders))) / "phrases_dict.json" if folders else None


def _pypinyin() -> tuple[object, bool]:
    """pypinyin, imported without its phrase dictionary unless something imported it before;
    the flag says whether phrases must be taught (:func:`learn`)."""
    if "pypinyin" in sys.modules:
        import pypinyin.constants

        return sys.modules["pypinyin"], len(pypinyin.constants.PHRASES_DICT) < 10_000
    switches = {"PYPINYIN_NO_PHRASES": "1", "PYPINYIN_NO_DICT_COPY": "1"}
    before = {name: os.environ.get(name) for name in switches}
    os.environ.update(switches)
    try:
        import pypinyin
    finally:  # only pypinyin's import reads them; child processes must not inherit them
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return pypinyin, True


def learn(words: Iterable[str]) -> None:
    """Teach pypinyin every entry of its phrase dictionary that occurs inside ``words``: the
    dictionary file is read once per call, so callers with many words pass them together."""
    _module, partial = _pypinyin()
    if not partial:
        return
    wanted = {w[i:j] for w in words for i in range(len(w)) for j in range(i + 2, len(w) + 1)}
    wanted -= _LEARNT
    if not wanted:
        return
    from pypinyin import load_phrases_dict

    path = _phrase_file()
    text = path.read_text("utf-8") if path is not None and path.is_file() else ""
    decoder = json.JSONDecoder()
    found: dict[str, list[list[str]]] = {}
    keys = 0
    for match in _KEY.finditer(text):
        keys += 1
        if match.group(1) in wanted:
            found[match.group(1)], _end = decoder.raw_decode(text, match.end())
    if keys < 10_000:  # not the layout we read (a new pypinyin): take the dictionary whole
        found = {k: v for k, v in json.loads(text or "{}").items() if k in wanted}
    _LEARNT.update(wanted)
    if found:
        load_phrases_dict(found)


def syllables(word: str) -> list[str]:
    """Tone-number pinyin per character (lou2, zhang3); other characters as they are."""
    learn([word])
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True, v_to_u=False)


def pinyin_key(word: str) -> tuple[SyllableKey, ...]:
    keys: list[SyllableKey] = []
    chars = [c for c in word if not c.isspace()]
    parts = syllables("".join(chars))
    # lazy_pinyin returns one item per Chinese character, and non-Chinese runs whole.
    position = 0
    for part in parts:
        if part and part[-1].isdigit() and part[:-1].isalpha() and part[:-1].isascii():
            char = chars[position] if position < len(chars) else ""
            letters = part[:-1].lower()
            keys.append((1, letters.replace("v", "u"), int("v" in letters), int(part[-1]), char))
            position += 1
        else:
            keys.append((0, part.lower(), 0, 0, part))
            position += len(part)
    return tuple(keys)


def pinyin_text(word: str) -> str:
    """The reading with tone marks, syllables joined as in a dictionary: 楼长 → lóuzhǎng."""
    learn([word])
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(word, style=Style.TONE))


def initial(word: str) -> str:
    """The index letter a word is listed under: L for 楼长, the first letter for Latin."""
    key = pinyin_key(word)
    return key[0][1][:1].upper() if key and key[0][1] else "#"
