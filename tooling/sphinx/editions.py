"""Getting an edition's model from wherever it lives: a clause-index.json, a source folder, or
a git revision of the repository. The diff and the 前言 change list use this; each side is
built with the same Sphinx build as everything else, never parsed by hand."""

from __future__ import annotations

import hashlib
import os
import posixpath
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from ..io import safeyaml
from ..io.diagnostics import display_path
from ..model import INDEX_JSON, Edition

MAX_DEPTH = 3


def too_deep() -> bool:
    return int(os.environ.get("STDKIT_EDITION_DEPTH", "0")) >= MAX_DEPTH


class EditionNotFound(Exception):
    """The given side is neither a clause-index.json, a source folder, nor a git revision."""


def load_index(path: Path) -> Edition:
    try:
        return Edition.loads(path.read_text("utf-8-sig"))
    except UnicodeDecodeError:
        raise EditionNotFound(f"条款索引 {display_path(path)} 不是 UTF-8 文本") from None
    except OSError as err:
        raise EditionNotFound(f"无法读取条款索引 {display_path(path)}：{err.strerror}") from None
    except ValueError as err:
        raise EditionNotFound(f"条款索引 {display_path(path)} 无效：{err}") from None


def _tree_digest(folder: Path) -> str:
    """A hash of every file's path and bytes: what decides whether a cached build is stale
    (modification times do not: ``cp -p``, tar, rsync -a and unzip keep old ones)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


_TOOLKIT = Path(__file__).resolve().parent.parent


def build_index(source: Path, cache: Path, confdir: Path) -> Path:
    """Build ``source``'s clause index in a child process (a nested Sphinx run in this process
    would share docutils' global state) and return the JSON's path."""
    key = hashlib.sha256(str(source.resolve()).encode()).hexdigest()[:12]
    out = cache / key
    built = out / "index" / INDEX_JSON
    stamp = out / "sources.sha256"
    # The toolkit's own code counts too: a new numbering rule must not reuse an old index.
    digest = f"{_tree_digest(source)} {_tree_digest(_TOOLKIT)}\n"
    if built.is_file() and stamp.is_file() and stamp.read_text("utf-8") == digest:
        return built
    command = [sys.executable, "-m", "tooling.cli", "build", "index", "-q", "--source",
               str(source), "--out", str(out), "--conf", str(confdir)]
    # A previous edition may itself name a previous edition: stop after a few levels.
    depth = int(os.environ.get("STDKIT_EDITION_DEPTH", "0"))
    env = {**os.environ, "STDKIT_EDITION_DEPTH": str(depth + 1)}
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        raise EditionNotFound(f"无法构建 {source} 的条款索引：\n{result.stderr.strip()}")
    stamp.write_text(digest, "utf-8")
    return out / "index" / INDEX_JSON


def from_git(spec: str, repo: Path, cache: Path, confdir: Path) -> Edition:
    """``REV`` (the standard/ folder at that revision) or ``REV:folder``."""
    rev, _, folder = spec.partition(":")
    folder = folder or "standard"
    check = subprocess.run(["git", "-C", str(repo), "rev-parse", "--verify", "--quiet",
                            f"{rev}^{{commit}}"], capture_output=True, text=True, check=False)
    if check.returncode != 0:
        raise EditionNotFound(f"“{spec}”既不是 clause-index.json、源文件目录，也不是 git 版本")
    commit = check.stdout.strip()
    folder = posixpath.normpath(folder.strip("/"))
    target = cache / f"git-{commit[:12]}"
    # The folder and, from the same revision, the previous editions it names.
    wanted, queue = [], [folder]
    while queue and len(wanted) <= MAX_DEPTH:
        current = queue.pop(0)
        if current in wanted:
            continue
        _extract(repo, commit, current, target, rev)
        wanted.append(current)
        previous = _previous_edition(target / current)
        if previous is not None:
            queue.append(posixpath.normpath(posixpath.join(current, previous)))
    return load_index(build_index(target / folder, cache, confdir))


def _extract(repo: Path, commit: str, folder: str, target: Path, rev: str) -> None:
    if folder.startswith("..") or (target / folder / "index.md").is_file():
        return
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile() as archive:
        result = subprocess.run(["git", "-C", str(repo), "archive", commit, "--", folder],
                                stdout=archive, stderr=subprocess.PIPE, check=False)
        if result.returncode != 0:
            raise EditionNotFound(f"git 版本 {rev} 中没有目录 {folder}")
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(target, filter="data")


def _previous_edition(folder: Path) -> str | None:
    """``previous_edition`` of the standard.yaml in ``folder``, when it names a folder."""
    try:
        data = safeyaml.load((folder / "standard.yaml").read_text("utf-8-sig")).data
    except (OSError, UnicodeDecodeError, safeyaml.YamlProblem):
        return None
    value = data.get("previous_edition") if isinstance(data, dict) else None
    return value if isinstance(value, str) and not value.endswith(".json") else None


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
