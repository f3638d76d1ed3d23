"""The clause index: JSON valid against its schema, CSV for spreadsheets, pages in the HTML."""

from __future__ import annotations

import csv
import io
import json
import re

import jsonschema
import openpyxl
import pytest

from tooling.index.export import content_hash, neutralise
from tooling.model import Edition
from tooling.model.modal import find_modals, first_modal

from .conftest import FIXTURES, STANDARD, edit, strip_tags


@pytest.fixture(scope="module", params=["mini", "real"])
def indexed(request, tmp_path_factory):
    from tooling.cli import main

    source = FIXTURES / "mini" if request.param == "mini" else STANDARD
    out = tmp_path_factory.mktemp(f"index-{request.param}")
    assert main(["build", "index", "-q", "-W", "--source", str(source), "--out", str(out)]) == 0
    assert main(["build", "html", "-q", "-W", "--source", str(source), "--out", str(out)]) == 0
    return out


def load(out):
    return json.loads((out / "index" / "clause-index.json").read_text("utf-8"))


def test_json_validates_against_the_shipped_schema(indexed):
    schema = json.loads((indexed / "index" / "clause-index.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(load(indexed)))
    assert errors == []


def test_schema_rejects_what_it_should(indexed):
    schema = json.loads((indexed / "index" / "clause-index.schema.json").read_text("utf-8"))
    data = load(indexed)
    data["clauses"][0]["metadata"] = {"kind": "must"}
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)
    data = load(indexed)
    data["format_version"] = 2
    assert not jsonschema.Draft202012Validator(schema).is_valid(data)


def test_json_is_sorted_and_loads_back_into_the_model(indexed):
    text = (indexed / "index" / "clause-index.json").read_text("utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    edition = Edition.loads(text)  # the diff and checklists need nothing else
    assert [c.id for c in edition.walk()] == [row["id"] for row in data["clauses"]]
    for row in data["clauses"]:
        assert content_hash(edition[row["id"]]) == row["hash"]


def test_rows_carry_number_parent_modal_and_source(indexed):
    rows = {row["id"]: row for row in load(indexed)["clauses"]}
    if "req-daily-clean" in rows:  # mini fixture
        row = rows["req-daily-clean"]
        assert (row["number"], row["parent"], row["chapter"], row["modal"]) == (
            "4.1.1", "req-general", "requirements", "应")
        assert row["source"].endswith("tests/fixtures/mini/requirements.md")
        assert row["line"] == 7
        assert rows["req-tools"]["modal"] == "宜"
        assert rows["req-paragraph"]["modal"] == "可"
    else:
        row = rows["visit-coverage"]
        assert row["modal"] == "应"
        assert row["metadata"]["target"] == {
            "metric": "走访覆盖率", "value": 100, "unit": "%", "per": "year", "op": "="}


def test_two_builds_give_byte_identical_index(indexed, tmp_path):
    from tooling.cli import main

    source = FIXTURES / "mini" if (indexed / "html" / "requirements.html").exists() else STANDARD
    assert main(["build", "index", "-q", "--source", str(source), "--out", str(tmp_path)]) == 0
    for name in ("clause-index.json", "clause-index.csv", "clause-index.schema.json",
                 "clause-index.xlsx"):
        assert (tmp_path / "index" / name).read_bytes() == (indexed / "index" / name).read_bytes()


def test_csv_opens_in_excel_and_has_one_row_per_element(indexed):
    raw = (indexed / "index" / "clause-index.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["标识"] for r in rows] == [r["id"] for r in load(indexed)["clauses"]]


def test_spreadsheets_speak_chinese_with_developer_columns_last(indexed):
    text = (indexed / "index" / "clause-index.csv").read_text("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header[:5] == ["编号", "要素类型", "标题", "条文", "条款类型"]
    assert header[-4:] == ["标识", "源文件", "行号", "内容哈希"]
    assert all(not re.fullmatch(r"[a-z_]+", h) for h in header)
    rows = list(csv.DictReader(io.StringIO(text)))
    kinds = {r["条款类型"] for r in rows} - {""}
    types = {r["要素类型"] for r in rows}
    assert kinds <= {"要求", "推荐", "允许", "能力和可能性", "陈述", "指示"} and "要求" in kinds
    assert {"章", "条"} <= types and not any(t.isascii() for t in types)


def test_xlsx_keeps_every_number_as_text(indexed):
    data = load(indexed)
    book = openpyxl.load_workbook(indexed / "index" / "clause-index.xlsx")
    sheet = book.active
    assert sheet.title == "条款索引"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    header = [c.value for c in sheet[1]]
    csv_header = next(csv.reader(io.StringIO(
        (indexed / "index" / "clause-index.csv").read_text("utf-8-sig"))))
    assert header == csv_header
    numbers = [row[0] for row in sheet.iter_rows(min_row=2)]
    ids = [row[header.index("标识")].value for row in sheet.iter_rows(min_row=2)]
    assert ids == [c["id"] for c in data["clauses"]]
    for cell, clause in zip(numbers, data["clauses"], strict=True):
        if "number" in clause:
            assert cell.data_type == "s" and isinstance(cell.value, str)
            assert cell.value == clause["number"]
        else:
            assert cell.value is None
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width  # 条文 wide


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("=1+1", "'=1+1"), ("+86 123", "'+86 123"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
     ("楼长应", "楼长应"), ("", "")],
)
def test_csv_injection_is_neutralised(cell, expected):
    assert neutralise(cell) == expected


def test_csv_neutralises_formulas_from_the_sources(build, mini_copy):
    edit(mini_copy / "requirements.md", ":role: 保洁员\n保洁工具", ":role: \"=HYPERLINK(1)\"\n保洁工具")
    from tooling.cli import main

    out = mini_copy.parent / "out"
    assert main(["build", "index", "-q", "--source", str(mini_copy), "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO((out / "index" / "clause-index.csv").read_text("utf-8-sig"))))
    assert next(r for r in rows if r["标识"] == "req-tools")["执行主体"] == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("text", "modals"),
    [
        ("楼长应每年走访", ["应"]),
        ("遇有应急事件应及时响应", ["应"]),
        ("相应的记录应保存3年", ["应"]),
        ("适宜的时间宜安排在上午", ["宜"]),
        ("社区应用软件的功能", []),
        ("适应居民需要，对应处理", []),
        ("楼长不应泄露隐私", ["不应"]),
        ("楼长应为身体健康的居民", ["应"]),
        ("不得收受财物，必须登记", ["不得", "必须"]),
        ("可按单元增设；可能发生", ["可", "可能"]),
        ("推选楼长时宜优先推选", ["宜"]),
        ("不合时宜的做法，相关事宜", []),
    ],
)
def test_modal_verbs_are_found_without_false_hits(text, modals):
    assert [h.word for h in find_modals(text)] == modals
    assert first_modal(text) == (modals[0] if modals else None)


def test_clause_index_page_lists_every_element_with_links(indexed):
    page = (indexed / "html" / "clause-index.html").read_text("utf-8")
    data = load(indexed)
    rows = re.findall(r"<tr data-kind=", page)
    assert len(rows) == len(data["clauses"])
    assert '<script src="_static/stdkit-index.js"></script>' in page
    assert (indexed / "html" / "_static" / "stdkit-index.js").is_file()
    assert "https://" not in page.split('<article')[1].split("</article>")[0]


def test_term_index_links_definitions_and_uses(indexed):
    page = (indexed / "html" / "term-index.html").read_text("utf-8")
    if "保洁员" in page:
        row = re.search(r'<tr id="term-index-term-cleaner">(.*?)</tr>', page, re.S).group(1)
        assert '<a href="terms.html#term-cleaner">3.1</a>' in row
        assert '<a href="requirements.html#req-daily-clean">4.1.1</a>' in row
    else:
        row = re.search(r'<tr id="term-index-term-building-steward">(.*?)</tr>', page, re.S).group(1)
        assert '<a href="terms.html#term-building-steward">3.1</a>' in row
        assert "personnel.html#steward-political-quality" in row
    assert "使用该术语的条款" in strip_tags(page)


def test_titles_from_sources_are_escaped_in_index_pages(build, mini_copy):
    edit(mini_copy / "requirements.md", "## 一般要求", "## 一般要求<script>alert(1)</script>")
    result = build(mini_copy)
    assert result.status == 0, result.stderr
    page = result.html("clause-index")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_term_index_is_in_hanyu_pinyin_order_with_numbers(indexed):
    page = (indexed / "html" / "term-index.html").read_text("utf-8")
    rows = re.findall(r'<tr id="term-index-[^"]+"><td><strong>([^<]+)</strong>.*?'
                      r'<td><a href="[^"]+">([^<]+)</a></td>', page, re.S)
    assert rows
    if "楼长" in dict(rows):  # the real standard
        terms = [t for t, _n in rows]
        assert terms == ["居民满意率", "联系", "楼宇", "楼长", "楼长公示牌", "社区组织", "特殊家庭",
                         "走访", "走访覆盖率"]
        assert dict(rows)["特殊家庭"] == "3.4"
        letters = re.findall(r'<th colspan="4" id="letter-([A-Z])"', page)
        assert letters == ["J", "L", "S", "T", "Z"]


def test_pinyin_key_orders_like_a_dictionary():
    from tooling.index.collation import initial, pinyin_key

    words = ["走访", "网格员", "绿化", "网格", "路灯", "特殊家庭", "楼长", "略图", "网格化"]
    assert sorted(words, key=pinyin_key) == [
        "楼长", "路灯", "绿化", "略图", "特殊家庭", "网格", "网格化", "网格员", "走访"]
    assert initial("楼长") == "L" and initial("APP") == "A"



def test_pinyin_without_the_whole_phrase_dictionary_reads_as_with_it():
    """collation loads only the phrase entries found inside the words it reads; every
    reading must equal pypinyin's with its whole dictionary (each in a fresh process)."""
    import json
    import subprocess
    import sys

    from .conftest import ROOT

    sources = [*ROOT.glob("standard/*.md"), *ROOT.glob("editions/*/*.md"),
               *ROOT.glob("tests/fixtures/*/*.md"), ROOT / "benchmarks" / "generate.py"]
    words = set()
    for path in sources:
        words.update(re.findall(r"^\s*(?:term|:term):\s*(\S+)\s*$", path.read_text("utf-8"), re.M))
        words.update(re.findall(r'^\s*\("term-[a-z-]+", "([^"]+)"', path.read_text("utf-8"), re.M))
    words |= {"楼长", "银行行长", "长期空巢", "重庆市", "会计师", "一行人", "长江大桥", "音乐",
              "快乐", "楼长制", "还原", "朝阳区", "调解", "调研", "参差不齐", "长大", "重新",
              "了解", "特殊家庭", "APP 管理员", "网格员", "走访覆盖率", "居民议事会", "单于"}
    assert len(words) > 30
    listed = json.dumps(sorted(words), ensure_ascii=False)
    style = "style=Style.TONE3, neutral_tone_with_five=True, v_to_u=False"
    full = (f"import json, sys\nfrom pypinyin import lazy_pinyin, Style\n"
            f"print(json.dumps([[lazy_pinyin(w, {style}), lazy_pinyin(w, style=Style.TONE)]"
            f" for w in json.loads(sys.argv[1])]))")
    ours = ("import json, sys\nfrom tooling.index.collation import syllables, pinyin_text\n"
            "words = json.loads(sys.argv[1])\n"
            "out = [[syllables(w), pinyin_text(w)] for w in words]\n"
            "import pypinyin.constants as c\nassert len(c.PHRASES_DICT) < 1000, len(c.PHRASES_DICT)\n"
            "print(json.dumps(out))")
    full = full.replace("lazy_pinyin(w, style=Style.TONE)]", "''.join(lazy_pinyin(w, style=Style.TONE))]")
    results = []
    for code in (full, ours):
        run = subprocess.run([sys.executable, "-c", code, listed], cwd=ROOT,
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        results.append(json.loads(run.stdout))
    assert results[0] == results[1]
    assert dict(zip(sorted(words), results[1], strict=True))["楼长"][0] == ["lou2", "zhang3"]
