"""The preview's web application: the built HTML edition, a reload script, and its events.

A standard folder is data, and so is what was built from it: only regular files inside the
output folder are served (after following symbolic links, never a name that starts with a
dot), and every HTML page exactly as ``stdkit build html`` wrote it, with one ``<script>``
element added before ``</body>``. The script listens to ``/_stdkit/events`` (server-sent
events: the browser reconnects by itself, and no WebSocket library is needed) and reloads
the page when a newer build is published, or shows the build's error messages over it.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

LIVE_JS = (Path(__file__).parent / "live.js").read_text("utf-8")
SCRIPT_PATH = "/_stdkit/live.js"
EVENTS_PATH = "/_stdkit/events"
# Pages change under the same address at every build: the browser must always ask again.
NO_STORE = {"Cache-Control": "no-store"}
KEEPALIVE = 15.0  # seconds between comments on an idle event stream


@dataclass(frozen=True)
class State:
    """What the pages are told: ``generation`` counts published builds (a page written by an
    older one reloads); ``ok`` is false while the latest build failed, with its messages."""

    generation: int = 0
    ok: bool = True
    building: bool = False
    messages: tuple[str, ...] = ()
    took: float | None = None

    def event(self) -> str:
        return f"data: {json.dumps(asdict(self), ensure_ascii=False)}\n\n"


@dataclass
class Hub:
    """The state shared by the build loop (a thread) and the server's event loop."""

    state: State = field(default_factory=State)
    loop: asyncio.AbstractEventLoop | None = None
    clients: set[asyncio.Queue[State | None]] = field(default_factory=set)
    idle: asyncio.Event | None = None

    def publish(self, state: State) -> None:
        """Called from the build thread: hand the new state to every open page."""
        self.state = state
        loop = self.loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop stopped meanwhile
                loop.call_soon_threadsafe(self._fanout, state)

    def close(self) -> None:
        """End every event stream (the server is stopping)."""
        loop = self.loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._fanout, None)

    def _fanout(self, state: State | None) -> None:
        if self.idle is not None:
            if state is None or not state.building:
                self.idle.set()
            else:
                self.idle.clear()
        for queue in list(self.clients):
            queue.put_nowait(state)

    async def started(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.idle = asyncio.Event()
        if not self.state.building:
            self.idle.set()

    async def wait_idle(self, timeout: float) -> None:
        if self.idle is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.idle.wait(), timeout)


def inject(page: bytes, generation: int) -> bytes:
    """The page with the preview's script before its last ``</body>`` (or at its end)."""
    tag = (f'<script src="{SCRIPT_PATH}" data-generation="{generation}" defer></script>'
           ).encode()
    at = page.lower().rfind(b"</body>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


def contained(root: Path, url_path: str) -> Path | None:
    """The regular file ``url_path`` names inside ``root``, or None: no dot-names (``..``,
    ``.doctrees``, ``.stdkit-manifest.json``), nothing a symbolic link leads out to."""
    parts = [part for part in url_path.split("/") if part]
    if any(part.startswith(".") or "\\" in part or "\0" in part for part in parts):
        return None
    try:
        base = root.resolve(strict=True)
        candidate = root.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if candidate != base and base not in candidate.parents:
        return None
    return candidate


def placeholder(state: State) -> bytes:
    """The page shown where the output has no such page (yet): the overlay says why."""
    reason = ("还没有成功构建的网页版：请按终端或下方的提示修改源文件，保存后会自动重新构建。"
              if not state.ok else "没有这个页面。")
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            "<title>预览 — stdkit</title></head><body>"
            f"<p>{html.escape(reason)}</p></body></html>").encode()


def create_app(site: Callable[[], Path], hub: Hub) -> Starlette:
    """The application serving ``site()`` (looked up per request: a build swaps the folder)."""

    async def live_js(_request: Request) -> Response:
        return Response(LIVE_JS, media_type="text/javascript; charset=utf-8", headers=NO_STORE)

    async def events(request: Request) -> Response:
        queue: asyncio.Queue[State | None] = asyncio.Queue()
        hub.clients.add(queue)

        async def stream() -> AsyncIterator[str]:
            try:
                yield "retry: 500\n\n" + hub.state.event()
                while True:
                    try:
                        state = await asyncio.wait_for(queue.get(), KEEPALIVE)
                    except TimeoutError:
                        yield ": keep-alive\n\n"
                        continue
                    if state is None:
                        return
                    yield state.event()
            finally:
                hub.clients.discard(queue)

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={**NO_STORE, "X-Accel-Buffering": "no"})

    async def page(request: Request) -> Response:
        url_path = request.path_params.get("path", "")
        if url_path == "" or url_path.endswith("/"):
            url_path += "index.html"
        found = contained(site(), url_path)
        if found is None and hub.state.building:
            # A build is swapping the output in: answer from the folder it leaves.
            await hub.wait_idle(timeout=30)
            found = contained(site(), url_path)
        if found is not None and found.is_dir():
            if (found / "index.html").is_file():
                return RedirectResponse(request.url.path + "/", status_code=307)
            found = None
        if found is None or not found.is_file():
            body = inject(placeholder(hub.state), hub.state.generation)
            return Response(body, status_code=404, media_type="text/html; charset=utf-8",
                            headers=NO_STORE)
        if found.suffix.lower() in (".html", ".htm"):
            try:
                data = found.read_bytes()
            except OSError:
                return Response(status_code=404)
            return Response(inject(data, hub.state.generation),
                            media_type="text/html; charset=utf-8", headers=NO_STORE)
        return FileResponse(found, headers={"Cache-Control": "no-cache"})

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await hub.started()
        yield

    return Starlette(
        routes=[
            Route(SCRIPT_PATH, live_js),
            Route(EVENTS_PATH, events),
            Route("/{path:path}", page, methods=["GET", "HEAD"]),
        ],
        lifespan=lifespan,
    )
