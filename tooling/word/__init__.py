"""Word (.docx) writing shared by the Word edition (:mod:`tooling.docx`) and the revision
diff's Word files (:mod:`tooling.diff`): python-docx for the package, lxml for what it lacks.

- :mod:`.styles` — the GB/T style sheet (``标准文件_段``, ``标准文件_章标题`` …) and page geometry;
- :mod:`.ooxml` — runs with East Asian fonts, paragraphs, fields (TOC, PAGE, PAGEREF),
  bookmarks, internal links;
- :mod:`.document` — :class:`WordDocument`: sections with Roman or Arabic page numbers,
  headers and footers, pictures, document properties, a byte-identical package;
- :mod:`.tables` — tables with merged cells and repeated header rows;
- :mod:`.revisions` — tracked changes: inserted, deleted and moved text, paragraphs, rows;
- :mod:`.measure` — text widths and line counts estimated without fonts;
- :mod:`.omml` — formulas as Word equations (Office Math), from a LaTeX subset.

No Sphinx, no docutils, nothing about one standard.
"""

from .document import (
    Furniture,
    PictureError,
    Properties,
    WordDocument,
    deterministic_zip,
    fixed_date,
)
from .ooxml import PLAIN, Format
from .revisions import DELETE, INSERT, MOVE_FROM, MOVE_TO, Revisions

__all__ = [
    "DELETE", "INSERT", "MOVE_FROM", "MOVE_TO", "PLAIN", "Format", "Furniture", "PictureError",
    "Properties", "Revisions", "WordDocument", "deterministic_zip", "fixed_date",
]
