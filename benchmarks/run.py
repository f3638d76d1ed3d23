"""The benchmark: the toolkit against bare Sphinx + MyST and against sphinx-needs.

``make bench`` (or ``.venv/bin/python benchmarks/run.py``) generates synthetic standards of
100, 1,000 and 5,000 clauses (see :mod:`generate`), builds each in every peer form in fresh
child processes — a cold Python process, as a user would see it — and writes
``benchmarks/RESULTS.md`` (and the raw figures in ``benchmarks/results.json``).

Every measurement is repeated (``--repeat``, default 3) and reported as median and min–max;
peers are interleaved within each repetition so that load from other users of the machine
falls on all of them alike. Peak memory is the child's maximum resident set size, read with
``os.wait4`` (with ``-j``, the largest single process of the build, not their sum).

Quick run: ``python benchmarks/run.py --sizes 100,1000 --repeat 3``.
"""

from __future__ import annotations

import argparse
import html
import importlib.metadata
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import generate
import reload_probe

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
PEERS = ("ours", "bare", "bare-styled", "needs")
PEER_NAMES = {"ours": "ours (stdkit)", "bare": "bare Sphinx+MyST",
              "bare-styled": "bare, ours' theme+zh", "needs": "sphinx-needs"}
JOBS = ("1", "auto")
CPUS = os.cpu_count() or 1

# Targets (issue 23; the diff and PDF ones from earlier issues).
T_RELOAD = 1.0  # seconds, edit-to-reload with `stdkit serve` at 5,000, derived pages fresh
T_OVERHEAD = 1.25  # ours / bare-styled, full HTML build at 5,000
T_SPEEDUP = 3.0  # needs / ours, full HTML build at 5,000
T_MEMORY = 1.2  # ours / bare-styled peak memory at 5,000
T_ROSTER_S = 60.0  # seconds: checklists for a roster of 1,000 stewards
T_ROSTER_MIB = 1024.0  # ... and their peak memory
ROSTER_N = 1000
T_DIFF = 1.0  # seconds, diff of two 5,000-clause editions
T_PDF = 20.0  # pages per second
TARGET_N = 5000
DIFF_TIMEOUT = 900  # seconds; a diff slower than this is reported as a timeout
# The term the text edit adds to the edited clause (the 术语索引 must then list the clause).
EDIT_TERM = ("term-residents-council", "居民议事会")


# -- running children ------------------------------------------------------------------------


@dataclass
class Sample:
    wall: float
    cpu: float
    maxrss_mib: float
    rc: int


@dataclass
class Series:
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.samples) and all(s.rc == 0 for s in self.samples)

    def walls(self) -> list[float]:
        return [s.wall for s in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.walls())

    @property
    def cpu_median(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss(self) -> float:
        return statistics.median(s.maxrss_mib for s in self.samples)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"samples": [asdict(s) for s in self.samples], "note": self.note}
        if self.samples:
            data |= {"median": self.median, "min": min(self.walls()), "max": max(self.walls()),
                     "maxrss_mib_median": self.rss}
        return data


class TreeMemory:
    """The peak total resident memory of a process and its descendants, in MiB (Linux)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kib = pid, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.wait(0.05):
            parents: dict[int, int] = {}
            rss: dict[int, int] = {}
            for stat in Path("/proc").glob("[0-9]*/status"):
                try:
                    fields = dict(line.split(":", 1) for line in stat.read_text().splitlines()
                                  if ":" in line)
                except OSError:
                    continue
                pid = int(stat.parent.name)
                parents[pid] = int(fields.get("PPid", "0"))
                rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
            family = {self.pid}
            grew = True
            while grew:
                more = {p for p, parent in parents.items() if parent in family} - family
                family |= more
                grew = bool(more)
            self.peak_kib = max(self.peak_kib, sum(rss.get(p, 0) for p in family))

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self.peak_kib / 1024


class Runner:
    def __init__(self, log: Path, quiet: bool) -> None:
        self.log = log
        self.quiet = quiet
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("", "utf-8")

    def run(self, cmd: Sequence[str | Path], label: str, *, tree: bool = False) -> Sample:
        """Run ``cmd`` in a child process; wall time, CPU time and peak RSS from wait4. With
        ``tree``, peak memory is the largest *sum* of the resident sets of the child and its
        descendants, sampled every 50 ms (``ru_maxrss`` is one process's: a command with
        worker processes uses more)."""
        cmd = [str(c) for c in cmd]
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        with self.log.open("a", encoding="utf-8") as fh:
            fh.write(f"\n$ {' '.join(cmd)}\n")
            fh.flush()
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, env=env)
            sampler = TreeMemory(proc.pid) if tree else None
            _pid, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            fh.write(f"# {label}: {wall:.3f} s, exit {proc.returncode}\n")
        peak = usage.ru_maxrss / 1024
        if sampler is not None:
            peak = max(peak, sampler.stop())
        sample = Sample(wall, usage.ru_utime + usage.ru_stime, peak, proc.returncode)
        if not self.quiet or sample.rc:
            flag = "" if sample.rc == 0 else f"  FAILED (exit {sample.rc}, see {self.log})"
            print(f"  {label:<48} {wall:7.2f} s {sample.maxrss_mib:7.0f} MiB{flag}", flush=True)
        return sample


# -- one size --------------------------------------------------------------------------------


@dataclass
class Workspace:
    n: int
    base: Path

    def src(self, peer: str) -> Path:
        return self.base / peer / "src"

    def out(self, peer: str, what: str = "html") -> Path:
        return self.base / peer / f"out-{what}"


def html_command(ws: Workspace, peer: str, jobs: str, fresh: bool) -> list[str | Path]:
    fresh_flag = ["-E"] if fresh else []
    if peer == "ours":
        j = str(CPUS) if jobs == "auto" else jobs  # stdkit -j takes a number
        return [PY, "-m", "tooling.cli", "build", "html", "--source", ws.src(peer), "--out",
                ws.out(peer), "--conf", ROOT, "-W", "-q", "-j", j, *fresh_flag]
    out = ws.out(peer)
    return [PY, "-m", "sphinx", "-b", "html", "-W", "-q", "-j", jobs, *fresh_flag, "-d",
            out / "doctrees", ws.src(peer), out / "html"]


def html_page(ws: Workspace, peer: str, page: str) -> Path:
    return ws.out(peer) / "html" / f"{page}.html"


def stdkit(ws: Workspace, target: str, out: Path, *extra: str) -> list[str | Path]:
    return [PY, "-m", "tooling.cli", "build", target, "--source", ws.src("ours"), "--out", out,
            "--conf", ROOT, "-W", "-q", *extra]


def _row(page: str, anchor_or_id: str) -> str | None:
    """The table row of the clause index (by link) or of the needtable (by data-need-id)."""
    pattern = (rf'<tr[^>]*data-need-id="{re.escape(anchor_or_id)}"[^>]*>.*?</tr>'
               rf'|<tr[^>]*>(?:(?!</tr>).)*?#{re.escape(anchor_or_id)}".*?</tr>')
    match = re.search(pattern, page, re.S)
    return match.group(0) if match else None


def _cells(row: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except OSError:
        return ""


class SizeBench:
    """Everything measured at one N."""

    def __init__(self, n: int, work: Path, runner: Runner, repeat: int, peers: Sequence[str],
                 do_pdf: bool) -> None:
        self.n = n
        self.log = runner.log
        self.ws = Workspace(n, work / f"n{n}")
        self.run = runner.run
        self.repeat = repeat
        self.peers = list(peers)
        self.do_pdf = do_pdf
        self.standard = generate.generate(n)
        self.results: dict[str, Any] = {"n": n, "files": len(self.standard.chapters),
                                        "series": {}, "checks": {}, "facts": {}}
        self._fresh_text: dict[str, dict[str, list[bool]]] = {}
        self._fresh_meta: dict[str, dict[str, list[bool]]] = {}

    def series(self, key: str) -> Series:
        return self.results["series"].setdefault(key, Series())

    def check(self, key: str, ok: bool | None, detail: str) -> None:
        self.results["checks"][key] = {"ok": ok, "detail": detail}

    def prepare(self) -> None:
        for peer in self.peers:
            src = self.ws.src(peer)
            if src.exists():
                shutil.rmtree(src)
            generate.write(self.standard, src, peer)
            for out in self.ws.src(peer).parent.glob("out-*"):
                shutil.rmtree(out)

    def all(self) -> dict[str, Any]:
        print(f"\n== {self.n} clauses in {len(self.standard.chapters)} files", flush=True)
        self.prepare()
        self.full_builds()
        self.incremental()
        if "ours" in self.peers:
            self.reload()
            self.ours_outputs()
            self.diff()
        return self.results

    # full builds ------------------------------------------------------------------------

    def full_builds(self) -> None:
        for r in range(self.repeat):
            for jobs in JOBS:
                for peer in self.peers:
                    label = f"html {peer} -j {jobs} #{r + 1}"
                    sample = self.run(html_command(self.ws, peer, jobs, fresh=True), label)
                    self.series(f"html/{peer}/j{jobs}").samples.append(sample)
                    if peer == "ours" and sample.rc:
                        raise SystemExit(f"the generated standard did not build warning-free "
                                         f"({label}); see {self.ws.base.parent / 'bench.log'}")

    # incremental builds -------------------------------------------------------------------

    def _edit_target(self) -> tuple[generate.Chapter, generate.Clause]:
        """A clause on a checklist with a periodic frequency, from the middle chapter on, whose
        text does not use :data:`EDIT_TERM` (the one ``reload_probe.py`` edits too)."""
        return reload_probe.target(self.standard)

    def _incremental(self, peer: str, key: str, label: str) -> Sample:
        sample = self.run(html_command(self.ws, peer, "1", fresh=False), label)
        self.series(key).samples.append(sample)
        return sample

    def incremental(self) -> None:
        chapter, clause = self._edit_target()
        self.results["facts"]["edited_clause"] = clause.id
        base_text = list(clause.text)
        base_freq = dict(clause.frequency or {})
        for peer in self.peers:  # the state every edit starts from (not recorded)
            self.run(html_command(self.ws, peer, "1", fresh=False),
                     f"no-change rebuild {peer} (warm-up)")
        for r in range(self.repeat):
            for peer in self.peers:
                self._incremental(peer, f"noop/{peer}", f"no-change rebuild {peer} #{r + 1}")

        text_ok: dict[str, list[bool]] = {}
        for r in range(self.repeat):
            marker = f"并在{EDIT_TERM[1]}第{r + 1}轮核查中复核"
            last = base_text[-1]
            assert isinstance(last, str) and last.endswith("。")
            clause.text = [*base_text[:-1], last[:-1] + f"，{marker}。"]
            clause.frequency = dict(base_freq)
            for peer in self.peers:
                generate.rewrite_chapter(self.standard, self.ws.src(peer), peer, chapter)
            for peer in self.peers:
                self._incremental(peer, f"edit-text/{peer}", f"edit text {peer} #{r + 1}")
                text_ok.setdefault(peer, []).append(self._shows_text(peer, chapter, clause,
                                                                     marker))
        for peer, oks in text_ok.items():
            where = ("chapter page, clause-index row and term-index entry" if peer == "ours"
                     else "chapter page")
            self.check(f"edit-text/{peer}", all(oks),
                       f"{where}: the edited text shown after {sum(oks)}/{len(oks)} "
                       f"incremental builds")
            self.results["facts"].setdefault("fresh", {})[f"edit-text/{peer}"] = \
                self._fresh_text.get(peer, {})

        meta_peers = [p for p in self.peers if p in ("ours", "needs")]
        meta_ok: dict[str, list[bool]] = {}
        details: dict[str, str] = {}
        for r in range(self.repeat):
            clause.text = list(clause.text)
            generate.set_frequency_min(clause, base_freq["min"] + r + 1)
            expected = generate.describe_frequency(clause.frequency)
            for peer in meta_peers:
                generate.rewrite_chapter(self.standard, self.ws.src(peer), peer, chapter)
            for peer in meta_peers:
                self._incremental(peer, f"edit-meta/{peer}", f"edit frequency {peer} #{r + 1}")
                ok, detail = self._shows_frequency(peer, chapter, clause, expected)
                meta_ok.setdefault(peer, []).append(ok)
                details[peer] = detail
        for peer, oks in meta_ok.items():
            self.check(f"edit-meta/{peer}", all(oks),
                       f"{sum(oks)}/{len(oks)} incremental builds correct; last: {details[peer]}")
            self.results["facts"].setdefault("fresh", {})[f"edit-meta/{peer}"] = \
                self._fresh_meta.get(peer, {})
        # Put the sources back as generated (the later outputs build the unedited standard).
        clause.text, clause.frequency = base_text, base_freq
        for peer in self.peers:
            generate.rewrite_chapter(self.standard, self.ws.src(peer), peer, chapter)

    def _shows_text(self, peer: str, chapter: generate.Chapter, clause: generate.Clause,
                    marker: str) -> bool:
        """Whether every page that shows the clause's text shows the edit (tallied per page)."""
        fresh = {"chapter page": marker in read(html_page(self.ws, peer, chapter.slug))}
        if peer == "ours":
            row = _row(read(html_page(self.ws, peer, "clause-index")), clause.id)
            fresh["clause index"] = row is not None and marker in html.unescape(row)
            terms = read(html_page(self.ws, peer, "term-index"))
            entry = re.search(rf'<tr id="term-index-{EDIT_TERM[0]}">.*?</tr>', terms, re.S)
            fresh["term index"] = bool(entry) and f'#{clause.id}"' in entry.group(0)
        tally = self._fresh_text.setdefault(peer, {})
        for page, ok in fresh.items():
            tally.setdefault(page, []).append(ok)
        return all(fresh.values())

    def _shows_frequency(self, peer: str, chapter: generate.Chapter, clause: generate.Clause,
                         expected: str) -> tuple[bool, str]:
        page = "clause-index" if peer == "ours" else "clause-table"
        row = _row(read(html_page(self.ws, peer, page)), clause.id)
        if row is None:
            return False, f"{clause.id} not found on {page}.html"
        cells = _cells(row)
        shown = cells[4] if peer == "ours" else cells[3]  # the frequency column
        own = read(html_page(self.ws, peer, chapter.slug))
        if peer == "needs":  # the need's own box: its table, up to the frequency field
            start = own.find(f'id="{clause.id}"')
            box = own[start:own.find("</table>", start)] if start >= 0 else ""
            value = re.search(r'needs_frequency">.*?needs_data">([^<]*)<', box, re.S)
            own_ok = bool(value) and html.unescape(value.group(1)) == expected
        else:
            own_ok = True  # ours shows the frequency on the index page, not beside the clause
        fresh = {"clause index" if peer == "ours" else "needtable": shown == expected}
        if peer == "ours":
            sheet = read(self.ws.out(peer) / "html" / "checklists" / f"{clause.checklist[0]}.html")
            sheet_row = _row(sheet, clause.id)
            fresh["checklist page"] = sheet_row is not None and generate.frequency_shown(
                clause.frequency, html.unescape(re.sub(r"<[^>]+>", "", sheet_row)))
        else:
            fresh["chapter page"] = own_ok
        tally = self._fresh_meta.setdefault(peer, {})
        for name, value in fresh.items():
            tally.setdefault(name, []).append(value)
        ok = all(fresh.values()) and own_ok
        detail = (f"{page}.html shows “{shown}”, expected “{expected}”"
                  + ("" if peer == "ours" else
                     f"; the need on {chapter.slug}.html {'shows' if own_ok else 'does not show'}"
                     f" the new value"))
        return ok, detail

    # edit-to-reload ------------------------------------------------------------------------

    def reload(self) -> None:
        """``stdkit serve`` against sphinx-autobuild (see ``reload_probe.py``): the same
        sources, the same edits, time from saving to the page's reload message."""
        for peer in ("ours", "autobuild"):
            if peer == "autobuild" and _version("sphinx-autobuild") == "not installed":
                self.series(f"reload/{peer}").note = "sphinx-autobuild is not installed"
                continue
            base = self.ws.base / f"serve-{peer}"
            if base.exists():
                shutil.rmtree(base)
            label = f"edit-to-reload {peer}"
            cmd = [PY, str(HERE / "reload_probe.py"), "--clauses", str(self.n), "--src",
                   str(base / "src"), "--out", str(base / "out"), "--peer", peer,
                   "--repeat", str(self.repeat), "--log", str(self.log)]
            result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                                    timeout=3600)
            if result.returncode:
                last = (result.stderr.strip().splitlines() or ["?"])[-1]
                self.series(f"reload/{peer}").note = f"failed: {last}"
                print(f"  {label}: failed ({last})", flush=True)
                continue
            data = json.loads(result.stdout.strip().splitlines()[-1])
            self.results["facts"][f"reload/{peer}"] = data
            for kind in ("text", "frequency"):
                series = self.series(f"reload/{peer}/{kind}")
                for sample in data["samples"][kind]:
                    series.samples.append(Sample(sample["seconds"], 0.0,
                                                 data.get("server_peak_rss_mib") or 0.0, 0))
                    print(f"  {label + ' (' + kind + ')':<48} {sample['seconds']:7.2f} s",
                          flush=True)

    # the toolkit's other outputs ----------------------------------------------------------

    def ours_outputs(self) -> None:
        ws = self.ws
        for r in range(self.repeat):
            n = r + 1
            # The clause index reusing the environment of the HTML build (what `build all` does).
            self.series("index-reuse").samples.append(
                self.run(stdkit(ws, "index", ws.out("ours")), f"index (reusing env) #{n}"))
            self.series("index").samples.append(
                self.run(stdkit(ws, "index", ws.out("ours", "index"), "-E"), f"index #{n}"))
            self.series("checklists").samples.append(self.run(
                stdkit(ws, "checklists", ws.out("ours", "checklists"), "-E"), f"checklists #{n}"))
            lint_out = ws.out("ours", "lint")
            if lint_out.exists():
                shutil.rmtree(lint_out)
            self.series("lint").samples.append(self.run(
                [PY, "-m", "tooling.cli", "lint", "--source", ws.src("ours"), "--out", lint_out,
                 "--conf", ROOT], f"lint #{n}"))
            if self.do_pdf:
                self.series("pdf").samples.append(
                    self.run(stdkit(ws, "pdf", ws.out("ours", "pdf"), "-E"), f"pdf #{n}"))
        facts = self.results["facts"]
        facts["pdf_pages"] = count_pages(sorted((ws.out("ours", "pdf") / "pdf").glob("*.pdf")))
        checklists = sorted((ws.out("ours", "checklists") / "checklists").glob("*.pdf"))
        facts["checklist_files"] = len(checklists)
        facts["checklist_pages"] = count_pages(checklists)
        index = ws.out("ours", "index") / "index" / "clause-index.json"
        if index.is_file():
            facts["index_elements"] = len(json.loads(index.read_text("utf-8"))["clauses"])

    # revision diff ------------------------------------------------------------------------

    def diff(self) -> None:
        old_json = self.ws.out("ours", "index") / "index" / "clause-index.json"
        src2 = self.ws.base / "ours-edited" / "src"
        out2 = self.ws.base / "ours-edited" / "out-index"
        for folder in (src2, out2):
            if folder.exists():
                shutil.rmtree(folder)
        generate.write(generate.edited(self.standard, 0.05), src2, "ours")
        sample = self.run([PY, "-m", "tooling.cli", "build", "index", "--source", src2, "--out",
                           out2, "--conf", ROOT, "-W", "-q"], "index of the edited edition")
        new_json = out2 / "index" / "clause-index.json"
        series = self.series("diff")
        if sample.rc or not old_json.is_file():
            series.note = "failed: an edition's clause index could not be built"
            return
        probe = subprocess.run([PY, "-c", "import tooling.diff.match as d; d.diff_editions"],
                               cwd=ROOT, capture_output=True, text=True)
        if probe.returncode:
            last = (probe.stderr.strip().splitlines() or ["?"])[-1]
            series.note = f"pending: tooling.diff.diff_editions is not importable ({last})"
            print(f"  diff: {series.note}", flush=True)
            return
        timings = []
        for r in range(self.repeat):
            try:
                result = subprocess.run([PY, str(HERE / "diff_probe.py"), str(old_json),
                                         str(new_json)], cwd=ROOT, capture_output=True,
                                        text=True, timeout=DIFF_TIMEOUT)
            except subprocess.TimeoutExpired:
                series.note = f"timeout: no result after {DIFF_TIMEOUT} s"
                print(f"  diff: {series.note}", flush=True)
                return
            if result.returncode:
                series.note = "failed: " + (result.stderr.strip().splitlines() or ["?"])[-1]
                print(f"  diff: {series.note}", flush=True)
                return
            data = json.loads(result.stdout)
            timings.append(data)
            series.samples.append(Sample(data["diff_s"], data["diff_s"], data["maxrss_mib"], 0))
            print(f"  {'diff #' + str(r + 1):<48} {data['diff_s']:7.2f} s", flush=True)
        self.results["facts"]["diff"] = timings[-1]
        self.results["facts"]["diff_load_s"] = statistics.median(t["load_s"] for t in timings)


def write_roster(path: Path, n: int) -> None:
    """A roster of ``n`` invented stewards (names unique, as the roster requires)."""
    lines = ["name,community,buildings,households,special_households"]
    for i in range(1, n + 1):
        lines.append(f"基准楼长{i:04d},基准社区{i % 7 + 1},{i}号楼,{24 + i % 40},{i % 6}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", "utf-8")


def roster_bench(runner: Runner, work: Path, sizes: Sequence[int]) -> dict[str, Any]:
    """``stdkit build checklists`` for rosters of each size, on the in-force standard."""
    from tooling.model.checklist_specs import load_specs

    standard = ROOT / "standard"
    result: dict[str, Any] = {"runs": {},
                              "checklists": len(load_specs(standard / "checklists.yaml"))}
    print(f"\n== checklists for rosters of {', '.join(map(str, sizes))} stewards", flush=True)
    for n in sizes:
        roster = work / "roster" / f"roster-{n}.csv"
        out = work / "roster" / f"out-{n}"
        if out.exists():
            shutil.rmtree(out)
        write_roster(roster, n)
        sample = runner.run([PY, "-m", "tooling.cli", "build", "checklists", "--source", standard,
                             "--out", out, "--conf", ROOT, "-q", "-E", "--roster", roster],
                            f"checklists, roster of {n}", tree=True)
        files = len(list((out / "checklists").rglob("*.pdf")))
        result["runs"][str(n)] = {**asdict(sample), "files": files}
    return result


def count_pages(paths: Sequence[Path]) -> int | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    if not paths:
        return None
    return sum(len(PdfReader(p).pages) for p in paths)


# -- environment facts -----------------------------------------------------------------------


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def versions() -> dict[str, str]:
    found = {"Python": platform.python_version()}
    for dist in ("stdkit", "Sphinx", "myst-parser", "docutils", "sphinx-needs", "typst",
                 "jieba", "pypdf", "pypinyin", "sphinx-autobuild", "starlette", "uvicorn",
                 "watchfiles"):
        found[dist] = _version(dist)
    try:
        import typst

        compiler = getattr(typst, "__version__", None)
        if compiler:
            found["typst (module)"] = str(compiler)
    except ImportError:
        pass
    return found


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else CPUS
    return {"CPU": cpu, "cores": f"{CPUS} (usable by this process: {usable})", "memory": mem,
            "kernel": f"{platform.system()} {platform.release()}"}


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


# -- the report ------------------------------------------------------------------------------


def fmt(series: Series | None, unit: str = "s") -> str:
    if series is None or not series.samples:
        return "—" if series is None or not series.note else series.note.split(":")[0]
    if not series.ok:
        return "failed"
    walls = series.walls()
    return f"{series.median:.2f} ({min(walls):.2f}–{max(walls):.2f})"


def fmt_cpu(series: Series | None) -> str:
    if series is None or not series.ok:
        return "—"
    cpus = [s.cpu for s in series.samples]
    return f"{series.cpu_median:.2f} ({min(cpus):.2f}–{max(cpus):.2f})"


def cpu_ratio(a: Series | None, b: Series | None) -> float | None:
    if a is None or b is None or not a.ok or not b.ok or not b.cpu_median:
        return None
    return a.cpu_median / b.cpu_median


def ratio(a: Series | None, b: Series | None) -> float | None:
    if a is None or b is None or not a.ok or not b.ok:
        return None
    return a.median / b.median


def fmt_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def mem(series: Series | None) -> str:
    if series is None or not series.ok:
        return "—"
    values = [s.maxrss_mib for s in series.samples]
    return f"{statistics.median(values):.0f} ({min(values):.0f}–{max(values):.0f})"


def size_table(res: dict[str, Any]) -> list[str]:
    s: dict[str, Series] = res["series"]
    get: Callable[[str], Series | None] = s.get
    peers = [p for p in PEERS if any(k.startswith(f"html/{p}/") for k in s)]
    head = "| measurement | " + " | ".join(PEER_NAMES[p] for p in peers)
    head += " | ours/bare | ours/bare-styled | needs/ours |"
    lines = [head, "|" + " --- |" * (len(peers) + 4)]

    def line(label: str, keys: dict[str, str], values: Callable[[Series | None], str] = fmt,
             ratios: bool = True) -> None:
        cells = [values(get(keys[p])) if p in keys else "—" for p in peers]
        if ratios:
            r1 = ratio(get(keys.get("ours", "")), get(keys.get("bare", "")))
            r2 = ratio(get(keys.get("ours", "")), get(keys.get("bare-styled", "")))
            r3 = ratio(get(keys.get("needs", "")), get(keys.get("ours", "")))
            extra = [fmt_ratio(r1), fmt_ratio(r2), fmt_ratio(r3)]
        else:
            extra = ["", "", ""]
        lines.append(f"| {label} | " + " | ".join(cells + extra) + " |")

    for jobs in JOBS:
        label = f"full HTML build, `-j {jobs}`" + (f" (stdkit `-j {CPUS}`)" if jobs == "auto"
                                                  else "")
        line(label + ", s", {p: f"html/{p}/j{jobs}" for p in peers})
    for jobs in JOBS:
        keys = {p: f"html/{p}/j{jobs}" for p in peers}
        cells = [fmt_cpu(get(keys[p])) for p in peers]
        r1 = cpu_ratio(get(keys.get("ours", "")), get(keys.get("bare", "")))
        r2 = cpu_ratio(get(keys.get("ours", "")), get(keys.get("bare-styled", "")))
        r3 = cpu_ratio(get(keys.get("needs", "")), get(keys.get("ours", "")))
        lines.append(f"| full HTML build `-j {jobs}`, CPU s (user + sys, workers included) | "
                     + " | ".join([*cells, fmt_ratio(r1), fmt_ratio(r2), fmt_ratio(r3)]) + " |")
    for jobs in JOBS:
        keys = {p: f"html/{p}/j{jobs}" for p in peers}
        cells = [mem(get(keys[p])) for p in peers]
        r1 = _mem_ratio(get(keys.get("ours", "")), get(keys.get("bare", "")))
        r2 = _mem_ratio(get(keys.get("ours", "")), get(keys.get("bare-styled", "")))
        r3 = _mem_ratio(get(keys.get("needs", "")), get(keys.get("ours", "")))
        lines.append(f"| peak memory, full build `-j {jobs}`, MiB | " + " | ".join(
            [*cells, fmt_ratio(r1), fmt_ratio(r2), fmt_ratio(r3)]) + " |")
    line("no-change rebuild, s", {p: f"noop/{p}" for p in peers})
    line("incremental: one clause's text edited, s", {p: f"edit-text/{p}" for p in peers})
    line("incremental: one clause's frequency edited, s",
         {p: f"edit-meta/{p}" for p in peers if p in ("ours", "needs")})
    facts = res["facts"]
    extra = [
        ("clause index `stdkit build index -E`, s", "index", ""),
        ("clause index reusing the HTML build's environment, s", "index-reuse", ""),
        ("checklists `stdkit build checklists -E`, s", "checklists",
         f"{facts.get('checklist_files', '?')} PDFs, {facts.get('checklist_pages', '?')} pages"),
        ("lint `stdkit lint` (fresh), s", "lint", ""),
        ("PDF `stdkit build pdf -E`, s", "pdf", _pdf_rate(get("pdf"), facts.get("pdf_pages"))),
        ("diff of two editions (5 % changed), `diff_editions` only, s", "diff",
         _diff_fact(facts)),
    ]
    for label, key, note in extra:
        cell = fmt(get(key))
        series = get(key)
        if series is not None and series.note and not series.samples:
            cell = series.note
        row = [cell if p == "ours" else "" for p in peers]
        lines.append(f"| {label} | " + " | ".join(row) + f" | {note} | | |")
    return lines


def _mem_ratio(a: Series | None, b: Series | None) -> float | None:
    if a is None or b is None or not a.ok or not b.ok:
        return None
    return a.rss / b.rss


def _pdf_rate(series: Series | None, pages: int | None) -> str:
    if series is None or not series.ok or not pages:
        return ""
    return f"{pages} pages, {pages / series.median:.1f} pages/s"


def _diff_fact(facts: dict[str, Any]) -> str:
    diff = facts.get("diff")
    if not diff:
        return ""
    return (f"{diff['records']} records; loading both JSON files "
            f"{facts.get('diff_load_s', 0):.2f} s more")


@dataclass
class Verdict:
    target: str
    measured: str
    met: bool | None  # None: not measured


def verdicts(all_results: list[dict[str, Any]], roster: dict[str, Any] | None = None
             ) -> list[Verdict]:
    out: list[Verdict] = []
    by_n = {r["n"]: r for r in all_results}
    big = by_n.get(TARGET_N) or by_n[max(by_n)]
    big_n = big["n"]
    at = f"at {TARGET_N:,}" + ("" if big_n == TARGET_N else f" (measured at {big_n:,})")

    def s(res: dict[str, Any], key: str) -> Series | None:
        return res["series"].get(key)

    # Edit and see: both kinds of edit, every derived page fresh after each.
    texts, freqs = s(big, "reload/ours/text"), s(big, "reload/ours/frequency")
    probe = big["facts"].get("reload/ours")
    if texts and freqs and texts.ok and freqs.ok and probe:
        fresh = [ok for kind in ("text", "frequency") for sample in probe["samples"][kind]
                 for ok in sample["fresh"].values()]
        worst = max(texts.median, freqs.median)
        out.append(Verdict(
            f"edit-to-reload ≤ {T_RELOAD:g} s {at} (`stdkit serve`), clause-index, term-index "
            "and checklist pages fresh",
            f"text edit {texts.median:.2f} s, frequency edit {freqs.median:.2f} s (medians); "
            f"derived pages fresh in {sum(fresh)}/{len(fresh)} checks",
            worst <= T_RELOAD and all(fresh)))
    else:
        note = (s(big, "reload/ours") or Series()).note or "not measured"
        out.append(Verdict(f"edit-to-reload ≤ {T_RELOAD:g} s {at}", note, None))
    def compare(a: str, b: str) -> list[tuple[str, float, float]]:
        found = []
        for jobs in JOBS:
            sa, sb = s(big, f"html/{a}/j{jobs}"), s(big, f"html/{b}/j{jobs}")
            wall, cpu = ratio(sa, sb), cpu_ratio(sa, sb)
            if wall is not None and cpu is not None:
                found.append((jobs, wall, cpu))
        return found

    def shown(found: list[tuple[str, float, float]]) -> str:
        return "; ".join(f"`-j {j}`: CPU {c:.2f}×, wall {w:.2f}×" for j, w, c in found) \
            or "not measured"

    # Judged on CPU time: on a shared machine the wall clock of one build moves with what
    # others run (see the load averages above); both are shown.
    ratios = compare("ours", "bare-styled")
    out.append(Verdict(
        f"full HTML build ≤ {T_OVERHEAD}× bare-styled (same theme and search) {at}",
        shown(ratios), all(c <= T_OVERHEAD for _j, _w, c in ratios) if ratios else None))
    speed = compare("needs", "ours")
    out.append(Verdict(
        f"full HTML build ≥ {T_SPEEDUP:g}× faster than sphinx-needs {at}",
        shown(speed), all(c >= T_SPEEDUP for _j, _w, c in speed) if speed else None))
    value = _mem_ratio(s(big, "html/ours/j1"), s(big, "html/bare-styled/j1"))
    out.append(Verdict(f"peak memory ≤ {T_MEMORY:g}× bare-styled {at}",
                       fmt_ratio(value) + " (`-j 1`)",
                       None if value is None else value <= T_MEMORY))
    runs = (roster or {}).get("runs", {})
    big_roster = runs.get(str(ROSTER_N))
    if big_roster and big_roster["rc"] == 0:
        out.append(Verdict(
            f"checklists for a roster of {ROSTER_N:,} stewards < {T_ROSTER_S:g} s and "
            f"< {T_ROSTER_MIB / 1024:g} GiB",
            f"{big_roster['wall']:.1f} s, {big_roster['maxrss_mib']:.0f} MiB",
            big_roster["wall"] < T_ROSTER_S and big_roster["maxrss_mib"] < T_ROSTER_MIB))
    else:
        out.append(Verdict(f"checklists for a roster of {ROSTER_N:,} stewards",
                           "failed" if big_roster else "not measured",
                           False if big_roster else None))
    diff = s(big, "diff")
    if diff and diff.samples:
        out.append(Verdict(f"diff of two {big_n:,}-clause editions < {T_DIFF:g} s",
                           f"{diff.median:.2f} s", diff.median < T_DIFF))
    else:
        out.append(Verdict(f"diff of two editions < {T_DIFF:g} s",
                           (diff.note if diff else "pending"), None))
    rates = []
    for n, res in sorted(by_n.items()):
        pdf, pages = s(res, "pdf"), res["facts"].get("pdf_pages")
        if pdf and pdf.ok and pages:
            rates.append((n, pages / pdf.median))
    out.append(Verdict(f"PDF ≥ {T_PDF:g} pages/s",
                       "; ".join(f"{n:,}: {r:.1f} pages/s" for n, r in rates) or "not measured",
                       all(r >= T_PDF for _n, r in rates) if rates else None))
    return out


def _yes(value: object) -> str:
    return "yes" if value else "no"


PAGES = ("chapter page", "clause index", "term index", "checklist page", "needtable")


def _tally(oks: list[bool] | None) -> str:
    if not oks:
        return "—"
    text = f"{sum(oks)}/{len(oks)}"
    return text if all(oks) else f"**{text} (stale)**"


def correctness_table(res: dict[str, Any]) -> list[str]:
    """Every derived page after each kind of edit: how many of the edits it showed."""
    fresh = res["facts"].get("fresh", {})
    rows: list[tuple[str, str, dict[str, list[bool]]]] = []
    for kind, label in (("edit-text", "text (adds a term)"), ("edit-meta", "frequency")):
        for peer in PEERS:
            if f"{kind}/{peer}" in fresh:
                rows.append((label, f"{PEER_NAMES[peer]}: incremental build",
                             fresh[f"{kind}/{peer}"]))
            if peer == "ours":
                for server in ("ours", "autobuild"):
                    probe = res["facts"].get(f"reload/{server}")
                    if not probe:
                        continue
                    pages: dict[str, list[bool]] = {}
                    for sample in probe["samples"]["text" if kind == "edit-text" else
                                                   "frequency"]:
                        for page, ok in sample["fresh"].items():
                            pages.setdefault(page, []).append(ok)
                    name = ("ours: `stdkit serve`" if server == "ours"
                            else "sphinx-autobuild (toolkit's conf.py)")
                    rows.append((label, name + ", after the reload message", pages))
    if not rows:
        return []
    lines = ["| edit | build | " + " | ".join(PAGES) + " |", "|" + " --- |" * (len(PAGES) + 2)]
    for label, name, pages in rows:
        lines.append(f"| {label} | {name} | " + " | ".join(_tally(pages.get(p)) for p in PAGES)
                     + " |")
    return lines


def reload_table(res: dict[str, Any]) -> list[str]:
    s: dict[str, Series] = res["series"]
    lines = ["| edit-to-reload, s | ours: `stdkit serve` | sphinx-autobuild | autobuild/ours |",
             "| --- | --- | --- | --- |"]
    for kind, label in (("text", "one clause's text edited"),
                        ("frequency", "one clause's frequency edited")):
        ours, other = s.get(f"reload/ours/{kind}"), s.get(f"reload/autobuild/{kind}")
        lines.append(f"| {label} | {fmt(ours)} | {fmt(other)} | {fmt_ratio(ratio(other, ours))} |")
    rss = res["facts"].get("reload/ours", {}).get("server_peak_rss_mib")
    if rss:  # sphinx-autobuild builds in child processes: its own figure says nothing
        lines.append(f"| peak memory of the `stdkit serve` process (its builds included), MiB "
                     f"| {rss:.0f} | | |")
    return lines


def roster_table(roster: dict[str, Any]) -> list[str]:
    runs = roster.get("runs", {})
    if not runs:
        return []
    lines = ["", "## Checklists for a roster", "",
             f"`stdkit build checklists -E --roster R` on `standard/` (the in-force standard, "
             f"{roster.get('checklists', '?')} checklists), R a generated roster of N stewards; "
             "one run each. The sheets are typeset by one worker process per core, so peak "
             "memory here is the largest sum over the command and its workers (sampled every "
             "50 ms), and CPU counts the workers too.", "",
             "| stewards | wall, s | CPU, s | peak memory, MiB | per steward, s | PDFs written |",
             "| --- | --- | --- | --- | --- | --- |"]
    for n, run in sorted(runs.items(), key=lambda kv: int(kv[0])):
        state = "" if run["rc"] == 0 else " (failed)"
        lines.append(f"| {int(n):,}{state} | {run['wall']:.1f} | {run['cpu']:.1f} | "
                     f"{run['maxrss_mib']:.0f} | {run['wall'] / int(n):.3f} | "
                     f"{run.get('files', '?')} |")
    return lines


def write_report(path: Path, all_results: list[dict[str, Any]], meta: dict[str, Any],
                 roster: dict[str, Any] | None = None) -> None:
    lines = ["# Benchmark results", "",
             "Written by `benchmarks/run.py` (`make bench`); do not edit by hand. Generator, "
             "peers and method: `benchmarks/README.md`.", "",
             f"Command: `{meta['command']}` — {meta['repeat']} runs of everything; cells are "
             "**median (min–max)** of wall-clock seconds in a fresh child process (CPU "
             "seconds where a row says so). Started "
             f"{meta['started']}, took {meta['duration_min']:.0f} min; load average at start "
             f"{meta['load_start']}, at end {meta['load_end']} (the machine is shared: the "
             "build-time targets are judged on CPU time, which other users of the machine move "
             "much less than the wall clock; both are shown).", "",
             "## Targets", "", "| target | measured | met |", "| --- | --- | --- |"]
    for v in verdicts(all_results, roster):
        met = "—" if v.met is None else ("**yes**" if v.met else "**no**")
        lines.append(f"| {v.target} | {v.measured} | {met} |")
    lines += ["", "## Machine and versions", ""]
    lines += [f"- {k}: {v}" for k, v in meta["machine"].items()]
    lines += ["- " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items())]
    for res in all_results:
        lines += ["", f"## {res['n']:,} clauses in {res['files']} chapter files", ""]
        lines += size_table(res)
        if any(k.startswith("reload/") for k in res["series"]):
            lines += ["", "Edit and see (time from saving the chapter file to the page's reload "
                      "message, plus fetching the edited page):", ""]
            lines += reload_table(res)
        lines += ["", "Correctness of incremental builds: every page that shows the edited "
                  f"clause (`{res['facts'].get('edited_clause', '?')}`), after each edit "
                  "(fresh/edits):", ""]
        lines += correctness_table(res)
        names = {"edit-text": "text edit", "edit-meta": "frequency edit"}
        order = {p: i for i, p in enumerate(PEERS)}
        lines.append("")
        for key, check in sorted(res["checks"].items(),
                                 key=lambda kv: (kv[0].split("/")[0] != "edit-text",
                                                 order[kv[0].split("/")[1]])):
            kind, peer = key.split("/", 1)
            verdict = {True: "correct", False: "**stale or wrong**", None: "?"}[check["ok"]]
            lines.append(f"- {PEER_NAMES[peer]}, {names[kind]}: {verdict} — {check['detail']}")
    lines += roster_table(roster or {})
    lines += ["", "## Notes", "",
              "- *ours* is `python -m tooling.cli build html -W -q` (the toolkit's conf.py and "
              "page frame on Sphinx's basic theme, zh_CN search with jieba, drafting linter, "
              "clause/term index and checklist pages); "
              "its time includes the staged output copy the CLI makes.",
              "- *bare* is `python -m sphinx -b html -W` with an ordinary conf.py "
              "(`myst_parser` + `colon_fence`, Sphinx's default theme and language); *bare, ours' "
              "theme+zh* is the same sources with the toolkit's theme and language settings, so "
              "`ours/bare-styled` is the cost of the extension alone; *sphinx-needs* is the bare "
              "conf.py plus sphinx-needs, every clause a need with role, frequency, target and "
              "evidence, and one `needtable` page.",
              f"- `-j auto` is passed to sphinx-build as is; `stdkit` takes a number, so it gets "
              f"`-j {CPUS}` (the machine's core count).",
              "- Peak memory is `ru_maxrss` of the child from `os.wait4`; with `-j` it is the "
              "largest single process, not the sum of the workers.",
              "- Incremental builds run with `-j 1` after a no-change warm-up build; each "
              "repetition makes a new edit to the same clause. The index, checklist, lint and "
              "PDF rows start from an empty build folder (`-E`) unless they say otherwise.",
              "- The diff row times `tooling.diff.diff_editions(old, new)` alone, in a fresh "
              "process, on two `Edition`s loaded from clause-index.json (the second edition "
              "has 5 % of its clauses edited, re-frequenced, removed or added).", ""]
    # Written by hand and carried into every regenerated report: the profile of the first
    # missed target (before and after its fix) and the measurement behind the HTML theme.
    for name in ("PROFILE.md", "THEME.md"):
        if (HERE / name).is_file():
            lines += ["", (HERE / name).read_text("utf-8").rstrip(), ""]
    path.write_text("\n".join(lines), "utf-8")


def report_only(results: Path) -> int:
    raw = json.loads(results.with_name("results.json").read_text("utf-8"))
    all_results = []
    for res in raw["results"]:
        series = {}
        for key, data in res["series"].items():
            series[key] = Series([Sample(**x) for x in data["samples"]], data.get("note", ""))
        all_results.append({**res, "series": series})
    write_report(results, all_results, raw["meta"], raw.get("roster", {}))
    print(f"written {results} from {results.with_name('results.json')}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000",
                        help="clause counts, comma-separated (default 100,1000,5000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (≥ 1)")
    parser.add_argument("--peers", default=",".join(PEERS),
                        help=f"which forms to build (default {','.join(PEERS)})")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF measurement")
    parser.add_argument("--work", type=Path, default=HERE / "_work",
                        help="where sources and builds go (default benchmarks/_work)")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md",
                        help="the report to write (default benchmarks/RESULTS.md); the raw "
                        "figures go beside it as results.json")
    parser.add_argument("-q", "--quiet", action="store_true", help="print failures only")
    parser.add_argument("--rosters", default=f"100,{ROSTER_N}",
                        help=f"roster sizes for the checklists (default 100,{ROSTER_N}; "
                        "empty: skip)")
    parser.add_argument("--report-only", action="store_true",
                        help="write RESULTS.md again from results.json, measuring nothing")
    args = parser.parse_args(argv)
    if args.report_only:
        return report_only(args.results)
    sizes = [int(x) for x in args.sizes.split(",") if x]
    peers = [p for p in args.peers.split(",") if p]
    unknown = set(peers) - set(PEERS)
    if unknown or args.repeat < 1 or not sizes:
        parser.error(f"bad --peers/--repeat/--sizes ({', '.join(unknown) or args.repeat})")
    if "needs" in peers and _version("sphinx-needs") == "not installed":
        parser.error("sphinx-needs is not installed: pip install -e '.[bench]'")

    runner = Runner(args.work / "bench.log", quiet=args.quiet)
    started = time.time()
    meta: dict[str, Any] = {
        "command": " ".join(["python benchmarks/run.py", *(argv or sys.argv[1:])]),
        "repeat": args.repeat, "started": time.strftime("%Y-%m-%d %H:%M %Z"),
        "load_start": loadavg(), "machine": machine(), "versions": versions(),
    }
    print(f"benchmark: sizes {sizes}, {args.repeat} runs each, peers {peers}; "
          f"log in {runner.log}", flush=True)
    all_results = []
    for n in sizes:
        bench = SizeBench(n, args.work, runner, args.repeat, peers, not args.no_pdf)
        all_results.append(bench.all())
    rosters = [int(x) for x in args.rosters.split(",") if x]
    roster = roster_bench(runner, args.work, rosters) if rosters else {}
    meta["duration_min"] = (time.time() - started) / 60
    meta["load_end"] = loadavg()
    args.results.parent.mkdir(parents=True, exist_ok=True)
    write_report(args.results, all_results, meta, roster)
    raw = {"meta": meta, "roster": roster, "results": [
        {**r, "series": {k: v.to_json() for k, v in r["series"].items()}} for r in all_results]}
    args.results.with_name("results.json").write_text(
        json.dumps(raw, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"\nwritten {args.results}")
    for v in verdicts(all_results, roster):
        met = "?" if v.met is None else ("met" if v.met else "MISSED")
        print(f"  [{met:>6}] {v.target}: {v.measured}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
