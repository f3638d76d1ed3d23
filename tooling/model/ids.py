"""The one grammar of ids: heading labels, clause and term ids, table names, list-item ids.

An id is an HTML anchor, a key of the clause index and what the revision diff matches on, so
every id an author writes follows the same rule, checked the same way, with the same message
(E105): lowercase ASCII letters, digits and single hyphens, starting with a letter, at most
80 characters. Nothing is silently lowercased or rewritten: docutils would turn
``personnel_basic`` into a machine id (``id4``) and ``Personnel`` into ``personnel``, and a
reference to what the author wrote would then fail or point elsewhere.
"""

from __future__ import annotations

import re

from ..io import chars

#: Ids are HTML anchors and diff keys: docutils leaves ids of this shape unchanged.
ID_PATTERN = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
#: The longest id (the clause metadata schema says the same).
MAX_ID_LENGTH = 80

_GRAMMAR = "无效：只能使用小写 ASCII 字母、数字和连字符，并以字母开头"


def is_valid_id(value: object) -> bool:
    return (isinstance(value, str) and len(value) <= MAX_ID_LENGTH
            and ID_PATTERN.fullmatch(value) is not None)


def id_problem(value: object) -> dict[str, str] | None:
    """The parameters of the E105 message for an invalid id, or None for a valid one.

    The message says what is wrong in the order a user fixes it: a character they cannot
    see (named by code point), then the length, then the grammar."""
    if is_valid_id(value):
        return None
    text = value if isinstance(value, str) else str(value)
    hidden = chars.first_invisible(text)
    if hidden is not None:
        kind = "控制字符" if chars.is_control(hidden) else "不可见字符"
        detail = f"含{kind} {chars.describe(hidden)}"
    elif len(text) > MAX_ID_LENGTH:
        detail = f"过长：最多 {MAX_ID_LENGTH} 个字符"
    else:
        detail = _GRAMMAR
    return {"id": chars.show(text), "detail": detail}
