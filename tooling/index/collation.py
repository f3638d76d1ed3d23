"""汉语拼音 order for the 术语索引: words sorted as a Chinese dictionary sorts them.

Pinyin comes from pypinyin (its phrase dictionary picks the reading in context: 楼长 is
lóuzhǎng, not lóucháng). Words compare syllable by syllable: letters (ü after u), then tone
(1–4, neutral last), then the character itself, so the order never depends on code points
alone. Latin letters and digits in a term sort as themselves, before Chinese syllables.

pypinyin's phrase dictionary costs about 0.4 s and 55 MB when first used, so it is imported
only when a word is new: :func:`reading` results are kept by the caller (in the build
environment), and an incremental build with the same terms never loads it.
"""

from __future__ import annotations

from typing import NamedTuple

SyllableKey = tuple[int, str, int, int, str]


class Reading(NamedTuple):
    """What the 术语索引 needs of a word: its sort key, its pinyin, its index letter."""

    key: tuple[SyllableKey, ...]
    pinyin: str
    letter: str


def reading(word: str) -> Reading:
    return Reading(pinyin_key(word), pinyin_text(word), initial(word))


def syllables(word: str) -> list[str]:
    """Tone-number pinyin per character (lou2, zhang3); other characters as they are."""
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
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(word, style=Style.TONE))


def initial(word: str) -> str:
    """The index letter a word is listed under: L for 楼长, the first letter for Latin."""
    key = pinyin_key(word)
    return key[0][1][:1].upper() if key and key[0][1] else "#"
