"""Hardening: every bad input in tests/bad_inputs/cases.yaml gets one clear message with file
and line, exit status 1, no traceback and no output; inputs that only look odd (a byte-order
mark, CRLF line ends, markup in titles, hostile names in a roster) build safely."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tooling.cli import main

from .conftest import FIXTURES, ROOT, edit

CASES = yaml.safe_load((Path(__file__).parent / "bad_inputs" / "cases.yaml").read_text("utf-8"))


def test_the_corpus_has_at_least_thirty_cases():
    assert len(CASES) >= 30
    assert len({case["name"] for case in CASES}) == len(CASES)


def apply(case: dict, source: Path) -> None:
    if "replace" in case:
        name, old, new = case["replace"]
        edit(source / name, old, new)
    if "write" in case:
        name, text = case["write"]
        (source / name).write_text(text, "utf-8")
    if "encode" in case:
        name, encoding = case["encode"]
        path = source / name
        path.write_bytes(path.read_text("utf-8").encode(encoding))
    if "delete" in case:
        (source / case["delete"]).unlink()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input(case, tmp_path, capsys):
    source = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", source)
    apply(case, source)
    out = tmp_path / "out"
    args = ["build", case.get("target", "html"), "-q", "--source", str(source), "--out", str(out),
            "--conf", str(ROOT)]
    if "roster" in case:
        roster = tmp_path / "roster.csv"
        roster.write_bytes(case["roster"].encode(case.get("roster_encoding", "utf-8")))
        args += ["--roster", str(roster)]
    capsys.readouterr()
    status = main(args)
    err = capsys.readouterr().err
    assert status == 1, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[0].endswith(case["expect"]) or case["expect"] in lines[0], lines[0]
    assert lines[-1].startswith("构建已停止：") or lines[-1].startswith("错误："), err
    written = [p for p in out.rglob("*") if p.is_file() and ".doctrees" not in p.parts]
    assert written == [], written


def build_ok(tmp_path: Path, source: Path, name: str) -> Path:
    out = tmp_path / name
    assert main(["build", "html", "-q", "-W", "--source", str(source), "--out", str(out),
                 "--conf", str(ROOT)]) == 0
    return out


def page(out: Path, doc: str) -> str:
    text = (out / "html" / f"{doc}.html").read_text("utf-8")
    return text[text.index("<article"):text.index("</article>")]


def test_byte_order_mark_and_crlf_line_ends_change_nothing(tmp_path):
    plain = build_ok(tmp_path, FIXTURES / "mini", "plain")
    source = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", source)
    for path in source.glob("*.md"):
        text = path.read_text("utf-8").replace("\n", "\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    odd = build_ok(tmp_path, source, "odd")
    for doc in ("requirements", "terms", "annexes", "index"):
        assert page(odd, doc) == page(plain, doc)


def test_markup_in_titles_and_metadata_is_escaped(tmp_path):
    source = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", source)
    edit(source / "requirements.md", "## 一般要求", "## 一般要求<script>alert(1)</script>")
    edit(source / "requirements.md", "evidence: 保洁记录表", 'evidence: "<img src=x onerror=alert(2)>"')
    edit(source / "standard.yaml", "zh: 公共场所保洁服务规范", "zh: 公共场所<b>保洁</b>服务规范")
    # The hostile evidence is named in no clause text: the drafting rule GB709 would say so.
    with (source / "standard.yaml").open("a", encoding="utf-8") as fh:
        fh.write("lint:\n  ignore: [GB709]\n")
    out = build_ok(tmp_path, source, "out")
    for html in (out / "html").rglob("*.html"):
        text = html.read_text("utf-8")
        assert "<script>alert(1)</script>" not in text, html
        assert "<img src=x" not in text, html
        assert "<b>保洁</b>" not in text, html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page(out, "requirements")


def test_hostile_steward_names_cannot_escape_the_output_folder(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("name,community,buildings,households\n../../逃逸,社区,1号楼,3\n"
                      "/etc/passwd,社区,2号楼,4\n", "utf-8")
    out = tmp_path / "out"
    assert main(["checklist", "-q", "--source", str(FIXTURES / "mini"), "--out", str(out),
                 "--conf", str(ROOT), "--roster", str(roster)]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
    assert written == ["checklists/daily.pdf", "checklists/roster/01-逃逸.pdf",
                       "checklists/roster/02-etc_passwd.pdf", "checklists/roster/all.pdf"]
    assert not list(tmp_path.glob("*.pdf"))


def test_a_failed_build_keeps_the_previous_output(tmp_path):
    source = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", source)
    out = build_ok(tmp_path, source, "out")
    before = page(out, "requirements")
    edit(source / "requirements.md", "id: req-tools", "id: Req_Tools")
    assert main(["build", "html", "-q", "--source", str(source), "--out", str(out),
                 "--conf", str(ROOT)]) == 1
    assert page(out, "requirements") == before
    assert sorted(p.name for p in out.iterdir()) == [".doctrees", "html"]
