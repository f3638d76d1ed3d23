"""The PDF edition: cover, reading order, fonts, metadata, bookmarks, reproducibility."""

from __future__ import annotations

import pypdf
import pytest

from tooling.model.stages import file_stem, safe_filename

from .conftest import FIXTURES, STANDARD, built_edition, squash


@pytest.fixture(scope="module", params=["mini", "real"])
def built(request, tmp_path_factory):
    source = FIXTURES / "mini" if request.param == "mini" else STANDARD
    out = tmp_path_factory.mktemp(f"pdf-{request.param}")
    from tooling.cli import main

    status = main(["build", "pdf", "-q", "-W", "--source", str(source), "--out", str(out)])
    assert status == 0
    edition = built_edition(out)
    pdf = out / "pdf" / f"{file_stem(edition.info)}.pdf"
    return edition, pdf, out, source


def pages_text(pdf) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(pdf).pages]


def test_file_name_is_derived_safely_from_the_number():
    assert safe_filename("DB3715/T 12—2021") == "DB3715-T_12-2021"
    assert safe_filename("G/DEZZ001—2020") == "G-DEZZ001-2020"
    assert safe_filename("../../etc/passwd") == "etc-passwd"
    assert safe_filename("///") == "standard"


def test_cover_carries_the_edition_metadata(built):
    edition, pdf, _, _ = built
    info = edition.info
    cover = squash(pages_text(pdf)[0])
    expected = [*(f"ICS{i}" for i in info.ics), f"CCS{info.ccs}", info.number, info.class_line,
                info.title_zh, f"{info.issuer}发布"]
    if info.title_en:
        expected.append(info.title_en)
    expected.append(f"{info.issued or 'XXXX-XX-XX'}发布")
    expected.append(f"{info.implemented or 'XXXX-XX-XX'}实施")
    if info.is_draft:
        expected.append(f"（{info.stage}）")
    for item in expected:
        assert squash(item) in cover, item


def test_every_clause_number_and_text_appears_in_reading_order(built):
    """Nothing is lost between the model and the page."""
    edition, pdf, _, _ = built
    body = squash("".join(pages_text(pdf)[1:]))
    position = 0
    for clause in edition.walk():
        number = clause.number
        if clause.element_type == "table":
            number = f"表{number}"
        elif clause.element_type == "annex":
            number = f"附录{number}"
        elif clause.element_type == "list-item":
            number = number.split()[-1]
        # The number, title and first paragraph in reading order; a clause's later
        # paragraphs may follow its list items, so those are checked after its start.
        blocks = clause.text.split("\n") if clause.text else []
        expected = [x for x in (number, clause.title, *blocks[:1]) if x]
        start = position
        for piece in expected:
            found = body.find(squash(piece), position)
            assert found >= 0, f"{clause.id}: {piece!r} missing after position {position}"
            position = found + len(squash(piece))
        for block in blocks[1:]:
            assert squash(block) in body[start:], f"{clause.id}: {block!r} missing"
        for note in clause.notes + clause.examples:
            assert squash(note) in body, f"{clause.id}: note {note!r} missing"


def test_all_fonts_are_embedded(built):
    _, pdf, _, _ = built
    reader = pypdf.PdfReader(pdf)
    seen = []
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            seen.append((str(font["/BaseFont"]), embedded))
    assert seen
    assert all(embedded for _, embedded in seen), seen
    assert any("CJK" in name or "SC" in name or "Sim" in name for name, _ in seen)


def test_metadata_and_bookmarks(built):
    edition, pdf, _, _ = built
    reader = pypdf.PdfReader(pdf)
    assert reader.metadata.title == edition.info.title_zh
    assert reader.metadata.subject == edition.info.number
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    bookmarks = list(titles(reader.outline))
    for clause in edition.clauses:
        if clause.element_type == "chapter":
            assert f"{clause.number}\u3000{clause.title}" in bookmarks
        elif clause.element_type == "annex":
            assert f"附录{clause.number}（{clause.annex_obligation}）\u3000{clause.title}" in bookmarks


def test_front_matter_roman_body_arabic_and_running_header(built):
    edition, pdf, _, _ = built
    texts = pages_text(pdf)
    reader = pypdf.PdfReader(pdf)
    labels = reader.page_labels
    assert labels[1] == "I"  # 目次
    body_start = next(i for i, t in enumerate(texts) if squash(edition.info.title_zh) in squash(t)
                      and i > 0 and "目次" not in squash(t) and "前言" not in squash(t)[:4])
    assert labels[body_start] == "1"
    for text in texts[1:]:
        assert squash(edition.info.number) in squash(text)


def test_drafts_mark_every_page(built):
    edition, pdf, _, _ = built
    texts = pages_text(pdf)
    marked = [squash(f"（{edition.info.stage}）") in squash(t) for t in texts]
    assert all(marked) if edition.info.is_draft else not any(marked)


def test_second_build_is_byte_identical(built, tmp_path):
    _edition, pdf, _, source = built
    from tooling.cli import main

    assert main(["build", "pdf", "-q", "--source", str(source), "--out", str(tmp_path)]) == 0
    again = tmp_path / "pdf" / pdf.name
    assert again.read_bytes() == pdf.read_bytes()


def test_no_missing_glyphs(built):
    """Every character of the edition is in the serif or the sans font the PDF uses."""
    import typst
    from fontTools.ttLib import TTCollection, TTFont

    from tooling.typeset.fonts import choose_fonts

    choice = choose_fonts()
    cmap: set[int] = set()
    for font in typst.Fonts(include_system_fonts=True, include_embedded_fonts=False,
                            font_paths=list(choice.font_paths)).fonts():
        if font.family in (choice.serif, choice.sans) and font.path:
            if font.path.endswith((".ttc", ".otc")):
                face = TTCollection(font.path).fonts[font.index]
            else:
                face = TTFont(font.path, fontNumber=font.index)
            cmap |= set(face.getBestCmap())
    edition, _, _, _ = built
    info = edition.info
    texts = [info.title_zh, info.title_en or "", info.number, info.issuer, info.class_line]
    for clause in edition.walk():
        texts += [clause.title, clause.text, *clause.notes, *clause.examples]
        texts += [cell for row in clause.rows for cell in row]
    missing = {ch for text in texts for ch in text if not ch.isspace() and ord(ch) not in cmap}
    assert missing == set()
