"""Shared helpers: build a standard through the real CLI and read what it wrote."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from tooling.cli import main
from tooling.model import Edition

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
STANDARD = ROOT / "standard"

# Property tests draw the same examples on every run (`make test` and CI must not pass or fail
# by chance); `HYPOTHESIS_PROFILE=explore make test` searches new ones, and a failure found
# there is replayed from .hypothesis/ until it is fixed.
settings.register_profile("stdkit", derandomize=True)
settings.register_profile("explore", derandomize=False, max_examples=400)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "stdkit"))


@dataclass
class BuildResult:
    status: int
    out: Path
    stdout: str
    stderr: str

    def html(self, docname: str) -> str:
        return (self.out / "html" / f"{docname}.html").read_text("utf-8")

    def article(self, docname: str) -> str:
        """The main content of a page, without theme chrome."""
        page = self.html(docname)
        return page[page.index("<article") : page.index("</article>")]

    def edition(self) -> Edition:
        return built_edition(self.out)


def built_edition(out: Path) -> Edition:
    """The numbered edition of the build into ``out``, assembled from its saved environment
    the way the extension does in every build (the edition itself is not saved)."""
    import pickle

    from tooling.model import numbering

    (env_file,) = (out / ".doctrees").glob("*/environment.pickle")
    env = pickle.loads(env_file.read_bytes())
    edition, problems = numbering.assemble(env.stdkit_info, env.stdkit_docs, env.config.root_doc)
    assert not problems, problems
    return edition


def run_build(capsys: pytest.CaptureFixture[str], source: Path, out: Path, *extra: str,
              target: str = "html") -> BuildResult:
    capsys.readouterr()
    status = main(["build", target, "-q", "--source", str(source), "--out", str(out),
                   "--conf", str(ROOT), *extra])
    captured = capsys.readouterr()
    return BuildResult(status, out, captured.out, captured.err)


@pytest.fixture
def build(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    """build(source, *args) -> BuildResult, writing under a fresh temporary folder."""
    counter = iter(range(1000))

    def _build(source: Path, *extra: str, out: Path | None = None) -> BuildResult:
        return run_build(capsys, source, out or tmp_path / f"out{next(counter)}", *extra)

    return _build


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini fixture standard, for tests that break it."""
    dest = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", dest)
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def squash(text: str) -> str:
    """Text as a reader sees it, without the line breaks and spaces layout introduces."""
    import unicodedata

    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def strip_tags(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)
