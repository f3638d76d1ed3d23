"""Chinese phrase helpers for the 前言 change list: pieces of a provision said plainly.

A provision is written "楼长应每月走访或联系不少于2次"; a 前言 item says "将楼长每月走访或联系
特殊家庭的次数由不少于1次改为不少于2次". The helpers here cut a provision into its parts
(segments between "，；。", the modal verb, a quantity with its qualifier and unit) and put
them back together without the modal verb, so :mod:`tooling.diff.foreword` can state what a
change does. Pure: no Sphinx; jieba only through :mod:`tooling.model.modal`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model.modal import find_modals
from .records import Segment

# Where a provision's segments end: its clauses, not its enumerations (、 joins list members).
DELIMITERS = "，；。：！？,;:!?\n"
# Modal verbs a plain statement of a rule drops ("楼长应走访" → "楼长走访"), and those that keep
# their negation ("不应泄露" → "不泄露"). Permission and possibility stay: 可 and 能够 carry the
# meaning of the rule.
_DROPPED = {"应", "应当", "应该", "宜", "必须"}
_NEGATED = {"不应", "不应当", "不应该", "不宜", "不得", "不可", "不可以"}
_LEADING = ("并且", "并应", "同时", "并", "且", "和", "及", "或", "、")

# A quantity as provisions write it: qualifier, number, unit (不少于2次, 至少有1条, 24 h,
# 90%, 5个工作日, 65周岁).
_QUALIFIER = (r"(?:不少于|不低于|不超过|不高于|不多于|不大于|不小于|至少有|至少|最多|最少|达到"
              r"|超过|低于|高于|满)")
_UNIT = (r"(?:个工作日|个月|学时|小时|周岁|分钟|个|次|年|月|日|天|周|时|户|人|名|条|项|分|岁|元"
         r"|%|％|mm|cm|km|m|h|d|min)")
QUANTITY = re.compile(
    rf"(?P<qualifier>{_QUALIFIER})?\s*(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>{_UNIT})?"
    r"(?P<tail>以上|以下|以内)?"
)
# What a quantity measures, by its unit, when the words before it do not name it.
_MEASURE = {
    "次": "次数", "学时": "学时", "个工作日": "时限", "小时": "时限", "h": "时限", "日": "时限",
    "天": "时限", "d": "时限", "分钟": "时限", "min": "时限", "周": "时限", "个月": "期限",
    "年": "年限", "周岁": "年龄", "岁": "年龄", "户": "户数", "人": "人数", "名": "人数",
    "条": "条数", "项": "项数", "分": "分值", "%": "比例", "％": "比例", "元": "金额",
    "mm": "尺寸", "cm": "尺寸", "m": "尺寸", "km": "距离", "个": "数量",
}
# Words before a quantity that already name what it measures (满意率, 任期, 学时 …).
_NAMED = ("率", "比例", "学时", "时限", "期限", "任期", "年龄", "次数", "人数", "户数", "分值",
          "名额", "数量", "时间", "时长", "面积", "尺寸", "距离", "金额", "标准")


def spans(text: str) -> list[tuple[int, int]]:
    """The segments of a text: (start, end) of each run between delimiters, empty ones left out
    (a ⟦reference⟧ marker is never cut, whatever it holds)."""
    out = []
    start = 0
    inside = False
    for i, ch in enumerate(text):
        if ch in "⟦⟧":
            inside = ch == "⟦"
        if ch in DELIMITERS and not inside:
            if i > start:
                out.append((start, i))
            start = i + 1
    if len(text) > start:
        out.append((start, len(text)))
    return out


def segment_at(text: str, pos: int) -> tuple[int, int]:
    """The segment holding position ``pos`` (a delimiter belongs to the segment it ends)."""
    for start, end in spans(text):
        if start <= pos <= end:
            return start, end
    return pos, pos


def plain(text: str) -> str:
    """A provision without its modal verb: 楼长应走访 → 楼长走访; 不应泄露 → 不泄露; 任期应为5年
    → 任期5年. Leading conjunctions and trailing punctuation go too."""
    out = []
    pos = 0
    for hit in find_modals(text):
        out.append(text[pos:hit.offset])
        after = hit.offset + len(hit.word)
        if hit.word in _NEGATED:
            out.append("不")
        elif hit.word not in _DROPPED:
            out.append(hit.word)
        elif text.startswith("为", after) and re.match(r"\s*\d", text[after + 1:]):
            after += 1  # 应为5年 → 5年
        pos = after
    out.append(text[pos:])
    result = "".join(out).strip().strip(DELIMITERS + "　 ")
    changed = True
    while changed:
        changed = False
        for word in _LEADING:
            if result.startswith(word) and len(result) > len(word) + 1:
                result = result[len(word):]
                changed = True
    return result


def subject(text: str) -> str:
    """Who a provision binds: the words before its first modal verb, when they are a short
    name within one segment (楼长, 社区党组织); else ""."""
    hits = find_modals(text)
    if not hits:
        return ""
    before = text[: hits[0].offset]
    start, _ = segment_at(text, hits[0].offset)
    before = before[start:].strip()
    if not before or len(before) > 8 or any(ch in before for ch in DELIMITERS + "、的在对"):
        return ""
    return before


def has_modal(text: str) -> bool:
    return bool(find_modals(text))


def only_modal(text: str) -> bool:
    """Whether a text is one modal verb and nothing else (宜, 应, 不应, 可)."""
    word = text.strip()
    hits = find_modals(word)
    return len(hits) == 1 and hits[0].word == word


def modal_kinds(text: str) -> list[str]:
    return [hit.kind for hit in find_modals(text)]


@dataclass(frozen=True)
class Quantity:
    text: str  # as written: 不少于2次
    number: str
    unit: str
    start: int
    end: int


def quantities(text: str) -> list[Quantity]:
    return [Quantity(m.group().strip(), m.group("number"), m.group("unit") or "", m.start(),
                     m.end()) for m in QUANTITY.finditer(text)]


def quantity_around(text: str, start: int, end: int) -> Quantity | None:
    """The quantity that overlaps ``text[start:end]`` (a changed number), if any."""
    for q in quantities(text):
        if q.start < max(end, start + 1) and start < q.end:
            return q
    return None


# Words that end a phrase without naming anything (在24 h内, 为5年).
PREPOSITIONS = ("在", "于", "为", "是", "达到", "按", "以", "至", "从", "由", "对", "向", "每")
# A quoted provision longer than this is no longer a short quote.
QUOTE_LONGEST = 30


def named_before(before: str) -> str:
    """The words before a quantity, cut after the noun that names what it measures when they
    hold one (楼长年龄原则上 → 楼长年龄; 档案保存期限为 → 档案保存期限)."""
    before = before.rstrip()
    best = -1
    for word in _NAMED + tuple(_MEASURE.values()):
        at = before.rfind(word)
        if at >= 0:
            best = max(best, at + len(word))
    if best > 0:
        return before[:best]
    for word in ("为", "是", "达到"):
        if before.endswith(word) and len(before) > len(word):
            return before[: -len(word)]
    return before


def counts_a_noun(after: str) -> bool:
    """Whether the words after a quantity are the thing it counts (…2条走访记录), not the rest
    of a provision (…24 h内处理)."""
    if not after:
        return True
    return len(after) <= 8 and not after.startswith(("内", "以", "之", "后", "前", "的", "起",
                                                     "时", "后", "左右"))


def after_modal(text: str) -> str:
    """A provision from its modal verb on, without it: 楼长收到诉求后应在24 h内处理 → 在24 h
    内处理; the whole text when it has none."""
    hits = find_modals(text)
    if not hits:
        return text.strip()
    rest = text[hits[0].offset + len(hits[0].word):].strip()
    return rest or text.strip()


def after_subject(text: str) -> str:
    """A provision without its subject when it has a short one (楼长应公开 → 应公开)."""
    who = subject(text)
    return text[len(who):].strip() if who and text.startswith(who) else text.strip()


def flips_negation(gone: str, came: str) -> bool:
    """应 → 不应, 宜 → 不宜 and back: a change of what a provision forbids."""
    pair = {gone.strip(), came.strip()}
    return pair <= {"", "不", "没", "无", "非", "未"} and pair != {""}


def measure(before: str, unit: str, after: str) -> str:
    """What a quantity measures, for "将……的次数由……改为……": "" when the words before it
    name it already (满意率, 任期), else the noun after it (记录 → 条数 is less clear than
    记录的条数), else a word for its unit."""
    if before.endswith(_NAMED):
        return ""
    word = _MEASURE.get(unit, "数值")
    if after:
        return f"{after}的{word}"
    return word


def tokens(text: str) -> list[tuple[int, int]]:
    """Word spans (jieba's shared dictionary, read only; no HMM: the same cuts every time)."""
    import jieba

    find_modals("")  # loads and quietens jieba's dictionary once, as the modal finder does
    return [(s, e) for _w, s, e in jieba.dt.tokenize(text, HMM=False)]


# Words a quote's context does not run across: prepositions, particles, modal verbs and the
# joints of an enumeration ("将“社区组织”更改为“社区组织、网格员”" needs nothing past 或).
_STOP = frozenset({"在", "中", "的", "对", "将", "把", "被", "于", "以", "向", "从", "由", "为",
                   "是", "并", "且", "及", "与", "和", "或", "、", "应", "宜", "可", "不", "内"})
JOINTS = ("、", "和", "或", "及", "与", "并")


def _words_around(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` grown to whole words."""
    for s, e in tokens(text):
        if s < start < e:
            start = s
        if s < end < e:
            end = e
    return start, end


def _context(text: str, start: int, end: int, lo: int, hi: int, least: int = 4,
             whole: int = 6) -> tuple[int, int]:
    """Context for a quote of ``text[start:end]`` within ``[lo, hi)``: on a side, all of it
    when that is at most ``whole`` characters, else whole words up to ``least`` characters,
    stopping at a function word."""
    words = [(s, e) for s, e in tokens(text) if lo <= s and e <= hi]
    left = start
    if start - lo <= whole:
        left = min((s for s, _e in words if s >= lo), default=start)
        left = min(left, start)
    else:
        for s, e in reversed([w for w in words if w[1] <= start]):
            if start - left >= least or text[s:e].strip() in _STOP:
                break
            left = s
    right = end
    if hi - end <= whole:
        right = max((e for _s, e in words if e <= hi), default=end)
        right = max(right, end)
    else:
        for s, e in [w for w in words if w[0] >= end]:
            if right - end >= least or text[s:e].strip() in _STOP:
                break
            right = e
    # Context never starts or ends on a function word (将“走访情况…”, not “将走访情况…”).
    for s, e in words:
        if s == left and e <= start and text[s:e].strip() in _STOP:
            left = e
    for s, e in reversed(words):
        if e == right and s >= end and text[s:e].strip() in _STOP:
            right = s
    return left, right


@dataclass(frozen=True)
class Edit:
    """One region where two texts differ: ``old[a0:a1]`` became ``new[b0:b1]``; ``gone`` and
    ``came`` are what was deleted and inserted in it (without the equal text between)."""

    a0: int
    a1: int
    b0: int
    b1: int
    gone: str = ""
    came: str = ""

    def deleted(self, old: str) -> str:
        return old[self.a0:self.a1]

    def inserted(self, new: str) -> str:
        return new[self.b0:self.b1]


def edits(segments: Sequence[Segment], gap: int = 4) -> list[Edit]:
    """The regions of a character diff, with changes closer than ``gap`` characters (and not
    across a delimiter) taken as one region: "和"→"、" and "+和平台使用" four characters on are
    one edit of "走访和信息采集"."""
    found: list[Edit] = []
    a = b = 0
    current: list | None = None  # [a0, a1, b0, b1, gone, came]
    pending = ""  # equal text since the current region's last change
    for op, text in segments:
        if op == "=":
            if current is not None:
                pending += text
                if len(pending) > gap or any(ch in DELIMITERS for ch in pending):
                    found.append(Edit(*current))
                    current = None
                    pending = ""
            a += len(text)
            b += len(text)
            continue
        if current is not None and text[:1] in DELIMITERS:
            # A change that starts a new segment is an edit of its own (…3年 → …5年，电子…).
            found.append(Edit(*current))
            current = None
        if current is None:
            current = [a, a, b, b, "", ""]
        pending = ""
        if op == "-":
            a += len(text)
            current[4] += text
        else:
            b += len(text)
            current[5] += text
        current[1], current[3] = a, b
    if current is not None:
        found.append(Edit(*current))
    old, new = sides(segments)
    return [part for e in found for part in _split(e, old, new)]


def _split(e: Edit, old: str, new: str) -> list[Edit]:
    """An edit whose change runs over a segment's end (3年 → 5年，电子档案长期保存) as edits
    within segments (3 → 5; +，电子档案长期保存): a diff that folds one equal character joins
    them, a reader does not."""
    runs_over = re.compile(f"[{re.escape(DELIMITERS)}][^{re.escape(DELIMITERS)}]")
    if not (runs_over.search(e.gone) or runs_over.search(e.came)):
        return [e]
    from difflib import SequenceMatcher

    a, b = old[e.a0:e.a1], new[e.b0:e.b1]
    pieces: list[tuple[int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        # 泄露 → 提供，不应通过…传输: a replacement, then a new segment.
        m = runs_over.search(b, j1, j2) if i2 > i1 else None
        n = runs_over.search(a, i1, i2) if j2 > j1 else None
        if m is not None and m.start() > j1:
            pieces += [(i1, i2, j1, m.start()), (i2, i2, m.start(), j2)]
        elif n is not None and n.start() > i1:
            pieces += [(i1, n.start(), j1, j2), (n.start(), i2, j2, j2)]
        else:
            pieces.append((i1, i2, j1, j2))
    parts: list[Edit] = []
    for i1, i2, j1, j2 in pieces:
        gone, came = a[i1:i2], b[j1:j2]
        last = parts[-1] if parts else None
        joined = last is not None and e.a0 + i1 - last.a1 <= 1 and not any(
            ch in DELIMITERS for ch in old[last.a1:e.a0 + i1] + gone[:1] + came[:1])
        if joined and last is not None:
            parts[-1] = Edit(last.a0, e.a0 + i2, last.b0, e.b0 + j2, last.gone + gone,
                             last.came + came)
        else:
            parts.append(Edit(e.a0 + i1, e.a0 + i2, e.b0 + j1, e.b0 + j2, gone, came))
    return parts or [e]


def quote_pair(old: str, new: str, e: Edit, lo: int, hi: int) -> tuple[str, str]:
    """The old and new wording of an edit as quotes: whole words, and context where the edit
    alone would not read (an insertion, a deletion, an edit starting or ending at a joint).
    The context is equal text on both sides: it never reaches past ``lo``/``hi`` in ``new``
    (the ends of the neighbouring edits)."""
    # Whole words on both sides: 县级 → 县（市、区）和市级, not 级 → （市、区）和市级.
    nb0, nb1 = _words_around(new, e.b0, e.b1)
    na0, na1 = _words_around(old, e.a0, e.a1)
    grow_left = max(e.b0 - nb0, e.a0 - na0, 0)
    grow_right = max(nb1 - e.b1, na1 - e.a1, 0)
    grow_left = min(grow_left, e.b0 - lo, e.a0)
    grow_right = min(grow_right, hi - e.b1, len(old) - e.a1)
    b0, b1 = e.b0 - grow_left, e.b1 + grow_right
    a0, a1 = e.a0 - grow_left, e.a1 + grow_right
    was, now = old[a0:a1], new[b0:b1]
    bare = not was.strip() or not now.strip()
    need_left = bare or was.startswith(JOINTS) or now.startswith(JOINTS)
    need_right = bare or was.endswith(JOINTS) or now.endswith(JOINTS)
    seg_lo, seg_hi = segment_at(new, b0)
    left, right = _context(new, b0, b1, max(seg_lo, lo), min(seg_hi, hi))
    left = left if need_left else b0
    right = right if need_right else b1
    was, now = old[a0 - (b0 - left):a1 + (right - b1)], new[left:right]
    # Punctuation the two quotes share at an edge says nothing (培训） → 培训学时）).
    while was and now and was[-1] == now[-1] and not was[-1].isalnum() and len(was) > 1:
        was, now = was[:-1], now[:-1]
    while was and now and was[0] == now[0] and not was[0].isalnum() and len(was) > 1:
        was, now = was[1:], now[1:]
    return was, now


def sides(segments: Sequence[Segment]) -> tuple[str, str]:
    """The two texts a character diff was made from."""
    old = "".join(t for op, t in segments if op != "+")
    new = "".join(t for op, t in segments if op != "-")
    return old, new

