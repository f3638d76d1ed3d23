"""The GB/T 1.1—2020 style sheet of the Word files: named paragraph styles a drafter can reuse.

Names follow the ``标准文件_…`` style set of the GB/T 1.1—2020 templates made with SET2020 (as
public tools that read and write those documents name them); styles those templates were not
seen to have are named in the same manner. The README lists them all.

Every size is a Chinese type size (五号 10.5 pt, 小五 9 pt, 四号 14 pt, 三号 16 pt, 一号 26 pt) and
every line pitch is *exact*: a page then holds the same lines in Word, WPS and LibreOffice
whatever fonts each substitutes for 宋体 and 黑体, and the toolkit can tell on which page a
heading falls (the 目次's page numbers). Paragraphs holding a picture or a formula use single
spacing instead, which exact spacing would clip.
"""

from __future__ import annotations

from dataclasses import dataclass

# Font pairs (Latin, East Asian). 宋体 / 黑体 are named, never embedded: Word and WPS map them
# to SimSun / SimHei, other programs substitute what they have.
SERIF = "serif"
SANS = "sans"
FONTS = {SERIF: ("Times New Roman", "宋体"), SANS: ("黑体", "黑体")}
FONT_ALIASES = {"宋体": "SimSun", "黑体": "SimHei"}

# Chinese type sizes in points.
SIZE_1, SIZE_S1, SIZE_2, SIZE_3, SIZE_4, SIZE_S4, SIZE_5, SIZE_S5 = (
    26.0, 24.0, 22.0, 16.0, 14.0, 12.0, 10.5, 9.0,
)

# A4, bound at the left when printed one-sided (as the PDF edition).
PAGE_WIDTH, PAGE_HEIGHT = 595.3, 841.9  # pt
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_INSIDE, MARGIN_OUTSIDE = 70.9, 56.7, 70.9, 56.7  # 25/20 mm
HEADER_DISTANCE, FOOTER_DISTANCE = 42.5, 28.3  # 15 mm, 10 mm from the edge
TEXT_WIDTH = PAGE_WIDTH - MARGIN_INSIDE - MARGIN_OUTSIDE
TEXT_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

BODY_PITCH = 16.6  # pt between baselines of 五号 text (the PDF edition's)
SMALL_PITCH = 14.1  # 小五: notes and examples
TABLE_PITCH = 13.0  # 小五 in table cells
INDENT_2 = 2 * SIZE_5  # two characters of body text


@dataclass(frozen=True)
class ParagraphStyle:
    """A paragraph style and the metrics the page estimate needs (points)."""

    id: str  # ASCII style id
    name: str  # the name Word shows
    font: str = SERIF
    size: float = SIZE_5
    bold: bool = False
    align: str = "both"  # left / center / right / both (justified)
    pitch: float | None = BODY_PITCH  # exact line pitch; None = single spacing
    before: float = 0.0
    after: float = 0.0
    left: float = 0.0
    right: float = 0.0
    first_line: float = 0.0  # > 0 first-line indent, < 0 hanging indent
    keep_next: bool = False
    keep_lines: bool = False
    page_break_before: bool = False
    outline: int | None = None  # 0 = 目次 level 1
    char_spacing: float = 0.0  # letter spacing (目　次)
    border_bottom: bool = False
    border_box: bool = False
    tabs: tuple[tuple[str, float, str], ...] = ()  # (alignment, position, leader)
    hidden_from_gallery: bool = False


def _heading(style_id: str, name: str, outline: int) -> ParagraphStyle:
    return ParagraphStyle(style_id, name, font=SANS, align="left", before=6.0, after=3.0,
                          keep_next=True, keep_lines=True, outline=outline)


def _untitled(style_id: str, name: str) -> ParagraphStyle:
    return ParagraphStyle(style_id, name)


LEVELS = ("一", "二", "三", "四", "五")
_front = {"font": SANS, "size": SIZE_3, "align": "center", "pitch": 24.0, "after": 18.0,
          "keep_next": True, "char_spacing": SIZE_3}

STYLES: tuple[ParagraphStyle, ...] = (
    # -- body --------------------------------------------------------------------------------
    ParagraphStyle("StdPara", "标准文件_段", first_line=INDENT_2),
    ParagraphStyle("StdParaFlush", "标准文件_段（无缩进）"),
    ParagraphStyle("StdChapter", "标准文件_章标题", font=SANS, align="left", before=8.0,
                   after=4.0, keep_next=True, keep_lines=True, outline=0),
    *(_heading(f"StdClause{i + 1}", f"标准文件_{lv}级条标题", i + 1)
      for i, lv in enumerate(LEVELS)),
    *(_untitled(f"StdUntitled{i + 1}", f"标准文件_{lv}级无标题") for i, lv in enumerate(LEVELS)),
    ParagraphStyle("StdAnnexChapter", "标准文件_附录标识", font=SANS, size=SIZE_S4,
                   align="center", pitch=18.0, after=10.0, keep_next=True, keep_lines=True,
                   page_break_before=True, outline=0),
    *(_heading(f"StdAnnexClause{i + 1}", f"标准文件_附录{lv}级条标题", i + 1)
      for i, lv in enumerate(LEVELS)),
    # -- front matter and closing ----------------------------------------------------------
    ParagraphStyle("StdTocTitle", "标准文件_目录标题", **_front),
    ParagraphStyle("StdForewordTitle", "标准文件_前言、引言标题", page_break_before=True,
                   outline=0, **_front),
    ParagraphStyle("StdBibTitle", "标准文件_参考文献标题", page_break_before=True, outline=0,
                   **_front),
    ParagraphStyle("StdIndexTitle", "标准文件_索引标题", page_break_before=True, outline=0,
                   **_front),
    ParagraphStyle("StdBodyTitle", "标准文件_正文标准名称", font=SANS, size=SIZE_3,
                   align="center", pitch=24.0, before=8.0, after=16.0, keep_next=True),
    ParagraphStyle("StdEndRule", "标准文件_终结线", align="center", pitch=BODY_PITCH,
                   before=24.0, left=TEXT_WIDTH * 0.375, right=TEXT_WIDTH * 0.375,
                   border_bottom=True),
    # -- terms -----------------------------------------------------------------------------
    ParagraphStyle("StdTermNumber", "标准文件_术语条一", font=SANS, bold=True, align="left",
                   before=3.7, keep_next=True),
    ParagraphStyle("StdTerm", "标准文件_术语", font=SANS, align="left", keep_next=True),
    # -- lists, notes, examples ------------------------------------------------------------
    ParagraphStyle("StdDashList", "标准文件_破折号列项", left=INDENT_2 + 27.0, first_line=-27.0),
    ParagraphStyle("StdDotList", "标准文件_圆点列项", left=INDENT_2 + 12.0, first_line=-12.0),
    ParagraphStyle("StdLetterList", "标准文件_字母编号列项（一级）", left=INDENT_2 + 16.0,
                   first_line=-16.0),
    ParagraphStyle("StdNumberList", "标准文件_数字编号列项（二级）", left=INDENT_2 + 16.0,
                   first_line=-16.0),
    ParagraphStyle("StdNote", "标准文件_注：", size=SIZE_S5, pitch=SMALL_PITCH, before=1.0,
                   after=1.0, left=INDENT_2 + 2 * SIZE_S5, first_line=-2 * SIZE_S5,
                   keep_lines=True),
    ParagraphStyle("StdNoteN", "标准文件_注×：", size=SIZE_S5, pitch=SMALL_PITCH, before=1.0,
                   after=1.0, left=INDENT_2 + 2.5 * SIZE_S5, first_line=-2.5 * SIZE_S5,
                   keep_lines=True),
    ParagraphStyle("StdExample", "标准文件_示例：", size=SIZE_S5, pitch=SMALL_PITCH, before=1.0,
                   after=1.0, left=INDENT_2 + 3 * SIZE_S5, first_line=-3 * SIZE_S5,
                   keep_lines=True),
    ParagraphStyle("StdExampleN", "标准文件_示例×：", size=SIZE_S5, pitch=SMALL_PITCH,
                   before=1.0, after=1.0, left=INDENT_2 + 3.5 * SIZE_S5,
                   first_line=-3.5 * SIZE_S5, keep_lines=True),
    ParagraphStyle("StdNoteText", "标准文件_注、示例续段", size=SIZE_S5, pitch=SMALL_PITCH,
                   left=INDENT_2 + 2 * SIZE_S5, keep_lines=True),
    # -- tables, figures, formulas ---------------------------------------------------------
    ParagraphStyle("StdTableTitle", "标准文件_正文表标题", font=SANS, align="center",
                   before=6.0, after=3.0, keep_next=True, keep_lines=True),
    ParagraphStyle("StdAnnexTableTitle", "标准文件_附录表标题", font=SANS, align="center",
                   before=6.0, after=3.0, keep_next=True, keep_lines=True),
    ParagraphStyle("StdFigureTitle", "标准文件_正文图标题", font=SANS, align="center",
                   before=3.0, after=6.0, keep_lines=True),
    ParagraphStyle("StdAnnexFigureTitle", "标准文件_附录图标题", font=SANS, align="center",
                   before=3.0, after=6.0, keep_lines=True),
    ParagraphStyle("StdTableText", "标准文件_表格", size=SIZE_S5, align="left",
                   pitch=TABLE_PITCH),
    ParagraphStyle("StdTableHead", "标准文件_表头", size=SIZE_S5, align="center",
                   pitch=TABLE_PITCH),
    ParagraphStyle("StdFigure", "标准文件_图", align="center", pitch=None, before=6.0,
                   keep_next=True),
    ParagraphStyle("StdFormula", "标准文件_正文公式", align="center", pitch=None, before=3.0,
                   after=3.0),
    ParagraphStyle("StdPlaceholder", "标准文件_待补内容", align="center", before=4.0, after=4.0,
                   border_box=True),
    ParagraphStyle("StdNotice", "标准文件_说明框", size=SIZE_S5, pitch=SMALL_PITCH, before=2.0,
                   after=2.0, border_box=True),
    # -- cover -----------------------------------------------------------------------------
    ParagraphStyle("StdCoverCode", "标准文件_封面分类号", font=SANS, align="left", pitch=16.0),
    ParagraphStyle("StdCoverMark", "标准文件_封面标志", font=SANS, size=36.0, bold=True,
                   align="right", pitch=44.0),
    ParagraphStyle("StdCoverClass", "标准称谓", font=SANS, size=SIZE_2, align="center",
                   pitch=34.0, before=4.0, char_spacing=0.3 * SIZE_2),
    ParagraphStyle("StdCoverNumber", "标准文件_文件编号", font=SANS, size=SIZE_4, align="right",
                   pitch=22.0, before=4.0),
    ParagraphStyle("StdCoverReplaces", "标准文件_替换文件编号", font=SANS, align="right",
                   pitch=16.0),
    ParagraphStyle("StdCoverRule", "标准文件_封面分隔线", font=SANS, pitch=8.0,
                   border_bottom=True),
    ParagraphStyle("StdCoverTitle", "标准文件_文件名称", font=SANS, size=SIZE_1,
                   align="center", pitch=40.0, after=14.0),
    ParagraphStyle("StdCoverTitleEn", "封面标准英文名称", size=SIZE_4, align="center",
                   pitch=22.0, after=16.0),
    ParagraphStyle("StdCoverStage", "标准文件_稿次", font=SANS, size=SIZE_4, align="center",
                   pitch=22.0, after=8.0),
    ParagraphStyle("StdCoverPatent", "标准文件_封面专利说明", size=SIZE_S5, align="center",
                   pitch=SMALL_PITCH),
    ParagraphStyle("StdCoverNotice", "标准文件_封面说明", size=SIZE_S5, align="both",
                   pitch=SMALL_PITCH, border_box=True),
    ParagraphStyle("StdCoverDates", "其他发布日期", font=SANS, size=SIZE_4, align="left",
                   pitch=22.0, border_bottom=True, tabs=(("right", TEXT_WIDTH, "none"),)),
    ParagraphStyle("StdCoverIssuer", "其他发布部门", font=SANS, size=SIZE_4, align="center",
                   pitch=22.0, before=6.0),
    # -- page furniture and 目次 -----------------------------------------------------------
    ParagraphStyle("StdHeader", "标准文件_页眉", font=SANS, align="right",
                   border_bottom=True),
    ParagraphStyle("StdFooter", "标准文件_页脚", size=SIZE_S5, align="left", pitch=SMALL_PITCH,
                   tabs=(("center", TEXT_WIDTH / 2, "none"), ("right", TEXT_WIDTH, "none"))),
    ParagraphStyle("TOC1", "toc 1", align="left",
                   tabs=(("right", TEXT_WIDTH, "dot"),)),
    ParagraphStyle("TOC2", "toc 2", align="left", left=1.5 * SIZE_5,
                   tabs=(("right", TEXT_WIDTH, "dot"),)),
)

BY_ID = {s.id: s for s in STYLES}
BY_NAME = {s.name: s for s in STYLES}


def style(style_id: str) -> ParagraphStyle:
    return BY_ID[style_id]


def heading_style(level: int, annex: bool) -> str:
    """The style of a 章 (level 1) or 条 heading (level 2 = 一级条 …), in the body or an annex."""
    if level <= 1:
        return "StdAnnexChapter" if annex else "StdChapter"
    depth = min(level - 1, len(LEVELS))
    return f"StdAnnexClause{depth}" if annex else f"StdClause{depth}"


def untitled_style(number: str) -> str:
    """The style of an untitled 条 numbered 5.1 (一级无标题), 5.1.1 (二级) …"""
    depth = max(1, min(number.count("."), len(LEVELS)))
    return f"StdUntitled{depth}"
