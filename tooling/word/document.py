"""A Word document in the GB/T layout, written with python-docx and lxml, saved byte-identical.

:class:`WordDocument` starts from python-docx's package and keeps only what a standard needs:
its own style sheet (:mod:`.styles`), a font table naming 宋体 / 黑体 (no font files embedded),
A4 sections with their own page-number format (Roman for the front matter, Arabic from the
body), the standard number in the header and the page number in the footer at the outside
edge of odd and even pages, the document properties, pictures, and a deterministic package:
fixed dates in the properties and in the zip, parts in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import docx
from docx.image.exceptions import (
    InvalidImageStreamError,
    UnexpectedEndOfFileError,
    UnrecognizedImageError,
)
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from lxml import etree

from . import styles as S
from .ooxml import Element, Format, el, field, paragraph, runs, twips

# Parts of python-docx's template a standard does not need (a thumbnail of an empty page,
# a Mac Word stylesWithEffects copy, customXml, an empty numbering, web settings).
_DROPPED_RELS = (RT.THUMBNAIL, RT.CUSTOM_XML, RT.NUMBERING, RT.WEB_SETTINGS, RT.EXTENDED_PROPERTIES,
                 "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects")
_KEPT_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
LANGUAGE = "zh-CN"


@dataclass(frozen=True)
class Properties:
    """Document properties (File ▸ Properties): fixed, so rebuilds are byte-identical."""

    title: str
    subject: str
    author: str
    date: dt.datetime
    keywords: str = ""
    comments: str = ""
    status: str = ""
    language: str = LANGUAGE


@dataclass(frozen=True)
class Furniture:
    """What the header and footer of a section print: the standard number in the header, the
    page number (PAGE field, formatted by the section) and a centred line in the footer."""

    header: str | None = None
    footer_centre: str | None = None
    page_numbers: bool = True


class WordDocument:
    """Build a document element by element, section by section; :meth:`to_bytes` saves it."""

    def __init__(self, props: Properties, *, duplex: bool = False, landscape: bool = False,
                 track_revisions: bool = False) -> None:
        self.doc = docx.Document()
        self.props = props
        self.duplex = duplex
        self.landscape = landscape
        self.body = self.doc.element.body
        self._final = self.body.find(qn("w:sectPr"))
        for child in list(self.body):
            if child is not self._final:
                self.body.remove(child)
        self._ids = 0
        self._shapes = 0
        self._furniture: dict[Furniture, list[tuple[str, str, str]]] = {}
        self._odd_even = False
        self._clean_package()
        self._install_styles()
        self._install_fonts()
        self.track_revisions = track_revisions
        self._set_properties()

    # -- ids -----------------------------------------------------------------------------------

    def next_id(self) -> int:
        """A fresh id for a bookmark, revision or move range (Word wants them unique)."""
        self._ids += 1
        return self._ids

    # -- body ----------------------------------------------------------------------------------

    def append(self, element: Element) -> Element:
        self._final.addprevious(element)
        return element

    def extend(self, elements: Iterable[Element]) -> None:
        for element in elements:
            self.append(element)

    def blocks(self) -> list[Element]:
        return [c for c in self.body if c is not self._final]

    def end_section(self, furniture: Furniture | None, *, number_format: str | None = None,
                    start: int | None = None, odd_page: bool = False,
                    last: bool = False) -> None:
        """Close the section that ends with the last block appended (``last``: the final
        section of the document). ``number_format`` is a ``w:pgNumType`` format: upperRoman,
        decimal …; ``start`` restarts the page count; ``odd_page`` starts this section on a
        right-hand page (duplex printing)."""
        sectpr = self._final if last else el("w:sectPr")
        for child in list(sectpr):
            sectpr.remove(child)
        if furniture is not None:
            for tag, side, rid in self._furniture_parts(furniture):
                sectpr.append(el(tag, {"w:type": side, "r:id": rid}))
        sectpr.append(el("w:type", {"w:val": "oddPage" if odd_page else "nextPage"}))
        width, height = S.PAGE_WIDTH, S.PAGE_HEIGHT
        attrs: dict[str, str | int | float] = {"w:w": twips(width), "w:h": twips(height)}
        if self.landscape:
            attrs = {"w:w": twips(height), "w:h": twips(width), "w:orient": "landscape"}
        sectpr.append(el("w:pgSz", attrs))
        sectpr.append(el("w:pgMar", {
            "w:top": twips(S.MARGIN_TOP), "w:right": twips(S.MARGIN_OUTSIDE),
            "w:bottom": twips(S.MARGIN_BOTTOM), "w:left": twips(S.MARGIN_INSIDE),
            "w:header": twips(S.HEADER_DISTANCE), "w:footer": twips(S.FOOTER_DISTANCE),
            "w:gutter": 0}))
        if number_format or start is not None:
            num: dict[str, str | int | float] = {}
            if number_format:
                num["w:fmt"] = number_format
            if start is not None:
                num["w:start"] = start
            sectpr.append(el("w:pgNumType", num))
        sectpr.append(el("w:cols", {"w:space": 425}))
        sectpr.append(el("w:docGrid", {"w:linePitch": 312}))
        if last:
            return
        blocks = self.blocks()
        if not blocks or blocks[-1].tag != qn("w:p"):
            self.append(paragraph(None))
            blocks = self.blocks()
        ppr = blocks[-1].find(qn("w:pPr"))
        if ppr is None:
            ppr = el("w:pPr")
            blocks[-1].insert(0, ppr)
        ppr.append(sectpr)

    def _furniture_parts(self, furniture: Furniture) -> list[tuple[str, str, str]]:
        """(reference tag, page side, rId) of the header and footer parts for odd ("default")
        and even pages, made once per kind of furniture."""
        if furniture in self._furniture:
            return self._furniture[furniture]
        self._odd_even = True
        made = []
        part = self.doc.part
        for side in ("default", "even"):
            header_part, rid = part.add_header_part()
            _fill(header_part.element, [self._header(furniture, side == "default")])
            made.append(("w:headerReference", side, rid))
        for side in ("default", "even"):
            footer_part, rid = part.add_footer_part()
            _fill(footer_part.element, [self._footer(furniture, side == "default")])
            made.append(("w:footerReference", side, rid))
        self._furniture[furniture] = made
        return made

    @staticmethod
    def _header(furniture: Furniture, odd: bool) -> Element:
        return paragraph("StdHeader", runs(furniture.header or ""),
                         align="right" if odd else "left")

    @staticmethod
    def _footer(furniture: Furniture, odd: bool) -> Element:
        # Page number at the outside edge, the draft stage centred: tab stops of the style.
        number = (field("PAGE", runs("1")) if furniture.page_numbers else [])
        centre = runs(furniture.footer_centre or "", Format(font=S.SANS))
        children = ([*runs("\t"), *centre, *runs("\t"), *number] if odd
                    else [*number, *runs("\t"), *centre])
        return paragraph("StdFooter", children)

    # -- pictures ------------------------------------------------------------------------------

    def picture(self, data: bytes, max_width: float, max_height: float) -> Element:
        """A run holding the picture, scaled to fit ``max_width`` × ``max_height`` points.
        Raises :class:`PictureError` when Word cannot take the file."""
        part = self.doc.part
        try:
            rid, image = part.get_or_add_image(io.BytesIO(data))
        except UnrecognizedImageError:
            raise PictureError("Word 不能读取此图片格式（可用 PNG、JPEG、GIF、BMP）") from None
        except (InvalidImageStreamError, UnexpectedEndOfFileError, struct.error, ValueError,
                ZeroDivisionError):
            raise PictureError("图片文件已损坏或不完整") from None
        width = image.px_width / (image.horz_dpi or 96) * 72
        height = image.px_height / (image.vert_dpi or 96) * 72
        if width <= 0 or height <= 0:
            raise PictureError("图片尺寸为零")
        scale = min(1.0, max_width / width, max_height / height)
        emu = 12700
        cx, cy = round(width * scale * emu), round(height * scale * emu)
        self._shapes += 1
        inline = CT_Inline.new_pic_inline(self._shapes, rid, f"image{self._shapes}", cx, cy)
        drawing = el("w:drawing")
        drawing.append(inline)
        return el("w:r", None, drawing)

    # -- saving --------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        self._write_settings()
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return deterministic_zip(buffer.getvalue())

    # -- package set-up ------------------------------------------------------------------------

    def _clean_package(self) -> None:
        part = self.doc.part
        for rels in (part.rels, part.package.rels):
            for rid in [r for r, rel in rels.items() if rel.reltype in _DROPPED_RELS]:
                del rels[rid]

    def _install_styles(self) -> None:
        root = self.doc.styles.element
        for child in list(root):
            if child.tag == qn("w:style") and child.get(qn("w:styleId")) not in _KEPT_STYLES:
                root.remove(child)
        defaults = root.find(qn("w:docDefaults"))
        if defaults is not None:
            root.remove(defaults)
        latin, east = S.FONTS[S.SERIF]
        root.insert(0, el("w:docDefaults", None,
            el("w:rPrDefault", None, el("w:rPr", None,
                el("w:rFonts", {"w:ascii": latin, "w:hAnsi": latin, "w:eastAsia": east,
                                "w:cs": latin}),
                el("w:kern", {"w:val": 2}),
                el("w:sz", {"w:val": round(S.SIZE_5 * 2)}),
                el("w:szCs", {"w:val": round(S.SIZE_5 * 2)}),
                el("w:lang", {"w:val": "en-US", "w:eastAsia": LANGUAGE, "w:bidi": "ar-SA"}))),
            el("w:pPrDefault", None, el("w:pPr", None,
                el("w:widowControl"),
                # No gap between Han characters and Latin letters or digits (printed GB/T).
                el("w:autoSpaceDE", {"w:val": "0"}),
                el("w:autoSpaceDN", {"w:val": "0"}),
                el("w:spacing", {"w:before": 0, "w:after": 0, "w:line": 240,
                                 "w:lineRule": "auto"})))))
        normal = _style_by_id(root, "Normal")
        if normal is not None:
            root.remove(normal)
        root.append(_style_xml(S.ParagraphStyle("Normal", "Normal", align="both"),
                               default=True))
        for spec in S.STYLES:
            root.append(_style_xml(spec))

    def _install_fonts(self) -> None:
        # python-docx keeps the font table as an opaque part: replace its bytes.
        table = self.doc.part.part_related_by(RT.FONT_TABLE)
        fonts = el("w:fonts")
        for name, alt, charset, family, pitch, panose in (
            ("Times New Roman", None, "00", "roman", "variable", "02020603050405020304"),
            ("宋体", "SimSun", "86", "auto", "variable", "02010600030101010101"),
            ("黑体", "SimHei", "86", "modern", "fixed", "02010609060101010101"),
            ("Cambria Math", None, "00", "roman", "variable", "02040503050406030204"),
        ):
            font = el("w:font", {"w:name": name})
            if alt:
                font.append(el("w:altName", {"w:val": alt}))
            font.append(el("w:panose1", {"w:val": panose}))
            font.append(el("w:charset", {"w:val": charset}))
            font.append(el("w:family", {"w:val": family}))
            font.append(el("w:pitch", {"w:val": pitch}))
            fonts.append(font)
        table._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8",
                                     standalone=True)

    def _write_settings(self) -> None:
        settings = self.doc.settings.element
        keep = {qn("w:mathPr"): None, qn("w:clrSchemeMapping"): None}
        for child in list(settings):
            if child.tag in keep:
                keep[child.tag] = child
            settings.remove(child)
        order: list[Element | None] = [el("w:zoom", {"w:percent": 100})]
        if self.duplex:
            order.append(el("w:mirrorMargins"))
        if self.track_revisions:
            order.append(el("w:trackRevisions"))
        order.append(el("w:defaultTabStop", {"w:val": 420}))
        if self._odd_even:
            order.append(el("w:evenAndOddHeaders"))
        # Full-width punctuation keeps its width. No w:updateFields: the 目次 is pre-filled,
        # and Word would open with a question about updating fields (WPS and LibreOffice
        # ignore it anyway).
        order.append(el("w:characterSpacingControl", {"w:val": "doNotCompress"}))
        order.append(el("w:compat", None, el("w:compatSetting", {
            "w:name": "compatibilityMode", "w:uri": "http://schemas.microsoft.com/office/word",
            "w:val": 15})))
        order.append(keep[qn("w:mathPr")])
        order.append(el("w:themeFontLang", {"w:val": "en-US", "w:eastAsia": LANGUAGE}))
        order.append(keep[qn("w:clrSchemeMapping")])
        order.append(el("w:decimalSymbol", {"w:val": "."}))
        order.append(el("w:listSeparator", {"w:val": ","}))
        for child in order:
            if child is not None:
                settings.append(child)

    def _set_properties(self) -> None:
        core = self.doc.core_properties
        p = self.props
        core.title = p.title
        core.subject = p.subject
        core.author = p.author
        core.last_modified_by = p.author
        core.keywords = p.keywords
        core.comments = p.comments
        core.content_status = p.status
        core.language = p.language
        core.category = ""
        core.revision = 1
        core.created = p.date
        core.modified = p.date


def fixed_date(dates: Iterable[str | None], number: str = "",
               epoch: str | None = None) -> dt.datetime:
    """The one date a file carries (properties, revisions): ``SOURCE_DATE_EPOCH`` if given,
    else the first of ``dates`` (YYYY-MM-DD), else 1 January of the year in the standard's
    number (…—2026), else 2000-01-01. Never the clock: a rebuild is byte-identical."""
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(microsecond=0)
    for value in dates:
        if value:
            y, m, d = (int(p) for p in value.split("-"))
            return dt.datetime(y, m, d, tzinfo=dt.UTC)
    year = re.search(r"[—\-－]\s*(\d{4})\s*$", number)
    return dt.datetime(int(year.group(1)) if year else 2000, 1, 1, tzinfo=dt.UTC)


class PictureError(Exception):
    """Word cannot take this picture (format not recognised, empty or damaged)."""


def _fill(root: Element, blocks: Sequence[Element]) -> None:
    for child in list(root):
        root.remove(child)
    for block in blocks:
        root.append(block)


def _style_by_id(root: Element, style_id: str) -> Element | None:
    for child in root.findall(qn("w:style")):
        if child.get(qn("w:styleId")) == style_id:
            return child
    return None


def _style_xml(spec: S.ParagraphStyle, default: bool = False) -> Element:
    attrs: dict[str, str | int | float] = {"w:type": "paragraph", "w:styleId": spec.id}
    if default:
        attrs["w:default"] = "1"
    node = el("w:style", attrs)
    node.append(el("w:name", {"w:val": spec.name}))
    if not default:
        node.append(el("w:basedOn", {"w:val": "Normal"}))
    node.append(el("w:qFormat"))
    ppr = el("w:pPr")
    if spec.keep_next:
        ppr.append(el("w:keepNext"))
    if spec.keep_lines:
        ppr.append(el("w:keepLines"))
    if spec.page_break_before:
        ppr.append(el("w:pageBreakBefore"))
    if spec.border_bottom or spec.border_box:
        edges = ("top", "left", "bottom", "right") if spec.border_box else ("bottom",)
        ppr.append(el("w:pBdr", None, *(
            el(f"w:{edge}", {"w:val": "single", "w:sz": 4 if spec.border_box else 6,
                             "w:space": 4 if spec.border_box and edge in ("left", "right")
                             else 1, "w:color": "000000"})
            for edge in edges)))
    if spec.tabs:
        tabs = el("w:tabs")
        for align, position, leader in spec.tabs:
            tabs.append(el("w:tab", {"w:val": align, "w:leader": leader,
                                     "w:pos": twips(position)}))
        ppr.append(tabs)
    # No gap between Han characters and Latin letters or digits (printed GB/T); said in
    # every style, as LibreOffice does not take it from the document defaults.
    ppr.append(el("w:autoSpaceDE", {"w:val": "0"}))
    ppr.append(el("w:autoSpaceDN", {"w:val": "0"}))
    spacing: dict[str, str | int | float] = {"w:before": twips(spec.before),
                                             "w:after": twips(spec.after)}
    if spec.pitch is None:
        spacing.update({"w:line": 240, "w:lineRule": "auto"})
    else:
        spacing.update({"w:line": twips(spec.pitch), "w:lineRule": "exact"})
    ppr.append(el("w:spacing", spacing))
    ind: dict[str, str | int | float] = {"w:left": twips(spec.left),
                                         "w:right": twips(spec.right)}
    if spec.first_line > 0:
        ind["w:firstLine"] = twips(spec.first_line)
    elif spec.first_line < 0:
        ind["w:hanging"] = twips(-spec.first_line)
    else:
        ind["w:firstLine"] = 0
    ppr.append(el("w:ind", ind))
    ppr.append(el("w:jc", {"w:val": spec.align}))
    if spec.outline is not None:
        ppr.append(el("w:outlineLvl", {"w:val": spec.outline}))
    node.append(ppr)
    rpr = el("w:rPr")
    latin, east = S.FONTS[spec.font]
    rpr.append(el("w:rFonts", {"w:ascii": latin, "w:hAnsi": latin, "w:eastAsia": east,
                               "w:cs": latin}))
    if spec.bold:
        rpr.append(el("w:b"))
        rpr.append(el("w:bCs"))
    if spec.char_spacing:
        rpr.append(el("w:spacing", {"w:val": twips(spec.char_spacing)}))
    rpr.append(el("w:sz", {"w:val": round(spec.size * 2)}))
    rpr.append(el("w:szCs", {"w:val": round(spec.size * 2)}))
    node.append(rpr)
    return node


def deterministic_zip(data: bytes) -> bytes:
    """The same package with fixed entry dates and attributes: equal content, equal bytes.
    ``[Content_Types].xml`` stays first, as Office expects."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            target.writestr(entry, source.read(info.filename), compresslevel=6)
    return out.getvalue()


__all__ = [
    "Furniture", "PictureError", "Properties", "WordDocument", "deterministic_zip", "fixed_date",
]
