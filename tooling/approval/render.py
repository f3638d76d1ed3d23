"""The 编制说明 written out: HTML (one page, no scripts), PDF (Typst: A4, the 条款对照表 annexed
on landscape pages) and Word (the GB/T style sheet of :mod:`tooling.word`).

Every writer takes the same :class:`~.explanation.Explanation`, so the three say the same
words. Byte-identical on rebuild: the PDF's and the Word file's dates are the edition's
(:func:`tooling.word.fixed_date`, :func:`tooling.typeset.edition_date`), never the clock.
"""

from __future__ import annotations

import html
import os

from ..typeset import FontChoice, edition_date, escape, string
from ..word import Furniture, Properties, WordDocument, fixed_date
from ..word import styles as S
from ..word.measure import column_widths
from ..word.ooxml import page_break, paragraph, runs
from ..word.tables import CELL_PADDING, Cell, table
from .explanation import Block, Explanation

_CSS = """
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", SimSun, serif; line-height: 1.7;
  max-width: 52em; margin: 2em auto; padding: 0 1em; color: #111; }
h1 { font-family: "Noto Sans CJK SC", SimHei, sans-serif; text-align: center; font-size: 1.6em;
  margin-bottom: .2em; }
.subtitle, .dateline { text-align: center; margin: .2em 0; }
h2 { font-family: "Noto Sans CJK SC", SimHei, sans-serif; font-size: 1.2em; margin-top: 1.6em; }
h3 { font-family: "Noto Sans CJK SC", SimHei, sans-serif; font-size: 1em; }
p { text-indent: 2em; margin: .4em 0; }
ul.items { list-style: none; padding-left: 2em; margin: .4em 0; }
.generated { border-left: 3px solid #9ab; padding-left: .6em; margin-left: -.9em; }
.notice { border: 1px solid #999; padding: .6em 1em; font-size: .9em; }
.notice p { text-indent: 0; }
table { border-collapse: collapse; width: 100%; font-size: .9em; margin: .6em 0; }
th, td { border: 1px solid #555; padding: .25em .4em; vertical-align: top; text-align: left; }
th { background: #eef1f5; text-align: center; }
.table-scroll { overflow-x: auto; }
@media print { .generated { border: 0; padding: 0; margin: 0; } }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _block_html(block: Block) -> str:
    if block.kind == "heading":
        return f"<h3>{_e(block.text)}</h3>"
    if block.kind == "list":
        return '<ul class="items">' + "".join(f"<li>{_e(i)}</li>" for i in block.items) + "</ul>"
    if block.kind == "table":
        head, *body = block.rows or ((),)
        cells = "".join(f"<th>{_e(c)}</th>" for c in head)
        rows = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r) + "</tr>" for r in body)
        return (f'<div class="table-scroll"><table><thead><tr>{cells}</tr></thead>'
                f"<tbody>{rows}</tbody></table></div>")
    return f"<p>{_e(block.text)}</p>"


def explanation_html(doc: Explanation) -> str:
    """One standalone page; the generated parts are marked with a rule in the margin (not in
    print), so the authors see what they need not write."""
    parts = [f"<h1>{_e(doc.title)}</h1>", f'<p class="subtitle">{_e(doc.subtitle)}</p>',
             f'<p class="dateline">{_e(doc.dateline)}</p>']
    if doc.notice:
        parts.append(f'<div class="notice" role="note"><p>{_e(doc.notice)}</p></div>')
    for section in doc.sections:
        parts.append(f'<section id="{section.key}"><h2>{_e(section.number + section.title)}</h2>')
        generated: list[str] = []
        for block in section.blocks:
            if block.generated:
                generated.append(_block_html(block))
                continue
            if generated:
                parts.append(f'<div class="generated">{"".join(generated)}</div>')
                generated = []
            parts.append(_block_html(block))
        if generated:
            parts.append(f'<div class="generated">{"".join(generated)}</div>')
        parts.append("</section>")
    if doc.annex_title:
        parts.append(f'<section id="comparison"><h2>{_e(doc.annex_title)}</h2>'
                     f"<p>{_e(doc.annex_intro)}</p>"
                     f"{_block_html(Block('table', rows=doc.annex_rows))}</section>")
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_e(doc.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(parts) + "\n</main>\n</body>\n</html>\n")


# -- PDF (Typst) ------------------------------------------------------------------------------


def _block_typst(block: Block) -> str:
    if block.kind == "heading":
        return f"#subhead[{escape(block.text)}]"
    if block.kind == "list":
        return "\n".join(f"#item[{escape(i)}]" for i in block.items)
    if block.kind == "table":
        return _table_typst(block.rows, None)
    return f"#para[{escape(block.text)}]"


def _table_typst(rows: tuple[tuple[str, ...], ...], columns: str | None) -> str:
    if not rows:
        return ""
    head, *body = rows
    n = len(head)
    cols = columns or f"({', '.join(['1fr'] * n)})"
    header = ", ".join(f"table.cell(align: center)[#strong[{escape(c)}]]" for c in head)
    cells = ", ".join(f"[{escape(c)}]" for r in body for c in (*r, *[""] * (n - len(r)))[:n])
    return (f"#table(columns: {cols}, inset: 4pt, stroke: 0.5pt, "
            f"fill: (_, y) => if y == 0 {{ luma(235) }},\n  table.header({header}),\n  "
            f"{cells}{',' if cells else ''}\n)")


def explanation_typst(doc: Explanation, fonts: FontChoice) -> str:
    """The Typst source of the PDF: no imports, no packages."""
    info = doc.info
    date = edition_date(info.draft_completed or info.issued, info.implemented)
    date_arg = (f"datetime(year: {date[0]}, month: {date[1]}, day: {date[2]})"
                if date else "none")
    out = [
        "// Generated by stdkit from explanation.md and the standard's sources.",
        f"#set document(title: {string(doc.title)}, author: {string(doc.dateline)}, "
        f"date: {date_arg})",
        '#set page(paper: "a4", margin: (top: 2.5cm, bottom: 2.2cm, x: 2.4cm),'
        f' header: align(right, text(size: 9pt, font: ({string(fonts.sans)},), '
        f"{string(doc.subtitle + '　编制说明')})),"
        ' numbering: "1", number-align: center)',
        f'#set text(font: ({string(fonts.serif)},), size: 12pt, lang: "zh", region: "cn")',
        "#set par(justify: true, leading: 0.9em, spacing: 0.9em, first-line-indent: "
        "(amount: 2em, all: true))",
        f"#let sans = ({string(fonts.sans)},)",
        "#let para(body) = par(body)",
        "#let subhead(body) = block(above: 1em, below: 0.6em, "
        "text(font: sans, weight: \"bold\", body))",
        "#let item(body) = block(above: 0.5em, below: 0.5em, "
        "pad(left: 2em, par(first-line-indent: 0em, hanging-indent: 2em, body)))",
        "#let sect(body) = block(above: 1.4em, below: 0.8em, sticky: true, "
        "text(font: sans, size: 14pt, body))",
        f"#align(center, text(font: sans, size: 18pt)[{escape(doc.title)}])",
        f"#align(center, text(size: 12pt)[{escape(doc.subtitle)}])",
        f"#align(center, text(size: 10.5pt)[{escape(doc.dateline)}])",
        "#v(1em)",
    ]
    if doc.notice:
        out.append(f"#block(stroke: 0.5pt, inset: 8pt, width: 100%, text(size: 9pt, "
                   f"par(first-line-indent: 0em)[{escape(doc.notice)}]))")
    for section in doc.sections:
        out.append(f"#sect[{escape(section.number + section.title)}]")
        out.extend(_block_typst(b) for b in section.blocks)
    if doc.annex_title:
        out.append('#set page(flipped: true, margin: (x: 1.5cm, y: 1.6cm))')
        out.append("#pagebreak(weak: true)")
        out.append(f"#align(center, text(font: sans, size: 14pt)[{escape(doc.annex_title)}])")
        out.append(f"#text(size: 9pt, par(first-line-indent: 0em)[{escape(doc.annex_intro)}])")
        out.append("#set text(size: 9pt)")
        out.append("#set par(justify: false, first-line-indent: 0em, leading: 0.55em)")
        out.append(_table_typst(doc.annex_rows, "(1.7cm, 1fr, 1.7cm, 1fr, 6.2cm)"))
    return "\n".join(out) + "\n"


def explanation_pdf(doc: Explanation, fonts: FontChoice) -> bytes:
    import typst

    source = explanation_typst(doc, fonts)
    return typst.compile(source.encode("utf-8"), format="pdf",
                         font_paths=list(fonts.font_paths))


# -- Word -------------------------------------------------------------------------------------


def _word_table(rows: tuple[tuple[str, ...], ...], width: float) -> list:
    if not rows:
        return []
    n = len(rows[0])
    grid = [list((*r, *[""] * (n - len(r)))[:n]) for r in rows]
    widths, _fits = column_widths([(r, c, 1, text) for r, row in enumerate(grid)
                                   for c, text in enumerate(row)],
                                  n, width, 2 * CELL_PADDING, S.SIZE_S5)
    cells = [Cell(r, c, content=[paragraph("StdTableHead" if r == 0 else "StdTableText",
                                           runs(text))], header=r == 0)
             for r, row in enumerate(grid) for c, text in enumerate(row)]
    return [table(cells, widths, header_rows=1), paragraph("StdParaFlush")]


def _block_word(block: Block) -> list:
    if block.kind == "heading":
        return [paragraph("StdClause1", runs(block.text))]
    if block.kind == "list":
        return [paragraph("StdParaFlush" if item.startswith("——") else "StdLetterList",
                          runs(item)) for item in block.items]
    if block.kind == "table":
        return _word_table(block.rows, S.TEXT_WIDTH)
    return [paragraph("StdPara", runs(block.text))]


def explanation_docx(doc: Explanation) -> bytes:
    info = doc.info
    date = fixed_date((info.draft_completed, info.issued, info.implemented), info.number,
                      os.environ.get("SOURCE_DATE_EPOCH"))
    author = info.drafting_units[0] if info.drafting_units else info.issuer
    word = WordDocument(Properties(title=doc.title, subject=doc.subtitle, author=author,
                                   date=date, comments="编制说明",
                                   status=info.stage if info.is_draft else ""))
    word.append(paragraph("StdBodyTitle", runs(doc.title)))
    word.append(paragraph("StdCoverStage", runs(doc.subtitle)))
    word.append(paragraph("StdCoverPatent", runs(doc.dateline)))
    if doc.notice:
        word.append(paragraph("StdNotice", runs(doc.notice)))
    for section in doc.sections:
        word.append(paragraph("StdChapter", runs(section.number + section.title)))
        for block in section.blocks:
            word.extend(_block_word(block))
    if doc.annex_title:
        # A page of its own, titled like the document (the 前言 style would letter-space it).
        word.append(paragraph("StdParaFlush", [page_break()]))
        word.append(paragraph("StdBodyTitle", runs(doc.annex_title)))
        word.append(paragraph("StdParaFlush", runs(doc.annex_intro)))
        word.extend(_word_table(doc.annex_rows, S.TEXT_WIDTH))
    word.end_section(Furniture(header=f"{doc.subtitle}　编制说明"), number_format="decimal",
                     start=1, last=True)
    return word.to_bytes()


__all__ = ["explanation_docx", "explanation_html", "explanation_pdf", "explanation_typst"]
