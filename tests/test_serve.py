"""`stdkit serve`: edit a clause and the open page shows it; a broken file shows the build's
message over the page, and fixing it recovers — without reloading by hand. The server gives
exactly what `stdkit build html` wrote (plus one script), only from the output folder, only
on 127.0.0.1."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tooling.serve.site import SCRIPT_PATH, contained, inject

from .conftest import FIXTURES, ROOT, edit
from .test_browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, _require_browser

_TAG = re.compile(rb'<script src="/_stdkit/live\.js" data-generation="\d+" defer></script>')


class Server:
    """A `stdkit serve` child process, its terminal output collected line by line."""

    def __init__(self, source: Path, out: Path, port: int = 0) -> None:
        self.source, self.out = source, out
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tooling.cli", "serve", "--source", str(source), "--out",
             str(out), "--conf", str(ROOT), "--port", str(port)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.lines: list[str] = []
        self.errors: list[str] = []
        self._threads = [threading.Thread(target=self._read, args=(s, b), daemon=True)
                         for s, b in ((self.proc.stdout, self.lines),
                                      (self.proc.stderr, self.errors))]
        for thread in self._threads:
            thread.start()

    @staticmethod
    def _read(stream, into: list[str]) -> None:
        for line in stream:
            into.append(line.rstrip("\n"))

    def wait_for(self, text: str, count: int = 1, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while sum(text in line for line in self.lines) < count:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"no “{text}” from stdkit serve: {self.lines} "
                                     f"{self.errors}")
            time.sleep(0.05)

    @property
    def url(self) -> str:
        self.wait_for("预览地址")
        line = next(line for line in self.lines if "预览地址" in line)
        return re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("serve")
    source = base / "mini"
    shutil.copytree(FIXTURES / "mini", source)
    server = Server(source, base / "out")
    try:
        server.wait_for("已构建")
        yield server
    finally:
        server.stop()


def test_served_pages_are_the_built_pages_plus_one_script(served):
    site = served.out / "html"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        status, body = served.get(page.relative_to(site).as_posix())
        assert status == 200
        assert len(_TAG.findall(body)) == 1, page
        assert _TAG.sub(b"", body) == page.read_bytes(), page
    status, css = served.get("_static/stdkit.css")
    assert status == 200 and css == (site / "_static" / "stdkit.css").read_bytes()


def test_nothing_outside_the_output_is_served(served):
    host, port = served.url.removeprefix("http://").rstrip("/").split(":")
    assert host == "127.0.0.1"
    for path in ("/../mini/standard.yaml", "/%2e%2e/mini/standard.yaml", "/.doctrees/",
                 "/.stdkit-manifest.json", "/_static/../../mini/index.md", "/..%2fmini/index.md"):
        with socket.create_connection((host, int(port)), timeout=10) as conn:
            conn.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            reply = b""
            while chunk := conn.recv(65536):
                reply += chunk
        assert reply.split(b"\r\n", 1)[0].split()[1] in (b"400", b"404"), path
        assert b"standard.yaml" not in reply.split(b"\r\n\r\n", 1)[1] or b"<html" in reply


def test_containment_and_injection_helpers(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.html").write_text("<html><body>x</body></html>", "utf-8")
    (tmp_path / "secret.txt").write_text("no", "utf-8")
    (tmp_path / "site" / "link.txt").symlink_to(tmp_path / "secret.txt")
    site = tmp_path / "site"
    assert contained(site, "a.html") == (site / "a.html").resolve()
    assert contained(site, "link.txt") is None  # a symbolic link out of the output
    assert contained(site, "../secret.txt") is None
    assert contained(site, ".hidden") is None
    page = inject(b"<html><BODY>x</BODY></html>", 7)
    assert page == (b'<html><BODY>x<script src="' + SCRIPT_PATH.encode()
                    + b'" data-generation="7" defer></script></BODY></html>')


def test_port_in_use_and_out_of_range(tmp_path, capsys):
    from tooling.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        status = main(["serve", "--source", str(FIXTURES / "mini"), "--out", str(tmp_path),
                       "--conf", str(ROOT), "--port", str(port)])
    err = capsys.readouterr().err
    assert status == 1
    assert f"E144 无法在 127.0.0.1:{port} 上提供预览：端口已被占用，请用 --port 指定其他端口" in err
    assert "[serve-port]" in err and "Traceback" not in err
    with pytest.raises(SystemExit):
        main(["serve", "--source", str(FIXTURES / "mini"), "--port", "70000"])
    assert "E143 选项 --port 的值无效" in capsys.readouterr().err


@pytest.fixture(scope="module")
def browser(served):
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP)
    yield context.new_page()
    context.close()


def _wait_text(page, text: str, present: bool = True, timeout: float = 30_000) -> None:
    page.wait_for_function(
        "([t, p]) => document.body && document.body.innerText.includes(t) === p",
        arg=[text, present], timeout=timeout)


def test_an_edit_on_disk_shows_on_the_open_page(served, page):
    page.goto(served.url + "requirements.html")
    _wait_text(page, "保洁员应每日至少清扫2次")
    page.evaluate("window.stdkitNotReloaded = true")
    builds = sum("已构建" in line for line in served.lines)
    edit(served.source / "requirements.md", "保洁员应每日至少清扫2次",
         "保洁员应每日至少清扫3次")
    _wait_text(page, "保洁员应每日至少清扫3次")
    assert page.evaluate("window.stdkitNotReloaded") is None  # the script reloaded it
    served.wait_for("已构建", builds + 1)
    # The derived pages are fresh too: the clause index shows the new text.
    status, index = served.get("clause-index.html")
    assert status == 200 and "保洁员应每日至少清扫3次" in index.decode("utf-8")


def test_a_yaml_error_shows_over_the_page_and_fixing_it_recovers(served, page):
    page.goto(served.url + "requirements.html")
    _wait_text(page, "服务要求")
    source = served.source / "requirements.md"
    edit(source, "frequency: {min: 2, per: day}", "frequency: {min: 2, per: day")
    overlay = page.locator("#stdkit-live-overlay")
    overlay.wait_for(state="visible", timeout=30_000)
    text = overlay.inner_text()
    assert "构建失败" in text
    assert "requirements.md:13: ERROR: E101 元数据不是有效的 YAML" in text
    assert "[stdkit.yaml-syntax]" in text and "构建已停止：1 个错误" in text
    served.wait_for("构建失败")
    # The last good output is still served, and the terminal said the same as the page.
    assert served.get("requirements.html")[0] == 200
    assert any("E101" in line for line in served.errors)
    edit(source, "frequency: {min: 2, per: day", "frequency: {min: 5, per: day}")
    overlay.wait_for(state="detached", timeout=30_000)
    _wait_text(page, "服务要求")
    assert page.locator("#stdkit-live-overlay").count() == 0
    status, index = served.get("clause-index.html")
    assert status == 200 and "每日不少于5次" in index.decode("utf-8")
