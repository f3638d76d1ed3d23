"""From returned forms to comments keyed by clause id: resolving rows, rejecting what cannot be
read, and merging into ``comments/<stage>.yaml`` without losing anything.

Each row of a returned form (:mod:`.reading`) with a comment becomes a :class:`~.store.Comment`
on one clause id:

- a row of our .xlsx form carries the id (hidden column A); its 章条编号 must still be the
  number that id had in the draft the form was made on, else the row was edited or moved by
  hand and is rejected (E214);
- a row with only a number ("6.2.1", "第6章", "表A.1") resolves against the draft the form was
  made on: the form's hidden numbering sheet, else the snapshot ``comments form`` kept
  (``comments/<stage>.draft.json``). A number that draft does not have is rejected (E215);
  "总体" or an empty number is a comment on the whole draft;
- a row in a range merged across rows is rejected (E214): one cell for several rows cannot be
  given to one clause.

Rejected rows are kept verbatim in ``comments/<stage>.rejects.yaml`` and counted as unresolved.
Warnings (E216 formula-like text kept as text, E217 a disposition that differs from the
editor's, E218 a form changed in shape) do not stop anything. Pure: no Sphinx.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..io.diagnostics import Diagnostic, diagnostic
from .numbering import Numbering, is_general
from .reading import Form, Row
from .store import (
    DISPOSITIONS,
    GENERAL,
    NEEDS_REASON,
    Comment,
    Draft,
    Reject,
    Reply,
    Source,
)

_FORMULA_LEADS = ("=", "+", "-", "@")
_TEXT_FIELDS = {"comment": "意见内容", "proposal": "修改建议", "reason": "理由",
                "disposition_reason": "处理理由", "number": "章条编号"}


@dataclass(frozen=True)
class Collected:
    """What one returned form gave."""

    form: Form
    comments: tuple[Comment, ...]
    rejects: tuple[Reject, ...]
    reply: Reply
    problems: tuple[Diagnostic, ...]  # errors for rejected rows (E214, E215)
    warnings: tuple[Diagnostic, ...]  # E216, E218
    draft: Draft | None


def resolve_form(form: Form, numbering: Numbering | None, *, stage: str, unit: str | None,
                 rejects_name: str, draft_name: str, source_name: str | None = None
                 ) -> Collected:
    """Turn a form's rows into comments and rejected rows. ``numbering`` is the draft the
    form was made on (None: only rows of the whole draft can be read); ``unit`` overrides
    the form's 提出单位; ``rejects_name`` and ``draft_name`` are for messages."""
    name = source_name or form.path.name
    sheet = form.sheet
    numbering = form.numbering or numbering
    warnings: list[Diagnostic] = []
    problems: list[Diagnostic] = []
    comments: list[Comment] = []
    rejects: list[Reject] = []
    unit_name = (unit or form.unit or "").strip()

    def reject(row: Row, code: str, **params: object) -> None:
        diag = diagnostic(code, form.path, row.row, where=form.where(row.row),
                          rejects=rejects_name, **params)
        problems.append(diag)
        problem = diag.message.split("；该行已原样保存")[0]
        rejects.append(Reject(file=name, problem=f"{diag.code} {problem}",
                              cells=tuple(row.cells), sheet=sheet, row=row.row,
                              unit=unit_name or None))

    if form.kind == "xlsx" and not form.has_id_column and form.fingerprint:
        warnings.append(diagnostic("E218", form.path, None, detail=(
            f"{form.where()}：标识列（A 列）已被删除；各行按章条编号对应到{draft_name}的条款")))
    if form.fingerprint and numbering is not None and form.numbering is None \
            and form.fingerprint != numbering.fingerprint:
        warnings.append(diagnostic("E218", form.path, None, detail=(
            f"{form.where()}：这份意见表不是按记录的{draft_name}编号生成的（编号快照不同）；"
            "只写了章条编号的行按记录的编号对应，请核对")))
    order = {cid: i for i, cid in enumerate(numbering.order())} if numbering else {}
    last_rank = -1
    reordered_at: int | None = None
    for row in form.rows:
        comment = row.get("comment")
        proposal = row.get("proposal")
        reason = row.get("reason")
        disposition = row.get("disposition")
        if not (comment or proposal or reason):
            if disposition or row.get("disposition_reason"):
                reject(row, "E214", detail="有处理意见，却没有意见内容")
            continue  # a clause nobody commented on
        if row.merged:
            reject(row, "E214", detail=f"意见在合并单元格中（{row.merged}），无法确定它针对哪一条")
            continue
        if not unit_name and not row.get("unit"):
            reject(row, "E214", detail="没有写提出单位（表头的“提出单位”为空；"
                   "可用 --unit 给出）")
            continue
        typed = row.get("number")
        given_id = row.get("id")
        if given_id:
            entry = numbering.get(given_id) if numbering else None
            if entry is None:
                reject(row, "E214", detail=f"标识“{given_id}”不是{draft_name}中的条款")
                continue
            if typed and numbering is not None and numbering.resolve(typed) != given_id:
                reject(row, "E214", detail=(
                    f"本行的标识对应 {entry.label}，章条编号却是“{typed}”（行被改动或错位）"))
                continue
            clause = given_id
            rank = order.get(clause, -1)
            if rank < last_rank and reordered_at is None:
                reordered_at = row.row
            last_rank = max(last_rank, rank)
        elif is_general(typed):
            clause = GENERAL
        else:
            resolved = numbering.resolve(typed) if numbering else None
            if resolved is None:
                reject(row, "E215", number=typed, draft=draft_name)
                continue
            clause = resolved
        if disposition and disposition not in DISPOSITIONS:
            reject(row, "E214", detail=(f"处理意见“{disposition}”应为采纳、部分采纳或未采纳"))
            continue
        disposition_reason = row.get("disposition_reason") or None
        if disposition in NEEDS_REASON and not disposition_reason:
            disposition = None  # not taken without its reason; the editor decides in the file
            warnings.append(diagnostic("E218", form.path, row.row, detail=(
                f"{form.where(row.row)}：处理意见“{row.get('disposition')}”没有处理理由，"
                "未读入处理意见")))
        for field, label in _TEXT_FIELDS.items():
            value = row.get(field)
            if value.startswith(_FORMULA_LEADS) and (field in row.formulas or
                                                     value.startswith("=")):
                warnings.append(diagnostic("E216", form.path, row.row,
                                           where=form.where(row.row), column=label,
                                           lead=value[0]))
        if not comment:
            comment, proposal = proposal, None
            if not comment:
                comment, reason = reason, None
        number = typed or (numbering.label(clause) if numbering and clause != GENERAL else None)
        comments.append(Comment(
            clause=clause, unit=(row.get("unit") or unit_name).strip(), comment=comment,
            number=number or None, proposal=proposal or None, reason=reason or None,
            source=Source(name, sheet, row.row), disposition=disposition or None,
            disposition_reason=disposition_reason if disposition else None))
    if reordered_at is not None:
        warnings.insert(0, diagnostic("E218", form.path, reordered_at, detail=(
            f"{form.where(reordered_at)}：行的顺序与意见表不同（从这一行起）；"
            "各行按其标识读取，顺序不影响结果")))
    units = {c.unit for c in comments} | {r.unit for r in rejects if r.unit}
    reply = Reply(unit=unit_name or (sorted(units)[0] if units else name),
                  contact=form.contact, date=form.date, file=name,
                  no_comments=not comments and not rejects)
    draft = Draft(stage=form.stage or stage, fingerprint=form.fingerprint) \
        if form.fingerprint else None
    return Collected(form, tuple(comments), tuple(rejects), reply, tuple(problems),
                     tuple(warnings), draft)


def display_name(path: Path, names: Sequence[Path]) -> str:
    """How the comments file names a source: its file name, or more of its path when two
    files collected together share a name."""
    same = [p for p in names if p.name == path.name]
    if len(same) <= 1:
        return path.name
    return path.as_posix()
