"""Every element of GB/T 1.1—2020, in a second fixture standard from another field
(tests/fixtures/property, 住宅小区物业服务规范): numbered in the HTML, the PDF text and the
clause-index JSON; built with -W and linted clean. The fixture is built once for the module."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pypdf
import pytest

from tooling.cli import main
from tooling.model import Edition

from .conftest import FIXTURES, ROOT, squash, strip_tags

PROPERTY = FIXTURES / "property"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("property")
    assert main(["build", "all", "-q", "-W", "--source", str(PROPERTY), "--out", str(out),
                 "--conf", str(ROOT)]) == 0
    return out


def article(out: Path, doc: str) -> str:
    page = (out / "html" / f"{doc}.html").read_text("utf-8")
    return page[page.index("<article") : page.index("</article>")]


def text(out: Path, doc: str) -> str:
    return squash(strip_tags(article(out, doc)))


@pytest.fixture(scope="module")
def pdf_text(built) -> str:
    (pdf,) = (built / "pdf").glob("*.pdf")
    return squash("\n".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages))


@pytest.fixture(scope="module")
def index(built) -> dict:
    return json.loads((built / "index" / "clause-index.json").read_text("utf-8"))


def row(index: dict, clause_id: str) -> dict:
    return next(r for r in index["clauses"] if r["id"] == clause_id)


def refs(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="clause-ref reference internal" href="([^"]+)">([^<]+)</a>', html)


# -- HTML ----------------------------------------------------------------------------------------


def test_references_render_each_elements_own_form(built):
    assert refs(article(built, "basic")) == [
        ("services.html#note-centre-hours", "表1的注2"),
        ("normative-references.html#ref-gb-2894", "GB 2894"),
        ("#fig-signs", "图1"),
        ("annex-a.html#annex-evaluation", "附录A"),  # cited first, so it is 附录A (GB104)
    ]
    assert refs(article(built, "services")) == [
        ("#table-cleaning", "表1"),
        ("basic.html#example-greeting", "4.1.2的示例"),
        ("#formula-repair-rate", "公式(1)"),
        ("annex-b.html#annex-records", "附录B"),
    ]
    assert [t for _h, t in refs(article(built, "annex-a"))] == ["公式(A.1)", "表A.1", "图A.1"]
    assert [t for _h, t in refs(article(built, "annex-b"))] == ["表B.1", "[1]"]


def test_dash_items_are_unnumbered_and_cite_their_clause(built, index):
    basic = article(built, "basic")
    assert 'href="#staff-health" title="链接到4.1.1"' in basic
    assert 'href="#conduct-uniform" title="链接到4.1.2 a)"' in basic
    assert "number" not in row(index, "staff-health")
    assert row(index, "staff-health")["label"] == "——"
    assert row(index, "conduct-uniform")["number"] == "4.1.2 a)"


def test_reference_entries_dated_undated_and_bibliography(built, index):
    refs_page = text(built, "normative-references")
    assert squash("GB 2894　安全标志及其使用导则") in refs_page
    assert squash("GB/T 20647.9—2006　社区服务指南　第9部分：物业服务") in refs_page
    bib = text(built, "bibliography")
    assert squash("[1]　《物业管理条例》") in bib
    assert squash("[2]　GB/T 20647.1—2006　社区服务指南") in bib
    assert row(index, "ref-gb-2894")["document"] == {
        "designation": "GB 2894", "title": "安全标志及其使用导则", "dated": False}
    assert row(index, "ref-gbt-20647-9")["document"]["dated"] is True
    assert row(index, "ref-gbt-20647-9")["number"] == "GB/T 20647.9—2006"
    assert [row(index, i)["number"] for i in ("bib-property-regulation", "bib-gbt-20647-1")] == [
        "1", "2"]


def test_table_notes_and_footnotes_inside_the_frame(built, index):
    services = article(built, "services")
    table = services[services.index('id="table-cleaning"') : services.index("</table>")]
    foot = table[table.index("<tfoot") :]
    assert '<td colspan="3">' in foot
    assert re.findall(r'class="std_note-label">([^<]+)<', foot) == ["注1：", "注2："]
    assert re.findall(r'<sup class="footnote-label">(\w)</sup>', foot) == ["a", "b"]
    assert re.findall(r'<sup class="footnote-ref"><a href="#[^"]+">(\w)</a></sup>', table) == [
        "a", "b"]
    cleaning = row(index, "table-cleaning")
    assert cleaning["notes"] == ["雨雪天气增加清扫次数。"]
    assert cleaning["footnotes"] == ["含扶手和窗台。", "含绿地内的步道。"]
    assert row(index, "note-centre-hours")["label"] == "注2"
    assert row(index, "note-centre-hours")["parent"] == "table-cleaning"


def test_figures_with_notes_before_the_caption(built):
    basic = article(built, "basic")
    figure = basic[basic.index('<figure') : basic.index("</figure>")]
    assert figure.index("figure-notes") < figure.index("<figcaption")
    assert squash(strip_tags(figure)).endswith("图1公共区域安全标志设置示意图¶")
    assert squash("注：图中圆点为安全标志的位置a。") in squash(strip_tags(figure))
    images = re.findall(r'<img[^>]+src="([^"]+)"', figure)
    assert len(images) == 1 and (built / "html" / images[0]).is_file()
    assert "图A.1评价流程" in text(built, "annex-a")


def test_formulas_are_mathml_numbered_with_their_symbols(built):
    services = article(built, "services")
    formula = services[services.index('id="formula-repair-rate"') :]
    assert formula.index("<math display=\"block\"") < formula.index('class="formula-number">(1)')
    where = squash(strip_tags(formula[formula.index("<p class=\"formula-where-head") :]))
    assert where.startswith(squash("式中：P——报修及时率；nt——当月按时到达现场的报修次数，单位为次；"
                                   "n——当月报修总次数，单位为次。"))
    assert 'class="formula-number">(A.1)' in article(built, "annex-a")
    # Offline: no script or stylesheet from anywhere else, on any page.
    for page in (built / "html").rglob("*.html"):
        html = page.read_text("utf-8")
        assert not re.search(r'<script[^>]+src="https?:', html), page
        assert "mathjax" not in html.lower(), page


def test_notes_and_examples_with_ids_term_source_and_placeholder_dates(built):
    basic = article(built, "basic")
    assert 'id="note-staff-certificates"' in basic and 'id="example-greeting"' in basic
    terms = text(built, "terms")
    assert squash("[来源：GB/T 20647.9—2006，3.1，有修改]") in terms
    assert squash("[来源：GB/T 20647.9—2006，3.4]") in terms
    assert "XXXX-XX-XX发布" in text(built, "index")


# -- PDF -----------------------------------------------------------------------------------------


def test_pdf_numbers_every_element(pdf_text):
    for expected in (
        "GB2894安全标志及其使用导则", "GB/T20647.9—2006社区服务指南",
        "[来源：GB/T20647.9—2006，3.1，有修改]",
        "开放时间见表1的注2", "应符合GB2894的规定，设置位置见图1",
        "图1公共区域安全标志设置示意图", "注1：雨雪天气增加清扫次数", "注2：服务中心开放时间",
        "a含扶手和窗台", "b含绿地内的步道", "按公式(1)计算", "(1)式中：",
        "——报修及时率；", "按公式(A.1)计算", "(A.1)", "表A.1评价项目及权重", "图A.1评价流程",
        "可参考[1]", "[1]《物业管理条例》", "[2]GB/T20647.1—2006",
        "4.1.2的示例", "XXXX-XX-XX发布",
    ):
        assert squash(expected) in pdf_text, expected


# -- clause index --------------------------------------------------------------------------------


def test_index_json_numbers_validates_and_round_trips(built, index):
    schema = json.loads((built / "index" / "clause-index.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(index)
    numbers = {r["id"]: r.get("number") for r in index["clauses"]}
    assert [numbers[i] for i in ("fig-signs", "table-cleaning", "formula-repair-rate",
                                 "formula-score", "table-weights", "fig-evaluation",
                                 "table-repair-log")] == ["1", "1", "1", "A.1", "A.1", "A.1", "B.1"]
    types = {r["element_type"] for r in index["clauses"]}
    assert {"formula", "note", "example", "normative-reference", "bibliography-entry",
            "figure", "list-item", "table"} <= types
    edition = Edition.loads((built / "index" / "clause-index.json").read_text("utf-8"))
    assert edition.reference_text("note-centre-hours") == "表1的注2"
    assert edition.reference_text("staff-health") == "4.1.1"
    assert edition.reference_text("bib-gbt-20647-1") == "[2]"
    assert edition.reference_text("ref-gbt-20647-9") == "GB/T 20647.9—2006"
    assert edition["formula-score"].formula.where[0] == ("S", "评价得分")
    assert edition["term-property-service"].term.source.modified is True


def test_metadata_on_list_items_tables_and_figures(index):
    assert row(index, "staff-health")["metadata"] == {
        "kind": "requirement", "role": ["物业服务企业"], "evidence": ["健康证明"]}
    assert row(index, "conduct-uniform")["metadata"]["frequency"] == {"min": 1, "per": "day"}
    assert row(index, "table-cleaning")["metadata"] == {
        "role": ["保洁员"], "evidence": ["保洁记录"], "frequency": {"min": 1, "per": "day"}}
    assert row(index, "fig-signs")["metadata"] == {"evidence": ["安全标志巡查记录"]}
    target = row(index, "repair-response")["metadata"]["target"]
    assert target == {"metric": "到场时间", "value": 30, "unit": "min", "op": "<=",
                      "per": "event", "event": "接到报修"}
    assert "draft" not in index["edition"] and "issued" not in index["edition"]


def test_lint_is_clean(built, capsys):
    capsys.readouterr()
    assert main(["lint", "--source", str(PROPERTY), "--out", str(built), "--conf",
                 str(ROOT)]) == 0
    assert "未发现问题" in capsys.readouterr().out


# -- diagnostics -----------------------------------------------------------------------------


def test_markup_errors_are_counted_relative_and_without_the_directive_source(tmp_path, capsys):
    """Item 5 of issue 14: an error inside a directive names its file relative to the
    standard's folder (never absolute), quotes nothing of the directive, and the summary
    counts exactly the errors printed."""
    import shutil

    source = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", source)
    scope = source / "scope.md"
    scope.write_text(scope.read_text("utf-8").replace(
        "本文件适用于公共场所的保洁服务。",
        "本文件适用于公共场所的保洁服务。\n\n:::{figure}\n:name: fig-plan\n\n示意图\n:::\n\n"
        "```{include} nothere.md\n```\n"), "utf-8")
    capsys.readouterr()
    status = main(["build", "html", "-q", "--source", str(source), "--out", str(tmp_path / "o"),
                   "--conf", str(ROOT)])
    err = capsys.readouterr().err
    assert status == 1
    lines = [line for line in err.splitlines() if line.strip()]
    errors = [line for line in lines if ": ERROR: " in line]
    assert lines[-1] == f"构建已停止：{len(errors)} 个错误，未写出成果（build stopped: {len(errors)} error(s)）"
    assert len(lines) == len(errors) + 1  # nothing else: no quoted directive, no second copy
    assert str(tmp_path) not in err
    assert errors[0].startswith("scope.md:8: ERROR: E156 标记有误：Directive 'figure'")
    assert "file not found: 'nothere.md'" in errors[1]


# -- the model, without a build ----------------------------------------------------------------


@pytest.mark.parametrize(("tex", "typst"), [
    (r"R = \frac{n}{N} \times 100\%", r"R \= frac(n, N) × 100 \%"),
    (r"\bar{x} = \frac{1}{n}\sum_{i=1}^{n} x_i",
     r"overline(x) \= frac(1, n) attach(limits(∑), b: i \= 1, t: n) attach(x, b: i)"),
    (r"\sqrt[3]{V}", "root(3, V)"),
    (r"\text{面积} = a \cdot b", r'"面积" \= a · b'),
    (r"\sin x + \mathrm{d}y", r"op(\"sin\") x \+ upright(d) y".replace('\\"', '"')),
])
def test_formulas_render_to_typst(tex, typst):
    from tooling.model.formulas import parse

    rendered = parse(tex)
    assert rendered.typst == typst
    assert rendered.mathml.startswith('<math display="block"')


@pytest.mark.parametrize(("tex", "reason"), [
    (r"\frac{a}{", "缺少“}”"), (r"a}b", "多了一个“}”"), (r"\foo{x}", "不认识的命令“\\foo”"),
    (r"\left( a", "\\left 和 \\right 应成对使用"), ("", "公式为空"),
])
def test_formulas_that_do_not_parse(tex, reason):
    from tooling.model.formulas import FormulaError, parse

    with pytest.raises(FormulaError, match=re.escape(reason)):
        parse(tex)


def test_text_in_a_formula_is_escaped_in_the_mathml():
    from tooling.model.formulas import parse

    mathml = parse(r"\text{<script>alert(1)</script>} = 1").mathml
    assert "<script>" not in mathml and "&lt;script&gt;" in mathml


def test_element_descriptions():
    from tooling.model import Document, Target, TermSource

    assert Target("到场时间", 30, "min", "event", "<=", "接到报修").describe() == (
        "每次接到报修，到场时间不超过30 min")
    assert Target("到场时间", 30, "min", "event", "<=").describe() == "到场时间不超过30 min（每次）"
    assert TermSource("GB/T 20647.1—2006", "3.1", True).describe() == (
        "[来源：GB/T 20647.1—2006，3.1，有修改]")
    assert TermSource.from_value("GB/T 1—2000，2.1") == TermSource("GB/T 1—2000，2.1")
    assert Document("总则", "GB/T 20647.1—2006").dated
    assert not Document("总则", "GB/T 20647.1").dated
    assert not Document("物业管理条例").dated
