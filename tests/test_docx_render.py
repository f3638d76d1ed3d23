"""The Word files opened by a word processor: LibreOffice (headless) renders the Word editions
of both editions and redline.docx to PDF, once for the module.

Runs wherever ``soffice`` is installed (Debian: libreoffice-writer); CI installs it (see
.ci/run) and sets STDKIT_REQUIRE_LIBREOFFICE=1 so that a missing LibreOffice fails instead of
skipping. 宋体 and 黑体 are mapped to the packaged Noto Serif SC / Noto Sans SC by a fontconfig
file of the test's own, so every machine lays the pages out alike.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from tooling.cli import main
from tooling.diff import diff_editions
from tooling.diff.wordfiles import redline_docx
from tooling.model.stages import file_stem
from tooling.typeset.fonts import package_font_dir
from tooling.word.pagination import format_number

from .conftest import ROOT, STANDARD, built_edition, squash

DRAFT = ROOT / "editions" / "db3715t-draft"
SOFFICE = os.environ.get("STDKIT_SOFFICE") or shutil.which("soffice") or "/usr/bin/soffice"
HOW_TO_ENABLE = ("Word 版渲染测试已跳过：未找到 LibreOffice。安装 Debian 的 libreoffice-writer"
                 "（apt-get install libreoffice-writer）或设置 STDKIT_SOFFICE 后即可运行"
                 " (rendering test skipped: install libreoffice-writer)")
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
{aliases}
</fontconfig>
"""


def _require_soffice() -> None:
    if not Path(SOFFICE).exists():
        if os.environ.get("STDKIT_REQUIRE_LIBREOFFICE"):
            pytest.fail(f"STDKIT_REQUIRE_LIBREOFFICE is set but {SOFFICE} does not exist")
        pytest.skip(HOW_TO_ENABLE)


def _fontconfig(folder: Path) -> Path:
    fonts = package_font_dir()
    assert fonts is not None, "pylopdf-fonts-zh-cn is a dependency"
    aliases = "\n".join(
        f'  <alias binding="same"><family>{name}</family>'
        f"<prefer><family>{target}</family></prefer></alias>"
        for name, target in (("宋体", "Noto Serif SC"), ("SimSun", "Noto Serif SC"),
                             ("黑体", "Noto Sans SC"), ("SimHei", "Noto Sans SC")))
    path = folder / "fonts.conf"
    path.write_text(FONTS_CONF.format(fonts=fonts, cache=folder / "fc-cache", aliases=aliases),
                    "utf-8")
    return path


def _edition(out: Path):
    return built_edition(out)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """{name: (edition, typst pdf, LibreOffice pdf)} for standard and draft; and redline."""
    _require_soffice()
    root = tmp_path_factory.mktemp("render")
    built = {}
    for name, source in (("standard", STANDARD), ("draft", DRAFT)):
        out = root / name
        for target in ("docx", "pdf"):
            assert main(["build", target, "-q", "--source", str(source), "--out", str(out)]) == 0
        edition = _edition(out)
        stem = file_stem(edition.info)
        built[name] = (edition, out / "pdf" / f"{stem}.pdf", out / "docx" / f"{stem}.docx")
    redline = root / "redline.docx"
    redline.write_bytes(redline_docx(diff_editions(built["standard"][0], built["draft"][0])))
    pdfs = root / "lo"
    env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(root)), "HOME": str(root)}
    files = [str(built["standard"][2]), str(built["draft"][2]), str(redline)]
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{root / 'profile'}", "--headless",
                    "--norestore", "--convert-to", "pdf", "--outdir", str(pdfs), *files],
                   env=env, check=True, capture_output=True, timeout=300)
    result = {name: (edition, typst, pdfs / f"{Path(word).stem}.pdf")
              for name, (edition, typst, word) in built.items()}
    result["redline"] = (None, None, pdfs / "redline.pdf")
    for _, _, pdf in result.values():
        assert pdf.is_file(), pdf
    return result


def pages(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(pdf).pages]


@pytest.mark.parametrize("name", ["standard", "draft"])
def test_page_count_is_within_one_page_of_the_pdf_edition(rendered, name):
    _, typst, word = rendered[name]
    assert abs(len(pypdf.PdfReader(word).pages) - len(pypdf.PdfReader(typst).pages)) <= 1


@pytest.mark.parametrize("name", ["standard", "draft"])
def test_the_text_extracts_whole(rendered, name):
    edition, _, word = rendered[name]
    text = squash("".join(pages(word)))
    for clause in edition.walk():
        for line in (clause.title, *clause.text.split("\n"), *clause.notes):
            assert squash(line) in text, (clause.id, line)


@pytest.mark.parametrize("name", ["standard", "draft"])
def test_toc_page_numbers_are_where_the_headings_are(rendered, name):
    """The 目次's pre-filled page numbers (the toolkit's page estimate) against the pages
    LibreOffice laid out: all within one page, nearly all exact."""
    edition, _, word = rendered[name]
    texts = [squash(t) for t in pages(word)]
    title = squash(edition.info.title_zh)
    body = next(i for i in range(2, len(texts)) if texts[i].startswith(
        squash(edition.info.number) + title) or texts[i][:80].find(title) >= 0)

    def printed(physical: int) -> str:
        if physical >= body:
            return str(physical - body + 1)
        return format_number(physical, "upperRoman")  # physical 1 (0-based) is page I

    import docx

    document = docx.Document(str(rendered[name][2].parent.parent / name / "docx"
                                 / f"{file_stem(edition.info)}.docx"))
    entries = [p.text.rsplit("\t", 1) for p in document.paragraphs
               if p.style.name in ("toc 1", "toc 2")]
    assert entries
    exact = 0
    # Headings are looked for after the 目次 (its pages are the ones with dot leaders).
    start = max(i for i, t in enumerate(texts) if "....." in t or "……" in t) + 1
    for heading, number in entries:
        key = squash(heading)
        if re.match(r"附录[A-Z]", heading):  # printed 附 录 A / （资料性） / title
            key = squash(heading[heading.index("（"):])
        found = next((i for i in range(start, len(texts)) if key in texts[i]), None)
        assert found is not None, heading
        start = found
        shown = printed(found)
        if shown == number:
            exact += 1
        elif number.isdigit() and shown.isdigit():
            assert abs(int(number) - int(shown)) <= 1, (heading, number, shown)
        else:
            raise AssertionError((heading, number, shown))
    assert exact >= 0.9 * len(entries), f"{exact} of {len(entries)} exact"


def test_redline_renders_with_its_revisions(rendered):
    _, _, pdf = rendered["redline"]
    text = squash("".join(pages(pdf)))
    # LibreOffice shows tracked changes: the draft's new chapter and the 2020 text it removed.
    assert squash("基本原则") in text  # added in the draft
    assert squash("疫情防控") in text  # removed by the draft, shown struck through
