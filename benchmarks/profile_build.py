"""Profile one build of a synthetic standard: where does the time go?

``python benchmarks/profile_build.py --clauses 5000`` generates the standard (as in the
benchmark), runs ``stdkit build html -E`` under cProfile in a child process and prints
self time by package, the top functions by self time, and the top functions of ``tooling``
and of Sphinx/myst-parser/docutils by cumulative time. ``--incremental`` profiles the
rebuild after one clause's text is edited instead, ``--warm`` that rebuild in a warm process as
``stdkit serve`` runs it (the collector settled between builds); ``--peer`` profiles another peer's
``sphinx-build``; ``--pyinstrument`` writes a pyinstrument call tree as well
(``pip install -e '.[bench]'``). Output files go to ``benchmarks/_work/profile/``.
"""

from __future__ import annotations

import argparse
import pstats
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import generate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
PACKAGES = ("tooling", "sphinx_needs", "sphinx", "myst_parser", "markdown_it", "docutils",
            "jieba", "jinja2", "furo", "yaml", "jsonschema", "typst", "pickle", "json", "re",
            "shutil")


def build_command(peer: str, src: Path, out: Path, fresh: bool) -> list[str]:
    flag = ["-E"] if fresh else []
    if peer == "ours":
        return ["-m", "tooling.cli", "build", "html", "--source", str(src), "--out", str(out),
                "--conf", str(ROOT), "-q", *flag]
    return ["-m", "sphinx", "-b", "html", "-q", *flag, "-d", str(out / "doctrees"), str(src),
            str(out / "html")]


def package_of(filename: str) -> str:
    path = filename.replace("\\", "/")
    if path.startswith("~") or path.startswith("<"):
        return "builtins"
    for name in PACKAGES:
        if f"/{name}/" in path or path.endswith(f"/{name}.py"):
            return name
    if "/python3." in path and "site-packages" not in path:
        return "stdlib"
    return "other"


def where(func: tuple[str, int, str]) -> str:
    filename, line, name = func
    short = filename.replace("\\", "/")
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in short:
            short = short.split(marker, 1)[1]
    return f"{short}:{line}({name})"


def report(profile: Path, top: int) -> str:
    stats = pstats.Stats(str(profile))
    entries = stats.stats  # type: ignore[attr-defined]
    total = stats.total_tt  # type: ignore[attr-defined]
    by_package: dict[str, float] = defaultdict(float)
    rows = []
    for func, (_cc, ncalls, tottime, cumtime, _callers) in entries.items():
        package = package_of(func[0])
        by_package[package] += tottime
        rows.append((func, ncalls, tottime, cumtime, package))
    lines = [f"total profiled time {total:.2f} s", "", "self time by package:"]
    for package, seconds in sorted(by_package.items(), key=lambda kv: -kv[1]):
        if seconds >= 0.01:
            lines.append(f"  {package:<14} {seconds:7.2f} s  {100 * seconds / total:5.1f} %")

    def table(title: str, selected: list, key: int) -> None:
        lines.extend(["", title, f"  {'self s':>7} {'cum s':>7} {'calls':>9}  function"])
        for func, ncalls, tottime, cumtime, _package in sorted(selected,
                                                                key=lambda r: -r[key])[:top]:
            lines.append(f"  {tottime:7.2f} {cumtime:7.2f} {ncalls:9d}  {where(func)}")

    table("top functions by self time:", rows, 2)
    table("tooling/ by cumulative time:", [r for r in rows if r[4] == "tooling"], 3)
    table("tooling/ by self time:", [r for r in rows if r[4] == "tooling"], 2)
    table("Sphinx, myst-parser, markdown-it, docutils by cumulative time:",
          [r for r in rows if r[4] in ("sphinx", "myst_parser", "markdown_it", "docutils")], 3)
    return "\n".join(lines) + "\n"


WARM = """
import cProfile, gc, sys
from pathlib import Path
from tooling.cli import main
argv = sys.argv[1:-2]
chapter, profile = Path(sys.argv[-2]), sys.argv[-1]
main(argv)
def settle():
    gc.unfreeze(); gc.collect(); gc.freeze()
settle()
chapter.write_text(chapter.read_text("utf-8").replace("。", "，并复核。", 1), "utf-8")
main(argv)
settle()
chapter.write_text(chapter.read_text("utf-8").replace("，并复核。", "。", 1), "utf-8")
cProfile.run("main(argv)", profile)
"""


def warm(standard: generate.Standard, src: Path, out: Path, base: Path, top: int) -> int:
    """A one-clause rebuild in a process that has built before (``stdkit serve``'s case)."""
    chapter = src / f"{standard.chapters[len(standard.chapters) // 2].slug}.md"
    profile = base / "warm.prof"
    subprocess.run([PY, "-c", WARM, *build_command("ours", src, out, fresh=False)[2:],
                    str(chapter), str(profile)], cwd=ROOT, check=True)
    text = report(profile, top)
    (base / "warm.txt").write_text(text, "utf-8")
    print(text)
    print(f"cProfile data: {profile}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, default=5000)
    parser.add_argument("--peer", choices=generate.FORMS, default="ours")
    parser.add_argument("--incremental", action="store_true",
                        help="profile the rebuild after one clause's text is edited")
    parser.add_argument("--warm", action="store_true",
                        help="profile that rebuild in a warm process, as stdkit serve runs it")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--pyinstrument", action="store_true",
                        help="also write a pyinstrument text report")
    parser.add_argument("--work", type=Path, default=HERE / "_work" / "profile")
    args = parser.parse_args()

    standard = generate.generate(args.clauses)
    base = args.work / f"n{args.clauses}" / args.peer
    src, out = base / "src", base / "out"
    generate.write(standard, src, args.peer)
    if args.warm:
        return warm(standard, src, out, base, args.top)
    mode = "incremental" if args.incremental else "full"
    if args.incremental:
        subprocess.run([PY, *build_command(args.peer, src, out, fresh=False)], cwd=ROOT,
                       check=True)
        chapter = standard.chapters[len(standard.chapters) // 2]
        clause = chapter.sections[0].clauses[0]
        last = clause.text[-1]
        assert isinstance(last, str)
        clause.text[-1] = last[:-1] + "，并在核查中复核。"
        generate.rewrite_chapter(standard, src, args.peer, chapter)
    profile = base / f"{mode}.prof"
    command = build_command(args.peer, src, out, fresh=not args.incremental)
    subprocess.run([PY, "-m", "cProfile", "-o", str(profile), *command], cwd=ROOT, check=True)
    text = report(profile, args.top)
    (base / f"{mode}.txt").write_text(text, "utf-8")
    print(text)
    if args.pyinstrument:
        if args.incremental:  # the same edit again, so the rebuild has work to do
            clause.text[-1] = last
            generate.rewrite_chapter(standard, src, args.peer, chapter)
        tree = base / f"{mode}.pyinstrument.txt"
        subprocess.run([PY, "-m", "pyinstrument", "-r", "text", "-o", str(tree), *command],
                       cwd=ROOT, check=True)
        print(f"pyinstrument call tree: {tree}")
    print(f"cProfile data: {profile}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
