"""Finding CJK fonts for the PDF edition: system fonts first, then an OFL font package.

Order of preference (never shipping proprietary fonts):
1. SimSun / SimHei where installed (Windows offices);
2. Noto Serif CJK SC / Noto Sans CJK SC or Source Han (Linux fontconfig, Debian fonts-noto-cjk);
3. Noto Serif SC / Noto Sans SC from the pip package ``pylopdf-fonts-zh-cn`` (a dependency,
   so a fresh machine still produces a correct PDF).

``STDKIT_FONTS=package`` in the environment skips the system fonts and uses only the packaged
ones, so that every machine lays a page out identically (the visual regression test does).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SERIF = ("SimSun", "Noto Serif CJK SC", "Source Han Serif SC", "Noto Serif SC")
SANS = ("SimHei", "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC")
INSTALL_HINT = (
    "未找到中文字体（no CJK font found）：请安装 Debian 的 fonts-noto-cjk"
    "（apt-get install fonts-noto-cjk），或 pip install pylopdf-fonts-zh-cn"
)


class FontsNotFound(Exception):
    pass


@dataclass(frozen=True)
class FontChoice:
    serif: str
    sans: str
    font_paths: tuple[str, ...]
    system: bool = True  # whether Typst may also use the system's fonts


def package_font_dir() -> Path | None:
    try:
        import pylopdf_fonts_zh_cn  # type: ignore[import-not-found]
    except ImportError:
        return None
    return Path(pylopdf_fonts_zh_cn.__file__).parent


def choose_fonts() -> FontChoice:
    """The serif and sans families to use, and extra font folders Typst must search."""
    return _choose(os.environ.get("STDKIT_FONTS", "") != "package")


@cache
def _choose(system: bool) -> FontChoice:
    import typst  # here, not at import: an HTML build registers the PDF builders, never compiles

    extra = package_font_dir()
    paths = (str(extra),) if extra else ()
    families = set(typst.Fonts(include_system_fonts=system, include_embedded_fonts=False,
                               font_paths=list(paths)).families())
    serif = next((f for f in SERIF if f in families), None)
    sans = next((f for f in SANS if f in families), None)
    if serif is None and sans is None:
        raise FontsNotFound(INSTALL_HINT)
    return FontChoice(serif or sans or "", sans or serif or "", paths, system)
