"""``changes.yaml``: the editor's word on the 前言 change list, kept in the new edition's folder.

The model words every change (:mod:`tooling.diff.foreword`); an editor may reword an item,
regroup changes, leave one out or list one the model left out, and give the 条款对照表 a
修订说明 of their own. The file is keyed by the stable key of a change (the id of the element
in the new edition, or in the old one when it was removed), so what the editor wrote survives
every rebuild::

    special-household-contact:
      text: 将特殊家庭每月走访联系次数由不少于1次改为不少于2次
      was: 将楼长每月走访或联系特殊家庭的次数由不少于1次改为不少于2次
      note: 根据2023年试点，每月1次不能及时发现特殊家庭的困难
    response-ordinary:
      alone: true            # an item of its own, not cited with 8.6
    steward-one-per-building:
      list: true             # list it although only its metadata changed
    recommend-higher-honours:
      with: form-grid        # cited with another change's item

A key that no longer names a change is a warning (E201) with the file and line, and so is an
item whose generated wording moved on from the ``was`` the editor saw (E202). The file is data:
safe YAML (:mod:`tooling.io.safeyaml`), checked against ``schemas/changes.schema.json``; a
file that is not valid stops with one message (E200). Pure: no Sphinx.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..io import safeyaml
from ..io.diagnostics import Diagnostic, diagnostic
from ..model.clause_metadata import explain, first_error, schema
from .foreword import CITED, LISTED, OMITTED, Change, Item

CHANGES_FILE = "changes.yaml"
SCHEMA = "changes.schema.json"


class ChangesFileError(Exception):
    """``changes.yaml`` is not valid: one diagnostic says where and why."""

    def __init__(self, diag: Diagnostic) -> None:
        super().__init__(str(diag))
        self.diagnostic = diag


@dataclass(frozen=True)
class Override:
    """What the editor wrote for one change."""

    key: str
    line: int | None  # 1-based line of the key in changes.yaml
    text: str | None = None  # the wording of the item this change is in
    was: str | None = None  # the generated wording the editor rewrote
    with_: str | None = None  # cite this change with another change's item
    alone: bool = False  # an item of its own
    listed: bool | None = None  # True: list it anyway; False: leave it out
    note: str | None = None  # the 条款对照表's 修订说明 for this change


@dataclass(frozen=True)
class ChangesFile:
    """The editor's overrides, in file order; empty when the folder has no changes.yaml."""

    path: Path | None = None
    overrides: tuple[Override, ...] = ()
    _by_key: dict[str, Override] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({o.key: o for o in self.overrides})

    def __bool__(self) -> bool:
        return bool(self.overrides)

    def get(self, key: str) -> Override | None:
        return self._by_key.get(key)

    def note(self, key: str) -> str | None:
        o = self._by_key.get(key)
        return o.note if o else None

    def _warn(self, code: str, o: Override, **params: object) -> Diagnostic:
        return diagnostic(code, self.path or CHANGES_FILE, o.line, key=o.key, **params)

    def apply(self, changes: Sequence[Change]
              ) -> tuple[list[Change], list[Diagnostic], dict[str, tuple[str, str | None]]]:
        """The changes with the editor's choices applied; warnings for overrides that match
        no change; the rewordings by key."""
        keys = {c.key for c in changes}
        problems: list[Diagnostic] = []
        texts: dict[str, tuple[str, str | None]] = {}
        out = list(changes)
        for o in self.overrides:
            if o.key not in keys:
                problems.append(self._warn(
                    "E201", o, detail="两个版本之间已没有这一变化（标识改了，或条文已恢复原样）；"
                    "请改正或删除这一项"))
                continue
            if o.with_ is not None and (o.with_ not in keys or o.with_ == o.key):
                problems.append(self._warn(
                    "E201", o, detail=f"with 所指的“{o.with_}”不是另一处变化的标识"))
                continue
            if o.with_ is not None and self._loops(o.key):
                problems.append(self._warn("E201", o, detail="with 相互引用，形成循环"))
                continue
            k = next(i for i, c in enumerate(out) if c.key == o.key)
            c = out[k]
            if o.listed is False:
                c = replace(c, status=OMITTED, reason="按 changes.yaml 不列入前言")
            elif o.with_ is not None:
                c = replace(c, status=CITED, cause=o.with_,
                            reason=c.reason or "按 changes.yaml 与另一项合并")
            elif o.listed or o.alone:
                if c.status != LISTED:
                    c = replace(c, status=LISTED, cause=None)
                c = replace(c, topic=f"own:{c.key}")
            out[k] = c
            if o.text is not None:
                texts[o.key] = (o.text, o.was)
        return out, problems, texts

    def _loops(self, key: str) -> bool:
        seen = {key}
        o = self._by_key.get(key)
        while o is not None and o.with_ is not None:
            if o.with_ in seen:
                return True
            seen.add(o.with_)
            o = self._by_key.get(o.with_)
        return False

    def check(self, items: Sequence[Item], changes: Sequence[Change]) -> list[Diagnostic]:
        """Rewordings that no item uses, two for one item, and items whose generated wording
        is no longer the one the editor rewrote (``was``). (Keys that match no change were
        reported by :meth:`apply`.)"""
        keys = {c.key for c in changes}
        problems: list[Diagnostic] = []
        used: dict[str, str] = {}  # item key -> override key
        for o in self.overrides:
            if o.text is None or o.key not in keys:
                continue
            item = next((i for i in items if o.key in i.changes), None)
            if item is None:
                problems.append(self._warn(
                    "E201", o, detail="这一变化不在前言的任何一项中，text 未被使用"))
                continue
            if item.key in used:
                problems.append(self._warn("E203", o, other=used[item.key]))
                continue
            used[item.key] = o.key
            if o.was is not None and o.was != item.generated:
                problems.append(self._warn("E202", o, was=o.was, now=item.generated))
        return problems


def load_changes(path: Path) -> ChangesFile:
    """Read ``changes.yaml``; an absent file means no overrides. Raise
    :class:`ChangesFileError` (one diagnostic) for a file that is not valid."""
    if not path.is_file():
        return ChangesFile(path)

    def fail(line: int | None, detail: str) -> ChangesFileError:
        return ChangesFileError(diagnostic("E200", path, line, detail=detail))

    _text, loaded = safeyaml.load_file(path, fail)
    data = loaded.data
    if data is None:
        return ChangesFile(path)
    if not isinstance(data, dict):
        raise fail(1, "内容应为“变化的标识: 修改”形式的映射")
    lines = {str(k): v + 1 for k, v in loaded.key_lines.items()}
    err = first_error(data, schema(SCHEMA))
    if err is not None:
        where = list(err.absolute_path)
        line = lines.get(str(where[0])) if where else 1
        if not where and "propertyNames" in err.schema_path:
            bad = str(err.instance)
            line = lines.get(bad, 1)
            raise fail(line, f"“{bad}”不是变化的标识（小写英文字母、数字和连字符，以字母开头）")
        raise fail(line, explain(err))
    overrides = []
    for key, value in data.items():
        overrides.append(Override(
            str(key), lines.get(str(key)), text=value.get("text"), was=value.get("was"),
            with_=value.get("with"), alone=bool(value.get("alone", False)),
            listed=value.get("list"), note=value.get("note")))
    return ChangesFile(path, tuple(overrides))

