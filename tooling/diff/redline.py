"""The redline: the new edition with what changed marked, for reviewers (and a detail view).

- :func:`redline_html` / :func:`redline_fragment` — one HTML page (or a block for the HTML
  edition's 修订对照 page). The reviewer view starts with the new 前言 and its generated list
  of changes, then shows, chapter by chapter, only what changed: each provision with its list
  items, insertions (``<ins>``) and deletions (``<del>``) marked, a plain-words line saying
  what changed, and the 前言 item it belongs to; clauses that were only renumbered are one line
  per chapter. No ids, field names or similarity scores: those are in ``diff.json`` and in
  the detail view (``detail=True``, ``stdkit diff --detail``), which shows every element.
- :func:`redline_typst` — the same as a Typst document, for ``redline.pdf``.

Pure: no Sphinx.
"""

from __future__ import annotations

import re

from .. import model
from ..model import Clause
from .foreword import (
    CITED,
    CONSEQUENCE,
    EDITORIAL_ONLY,
    LISTED,
    METADATA,
    OMITTED,
    ChangeList,
    letter,
)
from .foreword import change_list as make_change_list
from .records import CHANGED, STRUCTURAL, ChangeRecord, EditionDiff, Segment
from .render import (
    _STYLE,
    METADATA_ZH,
    Href,
    Show,
    _entire,
    _meta_html,
    _number_html,
    _page,
    _table_html,
    anchor,
    change_label,
    esc,
    metadata_value_zh,
    segments_html,
    segments_typst,
    shown_segments,
    table_grid,
    typ,
    typ_string,
)
from .wording import merged

# -- detail view (every element, developer detail) ----------------------------------------

def _element_html(old: Clause | None, new: Clause | None, r: ChangeRecord | None,
                  href: Href) -> str:
    clause = new or old
    assert clause is not None
    status = r.change if r else "unchanged"
    cat = r.category if r else "unchanged"
    classes = f"el {esc(status)} {esc(cat)} type-{esc(clause.element_type)}"
    parts = [f'<div class="{classes}" id="{esc(anchor(old, new))}">', '<div class="head">']
    number = _number_html(old, new)
    if number:
        parts.append(f'<span class="num">{number}</span>')
    if clause.term is not None or (old and old.term is not None):
        a = old.term.term if old and old.term else ""
        b = new.term.term if new and new.term else ""
        segs = _entire(old, new, a, b, r, "term.term")
        parts.append(f'<span class="title">{segments_html(segs)}</span>')
        en_a = old.term.en if old and old.term else ""
        en_b = new.term.en if new and new.term else ""
        if en_a or en_b:
            segs = _entire(old, new, en_a or "", en_b or "", r, "term.en")
            parts.append(f" <span class=\"en\">{segments_html(segs)}</span>")
    else:
        a, b = (old.title if old else ""), (new.title if new else "")
        if a or b:
            segs = _entire(old, new, a, b, r, "title")
            parts.append(f'<span class="title">{segments_html(segs)}</span>')
    if r is not None:
        parts.append(f'<span class="badge">{esc(change_label(r))}</span>')
    if new is not None:
        link = href(new.id)
        if link:
            parts.append(f'<a class="to-new" href="{esc(link)}">新版</a>')
    parts.append("</div>")
    if r is not None and r.summary and r.change == CHANGED and not r.renumbered_only:
        parts.append(f'<p class="summary">{esc(r.summary)}</p>')
    if not clause.rows and not (old and old.rows):
        a, b = (old.text if old else ""), (new.text if new else "")
        segs = _entire(old, new, a, b, r, "text")
        if segs:
            parts.append(f'<p class="text">{segments_html(segs)}</p>')
    for name, label in (("notes", "注"), ("examples", "示例")):
        a = "\n".join(getattr(old, name)) if old else ""
        b = "\n".join(getattr(new, name)) if new else ""
        segs = _entire(old, new, a, b, r, name)
        if segs:
            parts.append(f'<p class="{name}">{label}：{segments_html(segs)}</p>')
    rows_field = r.field("rows") if r else None
    parts.append(_table_html(old, new, rows_field.table if rows_field else None))
    if r is not None:
        parts.append(_meta_html(r))
    parts.append("</div>")
    return "".join(parts)


def _toc(d: EditionDiff) -> str:
    """One entry per top-level element, and below it the records that are not only
    structural (moves are listed)."""
    assert d.new is not None and d.old is not None
    tops: list[tuple[str, str, list[str]]] = []
    current: list[str] | None = None
    for old, new, r in merged(d):
        clause = new or old
        assert clause is not None
        edition = d.new if new is not None else d.old
        if edition.parent(clause.id) is None:
            current = []
            label = (edition.reference_text(clause.id) + " " if clause.number else "")
            tops.append((anchor(old, new), label + clause.title, current))
        if r is None or current is None:
            continue
        if r.category == STRUCTURAL and "moved" not in r.aspects:
            continue
        if edition.parent(clause.id) is None and not r.summary:
            continue
        where = (r.new or r.old).reference if (r.new or r.old) else ""
        current.append(
            f'<li><a href="#{esc(anchor(old, new))}">{esc(where)}</a> '
            f'<span class="badge">{esc(change_label(r))}</span> {esc(r.summary)}</li>')
    items = []
    for a, label, entries in tops:
        sub = f"<ul>{''.join(entries)}</ul>" if entries else ""
        items.append(f'<li><a href="#{esc(a)}">{esc(label)}</a>{sub}</li>')
    return f'<nav id="toc"><h2>目录（变化）</h2><ul>{"".join(items)}</ul></nav>'


def _detail_body(d: EditionDiff, href: Href, changes: ChangeList) -> str:
    title = f"修订对照：{d.old_info.number} → {d.new_info.number}"
    c = d.counts()
    head = (
        f"<header><h1>{esc(title)}</h1>"
        f"<p>{esc(d.new_info.title_zh)}</p>"
        f"<p>新增 {c['added']}，删除 {c['removed']}，技术性变化 {c['technical']}，"
        f"编辑性修改 {c['editorial']}，结构调整 {c['structural']}，未变 {c['unchanged']}。</p>"
        '<p class="legend">图例：<ins>增加的文字</ins>　<del>删除的文字</del>　'
        "左边线：红色为技术性变化，黄色为编辑性修改，灰色为结构调整（编号、位置、引用）。</p>"
        "</header>"
    )
    keys = "".join(
        f"<li>{esc(letter(i))} <code>{esc(', '.join(item.changes))}</code> {esc(item.full)}</li>"
        for i, item in enumerate(changes.items))
    statuses = "".join(
        f"<li><code>{esc(c.key)}</code> {esc(c.status)}"
        f"{'（' + esc(c.reason) + '）' if c.reason else ''}</li>"
        for c in changes.changes if c.status not in (LISTED,))
    body = [head, f'<section id="foreword-keys"><h2>前言的主要技术变化及其标识（changes.yaml 的键）'
            f'</h2><ul class="keys" style="list-style:none">{keys}</ul>'
            f"<ul>{statuses}</ul></section>", _toc(d), "<main>"]
    for old, new, r in merged(d):
        body.append(_element_html(old, new, r, href))
    body.append("</main>")
    return "\n".join(body)


_TYPST_PREAMBLE = """// Generated by stdkit: revision redline (no imports, no packages).
#set document(title: {title}, date: {date})
#set page(paper: "a4", margin: (x: 2cm, y: 2.2cm), numbering: "1")
#set text(font: ({serif},), size: 10.5pt, lang: "zh", region: "cn", cjk-latin-spacing: none)
#set par(justify: true, leading: 0.75em)
#show heading: set text(font: ({sans},), weight: "bold")
#let ins(body) = text(fill: rgb("#1a7f37"), underline(stroke: 0.6pt + rgb("#1a7f37"), body))
#let del(body) = text(fill: rgb("#cf222e"), strike(stroke: 0.6pt + rgb("#cf222e"), body))
#let badge(body) = box(inset: (x: 3pt, y: 1pt), radius: 2pt, fill: luma(232),
  text(font: ({sans},), size: 7.5pt, fill: luma(70), body))
#let summary(body) = block(spacing: 0.4em, text(size: 8.5pt, fill: luma(90), body))
"""


def _date(d: EditionDiff) -> str:
    from ..typeset import typst_date

    return typst_date(d.new_info.issued, d.new_info.implemented)


def _detail_typst(d: EditionDiff, serif: str, sans: str) -> str:
    """The redline as Typst source: insertions underlined in green, deletions struck through
    in red; fonts by family name. Compile with ``typst.compile``."""
    assert d.old is not None and d.new is not None
    title = f"修订对照：{d.old_info.number} → {d.new_info.number}"
    c = d.counts()
    parts = [
        _TYPST_PREAMBLE.format(title=typ_string(title), date=_date(d), serif=typ_string(serif),
                               sans=typ_string(sans)),
        f"#align(center, text(font: ({typ_string(sans)},), size: 16pt)[{typ(title)}])",
        f"#align(center)[{typ(d.new_info.title_zh)}]",
        "",
        typ(f"新增 {c['added']}，删除 {c['removed']}，技术性变化 {c['technical']}，"
            f"编辑性修改 {c['editorial']}，结构调整 {c['structural']}，未变 {c['unchanged']}。")
        + " 图例：#ins[增加的文字] #del[删除的文字]",
        "",
        "#outline(depth: 1)",
        "",
    ]
    for old, new, r in merged(d):
        parts.append(_element_typst(d, old, new, r))
    return "\n".join(parts) + "\n"


def _element_typst(d: EditionDiff, old: Clause | None, new: Clause | None,
                   r: ChangeRecord | None) -> str:
    clause = new or old
    assert clause is not None and d.new is not None and d.old is not None
    edition = d.new if new is not None else d.old
    depth = 0
    parent = edition.parent(clause.id)
    while parent is not None:
        depth += 1
        parent = edition.parent(parent.id)
    num_a, num_b = (old.number if old else None), (new.number if new else None)
    if new is None:
        number = f"#del[{typ(num_a)}]" if num_a else ""
    elif old is None:
        number = f"#ins[{typ(num_b)}]" if num_b else ""
    elif num_a != num_b:
        number = " ".join(x for x in (f"#del[{typ(num_a)}]" if num_a else "",
                                      f"#ins[{typ(num_b)}]" if num_b else "") if x)
    else:
        number = typ(num_b or "")
    if clause.term is not None or (old is not None and old.term is not None):
        a = old.term.term if old and old.term else ""
        b = new.term.term if new and new.term else ""
        title = segments_typst(_entire(old, new, a, b, r, "term.term"))
    else:
        title = segments_typst(_entire(old, new, old.title if old else "",
                                       new.title if new else "", r, "title"))
    badge = f" #badge[{typ(change_label(r))}]" if r is not None else ""
    lines = []
    is_heading = clause.element_type in (
        model.CHAPTER, model.CLAUSE, model.ANNEX, model.FOREWORD, model.INTRODUCTION,
        model.BIBLIOGRAPHY, model.INDEX)
    if is_heading:
        level = min(depth + 1, 6)
        lines.append(f"#heading(level: {level}, outlined: {'true' if depth == 0 else 'false'})"
                     f"[{number} {title}]{badge}")
    text = ""
    if not clause.rows and not (old and old.rows):
        segs = _entire(old, new, old.text if old else "", new.text if new else "", r, "text")
        text = segments_typst(segs)
    if not is_heading:
        # Number, title and text of a 条 or list item run on as one paragraph.
        head = f"*{number}*" if number else ""
        if title:
            head += f" {title}"
        first = " #h(0.5em) ".join(x for x in (head, text) if x)
        if first or badge:
            lines.append(f"{first}{badge}")
    if r is not None and r.change == CHANGED and r.summary and not r.renumbered_only:
        lines.append(f"#summary[{typ(r.summary)}]")
    if is_heading and text:
        lines.append(text)
    for name, label in (("notes", "注："), ("examples", "示例：")):
        a = "\n".join(getattr(old, name)) if old else ""
        b = "\n".join(getattr(new, name)) if new else ""
        segs = _entire(old, new, a, b, r, name)
        if segs:
            lines.append(f"#text(size: 9pt)[{typ(label)}{segments_typst(segs)}]")
    rows_field = r.field("rows") if r else None
    grid = table_grid(old, new, rows_field.table if rows_field else None)
    if grid:
        header = clause.header_rows
        cells = []
        for k, (status, row) in enumerate(grid):
            for _col, segs in row:
                content = segments_typst(segs)
                if k < header:
                    content = f"*{content}*" if content else ""
                fill = {"+": "rgb(\"#dafbe1\")", "-": "rgb(\"#ffebe9\")"}.get(status)
                cells.append(f"table.cell(fill: {fill})[{content}]" if fill else f"[{content}]")
        columns = len(grid[0][1]) or 1
        lines.append(f"#text(size: 9pt, table(columns: {columns}, {', '.join(cells)}))")
    if r is not None:
        for f in r.fields:
            if f.field.startswith("metadata."):
                name = f.field.split(".", 1)[1]
                lines.append(
                    f"#text(size: 9pt)[{typ(METADATA_ZH.get(name, name))}："
                    f"#del[{typ(metadata_value_zh(name, f.old))}] → "
                    f"#ins[{typ(metadata_value_zh(name, f.new))}]]")
    indent = min(depth, 4) * 1.0
    body = "\n\n".join(lines)
    if indent and not is_heading:
        return f"#pad(left: {indent:g}em)[\n{body}\n]\n"
    return body + "\n"



# -- reviewer view -----------------------------------------------------------------------------

_REVIEW_STYLE = """
body{font-family:"Noto Serif CJK SC","Source Han Serif SC",SimSun,serif;max-width:58em;
margin:0 auto;padding:1em 2em;line-height:1.75;color:#1f2328}
h1{font-size:1.4em;margin:.3em 0}h2{font-size:1.15em;margin:1.4em 0 .4em;
border-bottom:1px solid #d0d7de;padding-bottom:.15em}
h3{font-size:1em;margin:.9em 0 .3em;color:#444}
ins{color:#1a7f37;background:#dafbe1;text-decoration:underline}
del{color:#cf222e;background:#ffebe9;text-decoration:line-through}
.counts,.legend{font-size:.92em;margin:.2em 0}
section.foreword{border:1px solid #d0d7de;border-radius:4px;padding:.4em 1.2em;margin:1em 0}
section.foreword p{margin:.3em 0;text-indent:2em}
ol.changes{list-style:none;padding-left:2em;margin:.2em 0}
ol.changes li{margin:.15em 0;text-indent:-1.6em;padding-left:1.6em;text-align:start}
ol.changes .letter{display:inline-block;min-width:1.6em;text-indent:0}
.card{margin:.6em 0;padding:.2em .8em;border-left:4px solid #8c959f}
.card.listed,.card.omitted{border-left-color:#cf222e}.card.cited,.card.consequence{border-left-color:#0969da}
.card.editorial,.card.metadata{border-left-color:#bf8700}.card.structural{border-left-color:#8c959f}
.card p{margin:.2em 0}
.num{font-weight:bold;margin-right:.5em}.title{font-weight:bold}
.badge{font-family:sans-serif;font-size:.75em;background:#eaeef2;border-radius:3px;
padding:0 .4em;margin-left:.5em;color:#444;white-space:nowrap}
.where{font-family:sans-serif;font-size:.78em;margin-left:.5em}
.why{font-size:.88em;color:#57606a}
.item{padding-left:2em}
.quiet{font-size:.88em;color:#57606a;margin:.3em 0}
table{border-collapse:collapse;margin:.4em 0;font-size:.9em}
td,th{border:1px solid #8c959f;padding:.15em .5em;vertical-align:top}
tr.row-added td{background:#dafbe1}tr.row-removed td{background:#ffebe9}
td.col-added{background:#dafbe1}td.col-removed{background:#ffebe9}
""".strip()

_BADGE = {
    LISTED: "修改", CITED: "随之修改", CONSEQUENCE: "术语更名", EDITORIAL_ONLY: "编辑性修改",
    METADATA: "仅元数据变化", OMITTED: "修改", STRUCTURAL: "移动",
}


class _Card:
    """One provision that changed (with its list items), as a reviewer sees it."""

    def __init__(self, old: Clause | None, new: Clause | None) -> None:
        self.old, self.new = old, new
        self.record: ChangeRecord | None = None
        self.items: list[tuple[Clause | None, Clause | None, ChangeRecord | None]] = []
        self.records: list[ChangeRecord] = []
        self.change = None
        self.context: tuple[str, str] | None = None  # the titled clause it is under
        self.top = False  # the chapter or annex itself (its section's heading names it)

    @property
    def anchor(self) -> str:
        return anchor(self.old, self.new)

    def shown(self) -> bool:
        return any(r.category != STRUCTURAL or "moved" in r.aspects for r in self.records)


class _Section:
    """A chapter or annex of the merged document, with its cards."""

    def __init__(self, old: Clause | None, new: Clause | None) -> None:
        self.old, self.new = old, new
        self.cards: list[_Card] = []
        self.renumbered = 0  # elements only renumbered
        self.references = 0  # elements whose references print other numbers
        self.record: ChangeRecord | None = None


def _sections(d: EditionDiff, changes: ChangeList) -> list[_Section]:
    old_ed, new_ed = d.old, d.new
    assert old_ed is not None and new_ed is not None
    key_of = {}
    for c in changes.changes:
        for r in c.records:
            key_of[id(r)] = c
    sections: list[_Section] = []
    cards: dict[tuple[str | None, str | None], _Card] = {}
    to_new = {o: n for o, n in d.alignment if o is not None and n is not None}
    to_old = {n: o for o, n in to_new.items()}

    def holder(edition, clause: Clause) -> Clause:
        while clause.element_type == model.LIST_ITEM:
            parent = edition.parent(clause.id)
            if parent is None:
                break
            clause = parent
        return clause

    def pair(edition, clause_id: str) -> tuple[str | None, str | None]:
        if edition is new_ed:
            return to_old.get(clause_id), clause_id
        return clause_id, to_new.get(clause_id)

    for old, new, r in merged(d):
        clause = new or old
        assert clause is not None
        edition = new_ed if new is not None else old_ed
        if clause.element_type == model.FOREWORD:
            continue
        if edition.parent(clause.id) is None:
            section = _Section(old, new)
            section.record = r
            sections.append(section)
        if not sections:
            continue
        section = sections[-1]
        h = holder(edition, clause)
        key = pair(edition, h.id)
        if clause is h:
            card = cards.get(key)
            if card is None:
                card = cards[key] = _Card(old_ed[key[0]] if key[0] else None,
                                          new_ed[key[1]] if key[1] else None)
                section.cards.append(card)
                titled = edition.parent(h.id)
                while titled is not None and not titled.title:
                    titled = edition.parent(titled.id)
                if titled is not None and edition.parent(titled.id) is not None:
                    # Under the heading as the new edition numbers it, where it still is.
                    if edition is old_ed and titled.id in to_new:
                        titled = new_ed[to_new[titled.id]]
                        card.context = (new_ed.reference_text(titled.id), titled.title)
                    else:
                        card.context = (edition.reference_text(titled.id), titled.title)
                card.top = edition.parent(h.id) is None
            card.record = r
        else:
            card = cards.get(key)
            if card is None:
                card = cards[key] = _Card(old_ed[key[0]] if key[0] else None,
                                          new_ed[key[1]] if key[1] else None)
                section.cards.append(card)
            card.items.append((old, new, r))
        if r is not None:
            card.records.append(r)
            if card.change is None and id(r) in key_of:
                card.change = key_of[id(r)]
            if r.category == STRUCTURAL and "moved" not in r.aspects:
                if "references_renumbered" in r.aspects:
                    section.references += 1
                else:
                    section.renumbered += 1
    for section in sections:
        section.cards = [c for c in section.cards if c.shown()]
    return sections


def _explanation(card: _Card, changes: ChangeList, d: EditionDiff) -> tuple[str, str, str | None]:
    """(badge, plain words, 前言 letter) for a card."""
    c = card.change
    r = card.record
    if c is None:
        if r is not None and "moved" in r.aspects and r.old and r.new:
            return "移动", f"条文未变，由{r.old.reference}移至{r.new.reference}", None
        return "", "", None
    where = changes.item_of(c.key) or (changes.item_of(c.cause) if c.cause else None)
    mark = letter(where[0]) if where else None
    own = c.new_id == (card.new.id if card.new else None) and \
        c.old_id == (card.old.id if card.old else None)
    if c.change in ("added", "removed"):
        badge = "新增" if c.change == "added" else "删除"
        return badge, (c.phrase if own else ""), mark
    badge = _BADGE.get(c.status, "修改")
    if c.status == LISTED and r is not None and r.obligation is not None:
        badge += "（加严）" if r.obligation.direction == "strengthened" else "（放宽）"
    words = {LISTED: c.phrase, OMITTED: c.phrase}.get(c.status, c.reason)
    if r is not None and "moved" in r.aspects and r.old and r.new:
        words += f"；由{r.old.reference}移至{r.new.reference}"
    return badge, words, mark


def _foreword_html(d: EditionDiff, changes: ChangeList) -> str:
    """The new 前言 with its list of changes, each item linking to its first card."""
    new = d.new
    assert new is not None
    text = next((c.text for c in new.walk() if c.element_type == model.FOREWORD), "")
    lines = [line for line in text.split("\n") if line.strip()]
    lead = next((i for i, line in enumerate(lines) if line.endswith("主要技术变化如下：")), None)
    if lead is None:
        from .foreword import lead_sentence

        lines.insert(min(1, len(lines)), lead_sentence(d, bool(changes.items)))
        lead = min(1, len(lines) - 1)
    from ..model.foreword import list_items

    items = []
    for i, (item, text_item) in enumerate(zip(changes.items, list_items(changes.texts()),
                                              strict=True)):
        first = changes.change(item.changes[0])
        target = (f"c-{first.new_id}" if first and first.new_id
                  else f"removed-{first.old_id}" if first else "")
        body = esc(text_item)
        refs = esc(item.refs)
        if target and refs and refs in body:
            # The reference leads to the change in this page.
            body = body.replace(refs, f'<a href="#{esc(target)}">{refs}</a>', 1)
        items.append(f'<li id="foreword-{esc(letter(i).rstrip(")"))}">'
                     f'<span class="letter">{esc(letter(i))}</span>{body}</li>')
    out = ['<section class="foreword" id="foreword">'
           "<h2>前言（新版，主要技术变化由本对比生成）</h2>"]
    for i, line in enumerate(lines):
        out.append(f"<p>{esc(line)}</p>")
        if i == lead and items:
            out.append(f'<ol class="changes">{"".join(items)}</ol>')
    out.append("</section>")
    return "".join(out)


def _counts(d: EditionDiff, changes: ChangeList) -> str:
    status = [c.status for c in changes.changes]
    renumbered = sum(1 for r in d.records if r.category == STRUCTURAL and "moved" not in r.aspects)
    return (f"列入前言的主要技术变化 {len(changes.items)} 项（涉及 "
            f"{sum(1 for s in status if s in (LISTED, CITED))} 处条文），"
            f"随术语更名而改 {status.count(CONSEQUENCE)} 处，编辑性修改 "
            f"{status.count(EDITORIAL_ONLY)} 处，仅元数据变化 {status.count(METADATA)} 处；"
            f"另有 {renumbered} 个要素仅编号或所引编号变化，按章合并为一行。")


def _card_html(card: _Card, changes: ChangeList, d: EditionDiff, href: Href,
               show: Show) -> str:
    badge, words, mark = _explanation(card, changes, d)
    c = card.change
    status = c.status if c is not None else STRUCTURAL
    if c is not None and c.change in ("added", "removed"):
        status = LISTED
    old, new, r = card.old, card.new, card.record
    clause = new or old
    assert clause is not None
    parts = [f'<div class="card {esc(status)}" id="{esc(card.anchor)}"><p class="head">']
    number = "" if card.top else _number_html(old, new)
    if number:
        parts.append(f'<span class="num">{number}</span>')
    if card.top:
        pass
    elif clause.term is not None or (old is not None and old.term is not None):
        a = old.term.term if old and old.term else ""
        b = new.term.term if new and new.term else ""
        parts.append(f'<span class="title">{segments_html(_entire(old, new, a, b, r, "term.term"))}'
                     "</span>")
    elif (old and old.title) or (new and new.title):
        segs = _entire(old, new, old.title if old else "", new.title if new else "", r, "title")
        parts.append(f'<span class="title">{segments_html(segs)}</span>')
    if badge:
        parts.append(f'<span class="badge">{esc(badge)}</span>')
    if mark:
        parts.append(f'<a class="where" href="#foreword-{esc(mark.rstrip(")"))}">前言{esc(mark)}'
                     "</a>")
    if new is not None:
        link = href(new.id)
        if link:
            parts.append(f'<a class="where" href="{esc(link)}">新版</a>')
    parts.append("</p>")
    if not clause.rows and not (old and old.rows):
        a, b = (old.text if old else ""), (new.text if new else "")
        segs = _merged_text(old, new, a, b, r, "text", show)
        if segs:
            parts.append(f"<p>{segments_html(segs)}</p>")
    for o_item, n_item, rec in card.items:
        a, b = (o_item.text if o_item else ""), (n_item.text if n_item else "")
        number = _item_label(o_item, n_item)
        segs = _merged_text(o_item, n_item, a, b, rec, "text", show)
        parts.append(f'<p class="item">{number} {segments_html(segs)}</p>')
    for name, word in (("notes", "注"), ("examples", "示例")):
        a = "\n".join(getattr(old, name)) if old else ""
        b = "\n".join(getattr(new, name)) if new else ""
        segs = _entire(old, new, a, b, r, name)
        if segs:
            parts.append(f'<p class="why">{word}：{segments_html(segs)}</p>')
    rows_field = r.field("rows") if r else None
    parts.append(_table_html(old, new, rows_field.table if rows_field else None, show.same))
    if words:
        parts.append(f'<p class="why">{esc(words)}</p>')
    parts.append("</div>")
    return "".join(parts)


def _own_heading(card: _Card) -> tuple[str, str] | None:
    """A card that is a titled clause is the heading of the cards under it."""
    clause = card.new or card.old
    if clause is None or not clause.title or clause.element_type != model.CLAUSE \
            or not clause.number:
        return None
    return clause.number, clause.title


def _item_label(old: Clause | None, new: Clause | None) -> str:
    """a) — b) for an item whose letter changed; just the label otherwise."""
    def label(c: Clause | None) -> str:
        number = c.number if c is not None and c.number else ""
        return number.rsplit(" ", 1)[-1]

    a, b = label(old), label(new)
    if new is None:
        return f"<del>{esc(a)}</del>"
    if old is None:
        return f"<ins>{esc(b)}</ins>"
    if a == b:
        return esc(b)
    return f"<del>{esc(a)}</del><ins>{esc(b)}</ins>"


def _merged_text(old: Clause | None, new: Clause | None, a: str, b: str,
                 r: ChangeRecord | None, name: str, show: Show) -> list[Segment]:
    if new is None:
        return [("-", a)] if a else []
    if old is None:
        return [("+", b)] if b else []
    if a == b:
        return [("=", b)] if b else []
    return shown_segments(r, name, a, b, show)


def _section_head_html(section: _Section) -> str:
    old, new = section.old, section.new
    clause = new or old
    assert clause is not None
    number = _number_html(old, new)
    if clause.element_type == model.ANNEX:
        number = f"附录{number}"
    elif clause.number and clause.number.isdigit():
        number = f"第{number}章"
    a, b = (old.title if old else ""), (new.title if new else "")
    title = segments_html(_entire(old, new, a, b, section.record, "title"))
    return f"<h2>{number}　{title}</h2>"


def _quiet_line(section: _Section) -> str:
    parts = []
    if section.renumbered:
        parts.append(f"{section.renumbered} 个要素仅编号变化")
    if section.references:
        parts.append(f"{section.references} 个要素所引条款的编号随之变化")
    clause = section.new or section.old
    unit = "本附录" if clause is not None and clause.element_type == model.ANNEX else "本章"
    if not parts:
        return "" if section.cards else f'<p class="quiet">{unit}未变。</p>'
    lead = "另有" if section.cards else unit
    return f'<p class="quiet">{lead}{"，".join(parts)}，条文未变。</p>'


def _review_body(d: EditionDiff, href: Href, changes: ChangeList) -> str:
    from .render import Show

    show = Show(d)
    title = f"修订对照：{d.old_info.number} → {d.new_info.number}"
    out = [
        f"<header><h1>{esc(title)}</h1><p>{esc(d.new_info.title_zh)}</p>",
        f'<p class="counts">{esc(_counts(d, changes))}</p>',
        '<p class="legend">图例：<ins>增加的文字</ins>　<del>删除的文字</del>。'
        "左边线：红色为列入前言的变化，蓝色为随之修改或随术语更名，黄色为编辑性修改或仅元数据变化，"
        "灰色为移动。</p></header>",
        _foreword_html(d, changes),
        "<main>",
    ]
    for section in _sections(d, changes):
        out.append('<section class="chapter">' + _section_head_html(section))
        context = None
        for card in section.cards:
            if card.context and card.context != context and True:
                out.append(f"<h3>{esc(card.context[0])}　{esc(card.context[1])}</h3>")
            context = card.context or (_own_heading(card) or context)
            out.append(_card_html(card, changes, d, href, show))
        out.append(_quiet_line(section))
        out.append("</section>")
    out.append("</main>")
    return "\n".join(x for x in out if x)


def _scoped(style: str) -> str:
    """A stylesheet whose rules apply inside ``.stdkit-redline`` only (a page of the HTML
    edition carries the redline as one block)."""
    return re.sub(r"(^|\})\s*([^{}@]+)\{", lambda m: m.group(1) + "\n" + ", ".join(
        f".stdkit-redline {sel.strip()}" for sel in m.group(2).split(",")) + " {", style)


def redline_body(d: EditionDiff, href: Href, changes: ChangeList | None = None, *,
                 detail: bool = False) -> str:
    if detail:
        return _detail_body(d, href, changes or make_change_list(d))
    return _review_body(d, href, changes or make_change_list(d))


def redline_html(d: EditionDiff, href: Href, changes: ChangeList | None = None, *,
                 detail: bool = False) -> str:
    """The redline as one page: the reviewer view, or every element (``detail``)."""
    title = f"修订对照：{d.old_info.number} → {d.new_info.number}"
    body = redline_body(d, href, changes, detail=detail)
    page = _page(title, body)
    if not detail:
        page = page.replace(f"<style>\n{_STYLE}\n</style>", f"<style>\n{_REVIEW_STYLE}\n</style>")
    return page


def redline_fragment(d: EditionDiff, href: Href, changes: ChangeList | None = None, *,
                     detail: bool = False) -> str:
    """The redline for a page of the HTML edition: its own styles, scoped to one block."""
    style = _scoped(_STYLE if detail else _REVIEW_STYLE)
    return (f'<style>\n{style}\n</style>\n<div class="stdkit-redline">\n'
            f"{redline_body(d, href, changes, detail=detail)}\n</div>")


# -- reviewer view as Typst (redline.pdf) ----------------------------------------------------

_REVIEW_TYPST = """// Generated by stdkit: revision redline (no imports, no packages).
#set document(title: {title}, date: {date})
#set page(paper: "a4", margin: (x: 2cm, y: 2.2cm), numbering: "1")
#set text(font: ({serif},), size: 10.5pt, lang: "zh", region: "cn", cjk-latin-spacing: none)
#set par(justify: true, leading: 0.75em)
#show heading: set text(font: ({sans},), weight: "bold")
#show heading.where(level: 1): set text(size: 13pt)
#show heading.where(level: 2): set text(size: 11pt)
#let ins(body) = text(fill: rgb("#1a7f37"), underline(stroke: 0.6pt + rgb("#1a7f37"), body))
#let del(body) = text(fill: rgb("#cf222e"), strike(stroke: 0.6pt + rgb("#cf222e"), body))
#let badge(body) = box(inset: (x: 3pt, y: 1pt), radius: 2pt, fill: luma(232),
  text(font: ({sans},), size: 7.5pt, fill: luma(60), body))
#let why(body) = block(spacing: 0.5em, text(size: 8.5pt, fill: luma(90), body))
#let quiet(body) = block(spacing: 0.6em, text(size: 9pt, fill: luma(100), body))
#let card(colour, body, whole: true) = block(width: 100%, inset: (left: 8pt, y: 2pt),
  spacing: 0.9em, stroke: (left: 2.5pt + colour), breakable: not whole, body)
"""
_COLOUR = {LISTED: "rgb(\"#cf222e\")", OMITTED: "rgb(\"#cf222e\")",
           CITED: "rgb(\"#0969da\")", CONSEQUENCE: "rgb(\"#0969da\")",
           EDITORIAL_ONLY: "rgb(\"#bf8700\")", METADATA: "rgb(\"#bf8700\")",
           STRUCTURAL: "luma(140)"}


def _number_typst(old: Clause | None, new: Clause | None) -> str:
    a = old.number if old else None
    b = new.number if new else None
    if new is None:
        return f"#del[{typ(a)}]" if a else ""
    if old is None:
        return f"#ins[{typ(b)}]" if b else ""
    if a == b:
        return typ(b or "")
    return " ".join(x for x in (f"#del[{typ(a)}]" if a else "",
                                f"#ins[{typ(b)}]" if b else "") if x)


def _card_typst(card: _Card, changes: ChangeList, d: EditionDiff, show: Show) -> str:
    badge, words, mark = _explanation(card, changes, d)
    c = card.change
    status = c.status if c is not None else STRUCTURAL
    if c is not None and c.change in ("added", "removed"):
        status = LISTED
    old, new, r = card.old, card.new, card.record
    clause = new or old
    assert clause is not None
    head = []
    number = "" if card.top else _number_typst(old, new)
    if number:
        head.append(f"*{number}*")
    if card.top:
        pass
    elif clause.term is not None or (old is not None and old.term is not None):
        a = old.term.term if old and old.term else ""
        b = new.term.term if new and new.term else ""
        head.append(f"*{segments_typst(_entire(old, new, a, b, r, 'term.term'))}*")
    elif (old and old.title) or (new and new.title):
        segs = _entire(old, new, old.title if old else "", new.title if new else "", r, "title")
        head.append(f"*{segments_typst(segs)}*")
    if badge:
        head.append(f"#badge[{typ(badge)}]")
    if mark:
        head.append(f"#badge[{typ('前言' + mark)}]")
    lines = [" ".join(head)]
    if not clause.rows and not (old and old.rows):
        a, b = (old.text if old else ""), (new.text if new else "")
        segs = _merged_text(old, new, a, b, r, "text", show)
        if segs:
            lines.append(segments_typst(segs))
    for o_item, n_item, rec in card.items:
        a, b = (o_item.text if o_item else ""), (n_item.text if n_item else "")
        label = _item_label_typst(o_item, n_item)
        segs = _merged_text(o_item, n_item, a, b, rec, "text", show)
        lines.append(f"#pad(left: 2em)[{label} {segments_typst(segs)}]")
    for name, word in (("notes", "注："), ("examples", "示例：")):
        a = "\n".join(getattr(old, name)) if old else ""
        b = "\n".join(getattr(new, name)) if new else ""
        segs = _entire(old, new, a, b, r, name)
        if segs:
            lines.append(f"#text(size: 9pt)[{typ(word)}{segments_typst(segs)}]")
    rows_field = r.field("rows") if r else None
    grid = table_grid(old, new, rows_field.table if rows_field else None, show.same)
    if grid:
        header = clause.header_rows
        cells = []
        for k, (row_status, row) in enumerate(grid):
            for _col, segs in row:
                content = segments_typst(segs)
                if k < header:
                    content = f"*{content}*" if content else ""
                fill = {"+": "rgb(\"#dafbe1\")", "-": "rgb(\"#ffebe9\")"}.get(row_status)
                cells.append(f"table.cell(fill: {fill})[{content}]" if fill else f"[{content}]")
        columns = len(grid[0][1]) or 1
        lines.append(f"#text(size: 8.5pt, table(columns: {columns}, inset: 3pt, "
                     f"{', '.join(cells)}))")
    if words:
        lines.append(f"#why[{typ(words)}]")
    body = " #linebreak() ".join(lines[:1]) + "\n\n" + "\n\n".join(lines[1:])
    # A card stays on one page, unless it holds a table (which may be longer than a page).
    whole = "false" if grid else "true"
    return f"#card({_COLOUR.get(status, 'luma(140)')}, whole: {whole})[\n{body}\n]\n"


def _item_label_typst(old: Clause | None, new: Clause | None) -> str:
    def label(c: Clause | None) -> str:
        number = c.number if c is not None and c.number else ""
        return number.rsplit(" ", 1)[-1]

    a, b = label(old), label(new)
    if new is None:
        return f"#del[{typ(a)}]"
    if old is None:
        return f"#ins[{typ(b)}]"
    return typ(b) if a == b else f"#del[{typ(a)}]#ins[{typ(b)}]"


def _review_typst(d: EditionDiff, serif: str, sans: str, changes: ChangeList) -> str:
    from ..model.foreword import list_items
    from .foreword import lead_sentence

    show = Show(d)
    title = f"修订对照：{d.old_info.number} → {d.new_info.number}"
    parts = [
        _REVIEW_TYPST.format(title=typ_string(title), date=_date(d), serif=typ_string(serif),
                             sans=typ_string(sans)),
        f"#align(center, text(font: ({typ_string(sans)},), size: 16pt)[{typ(title)}])",
        f"#align(center)[{typ(d.new_info.title_zh)}]",
        "",
        f"#quiet[{typ(_counts(d, changes))}]",
        "#quiet[图例：#ins[增加的文字] #del[删除的文字]。左边线：红色为列入前言的变化，"
        "蓝色为随之修改或随术语更名，黄色为编辑性修改或仅元数据变化，灰色为移动。]",
        "",
        "= 前言（新版，主要技术变化由本对比生成）",
    ]
    new = d.new
    assert new is not None
    text = next((c.text for c in new.walk() if c.element_type == model.FOREWORD), "")
    lines = [line for line in text.split("\n") if line.strip()]
    lead = next((i for i, line in enumerate(lines) if line.endswith("主要技术变化如下：")), None)
    if lead is None:
        lines.insert(min(1, len(lines)), lead_sentence(d, bool(changes.items)))
        lead = min(1, len(lines) - 1)
    for i, line in enumerate(lines):
        parts.append(f"#par(first-line-indent: 2em)[{typ(line)}]")
        if i == lead:
            for k, item in enumerate(list_items(changes.texts())):
                parts.append(f"#pad(left: 2em)[{typ(letter(k))} {typ(item)}]")
    parts.append("")
    for section in _sections(d, changes):
        old, new_c = section.old, section.new
        clause = new_c or old
        assert clause is not None
        number = _number_typst(old, new_c)
        if clause.element_type == model.ANNEX:
            number = f"附录{number}"
        elif clause.number and clause.number.isdigit():
            number = f"第{number}章"
        a, b = (old.title if old else ""), (new_c.title if new_c else "")
        title_segs = segments_typst(_entire(old, new_c, a, b, section.record, "title"))
        parts.append(f"= {number} {title_segs}")
        context = None
        for card in section.cards:
            if card.context and card.context != context:
                parts.append(f"== {typ(card.context[0])} {typ(card.context[1])}")
            context = card.context or (_own_heading(card) or context)
            parts.append(_card_typst(card, changes, d, show))
        quiet = re.sub(r"<[^>]+>", "", _quiet_line(section))
        if quiet:
            parts.append(f"#quiet[{typ(quiet)}]")
    return "\n".join(parts) + "\n"


def redline_typst(d: EditionDiff, serif: str, sans: str, changes: ChangeList | None = None, *,
                  detail: bool = False) -> str:
    """The redline as Typst source (fonts by family name): insertions underlined in green,
    deletions struck through in red. Compile with ``typst.compile``."""
    if detail:
        return _detail_typst(d, serif, sans)
    return _review_typst(d, serif, sans, changes or make_change_list(d))
