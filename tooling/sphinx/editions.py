"""Getting an edition's model from wherever it lives: a clause-index.json, a source folder, or
a git revision of the repository. The diff and the 前言 change list use this; each side is
built with the same Sphinx build as everything else, never parsed by hand."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from ..model import INDEX_JSON, Edition

MAX_DEPTH = 3


def too_deep() -> bool:
    return int(os.environ.get("STDKIT_EDITION_DEPTH", "0")) >= MAX_DEPTH


class EditionNotFound(Exception):
    """The given side is neither a clause-index.json, a source folder, nor a git revision."""


def load_index(path: Path) -> Edition:
    try:
        return Edition.loads(path.read_text("utf-8-sig"))
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise EditionNotFound(f"无法读取条款索引 {path}：{err}") from None


def build_index(source: Path, cache: Path, confdir: Path) -> Path:
    """Build ``source``'s clause index in a child process (a nested Sphinx run in this process
    would share docutils' global state) and return the JSON's path."""
    key = hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:12]
    out = cache / key
    built = out / "index" / INDEX_JSON
    if built.is_file() and _newer_than_sources(built, source):
        return built
    command = [sys.executable, "-m", "tooling.cli", "build", "index", "-q", "--source",
               str(source), "--out", str(out), "--conf", str(confdir)]
    # A previous edition may itself name a previous edition: stop after a few levels.
    depth = int(os.environ.get("STDKIT_EDITION_DEPTH", "0"))
    env = {**os.environ, "STDKIT_EDITION_DEPTH": str(depth + 1)}
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        raise EditionNotFound(f"无法构建 {source} 的条款索引：\n{result.stderr.strip()}")
    return out / "index" / INDEX_JSON


def _newer_than_sources(built: Path, source: Path) -> bool:
    stamp = built.stat().st_mtime
    return all(p.stat().st_mtime < stamp for p in source.rglob("*") if p.is_file())


def from_git(spec: str, repo: Path, cache: Path, confdir: Path) -> Edition:
    """``REV`` (the standard/ folder at that revision) or ``REV:folder``."""
    rev, _, folder = spec.partition(":")
    folder = folder or "standard"
    check = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet",
                            f"{rev}^{{commit}}"], capture_output=True, text=True, check=False)
    if check.returncode != 0:
        raise EditionNotFound(f"“{spec}”既不是 clause-index.json、源文件目录，也不是 git 版本")
    commit = check.stdout.strip()
    target = cache / f"git-{commit[:12]}-{folder.replace('/', '_')}"
    if not (target / folder / "index.md").is_file():
        target.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile() as archive:
            result = subprocess.run(["git", "-C", str(repo), "archive", commit, "--", folder],
                                    stdout=archive, stderr=subprocess.PIPE, check=False)
            if result.returncode != 0:
                raise EditionNotFound(f"git 版本 {rev} 中没有目录 {folder}")
            archive.seek(0)
            with tarfile.open(fileobj=archive) as tar:
                tar.extractall(target, filter="data")
    return load_index(build_index(target / folder, cache, confdir))


def resolve_edition(spec: str, *, cache: Path, confdir: Path, repo: Path | None = None) -> Edition:
    """One side of a diff: a clause-index.json, a source folder, or a git revision."""
    path = Path(spec)
    if path.is_file() and path.suffix == ".json":
        return load_index(path)
    if path.is_dir() and (path / "index.md").is_file():
        return load_index(build_index(path, cache, confdir))
    if path.is_dir() and (path / INDEX_JSON).is_file():
        return load_index(path / INDEX_JSON)
    return from_git(spec, repo or confdir, cache, confdir)
