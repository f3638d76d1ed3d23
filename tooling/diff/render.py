"""Rendering shared by the revision reports: escaping for HTML and Typst, marked-up diffs,
the merged grid of a changed table, and the plain Chinese label of a change.

Pure: no Sphinx.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence

from ..model import Clause
from .match import char_diff
from .records import (
    ADDED,
    EDITORIAL,
    FRONT_MATTER,
    REF_MARKER,
    REMOVED,
    STRUCTURAL,
    TECHNICAL,
    ChangeRecord,
    EditionDiff,
    Segment,
    TableDiff,
)
from .wording import METADATA_ZH, metadata_value_zh

Href = Callable[[str], str | None]

CATEGORY_ZH = {
    TECHNICAL: "技术性变化", EDITORIAL: "编辑性修改", STRUCTURAL: "结构调整", FRONT_MATTER: "前言",
}


def change_label(r: ChangeRecord) -> str:
    """The 变化类型 column: 新增, 删除, 修改（加严）, 编辑性修改, 移动, 仅编号变化 …"""
    if r.change == ADDED:
        return "新增"
    if r.change == REMOVED:
        return "删除"
    aspects = set(r.aspects)
    if r.category == FRONT_MATTER:
        return "前言"
    if r.category == TECHNICAL:
        label = "修改"
        if "strengthened" in aspects:
            label += "（加严）"
        elif "weakened" in aspects:
            label += "（放宽）"
        return label + ("、移动" if "moved" in aspects else "")
    if r.category == EDITORIAL:
        return "编辑性修改"
    if "moved" in aspects:
        return "移动"
    if "id_changed" in aspects:
        return "标识变更"
    if "type_changed" in aspects:
        return "层次调整"
    if r.renumbered_only:
        return "仅编号变化"
    return "引用编号更新"


# -- HTML -------------------------------------------------------------------------------------


def esc(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def _br(text: str) -> str:
    return esc(text).replace("\n", "<br>")


def segments_html(segments: Iterable[Segment]) -> str:
    out = []
    for op, text in segments:
        if op == "=":
            out.append(_br(text))
        elif op == "-":
            out.append(f"<del>{_br(text)}</del>")
        else:
            out.append(f"<ins>{_br(text)}</ins>")
    return "".join(out)


def _field_segments(r: ChangeRecord | None, name: str, old: str, new: str) -> list[Segment]:
    f = r.field(name) if r else None
    if f is not None and f.diff:
        return list(f.diff)
    if old == new:
        return [("=", new)] if new else []
    return list(char_diff(old, new))


_STYLE = """
body{font-family:"Noto Serif CJK SC","Source Han Serif SC",SimSun,serif;max-width:60em;
margin:0 auto;padding:1em 2em;line-height:1.7;color:#1f2328}
h1{font-size:1.4em}h2{font-size:1.2em}
ins{color:#1a7f37;background:#dafbe1;text-decoration:underline}
del{color:#cf222e;background:#ffebe9;text-decoration:line-through}
nav#toc{border:1px solid #d0d7de;padding:.5em 1em;margin:1em 0;font-size:.92em}
nav#toc ul{padding-left:1.4em;margin:.2em 0}
.el{margin:.35em 0;padding:.1em .6em;border-left:3px solid transparent}
.el.technical{border-left-color:#cf222e}.el.editorial{border-left-color:#bf8700}
.el.structural{border-left-color:#8c959f}.el.front_matter{border-left-color:#0969da}
.el.added{background:#f6fff8}.el.removed{background:#fff8f8}
.num{font-weight:bold;margin-right:.6em}.title{font-weight:bold}
.badge{font-family:sans-serif;font-size:.75em;background:#eaeef2;border-radius:3px;
padding:0 .4em;margin-left:.4em;color:#57606a}
.to-new{font-family:sans-serif;font-size:.75em;margin-left:.6em}
.summary{font-size:.85em;color:#57606a;margin:.1em 0}
.meta{font-size:.85em;margin:.2em 0 .2em 1em}
table{border-collapse:collapse;margin:.4em 0;font-size:.9em}
td,th{border:1px solid #8c959f;padding:.15em .5em;vertical-align:top}
tr.row-added td{background:#dafbe1}tr.row-removed td{background:#ffebe9}
td.col-added{background:#dafbe1}td.col-removed{background:#ffebe9}
.legend{font-size:.9em}
""".strip()


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{esc(title)}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def anchor(old: Clause | None, new: Clause | None) -> str:
    """The HTML anchor of an element of the redline: c-<new id>, or removed-<old id>."""
    if new is not None:
        return f"c-{new.id}"
    assert old is not None
    return f"removed-{old.id}"


def _number_html(old: Clause | None, new: Clause | None) -> str:
    a = old.number if old else None
    b = new.number if new else None
    if new is None:
        return f"<del>{esc(a)}</del>" if a else ""
    if old is None:
        return f"<ins>{esc(b)}</ins>" if b else ""
    if a == b:
        return esc(b)
    return " ".join(x for x in (f"<del>{esc(a)}</del>" if a else "",
                                f"<ins>{esc(b)}</ins>" if b else "") if x)


def _whole(op: str, text: str) -> list[Segment]:
    return [(op, text)] if text else []


def _table_html(old: Clause | None, new: Clause | None, t: TableDiff | None,
                same: Callable[[str, str], bool] | None = None) -> str:
    grid = table_grid(old, new, t, same)
    if not grid:
        return ""
    header = (new or old).header_rows if (new or old) else 0
    rows = []
    for k, (status, cells) in enumerate(grid):
        tag = "th" if k < header else "td"
        cls = {"+": ' class="row-added"', "-": ' class="row-removed"'}.get(status, "")
        tds = []
        for col_status, segments in cells:
            ccls = {"+": ' class="col-added"', "-": ' class="col-removed"'}.get(col_status, "")
            tds.append(f"<{tag}{ccls}>{segments_html(segments)}</{tag}>")
        rows.append(f"<tr{cls}>{''.join(tds)}</tr>")
    return "<table>" + "".join(rows) + "</table>"


Cell = tuple[str, list[Segment]]


def table_grid(old: Clause | None, new: Clause | None, t: TableDiff | None,
               same: Callable[[str, str], bool] | None = None) -> list[tuple[str, list[Cell]]]:
    """Rows of the merged table: (row status, [(column status, segments)]); status is
    "=", "+" (added), "-" (removed). ``same(a, b)``: cells that read the same although
    their text differs (a reference that prints another number), shown unmarked."""
    if t is None:
        clause = new or old
        if clause is None or not clause.rows:
            return []
        op = "+" if old is None else "-" if new is None else "="
        return [(op, [("=", [(op, c)] if c else []) for c in row]) for row in clause.rows]
    assert old is not None and new is not None

    def cell(rows: Sequence[Sequence[str]], r: int | None, c: int | None) -> str:
        if r is None or c is None or r >= len(rows) or c >= len(rows[r]):
            return ""
        return rows[r][c]

    grid = []
    for ro, rn in t.rows:
        row_status = "+" if ro is None else "-" if rn is None else "="
        cells: list[Cell] = []
        for co, cn in t.columns:
            col_status = "+" if co is None else "-" if cn is None else "="
            a, b = cell(old.rows, ro, co), cell(new.rows, rn, cn)
            if row_status == "+" or col_status == "+":
                segments = _whole("+", b)
            elif row_status == "-" or col_status == "-":
                segments = _whole("-", a)
            elif a == b or (same is not None and same(a, b)):
                segments = _whole("=", b)
            else:
                segments = list(char_diff(a, b))
            cells.append((col_status, segments))
        grid.append((row_status, cells))
    return grid


def _meta_html(r: ChangeRecord) -> str:
    items = []
    for f in r.fields:
        if f.field.startswith("metadata."):
            name = f.field.split(".", 1)[1]
            items.append(
                f"<li>{esc(METADATA_ZH.get(name, name))}（{esc(name)}）："
                f"<del>{esc(metadata_value_zh(name, f.old))}</del> → "
                f"<ins>{esc(metadata_value_zh(name, f.new))}</ins></li>")
        elif f.field.startswith("term.") and f.field != "term.term":
            items.append(f"<li>{esc(f.field)}：<del>{esc(_plain(f.old))}</del> → "
                         f"<ins>{esc(_plain(f.new))}</ins></li>")
        elif f.field == "annex_obligation":
            items.append(f"<li>附录性质：<del>{esc(f.old)}</del> → <ins>{esc(f.new)}</ins></li>")
    return f'<ul class="meta">{"".join(items)}</ul>' if items else ""


def _plain(value: object) -> str:
    if value is None:
        return "无"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def _entire(old: Clause | None, new: Clause | None, a: str, b: str,
            r: ChangeRecord | None, name: str) -> list[Segment]:
    """The segments to show for one text field of an element of the merged document."""
    if new is None:
        return _whole("-", a)
    if old is None:
        return _whole("+", b)
    return _field_segments(r, name, a, b)


# -- Typst ------------------------------------------------------------------------------------


def typ(text: str) -> str:
    """Typst markup for literal text: ASCII symbols escaped, line breaks kept."""
    out = []
    for ch in text:
        if ch == "\n":
            out.append(" #linebreak() ")
        elif ch.isascii() and not ch.isalnum() and not ch.isspace():
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def typ_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def segments_typst(segments: Iterable[Segment]) -> str:
    out = []
    for op, text in segments:
        if not text:
            continue
        if op == "=":
            out.append(typ(text))
        elif op == "-":
            out.append(f"#del[{typ(text)}]")
        else:
            out.append(f"#ins[{typ(text)}]")
    return "".join(out)




# -- references ------------------------------------------------------------------------------


class Show:
    """A ⟦reference⟧ marker as each edition prints it."""

    def __init__(self, d: EditionDiff) -> None:
        assert d.old is not None and d.new is not None
        self.old, self.new = d.old, d.new
        self.to_old = {n: o for o, n in d.alignment if o is not None and n is not None}

    def marker(self, token: str, side: str) -> str:
        if token.startswith("old:"):
            ident = token[4:]
            return self.old.reference_text(ident) if ident in self.old else ident
        ident = token.removeprefix("new:")
        if side == "old" and ident in self.to_old:
            return self.old.reference_text(self.to_old[ident])
        return self.new.reference_text(ident) if ident in self.new else ident

    def text(self, text: str, side: str) -> str:
        return REF_MARKER.sub(lambda m: self.marker(m.group(1), side), text)

    def same(self, old_text: str, new_text: str) -> bool:
        """Whether two printed texts say the same once references are read as what they
        point at (见7.4.2 in the old edition and 见8.4.2 in the new one)."""
        refs = self.__dict__.get("_refs")
        if refs is None:
            from .match import _Refs

            common = {o: n for n, o in self.to_old.items()}
            refs = (_Refs(self.old, common, "old:"),
                    _Refs(self.new, {n: n for n in self.to_old}, "new:"))
            self.__dict__["_refs"] = refs
        return bool(refs[0].literal(old_text) == refs[1].literal(new_text))



def shown_segments(r: ChangeRecord | None, name: str, old: str, new: str, show: Show
                   ) -> list[Segment]:
    """The diff of one text field for a merged view (the new text with deletions in place):
    from the diff over ⟦references⟧ when the record has one, so a reference that only prints
    another number is not marked; deleted text prints the old edition's numbers."""
    f = r.field(name) if r else None
    if f is not None and f.ref_diff:
        segments = [(op, show.text(t, "old" if op == "-" else "new")) for op, t in f.ref_diff]
        if "".join(t for op, t in segments if op != "-") == new:
            return segments
    return _field_segments(r, name, old, new)
