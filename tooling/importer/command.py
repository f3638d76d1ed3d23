"""``stdkit import FILE.docx DIR``: read a Word standard into a new standard folder, build it,
and compare every computed number and every resolved reference with what the Word file typed.

The folder is written into a staging folder beside DIR and moved into place only when the
import succeeded (and agreed with the Word file, or ``--accept-differences`` was given); the
report is written beside DIR (``DIR.import-report.txt``) and printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..io import atomic
from ..io.diagnostics import Diagnostic, diagnostic, display_path
from ..model import Edition
from ..model.edition_metadata import load_edition_info
from .package import PackageProblem, open_package

if TYPE_CHECKING:  # python-docx, lxml and pypinyin load when a file is imported, not with
    # every stdkit command (the CLI registers this one): 0.5 s and ~30 MB otherwise
    from . import front as front_mod
    from .render import Output
    from .structure import Parsed

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
DIFFERENCES = {"E257", "E258", "E259", "E261"}
_FIELDS = ("class", "class_line", "code_mark", "number", "title", "ics", "ccs", "filing_number",
           "stage", "draft_completed", "issued", "implemented", "issuer", "replaces", "based_on",
           "proposer",
           "administrator", "drafting_units", "drafters", "history")


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "import",
        help="导入 Word 文件（.docx）为标准目录，并核对编号和引用（import a Word standard）",
        description="读取按 GB/T 1.1—2020 起草的 Word 文件（.docx），写出新的标准目录："
        "standard.yaml、每章或每个附录一个 .md、index.md 和图片。然后构建新目录，"
        "逐一比较计算出的编号与 Word 中写的编号、引用显示的文字与 Word 中写的文字，"
        "差异写入 DIR.import-report.txt 并在终端列出。"
        "有差异时以状态 1 退出且不写出目录，除非给出 --accept-differences。",
    )
    parser.add_argument("file", type=Path, help="Word 文件（.docx）")
    parser.add_argument("dir", type=Path, help="新标准目录（不存在或为空）")
    parser.add_argument("--accept-differences", action="store_true",
                        help="有差异时仍写出标准目录（差异照样列入报告）")
    parser.add_argument("--conf", type=Path, default=None, help="conf.py 所在目录（核对时构建用）")
    parser.set_defaults(func=run)


def _print(diag: Diagnostic, level: str = "ERROR") -> None:
    print(f"{diag.location}: {level}: {diag.code} {diag.message} [stdkit.{diag.name}]",
          file=sys.stderr)


def _confdir(explicit: Path | None) -> Path | None:
    if explicit is not None:
        return explicit
    for candidate in (Path.cwd(), *Path.cwd().parents):
        if (candidate / "conf.py").is_file():
            return candidate
    return Path(__file__).resolve().parents[2] if \
        (Path(__file__).resolve().parents[2] / "conf.py").is_file() else None


def run(args: argparse.Namespace) -> int:
    source: Path = args.file
    target: Path = args.dir
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        _print(diagnostic("E256", target, None, path=display_path(target)))
        return EXIT_USAGE
    confdir = _confdir(args.conf)
    if confdir is None:
        print("错误：找不到 conf.py；请在项目根目录运行，或用 --conf 指定 (conf.py not found)",
              file=sys.stderr)
        return EXIT_USAGE
    return convert(source, target, confdir, args.accept_differences)[0]


def convert(source: Path, target: Path, confdir: Path,
            accept: bool = False) -> tuple[int, Edition | None]:
    """Import ``source`` into ``target``: the exit status and the imported edition as built
    (None when nothing could be built)."""
    try:
        imported = import_file(source)
    except PackageProblem as err:
        _print(diagnostic(err.code, source, None, **err.params))
        return EXIT_INPUT, None
    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.import-", dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    try:
        files = imported.files()
        for name, content in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, "utf-8")
        problems = list(imported.problems)
        try:
            load_edition_info(staging / "standard.yaml")
        except Exception as err:  # StandardInputError: what the cover gave is not enough
            detail = getattr(err, "diagnostics", None)
            text = "; ".join(d.message for d in detail) if detail else str(err)
            _print(diagnostic("E255", source, None, detail=f"封面信息不完整（{text}）"))
            return EXIT_INPUT, None
        with tempfile.TemporaryDirectory(prefix="stdkit-import-") as cache:
            from ..sphinx.editions import EditionNotFound, build_index, load_index
            try:
                edition = load_index(build_index(staging, Path(cache), confdir))
            except EditionNotFound as err:
                _print(diagnostic("E260", source, None, detail=str(err).splitlines()[-1]))
                print(str(err), file=sys.stderr)
                return EXIT_INPUT, None
        problems += compare(edition, imported.output, source)
        report = _report(source, target, imported, problems, edition)
        report_path = target.resolve().parent / f"{target.name}.import-report.txt"
        atomic.write_text(report_path, report)
        differences = [p for p in problems if p.code in DIFFERENCES]
        for diag in problems:
            _print(diag, "WARNING")
        print(f"导入报告：{display_path(report_path)}", file=sys.stderr)
        if differences and not accept:
            print(f"导入已停止：与 Word 文件有 {len(differences)} 处差异，未写出标准目录；"
                  "核对报告后可用 --accept-differences 写出（import stopped: "
                  f"{len(differences)} difference(s)）", file=sys.stderr)
            return EXIT_INPUT, edition
        if target.exists():
            target.rmdir()
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"已导入：{display_path(target)}（{len(imported.output.files)} 个章文件，"
          f"{len(imported.output.typed)} 个编号、{len(imported.output.refs)} 个引用已核对，"
          f"{imported.output.suggested} 项建议的元数据待核对）")
    print(f"构建：stdkit build html --source {display_path(target)}")
    return EXIT_OK, edition


class Imported:
    """What a Word file became: the folder's files and what to verify them against."""

    def __init__(self, source: Path, parsed: Parsed, front: front_mod.Front,
                 output: Output) -> None:
        self.source = source
        self.parsed = parsed
        self.front = front
        self.output = output
        self.problems: list[Diagnostic] = []
        for code, index, params in parsed.problems:
            self.problems.append(diagnostic(code, source, index or None, **params))
        for text, index in output.unresolved:
            self.problems.append(diagnostic("E259", source, index or None, detail=text))
        for text, index in output.skipped:
            self.problems.append(diagnostic("E261", source, index or None, detail=text))

    def files(self) -> dict[str, str | bytes]:
        out: dict[str, str | bytes] = {}
        out["standard.yaml"] = standard_yaml(self.front.data, self.source)
        foreword = ["(foreword)=", "# 前言", "", ":::{foreword}", ":::", ""]
        foreword += self.front.authored
        out["foreword.md"] = "\n".join(foreword).rstrip("\n") + "\n"
        title = self.front.data.get("title_zh", "")
        index = [f"# {title}", "", ":::{cover}", ":::", ""]
        if self.front.notice:
            index += ["```{important}", *[n + "\n" for n in self.front.notice], "```", ""]
        index += ["```{toctree}", ":maxdepth: 2", ":caption: 目次", "", "foreword",
                  *self.output.toc, "```"]
        out["index.md"] = "\n".join(index) + "\n"
        out.update(self.output.files)
        out.update(self.output.binary)
        return out


def import_file(source: Path) -> Imported:
    from . import front as front_mod
    from .reader import read
    from .render import write
    from .structure import parse, squash

    package = open_package(source)
    blocks = read(package)
    parsed = parse(blocks)
    front = front_mod.read_cover(parsed.cover, parsed.cover_notice, parsed.title)
    front_mod.read_foreword(parsed.foreword, front)
    chapters = [n for n in parsed.body if n.kind == "chapter"]
    if not chapters or not any(squash(c.title) == "范围" for c in chapters):
        raise PackageProblem("E255", detail="没有找到“1　范围”这样带编号的章（标准的正文从"
                             "第1章“范围”开始）")
    if not front.data.get("number"):
        raise PackageProblem("E255", detail="封面上没有找到标准编号（如 DB3715/T 12—2025）")
    output = write(parsed)
    return Imported(source, parsed, front, output)


def _yaml_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def standard_yaml(data: dict[str, Any], source: Path) -> str:
    data = dict(data)
    data["title"] = {"zh": data.pop("title_zh", "")}
    if data.get("title_en"):
        data["title"]["en"] = data.pop("title_en")
    data.pop("title_en", None)
    numbers = data.pop("replaces_numbers", None)
    if numbers and not data.get("replaces"):
        data["replaces"] = [{"number": n, "title": "（待填写）"} for n in numbers]
    data.setdefault("issuer", "（待填写）")
    data.setdefault("drafting_units", ["（待填写）"])
    if data.get("class") in ("local", "industry", "other"):
        data.setdefault("class_line", "（待填写）")
    lines = [f"# 由 stdkit import 从 {source.name} 导入。请核对每一项；字段说明见 "
             "tooling/schemas/standard.schema.json。"]
    for key in _FIELDS:
        if key not in data:
            continue
        value = data[key]
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {_yaml_value(v)}" for k, v in value.items()]
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{key}:")
            for entry in value:
                first = True
                for k, v in entry.items():
                    lines.append(f"  {'- ' if first else '  '}{k}: {_yaml_value(v)}")
                    first = False
        else:
            lines.append(f"{key}: {_yaml_value(value)}")
    return "\n".join(lines) + "\n"


def compare(edition: Edition, output: Output, source: Path) -> list[Diagnostic]:
    """Every typed number and every typed reference against the built edition."""
    from .structure import squash

    out: list[Diagnostic] = []
    for clause_id, (typed, what, index) in output.typed.items():
        clause = edition.get(clause_id)
        if clause is None:
            continue
        computed = clause.label if what in ("注", "示例") else clause.number
        if computed is None or squash(computed) != squash(typed):
            element = clause.title or clause.text.split("\n")[0][:20]
            out.append(diagnostic("E257", source, index or None, what=what, typed=typed,
                                  computed=computed or "（不编号）", element=element))
    for clause_id, typed, index in output.refs:
        if clause_id not in edition:
            continue
        computed = edition.reference_text(clause_id)
        if squash(computed) != squash(typed):
            out.append(diagnostic("E258", source, index or None, typed=typed,
                                  computed=computed))
    return out


def _report(source: Path, target: Path, imported: Imported, problems: list[Diagnostic],
            edition: Edition) -> str:
    output = imported.output
    lines = [f"stdkit import {source.name} → {target.name}", "",
             f"章和附录：{len(output.files)}；要素：{sum(1 for _ in edition.walk())}；"
             f"核对的编号：{len(output.typed)}；核对的引用：{len(output.refs)}；"
             f"建议的元数据（# 建议值，请核对）：{output.suggested}", ""]
    differences = [p for p in problems if p.code in DIFFERENCES]
    if not differences:
        lines.append("编号和引用与 Word 文件一致。")
    else:
        lines.append(f"与 Word 文件的差异（{len(differences)} 处；位置为 Word 文件中的段落序号）：")
    lines += [f"  {p}" for p in problems]
    return "\n".join(lines) + "\n"
