"""Outputs you can trust: whatever ran before, the next build equals a clean one; what a build
no longer produces is removed; outputs are swapped in safely, one build at a time; every
output and diff problem is one message, never a traceback."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.builders.html import StandaloneHTMLBuilder

from tooling.cli import main
from tooling.io import outputs

from .conftest import FIXTURES, ROOT, STANDARD, edit


def insert_chapter(source: Path) -> None:
    """A chapter before 服务要求: 服务要求 becomes 第5章 in the navigation of every page and in
    the reference from 引言, whose own file does not change. It has a half-width comma (a lint
    finding, so a -W build fails on it)."""
    (source / "extra.md").write_text(
        "(extra)=\n# 人员要求\n\n:::{clause}\n:id: extra-training\n:kind: requirement\n"
        ":role: 保洁员\n保洁员应经过培训,方可上岗。\n:::\n", "utf-8")
    edit(source / "index.md", "requirements\n", "extra\nrequirements\n")


def cli(*args: str) -> int:
    return main([*args, "--conf", str(ROOT)] if args[0] != "diff" else list(args))


def build(target: str, source: Path, out: Path, *extra: str) -> int:
    return cli("build", target, "-q", "--source", str(source), "--out", str(out), *extra)


def published(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.is_file() and ".doctrees" not in p.parts and "typst" not in p.parts
                  and not p.name.startswith(".stdkit"))


def assert_same(a: Path, b: Path) -> None:
    names = published(b)
    assert published(a) == names
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    assert (mismatch, errors) == ([], [])


@pytest.fixture
def source(tmp_path: Path) -> Path:
    dest = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", dest)
    return dest


# -- incremental correctness ----------------------------------------------------------------

BETWEEN = {
    "lint": lambda s, o: cli("lint", "--source", str(s), "--out", str(o)),
    "build index": lambda s, o: build("index", s, o),
    "build pdf": lambda s, o: build("pdf", s, o),
    "build checklists": lambda s, o: build("checklists", s, o),
    "failing -W build": lambda s, o: build("html", s, o, "-W"),
}


@pytest.mark.parametrize("command", list(BETWEEN))
def test_html_after_any_other_command_equals_a_clean_build(tmp_path, source, command):
    out = tmp_path / "out"
    assert build("html", source, out) == 0
    insert_chapter(source)
    BETWEEN[command](source, out)
    assert build("html", source, out) == 0
    clean = tmp_path / "clean"
    assert build("html", source, clean) == 0
    assert_same(out / "html", clean / "html")
    assert "第5章" in (out / "html" / "introduction.html").read_text("utf-8")


def test_a_build_killed_while_writing_pages_is_redone_by_the_next(tmp_path, source, monkeypatch):
    out = tmp_path / "out"
    assert build("html", source, out) == 0
    insert_chapter(source)
    write_doc = StandaloneHTMLBuilder.write_doc
    written = []

    def dying(self, docname, doctree):
        if written:
            raise KeyboardInterrupt  # the process is killed after the first page
        written.append(docname)
        write_doc(self, docname, doctree)

    monkeypatch.setattr(StandaloneHTMLBuilder, "write_doc", dying)
    assert build("html", source, out) == 130
    monkeypatch.setattr(StandaloneHTMLBuilder, "write_doc", write_doc)
    assert build("html", source, out) == 0
    clean = tmp_path / "clean"
    assert build("html", source, clean) == 0
    assert_same(out / "html", clean / "html")


def test_search_index_does_not_depend_on_what_was_cached(tmp_path, source):
    """jieba's dictionary is adjusted the same way in every process, cache hit or miss."""
    out = tmp_path / "out"

    def fresh_process_build() -> bytes:
        subprocess.run([sys.executable, "-m", "tooling.cli", "build", "html", "-q", "--source",
                        str(source), "--out", str(out), "--conf", str(ROOT)], check=True)
        return (out / "html" / "searchindex.js").read_bytes()

    # Words the modal-verb finder splits (不应, 应按) in a file that will only be touched.
    edit(source / "scope.md", "。", "；保洁员不应在雨天作业，应按规定处理。", )
    first = fresh_process_build()
    for name in ("scope.md", "terms.md"):
        (source / name).touch()
    assert fresh_process_build() == first


# -- what a build no longer produces is removed ---------------------------------------------

def test_deleted_chapter_page_is_removed_and_user_files_stay(tmp_path, source):
    out = tmp_path / "out"
    assert build("html", source, out) == 0
    (out / "html" / "notes-of-my-own.txt").write_text("mine", "utf-8")
    assert (out / "html" / "introduction.html").is_file()
    edit(source / "index.md", "introduction\n", "")
    (source / "introduction.md").unlink()
    assert build("html", source, out) == 0
    assert not (out / "html" / "introduction.html").exists()
    assert (out / "html" / "notes-of-my-own.txt").read_text("utf-8") == "mine"


HEAD = "name,community,buildings,households\n"


def test_removed_steward_checklist_and_old_number_leave_no_files(tmp_path, source):
    out = tmp_path / "out"
    roster = tmp_path / "roster.csv"
    roster.write_text(f"{HEAD}甲,A区,1号楼,10\n乙,A区,2号楼,12\n丙,A区,3号楼,8\n", "utf-8")
    assert build("checklists", source, out, "--roster", str(roster)) == 0
    assert build("pdf", source, out) == 0
    assert sorted(p.name for p in (out / "checklists" / "roster").iterdir()
                  if not p.name.startswith(".")) == ["01-甲.pdf", "02-乙.pdf", "03-丙.pdf", "all.pdf"]
    roster.write_text(f"{HEAD}乙,A区,2号楼,12\n丙,A区,3号楼,8\n", "utf-8")  # 甲 left the roster
    edit(source / "standard.yaml", "T/TEST 7—2024", "T/TEST 7—2025")
    edit(source / "checklists.yaml", "id: daily", "id: weekly")
    assert build("checklists", source, out, "--roster", str(roster)) == 0
    assert build("pdf", source, out) == 0
    assert published(out / "checklists") == [
        "roster/01-乙.pdf", "roster/02-丙.pdf", "roster/all.pdf", "weekly.pdf"]
    assert published(out / "pdf") == ["T-TEST_7-2025_征求意见稿.pdf"]  # a draft: the stage too


# -- written safely -----------------------------------------------------------------------

def test_two_builds_at_once_both_succeed_in_turn(tmp_path, source):
    out = tmp_path / "out"
    command = [sys.executable, "-m", "tooling.cli", "build", "html", "-q", "--source",
               str(source), "--out", str(out), "--conf", str(ROOT)]
    first = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    results = [(p.wait(), p.stderr.read()) for p in (first, second)]
    assert [status for status, _ in results] == [0, 0], results
    assert all("Traceback" not in err for _, err in results)
    clean = tmp_path / "clean"
    assert build("html", source, clean) == 0
    assert_same(out / "html", clean / "html")


def test_a_symlinked_output_folder_is_written_through(tmp_path, source):
    web_root = tmp_path / "www"
    web_root.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "html").symlink_to(web_root)
    for _ in range(2):
        assert build("html", source, out) == 0
        assert (out / "html").is_symlink()
        assert (web_root / "index.html").is_file()
    edit(source / "requirements.md", "保洁工具宜分区使用。", "保洁工具宜按区域分色使用。")
    assert build("html", source, out) == 0
    assert "按区域分色" in (web_root / "requirements.html").read_text("utf-8")


def test_an_interrupted_swap_is_completed_not_lost(tmp_path, source):
    out = tmp_path / "out"
    assert build("html", source, out) == 0
    before = (out / "html" / "index.html").read_bytes()
    # The state an interruption between the two renames leaves: the new edition staged, the
    # previous one moved aside, the journal written.
    shutil.copytree(out / "html", out / ".html.staging")
    (out / "html").rename(out / ".html.old")
    (out / outputs.JOURNAL).write_text(json.dumps({"targets": ["html"]}), "utf-8")
    edit(source / "requirements.md", "保洁员应每日", "保洁员应每曰")  # any build, even a failing one
    edit(source / "requirements.md", "id: req-daily-clean", "id: Req_Daily")
    assert build("html", source, out) == 1
    assert (out / "html" / "index.html").read_bytes() == before
    assert not (out / ".html.old").exists() and not (out / outputs.JOURNAL).exists()


def test_an_edition_left_only_aside_is_put_back(tmp_path, source):
    out = tmp_path / "out"
    assert build("html", source, out) == 0
    (out / "html").rename(out / ".html.old")  # interrupted before the journal existed
    edit(source / "requirements.md", "id: req-daily-clean", "id: Req_Daily")
    assert build("html", source, out) == 1
    assert (out / "html" / "index.html").is_file()


def test_build_all_swaps_in_every_target_or_none(tmp_path, source, capsys):
    out = tmp_path / "out"
    assert build("all", source, out) == 0
    before = {p: (out / p).read_bytes() for p in published(out)}
    edit(source / "requirements.md", "保洁工具宜分区使用。", "保洁工具宜按区域分色使用。")
    edit(source / "checklists.yaml", "tables: [table-a-record]", "tables: [no-such-table]")
    assert build("all", source, out) == 1
    assert {p: (out / p).read_bytes() for p in published(out)} == before
    assert "未写出成果" in capsys.readouterr().err


def test_an_unwritable_output_is_one_message(tmp_path, source, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("", "utf-8")
    capsys.readouterr()
    assert build("html", source, blocker / "out") == 1
    err = capsys.readouterr().err
    assert "E140 无法写入输出目录：" in err and "[output-not-writable]" in err
    assert "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_a_read_only_output_folder_is_one_message(tmp_path, source, capsys):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        assert build("html", source, out) == 1
    finally:
        out.chmod(0o755)
    assert "E140 无法写入输出目录：没有写入权限" in capsys.readouterr().err


# -- the diff ---------------------------------------------------------------------------------

def test_diff_cache_follows_content_not_modification_times(tmp_path, source):
    old = tmp_path / "old"
    shutil.copytree(source, old)
    out = tmp_path / "out"
    assert main(["diff", str(old), str(source), "--out", str(out), "--conf", str(ROOT), "-q"]) == 0
    text = source / "requirements.md"
    stat = text.stat()
    edit(text, "保洁员应每日至少清扫2次", "保洁员应每日至少清扫3次")
    os.utime(text, ns=(stat.st_atime_ns, stat.st_mtime_ns - 10**12))  # an older copy (cp -p)
    assert main(["diff", str(old), str(source), "--out", str(out), "--conf", str(ROOT), "-q",
                 "--fail-on", "technical"]) == 1
    assert "清扫3次" in (out / "diff" / "diff.json").read_text("utf-8")


@pytest.mark.parametrize(("content", "detail"), [
    ("[]", "顶层应为 JSON 对象，含 format_version、edition 和 clauses"),
    ("[" * 100_000 + "]" * 100_000, "不是有效的 JSON：maximum recursion depth exceeded"),
    ('{"format_version": 1, "clauses": []}', "缺少字段 'edition'"),
    ('{"format_version": 1, "edition": {}, "clauses": []}', "缺少字段 'class'"),
])
def test_a_malformed_clause_index_as_diff_side_is_one_message(tmp_path, capsys, content, detail):
    bad = tmp_path / "bad.json"
    bad.write_text(content, "utf-8")
    code = main(["diff", str(bad), str(STANDARD), "--out", str(tmp_path / "out"),
                 "--conf", str(ROOT)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"{bad}: E142 无法读取比较的一方：条款索引 {bad} 无效：{detail}")
    assert "Traceback" not in err


def test_threshold_outside_0_1_is_refused_before_building(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["diff", str(STANDARD), str(STANDARD), "--threshold", "1.5",
              "--out", str(tmp_path)])
    assert exit_.value.code == 2
    assert ("E143 选项 --threshold 的值无效：应为 0 到 1 之间的数，现为“1.5” [option-value]"
            in capsys.readouterr().err)
    assert not (tmp_path / ".cache").exists()


def test_diff_outside_a_project_is_one_message(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["diff", str(STANDARD), str(STANDARD)]) == 2
    assert capsys.readouterr().err.startswith("错误：找不到 conf.py")


def test_a_draft_from_git_takes_its_previous_edition_from_the_same_revision(tmp_path, capsys):
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD:editions/db3715t-draft"],
                      capture_output=True, check=False).returncode != 0:
        pytest.skip("not a git checkout with the draft committed")
    code = main(["diff", "HEAD:standard", "HEAD:editions/db3715t-draft", "-q",
                 "--out", str(tmp_path), "--conf", str(ROOT)])
    assert code == 0, capsys.readouterr().err
    assert "与G/DEZZ001—2020相比" in (tmp_path / "diff" / "foreword.txt").read_text("utf-8")
