"""Visual regression of the PDF edition: three reference pages of the in-force edition — the
cover, a body page with a 注 and a 列项, the annex page with the spanned evaluation table (表E.1) — rendered at
50 dpi and compared with the images in tests/visual/.

The pages are laid out with the packaged Noto fonts only (``STDKIT_FONTS=package``) and
rendered by PDFium (the pinned pypdfium2 wheel), so every machine draws the same pixels. A
layout change fails the test and leaves the new rendering and a diff image in the test's tmp
folder; after checking them, ``STDKIT_UPDATE_VISUAL=1`` rewrites the references.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, STANDARD

pdfium = pytest.importorskip("pypdfium2")
Image = pytest.importorskip("PIL.Image")
ImageChops = pytest.importorskip("PIL.ImageChops")

REFERENCES = Path(__file__).resolve().parent / "visual"
DPI = 50
# A page may differ in anti-aliasing only: mean difference under 1 level of 255, and under
# 0.2 % of its pixels off by more than a quarter of the range.
MEAN_LIMIT = 1.0
PIXEL_LIMIT = 0.002


def _fonts_pinned() -> str | None:
    from tooling.typeset.fonts import FontsNotFound, _choose

    try:
        fonts = _choose(system=False)
    except FontsNotFound:
        return "the packaged fonts (pylopdf-fonts-zh-cn) are not installed"
    if (fonts.serif, fonts.sans) != ("Noto Serif SC", "Noto Sans SC"):
        return f"the packaged fonts are {fonts.serif}/{fonts.sans}, not Noto Serif SC/Noto Sans SC"
    return None


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Image.Image]:
    reason = _fonts_pinned()
    if reason:
        pytest.skip(f"visual references are drawn with Noto Serif SC/Noto Sans SC: {reason}")
    out = tmp_path_factory.mktemp("visual")
    env = {**os.environ, "STDKIT_FONTS": "package"}
    subprocess.run([sys.executable, "-m", "tooling.cli", "build", "pdf", "-q",
                    "--source", str(STANDARD), "--out", str(out)],
                   cwd=ROOT, env=env, check=True)
    (pdf_path,) = (out / "pdf").glob("*.pdf")
    document = pdfium.PdfDocument(str(pdf_path))
    texts = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    note_and_list = next(i for i, t in enumerate(texts)
                         if i > 3 and re.search(r"^注\d*：", t, re.M) and re.search(r"^a\)", t, re.M))
    spans = next(i for i, t in enumerate(texts) if re.search(r"表[A-Z]\.1\s*楼长服务评价表", t))
    chosen = {"cover": 0, "body-note-list": note_and_list, "annex-spans": spans}
    return {name: document[i].render(scale=DPI / 72).to_pil().convert("L")
            for name, i in chosen.items()}


@pytest.mark.parametrize("name", ["cover", "body-note-list", "annex-spans"])
def test_page_matches_its_reference(pages, name, tmp_path):
    actual = pages[name]
    reference_path = REFERENCES / f"{name}.png"
    if os.environ.get("STDKIT_UPDATE_VISUAL") == "1":
        REFERENCES.mkdir(exist_ok=True)
        actual.save(reference_path, optimize=True)
    reference = Image.open(reference_path).convert("L")
    actual.save(tmp_path / f"{name}-actual.png")
    assert actual.size == reference.size, (actual.size, reference.size)
    diff = ImageChops.difference(actual, reference)
    histogram = diff.histogram()
    total = actual.size[0] * actual.size[1]
    mean = sum(level * count for level, count in enumerate(histogram)) / total
    off = sum(histogram[64:]) / total
    if mean > MEAN_LIMIT or off > PIXEL_LIMIT:
        # The difference, dark where the pages differ, beside both pages.
        marked = Image.eval(diff, lambda v: 255 - min(255, v * 4))
        strip = Image.new("L", (actual.size[0] * 3, actual.size[1]), 255)
        for i, image in enumerate((reference, actual, marked)):
            strip.paste(image, (i * actual.size[0], 0))
        strip.save(tmp_path / f"{name}-diff.png")
        pytest.fail(f"{name}: mean difference {mean:.2f}, {off:.2%} of pixels changed; "
                    f"reference | new | difference in {tmp_path / f'{name}-diff.png'}")
