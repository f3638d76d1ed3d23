"""Edit-to-reload: how long after a chapter file is saved is the open page told to reload,
and are the derived pages fresh then? Run by ``run.py``; prints one JSON object.

``--peer ours`` starts ``stdkit serve`` and listens to its event stream (the script every
served page runs); ``--peer autobuild`` starts ``sphinx-autobuild`` on the same sources with the
toolkit's conf.py (a new ``sphinx-build`` process per change) and listens to its WebSocket.
Each repetition makes two edits to one clause of the middle chapter that is on a checklist:
its text (naming a term it did not use: the chapter page, the 条款索引 row and the 术语索引
entry must change) and its frequency (the 条款索引 row and the checklist page's row must
change). The time is from writing the file to the reload message, plus fetching the edited
page, as the reloading browser does; edits are 3 s apart, as a person reads the page first.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import generate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = sys.executable
TERM = ("term-residents-council", "居民议事会")
TIMEOUT = 120.0
READING = 3.0  # seconds between a reload and the next edit


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def plain(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def row(page: str, clause_id: str) -> str | None:
    match = re.search(rf'<tr[^>]*>(?:(?!</tr>).)*?#{re.escape(clause_id)}".*?</tr>', page, re.S)
    return plain(match.group(0)) if match else None


def target(standard: generate.Standard) -> tuple[generate.Chapter, generate.Clause]:
    """A clause on a checklist, with a periodic frequency, in or after the middle chapter."""
    chapters = standard.chapters
    for chapter in chapters[len(chapters) // 2:] + chapters:
        for section in chapter.sections:
            for clause in section.clauses:
                if (clause.checklist and clause.frequency and "min" in clause.frequency
                        and TERM[1] not in "".join(str(t) for t in clause.text)):
                    return chapter, clause
    raise RuntimeError("no clause on a checklist with a frequency")


class Waiter:
    """Reload messages from the server, read in a thread; ``wait`` returns the next one."""

    def __init__(self) -> None:
        self.messages: list[tuple[float, Any]] = []
        self.cond = threading.Condition()

    def add(self, message: Any) -> None:
        with self.cond:
            self.messages.append((time.perf_counter(), message))
            self.cond.notify_all()

    def wait(self, after: int, accept: Any) -> tuple[float, Any]:
        deadline = time.monotonic() + TIMEOUT
        with self.cond:
            while True:
                for stamp, message in self.messages[after:]:
                    if accept(message):
                        return stamp, message
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no reload message")
                self.cond.wait(left)


def listen_ours(base: str, waiter: Waiter) -> None:
    with urllib.request.urlopen(base + "_stdkit/events", timeout=3600) as stream:
        for raw in stream:
            line = raw.decode("utf-8").strip()
            if line.startswith("data: "):
                waiter.add(json.loads(line[6:]))


def listen_autobuild(base: str, waiter: Waiter) -> None:
    from websockets.sync.client import connect

    # sphinx-autobuild says "Serving on" before its server listens: try again for a while.
    deadline = time.monotonic() + 30
    while True:
        try:
            ws = connect(base.replace("http://", "ws://") + "websocket-reload")
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    with ws, contextlib.suppress(Exception):  # closed when the server stops
        waiter.add("connected")
        for message in ws:
            waiter.add(message)


def start(peer: str, src: Path, out: Path, log: Path) -> tuple[subprocess.Popen, str]:
    if peer == "ours":
        cmd = [PY, "-m", "tooling.cli", "serve", "--source", str(src), "--out", str(out),
               "--conf", str(ROOT), "--port", "0"]
        ready = re.compile(r"已构建|构建失败")
    else:
        cmd = [PY, "-m", "sphinx_autobuild", "-c", str(ROOT), "-q", "-d", str(out / "doctrees"),
               "--port", "0", "--host", "127.0.0.1", str(src), str(out / "html")]
        ready = re.compile(r"Serving on")
    fh = log.open("a", encoding="utf-8", buffering=1)  # line by line: read while it runs
    fh.write(f"\n$ {' '.join(cmd)}\n")
    fh.flush()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=fh, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = None
    deadline = time.monotonic() + 900
    assert proc.stdout is not None
    for line in proc.stdout:
        fh.write(line)
        found = re.search(r"http://127\.0\.0\.1:\d+/?", line)
        if found and url is None:
            url = found.group(0).rstrip("/") + "/"
        if url and ready.search(line):
            break
        if time.monotonic() > deadline:
            break
    if url is None:
        proc.kill()
        raise RuntimeError(f"{peer} did not start; see {log}")
    threading.Thread(target=lambda: [fh.write(line) for line in proc.stdout], daemon=True).start()
    return proc, url


def peak_rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, required=True)
    parser.add_argument("--src", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--peer", choices=("ours", "autobuild"), default="ours")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--log", type=Path, default=HERE / "_work" / "bench.log")
    args = parser.parse_args()

    standard = generate.generate(args.clauses)
    chapter, clause = target(standard)
    base_text, base_freq = list(clause.text), dict(clause.frequency or {})
    generate.write(standard, args.src, "ours")
    proc, url = start(args.peer, args.src, args.out, args.log)
    waiter = Waiter()
    listen = listen_ours if args.peer == "ours" else listen_autobuild
    threading.Thread(target=listen, args=(url, waiter), daemon=True).start()
    # The state stdkit serve sends on connecting; sphinx-autobuild's connection made.
    waiter.wait(0, lambda m: isinstance(m, dict) or m == "connected")
    page = f"{chapter.slug}.html"
    samples: dict[str, list[dict[str, Any]]] = {"text": [], "frequency": []}
    generation = waiter.messages[-1][1]["generation"] if args.peer == "ours" else 0

    def reload_after(change: Any) -> float:
        nonlocal generation
        time.sleep(READING)  # a person looks at the page before the next save
        seen = len(waiter.messages)
        written = time.perf_counter()
        change()
        if args.peer == "ours":
            _stamp, message = waiter.wait(seen, lambda m: not m["building"])
            if not message["ok"]:
                raise RuntimeError("build failed: " + " / ".join(message["messages"]))
            generation = message["generation"]
        else:
            waiter.wait(seen, lambda m: m == "refresh")
        fetch(url + page)
        return time.perf_counter() - written

    try:
        for r in range(args.repeat):
            marker = f"并在{TERM[1]}第{r + 1}轮核查中复核"
            last = base_text[-1]
            clause.text = [*base_text[:-1], str(last)[:-1] + f"，{marker}。"]
            clause.frequency = dict(base_freq)
            took = reload_after(lambda: generate.rewrite_chapter(standard, args.src, "ours",
                                                                 chapter))
            index_row = row(fetch(url + "clause-index.html"), clause.id) or ""
            terms = fetch(url + "term-index.html")
            entry = re.search(rf'<tr id="term-index-{TERM[0]}">.*?</tr>', terms, re.S)
            fresh = {
                "chapter page": marker in plain(fetch(url + page)),
                "clause index": marker in index_row,
                "term index": bool(entry) and f'#{clause.id}"' in entry.group(0),
            }
            samples["text"].append({"seconds": took, "fresh": fresh})

            clause.text = list(clause.text)
            generate.set_frequency_min(clause, base_freq["min"] + r + 1)
            expected = generate.describe_frequency(clause.frequency)
            took = reload_after(lambda: generate.rewrite_chapter(standard, args.src, "ours",
                                                                 chapter))
            sheet = clause.checklist[0]
            fresh = {
                "clause index": expected in (row(fetch(url + "clause-index.html"), clause.id)
                                             or ""),
                "checklist page": generate.frequency_shown(clause.frequency, plain(
                    row(fetch(url + f"checklists/{sheet}.html"), clause.id) or "")),
            }
            samples["frequency"].append({"seconds": took, "fresh": fresh})
    finally:
        rss = peak_rss_mib(proc.pid)
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        clause.text, clause.frequency = base_text, base_freq
        generate.rewrite_chapter(standard, args.src, "ours", chapter)
    print(json.dumps({"peer": args.peer, "clause": clause.id, "chapter": chapter.slug,
                      "samples": samples, "server_peak_rss_mib": rss}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
