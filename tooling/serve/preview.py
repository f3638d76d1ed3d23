"""The preview loop: build, serve, watch, rebuild, tell the open pages.

Why starlette and uvicorn with watchfiles, and not sphinx-autobuild (which is built on the
same three): sphinx-autobuild starts a new ``sphinx-build`` process for every change, so
every edit pays Python's start-up, the imports, jieba's dictionary and the environment
unpickling again (measured in ``benchmarks/RESULTS.md``: edit-to-reload); it serves the
output folder while Sphinx writes into it; and a failed build is only a line in its terminal.
Here one warm process builds through the same command as ``stdkit build html`` (the output
lock, the staged output swapped in whole, the manifest), so the output being served is
always a complete build, a failure is shown on the page, and the previous output stays.

Builds run in the main thread (Sphinx expects it: signals, global docutils settings), the
server in a thread of its own, the watcher in another.
"""

from __future__ import annotations

import contextlib
import gc
import io
import queue
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import uvicorn
import watchfiles

from ..io.diagnostics import Diagnostic, diagnostic
from .site import Hub, State, create_app

HOST = "127.0.0.1"  # never another interface: a preview is for the person at this machine
EXIT_INTERRUPTED = 130
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class ServeProblem(Exception):
    """The preview cannot start (the port); carries the one message to print."""

    def __init__(self, diag: Diagnostic) -> None:
        super().__init__(str(diag))
        self.diagnostic = diag


@dataclass(frozen=True)
class BuildOutcome:
    status: int
    messages: tuple[str, ...]
    took: float


class _Tee(io.TextIOBase):
    """Everything the build prints on stderr: to the terminal as usual, and kept for the page."""

    def __init__(self, terminal: TextIO) -> None:
        self.terminal = terminal
        self.kept = io.StringIO()

    def write(self, text: str) -> int:
        self.kept.write(text)
        return self.terminal.write(text)

    def flush(self) -> None:
        self.terminal.flush()

    def isatty(self) -> bool:  # Sphinx colours its messages only on a terminal
        return self.terminal.isatty()


def _messages(text: str) -> tuple[str, ...]:
    return tuple(line for line in (_ANSI.sub("", raw).rstrip() for raw in text.splitlines())
                 if line)


class Preview:
    """Runs builds and publishes their outcome to the pages through ``hub``."""

    def __init__(self, build: Callable[[], int], hub: Hub, say: Callable[[str], None],
                 after: Callable[[], object] | None = None) -> None:
        self.build = build
        self.hub = hub
        self.say = say
        self.after = after

    def rebuild(self) -> BuildOutcome:
        self.hub.publish(State(self.hub.state.generation, self.hub.state.ok, True,
                               self.hub.state.messages))
        tee = _Tee(sys.stderr)
        start = time.perf_counter()
        with contextlib.redirect_stderr(tee):
            status = self.build()
        took = time.perf_counter() - start
        if status == EXIT_INTERRUPTED:
            raise KeyboardInterrupt
        messages = _messages(tee.kept.getvalue())
        previous = self.hub.state
        if status == 0:
            self.hub.publish(State(previous.generation + 1, True, False, (), took))
            self.say(f"已构建（{took:.2f} 秒），打开的页面已刷新")
            if self.after is not None:
                # The page's own request first (it reloads on the message just sent), then
                # what may wait until the page is shown: the drafting check's findings.
                time.sleep(AFTER_DELAY)
                self.after()
        else:
            shown = messages or (f"构建失败（退出状态 {status}）",)
            self.hub.publish(State(previous.generation, False, False, shown, took))
            self.say("构建失败：提示已显示在页面上；仍提供上一次成功构建的网页版")
        return BuildOutcome(status, messages, took)


# Seconds between the reload message and the work done after a build (``after``): the reloading
# page fetches the new page first, without waiting for the interpreter.
AFTER_DELAY = 0.3

# Seconds after a build (and what runs after it) before the collector runs: it holds the
# interpreter while it walks the heap (≈ 0.3 s at 5,000 clauses), and the pages must first
# get their reload message and fetch the new page from the server thread — but it must be
# done before the next edit (people save again within seconds).
SETTLE_AFTER = 0.5


def settle_memory() -> None:
    """Between builds, while the reader reads: free the previous build, then exempt what
    stays (modules, jieba's dictionary, caches) from the collector's later passes. Without
    it, every collection during the next build walks them all again: at 5,000 clauses the
    collector took half of a rebuild."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def bind(port: int) -> socket.socket:
    """The listening socket on 127.0.0.1, or :class:`ServeProblem` saying why not."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen(128)
    except OSError as err:
        sock.close()
        reason = ("端口已被占用，请用 --port 指定其他端口" if err.errno == 98
                  else err.strerror or str(err))
        raise ServeProblem(diagnostic("E144", f"{HOST}:{port}", None, port=port,
                                      detail=reason)) from None
    return sock


def _watch(folder: Path, ignore: Sequence[Path], into: queue.Queue[set[str]],
           stop: threading.Event) -> None:
    flt = watchfiles.DefaultFilter(ignore_paths=[str(p) for p in ignore])
    try:
        for changes in watchfiles.watch(folder, watch_filter=flt, step=50, stop_event=stop,
                                        raise_interrupt=False, rust_timeout=1000):
            into.put({path for _change, path in changes})
    except (OSError, RuntimeError) as err:  # the folder went away: say so, keep serving
        into.put({f"\0{err}"})


def _names(paths: Iterable[str], folder: Path) -> str:
    shown = []
    for path in sorted(paths):
        try:
            shown.append(Path(path).relative_to(folder).as_posix())
        except ValueError:
            shown.append(path)
    return "、".join(shown[:5]) + ("……" if len(shown) > 5 else "")


def serve(*, source: Path, site: Path, build: Callable[[], int], port: int,
          ignore: Sequence[Path] = (), stdout: TextIO | None = None,
          after: Callable[[], object] | None = None) -> int:
    """Serve ``site`` (the HTML output folder) and rebuild with ``build`` whenever ``source``
    changes, until interrupted; ``after`` runs after each good build, once the page was told
    to reload. Returns the exit status."""
    out = stdout or sys.stdout

    def say(text: str) -> None:
        print(text, file=out, flush=True)

    sock = bind(port)
    hub = Hub(State(building=True))
    app = create_app(lambda: site, hub)
    server = uvicorn.Server(uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="on", timeout_graceful_shutdown=1,
    ))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name="stdkit-serve")
    thread.start()
    changes: queue.Queue[set[str]] = queue.Queue()
    stop = threading.Event()
    folder = source.resolve()
    watcher = threading.Thread(target=_watch, args=(folder, [p.resolve() for p in ignore],
                                                    changes, stop),
                               daemon=True, name="stdkit-watch")
    watcher.start()
    preview = Preview(build, hub, say, after)
    try:
        deadline = time.monotonic() + 10
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        url = f"http://{HOST}:{sock.getsockname()[1]}/"
        say(f"预览地址：{url}（按 Ctrl+C 停止）")
        say(f"正在构建 {source}……")
        preview.rebuild()
        settle_at: float | None = time.monotonic() + SETTLE_AFTER
        say(f"正在监视 {source} 中的修改")
        while True:
            try:
                changed = changes.get(timeout=0.25)
            except queue.Empty:
                if settle_at is not None and time.monotonic() >= settle_at:
                    settle_memory()
                    settle_at = None
                continue
            with contextlib.suppress(queue.Empty):  # one build for everything saved at once
                while True:
                    changed |= changes.get_nowait()
            lost = [p for p in changed if p.startswith("\0")]
            if lost:
                say(f"无法继续监视 {source}：{lost[0][1:]}；预览仍在运行，重新启动 stdkit serve "
                    "后恢复监视")
                continue
            # An editor's or sed's temporary file that is gone again changes nothing.
            changed = {p for p in changed if Path(p).exists() or Path(p).suffix}
            if not changed:
                continue
            say(f"检测到修改：{_names(changed, folder)}，正在重新构建……")
            preview.rebuild()
            settle_at = time.monotonic() + SETTLE_AFTER
    except KeyboardInterrupt:
        say("预览已停止")
        return 0
    finally:
        stop.set()
        hub.close()
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()
