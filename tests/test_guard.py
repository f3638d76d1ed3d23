"""A standard folder is data (issue 13): files from outside the folder reach no output, by any
route; nothing in the folder runs; one id grammar; characters a reader cannot see are named.

The main test plants marker files *outside* the standard's folder, references them through
every route a standard has for reading a file (one fixture copy per route), and checks that
each build stops with its message and that the marker is in no file of the output folder. A
positive control builds the same routes with files *inside* the folder and finds the marker
in the outputs, so the search would see a leak. The exact messages of the text-only cases are
in tests/bad_inputs/cases.yaml.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tooling import cli
from tooling.cli import main
from tooling.io import chars, safeyaml, sources
from tooling.model.ids import id_problem

from .conftest import FIXTURES, ROOT, edit

MARKER = "OUTSIDE-MARKER-7f3a9c"
INSIDE = "INSIDE-MARKER-52be01"
# A PNG signature is enough for Sphinx to copy an image; the marker rides along in the bytes.
PNG = b"\x89PNG\r\n\x1a\n"


def plant(folder: Path, marker: str) -> None:
    """secret.txt, secret.csv, secret.png and a chapter, each carrying ``marker``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "secret.txt").write_text(f"{marker}\n", "utf-8")
    (folder / "secret.csv").write_text(f"列,值\n{marker},1\n", "utf-8")
    (folder / "secret.png").write_bytes(PNG + marker.encode())
    (folder / "chapter.md").write_text(f"(planted)=\n# 外来章\n\n{marker}\n", "utf-8")


def appended(text: str) -> Callable[[Path], None]:
    """Add ``text`` to scope.md, starting on its line 8."""
    def apply(std: Path) -> None:
        edit(std / "scope.md", "本文件适用于公共场所的保洁服务。",
             f"本文件适用于公共场所的保洁服务。\n\n{text}")
    return apply


def symlinked(name: str, target: str, then: str | None = None) -> Callable[[Path], None]:
    """Make ``name`` in the folder a symlink to ``target`` (relative to the folder), and
    reference it with ``then`` (appended to scope.md)."""
    def apply(std: Path) -> None:
        link = std / name
        if link.exists():
            link.unlink()
        link.symlink_to(std / target)
        if then:
            appended(then)(std)
    return apply


def chapter_folder(std: Path) -> None:
    (std / "part").symlink_to(std.parent / "outside")
    edit(std / "index.md", "annexes\n", "annexes\npart/chapter\n")


SECRET = "../outside/secret"
E117 = "包含的文件“{}”位于标准目录之外，已拒绝 [stdkit.include-outside]"
E117_LINKED = "包含的文件“{}”是指向标准目录之外的符号链接，已拒绝 [stdkit.include-outside]"
E121 = "{}“{}”位于标准目录之外，已拒绝：标准只能使用本目录中的文件 [stdkit.file-outside]"
LINKED = "{}“{}”是指向标准目录之外的符号链接，已拒绝：标准只能使用本目录中的文件 [stdkit.file-outside]"
RAW = ("不允许使用“{raw}”：标准中不能嵌入 HTML、LaTeX 等原始内容，它们会不经检查地进入成果 "
       "[stdkit.directive-refused]")
RST = ("不允许使用“{eval-rst}”：不能在 Markdown 中嵌入 reStructuredText：它不受本工具的检查 "
       "[stdkit.directive-refused]")

# name -> (how the folder is changed, the end of the first message line)
ROUTES: dict[str, tuple[Callable[[Path], None], str]] = {
    "include": (appended(f"```{{include}} {SECRET}.txt\n```"),
                f"scope.md:8: ERROR: E117 {E117.format(SECRET + '.txt')}"),
    "include-in-a-list": (appended(f"- 列项：\n\n  ```{{include}} {SECRET}.txt\n  ```"),
                          f"scope.md:10: ERROR: E117 {E117.format(SECRET + '.txt')}"),
    "include-in-a-block-quote": (appended(f"> ```{{include}} {SECRET}.txt\n> ```"),
                                 f"scope.md:8: ERROR: E117 {E117.format(SECRET + '.txt')}"),
    "include-by-chinese-name": (appended(f":::{{包含}} {SECRET}.txt\n:::"),
                                f"scope.md:8: ERROR: E117 {E117.format(SECRET + '.txt')}"),
    "include-of-a-symlink": (symlinked("notes.txt", f"{SECRET}.txt", "```{include} notes.txt\n```"),
                             f"scope.md:8: ERROR: E117 {E117_LINKED.format('notes.txt')}"),
    "literalinclude": (appended(f"```{{literalinclude}} {SECRET}.txt\n```"),
                       f"scope.md:8: ERROR: E121 {E121.format('引用的文件', SECRET + '.txt')}"),
    "literalinclude-diff": (appended(f"```{{literalinclude}} scope.md\n:diff: {SECRET}.txt\n```"),
                            f"scope.md:8: ERROR: E121 {E121.format('比较的文件', SECRET + '.txt')}"),
    "csv-table-file": (appended(f"```{{csv-table}} 表\n:file: {SECRET}.csv\n```"),
                       f"scope.md:8: ERROR: E121 {E121.format('CSV 表格文件', SECRET + '.csv')}"),
    "csv-table-by-chinese-name": (appended(f":::{{csv表格}} 表\n:file: {SECRET}.csv\n:::"),
                                  f"scope.md:8: ERROR: E121 "
                                  f"{E121.format('CSV 表格文件', SECRET + '.csv')}"),
    "raw-file": (appended(f"```{{raw}} html\n:file: {SECRET}.txt\n```"),
                 f"scope.md:8: ERROR: E123 {RAW}"),
    "image-directive": (appended(f"```{{image}} {SECRET}.png\n```"),
                        f"scope.md:8: ERROR: E121 {E121.format('图片', SECRET + '.png')}"),
    "figure": (appended(f"```{{figure}} {SECRET}.png\n:name: fig-planted\n\n图题\n```"),
               f"scope.md:8: ERROR: E121 {E121.format('图片', SECRET + '.png')}"),
    "markdown-image": (appended(f"![图]({SECRET}.png)"),
                       f"scope.md:8: ERROR: E121 {E121.format('图片', SECRET + '.png')}"),
    "image-through-a-symlink": (symlinked("pic.png", f"{SECRET}.png", "![图](pic.png)"),
                                f"scope.md:8: ERROR: E121 {LINKED.format('图片', 'pic.png')}"),
    "download-role": (appended(f"{{download}}`下载 <{SECRET}.txt>`"),
                      f"scope.md:8: ERROR: E121 {E121.format('下载文件', SECRET + '.txt')}"),
    "markdown-link-to-a-file": (appended(f"[下载]({SECRET}.txt)"),
                                f"scope.md:8: ERROR: E121 "
                                f"{E121.format('下载文件', SECRET + '.txt')}"),
    "eval-rst-literalinclude": (appended(f"```{{eval-rst}}\n.. literalinclude:: {SECRET}.txt\n```"),
                                f"scope.md:8: ERROR: E123 {RST}"),
    "chapter-symlink": (symlinked("scope.md", "../outside/chapter.md"),
                        f"scope.md: ERROR: E121 {LINKED.format('章节文件', 'scope.md')}"),
    "chapter-folder-symlink": (chapter_folder,
                               f"part/chapter.md: ERROR: E121 "
                               f"{LINKED.format('章节文件', 'part/chapter.md')}"),
    "standard-yaml-symlink": (symlinked("standard.yaml", "../outside/standard.yaml"),
                              f"standard.yaml: ERROR: E121 "
                              f"{LINKED.format('元数据文件', 'standard.yaml')}"),
    "checklists-yaml-symlink": (symlinked("checklists.yaml", "../outside/checklists.yaml"),
                                f"checklists.yaml: ERROR: E121 "
                                f"{LINKED.format('元数据文件', 'checklists.yaml')}"),
}


@pytest.fixture
def planted(tmp_path: Path) -> Path:
    """A copy of the mini standard in tmp_path/std, marker files in tmp_path/outside."""
    plant(tmp_path / "outside", MARKER)
    for name in ("standard.yaml", "checklists.yaml"):
        text = (FIXTURES / "mini" / name).read_text("utf-8")
        text = text.replace("公共场所保洁服务规范", MARKER).replace("保洁日检查表", MARKER)
        (tmp_path / "outside" / name).write_text(text, "utf-8")
    std = tmp_path / "std"
    shutil.copytree(FIXTURES / "mini", std)
    return std


def leaks(out: Path, marker: str) -> list[str]:
    """Every file under ``out`` (pages, _images, _downloads, index JSON/CSV, PDFs) whose
    bytes contain ``marker``; Sphinx's own cache (.doctrees) aside."""
    return sorted(str(p.relative_to(out)) for p in out.rglob("*")
                  if p.is_file() and ".doctrees" not in p.parts
                  and marker.encode() in p.read_bytes())


def stdkit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    capsys.readouterr()
    status = main(list(args))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, [line for line in err.splitlines() if line.strip()]


@pytest.mark.parametrize("route", list(ROUTES))
def test_no_file_from_outside_the_folder_reaches_any_output(route, planted, capsys):
    change, expected = ROUTES[route]
    change(planted)
    out = planted.parent / "out"
    status, lines = stdkit(capsys, "build", "html", "-q", "--source", str(planted),
                           "--out", str(out), "--conf", str(ROOT))
    assert leaks(out, MARKER) == []
    assert status == 1
    assert lines[0].endswith(expected), lines[0]
    assert lines[-1].startswith("构建已停止：")
    assert not (out / "html").exists()


@pytest.mark.parametrize("target", ["index", "pdf", "checklists"])
def test_every_builder_refuses_outside_files(target, planted, capsys):
    # The routes the issue saw publish /etc/passwd into the clause index, CSV and PDF.
    appended(f"```{{literalinclude}} {SECRET}.txt\n```\n\n"
             f"```{{csv-table}} 表\n:file: {SECRET}.csv\n```")(planted)
    out = planted.parent / "out"
    status, lines = stdkit(capsys, "build", target, "-q", "--source", str(planted),
                           "--out", str(out), "--conf", str(ROOT))
    assert leaks(out, MARKER) == []
    assert status == 1
    assert "E121" in lines[0] and "E121" in lines[1]


def test_lint_refuses_outside_files_too(planted, capsys):
    appended(f"```{{literalinclude}} {SECRET}.txt\n```")(planted)
    status, lines = stdkit(capsys, "lint", "--source", str(planted),
                           "--out", str(planted.parent / "out"), "--conf", str(ROOT))
    assert status == 1
    assert lines[0].endswith(ROUTES["literalinclude"][1])


def test_the_same_routes_inside_the_folder_publish_the_file(tmp_path, capsys):
    """The positive control: with the files inside the folder, every route works and the
    search finds the marker in the pages, _images, _downloads and the clause index."""
    std = tmp_path / "std"
    shutil.copytree(FIXTURES / "mini", std)
    plant(std / "files", INSIDE)
    appended("```{include} files/secret.txt\n```\n\n"
             "```{literalinclude} files/secret.txt\n```\n\n"
             "```{csv-table} 表\n:file: files/secret.csv\n:name: table-inside\n```\n\n"
             "![图](files/secret.png)\n\n"
             "{download}`下载 <files/secret.txt>`")(std)
    out = tmp_path / "out"
    for target in ("html", "index"):
        status, lines = stdkit(capsys, "build", target, "-q", "--source", str(std),
                               "--out", str(out), "--conf", str(ROOT))
        assert status == 0, lines
    found = leaks(out, INSIDE)
    assert "html/scope.html" in found
    assert any(f.startswith("html/_images/") for f in found)
    assert any(f.startswith("html/_downloads/") for f in found)
    assert "index/clause-index.json" in found and "index/clause-index.csv" in found


# -- links, images and active content ----------------------------------------------------------


@pytest.mark.parametrize(("url", "scheme"), [
    ("javascript:alert(1)", "javascript"), (" JavaScript:alert(1)", "javascript"),
    ("java\tscript:alert(1)", "javascript"), ("\x01vbscript:x", "vbscript"),
    ("data:text/html,x", "data"), ("file:///etc/passwd", "file"), ("https://a.cn/", "https"),
    ("mailto:a@b.cn", "mailto"), ("#clause", None), ("annex.html#a", None), ("a/b:c", None),
])
def test_url_schemes_are_read_as_a_browser_reads_them(url, scheme):
    assert sources.url_scheme(url) == scheme


def test_raw_html_typed_in_markdown_stays_text(mini_copy, build):
    edit(mini_copy / "scope.md", "本文件适用于公共场所的保洁服务。",
         "本文件适用于公共场所的保洁服务。\n\n<script>alert(1)</script>\n\n"
         ":::{role} red(raw)\n:format: html\n:::\n\n这是{red}`<b>粗体</b>`。")
    result = build(mini_copy)
    assert result.status == 0, result.stderr
    page = result.article("scope")
    assert "<script>" not in page and "<b>粗体</b>" not in page
    assert "&lt;b&gt;粗体&lt;/b&gt;" in page


def test_a_toctree_entry_cannot_link_to_javascript(mini_copy, tmp_path, capsys):
    edit(mini_copy / "index.md", "annexes\n", "annexes\n说明 <javascript://%0Aalert(1)>\n")
    status, lines = stdkit(capsys, "build", "html", "-q", "--source", str(mini_copy),
                           "--out", str(tmp_path / "out"), "--conf", str(ROOT))
    assert status == 1
    assert lines[0] == ("index.md:6: ERROR: E125 链接“javascript://%0Aalert(1)”使用了不允许的协议"
                        "“javascript:”，只允许 http、https、mailto 和相对地址 [stdkit.url-scheme]")


@pytest.mark.parametrize("what", ["chapter", "include"])
def test_a_named_pipe_is_refused_not_read(what, mini_copy, tmp_path, capsys):
    # A folder unpacked from a tar file can hold a named pipe: reading it never returns.
    if what == "chapter":
        (mini_copy / "scope.md").unlink()
        os.mkfifo(mini_copy / "scope.md")
        expected = ("scope.md: ERROR: E121 章节文件“scope.md”不是普通文件（而是命名管道或设备），"
                    "已拒绝：标准只能使用本目录中的文件 [stdkit.file-outside]")
    else:
        os.mkfifo(mini_copy / "pipe.txt")
        appended("```{include} pipe.txt\n```")(mini_copy)
        expected = ("scope.md:8: ERROR: E117 包含的文件“pipe.txt”不是普通文件（而是命名管道或设备），"
                    "已拒绝 [stdkit.include-outside]")
    status, lines = stdkit(capsys, "build", "html", "-q", "--source", str(mini_copy),
                           "--out", str(tmp_path / "out"), "--conf", str(ROOT))
    assert status == 1
    assert lines[0].endswith(expected), lines[0]


# -- conf.py in a standard folder ---------------------------------------------------------------


def conf_that_writes(folder: Path, flag: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.py").write_text(
        f"from pathlib import Path\nPath({str(flag)!r}).write_text('ran')\n"
        "extensions = ['myst_parser', 'tooling.extension']\n", "utf-8")


CONF_REFUSED = ("ERROR: E126 标准目录中的 conf.py 不会被执行（a standard folder's conf.py is never "
                "run）：标准的设置写在 standard.yaml 中；工具的 conf.py 在项目根目录，或用 --conf "
                "指定其所在目录 [stdkit.conf-in-standard]")


@pytest.mark.parametrize("command", ["build", "lint"])
def test_conf_py_in_the_standard_folder_is_refused_not_run(command, mini_copy, tmp_path,
                                                           capsys, monkeypatch):
    flag = tmp_path / "conf-ran"
    conf_that_writes(mini_copy, flag)
    monkeypatch.chdir(ROOT)
    args = ["build", "html"] if command == "build" else ["lint"]
    status, lines = stdkit(capsys, *args, "--source", str(mini_copy),
                           "--out", str(tmp_path / "out"))
    assert status == 1
    assert lines[0] == f"{mini_copy / 'conf.py'}: {CONF_REFUSED}"
    assert lines[-1].startswith("构建已停止：")
    assert not flag.exists()
    assert not (tmp_path / "out").exists()


def test_conf_pointing_into_the_standard_folder_is_refused(mini_copy, tmp_path, capsys):
    flag = tmp_path / "conf-ran"
    conf_that_writes(mini_copy / "settings", flag)
    for conf in (mini_copy, mini_copy / "settings"):
        status, lines = stdkit(capsys, "build", "html", "--source", str(mini_copy),
                               "--out", str(tmp_path / "out"), "--conf", str(conf))
        assert status == 1
        assert lines[0] == f"{conf / 'conf.py'}: {CONF_REFUSED}"
    assert not flag.exists()


def test_the_search_for_conf_py_skips_the_standard_folder(mini_copy, tmp_path, monkeypatch):
    conf_that_writes(mini_copy / "settings", tmp_path / "conf-ran")
    monkeypatch.chdir(mini_copy / "settings")
    with pytest.raises(FileNotFoundError):
        cli.find_confdir(mini_copy, None)
    monkeypatch.chdir(ROOT)
    assert cli.find_confdir(FIXTURES / "mini", None) == ROOT
    assert not (tmp_path / "conf-ran").exists()


# -- one id grammar -----------------------------------------------------------------------------


BAD_IDS = {
    "underscore": "req_tools",
    "uppercase": "Req-Tools",
    "81-characters": "req-" + "t" * 77,
    "zero-width-space": "req\u200b-tools",
    "soft-hyphen": "req\u00adtools",
}


@pytest.mark.parametrize("bad", list(BAD_IDS))
def test_heading_labels_and_directive_ids_share_one_grammar_and_message(bad, tmp_path, capsys):
    messages = []
    for where, old in (("heading", "(req-general)="), ("directive", ":id: req-tools")):
        std = tmp_path / where
        shutil.copytree(FIXTURES / "mini", std)
        new = f"({BAD_IDS[bad]})=" if where == "heading" else f":id: {BAD_IDS[bad]}"
        edit(std / "requirements.md", old, new)
        status, lines = stdkit(capsys, "build", "html", "-q", "--source", str(std),
                               "--out", str(tmp_path / f"out-{where}"), "--conf", str(ROOT))
        assert status == 1
        assert ": ERROR: E105 " in lines[0], lines[0]
        messages.append(lines[0].split(": ERROR: ", 1)[1])
    assert messages[0] == messages[1]
    assert "\u200b" not in messages[0] and "\u00ad" not in messages[0]


@pytest.mark.parametrize(("value", "detail"), [
    ("steward-age", None),
    ("a" * 80, None),
    ("a" * 81, "过长：最多 80 个字符"),
    ("steward\u200b-age", "含不可见字符 U+200B（ZERO WIDTH SPACE）"),
    ("steward\ufeffage", "含不可见字符 U+FEFF（ZERO WIDTH NO-BREAK SPACE）"),
    ("steward\x1bage", "含控制字符 U+001B（ESC）"),
    ("Steward", "无效：只能使用小写 ASCII 字母、数字和连字符，并以字母开头"),
    ("1steward", "无效：只能使用小写 ASCII 字母、数字和连字符，并以字母开头"),
    ("steward--age", "无效：只能使用小写 ASCII 字母、数字和连字符，并以字母开头"),
    (42, "无效：只能使用小写 ASCII 字母、数字和连字符，并以字母开头"),
])
def test_id_problems(value, detail):
    problem = id_problem(value)
    assert (problem or {}).get("detail") == detail
    if problem and isinstance(value, str) and "\u200b" in value:
        assert problem["id"] == "steward<U+200B>-age"


# -- characters a reader cannot see ---------------------------------------------------------


def test_control_characters_are_named_and_replaced():
    problems, text = sources.control_characters("甲\n乙\x1b[31m丙\x07\n丁\u202e", "a.md")
    assert [str(p) for p in problems] == [
        "a.md:2: E127 第2列含控制字符 U+001B（ESC）：它在页面上看不见，却会原样写入成果，请删除 "
        "[control-character]",
        "a.md:3: E127 第2列含控制字符 U+202E（RIGHT-TO-LEFT OVERRIDE）：它在页面上看不见，"
        "却会原样写入成果，请删除 [control-character]",
    ]
    assert text == "甲\n乙\ufffd[31m丙\ufffd\n丁\ufffd"
    assert sources.control_characters("制表\t符\r\n", "a.md") == ([], "制表\t符\r\n")


def test_a_control_character_in_yaml_is_a_message_not_a_traceback():
    with pytest.raises(safeyaml.YamlProblem) as caught:
        safeyaml.load("number: T/TEST 7\ntitle: 公共\x07场所\n")
    assert (caught.value.code, caught.value.line) == ("E127", 1)
    assert caught.value.params["char"] == "U+0007（BEL）"
    assert caught.value.params["column"] == 10


def test_invisible_characters_are_shown():
    assert chars.show("a\u200bb\u00adc\u2060d") == "a<U+200B>b<U+00AD>c<U+2060>d"
    assert chars.describe("\x85") == "U+0085"
    assert chars.show("x" * 100).endswith("…（共 100 个字符）")


# -- the linter outside the project -------------------------------------------------------------


def test_lint_columns_are_the_same_for_a_standard_outside_the_project(tmp_path, capsys,
                                                                      monkeypatch):
    monkeypatch.chdir(ROOT)
    outside = tmp_path / "faulty"
    shutil.copytree(FIXTURES / "faulty", outside)
    runs = []
    for source in (FIXTURES / "faulty", outside):
        capsys.readouterr()
        main(["lint", "--source", str(source), "--out", str(tmp_path / source.name),
              "--conf", str(ROOT)])
        out = capsys.readouterr().out
        runs.append(out.replace("tests/fixtures/faulty/", ""))
    assert runs[0] == runs[1]
    assert "requirements.md:61:23: GB403" in runs[1]


def test_no_message_hides_the_character_that_is_wrong(mini_copy, tmp_path, capsys):
    edit(mini_copy / "scope.md", "保洁服务的要求。", "保洁服务的要求（见{clause-ref}`req\u200b-tools`）。")
    status, lines = stdkit(capsys, "build", "html", "-q", "--source", str(mini_copy),
                           "--out", str(tmp_path / "out"), "--conf", str(ROOT))
    assert status == 1
    assert lines[0].endswith("scope.md:4: ERROR: E107 引用的标识“req<U+200B>-tools”不存在 "
                             "[stdkit.unknown-reference]")


def plant_translations(std: Path) -> None:
    catalogs = std / "locales" / "zh_CN" / "LC_MESSAGES"
    catalogs.mkdir(parents=True)
    head = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    (catalogs / "scope.po").write_text(
        head + 'msgid "本文件适用于公共场所的保洁服务。"\nmsgstr "本文件不适用于任何场所。"\n', "utf-8")
    (catalogs / "sphinx.po").write_text(
        head + 'msgid "Search"\nmsgstr "<script>alert(1)</script>"\n', "utf-8")


def test_translation_catalogs_in_the_folder_are_not_used(mini_copy, build):
    plant_translations(mini_copy)
    result = build(mini_copy)
    assert result.status == 0, result.stderr
    assert "本文件适用于公共场所的保洁服务。" in result.article("scope")
    assert leaks(result.out, "<script>alert(1)</script>") == []
    assert not list(mini_copy.rglob("*.mo"))  # nothing written into the standard's folder


def test_a_configuration_that_would_use_them_is_refused(mini_copy, tmp_path, capsys):
    plant_translations(mini_copy)
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "conf.py").write_text(
        "extensions = ['myst_parser', 'tooling.extension']\nlanguage = 'zh_CN'\n", "utf-8")
    status, lines = stdkit(capsys, "build", "html", "-q", "--source", str(mini_copy),
                           "--out", str(tmp_path / "out"), "--conf", str(conf))
    assert status == 1
    assert lines[0].endswith(
        "locales: ERROR: E132 标准目录中的翻译目录“locales”已拒绝：翻译文件会不经检查地替换标准的"
        "文字和页面上的文字；请在工具的 conf.py 中设 locale_dirs = [] [stdkit.translation-catalogs]")
    assert not (tmp_path / "out" / "html").exists()


def test_files_a_browser_would_run_are_not_published(mini_copy, tmp_path, capsys):
    script = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n'
    (mini_copy / "figure.svg").write_text(script, "utf-8")
    (mini_copy / "variant.svg").write_text(script, "utf-8")
    (mini_copy / "variant.png").write_bytes(PNG)
    (mini_copy / "page.html").write_text("<script>alert(1)</script>\n", "utf-8")
    appended("![图](figure.svg)\n\n[下载](page.html)\n\n![图](variant.*)")(mini_copy)
    status, lines = stdkit(capsys, "build", "html", "-q", "--source", str(mini_copy),
                           "--out", str(tmp_path / "out"), "--conf", str(ROOT))
    assert status == 1
    advice = "不予发布：图片请用 PNG、JPEG、GIF 或 WebP，供下载的文件请用 PDF 等格式 [stdkit.active-file]"
    assert lines[:3] == [
        f"scope.md:8: ERROR: E133 图片“figure.svg”是浏览器会运行的文件类型（.svg），{advice}",
        f"scope.md:10: ERROR: E133 下载文件“page.html”是浏览器会运行的文件类型（.html），{advice}",
        f"scope.md:12: ERROR: E133 图片“variant.svg”是浏览器会运行的文件类型（.svg），{advice}",
    ]
