"""Publishing build outputs so that nothing is lost and nothing stale stays published.

- **One build at a time** per output folder (:func:`locked`): a second build into the same
  folder waits for the first, then runs on its result.
- **Staged, then swapped in together** (:func:`stage`, :func:`publish`): every target of a
  build is written into a copy of its folder; only when all of them succeeded are they swapped
  in, under a journal, so an interruption at any point leaves either the previous outputs or,
  on the next run, the completed swap (:func:`recover`) — never the previous edition deleted
  before the new one is in place. A target folder that is a symbolic link (to a web root) is
  written through, file by file, never replaced by a folder.
- **A manifest of what the toolkit wrote** in each target folder (:func:`read_manifest`,
  :func:`write_manifest`, :func:`prune`): what a build no longer produces (the page of a deleted
  chapter, the sheet of a steward who left the roster, a PDF under an old number) is removed;
  files the toolkit never wrote (a user's own) are never touched.
"""

from __future__ import annotations

import contextlib
import filecmp
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock, Timeout

from . import atomic

# Beside the build cache (which the lock also guards): a build that stops on bad input leaves
# no file among the outputs.
LOCK_FILE = ".doctrees/.stdkit.lock"
JOURNAL = ".stdkit-swap.json"
MANIFEST = ".stdkit-manifest.json"
_STAGING, _OLD = ".staging", ".old"


class OutputBusy(Exception):
    """Another build kept the output folder locked for longer than we were willing to wait."""


@contextlib.contextmanager
def locked(out: Path, *, wait: float, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock; the lock is an OS file lock, released if the holder dies."""
    (out / LOCK_FILE).parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(out / LOCK_FILE)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait is not None:
            on_wait()
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise OutputBusy(str(out)) from None
    try:
        yield
    finally:
        lock.release()


def _staging(final: Path) -> Path:
    return final.with_name(f".{final.name}{_STAGING}")


def _old(final: Path) -> Path:
    return final.with_name(f".{final.name}{_OLD}")


def recover(out: Path) -> None:
    """Finish a swap that an interruption cut short, then clear what unfinished builds left.
    Call with the lock held, before staging."""
    if not out.is_dir():
        return
    journal = out / JOURNAL
    if journal.is_file():
        try:
            targets = json.loads(journal.read_text("utf-8"))["targets"]
        except (ValueError, KeyError, TypeError):
            targets = []
        _swap(out, [str(t) for t in targets])
    for child in sorted(out.iterdir()):
        name = child.name
        if not name.startswith(".") or child.is_symlink():
            continue
        if name.endswith(_STAGING):  # a build that never reached its swap
            shutil.rmtree(child, ignore_errors=True)
        elif name.endswith(_OLD):
            final = out / name[1 : -len(_OLD)]
            if final.exists() or final.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:  # the only copy of the previous outputs: put it back
                child.rename(final)


def stage(out: Path, target: str) -> Path:
    """A private copy of ``out/target`` to build into (mtimes kept: builds stay incremental)."""
    final = out / target
    staging = _staging(final)
    if staging.exists():
        shutil.rmtree(staging)
    if final.is_dir():  # follows a symlinked target to its folder
        shutil.copytree(final, staging, symlinks=True, copy_function=shutil.copy2)
    else:
        staging.mkdir(parents=True)
    return staging


def discard(out: Path, targets: Iterable[str]) -> None:
    for target in targets:
        shutil.rmtree(_staging(out / target), ignore_errors=True)


def publish(out: Path, targets: list[str]) -> None:
    """Swap every staged target in, together: first the journal, then the renames."""
    atomic.write_text(out / JOURNAL, json.dumps({"targets": targets}) + "\n")
    _swap(out, targets)


def _swap(out: Path, targets: list[str]) -> None:
    """Idempotent: run again after an interruption, it completes what is left."""
    for target in targets:
        final = out / target
        staging, old = _staging(final), _old(final)
        if not staging.is_dir():
            continue  # already swapped in
        if final.is_symlink():
            _sync(staging, final.resolve())
            shutil.rmtree(staging)
            continue
        if final.exists():
            if old.exists():
                shutil.rmtree(old)
            final.rename(old)
        staging.rename(final)
    for target in targets:
        shutil.rmtree(_old(out / target), ignore_errors=True)
    (out / JOURNAL).unlink(missing_ok=True)


def _sync(source: Path, dest: Path) -> None:
    """Make ``dest`` hold exactly ``source``'s files, replacing each changed file atomically."""
    dest.mkdir(parents=True, exist_ok=True)
    wanted = {p.relative_to(source) for p in source.rglob("*") if not p.is_dir()}
    for rel in sorted(wanted):
        src, dst = source / rel, dest / rel
        if dst.is_file() and not dst.is_symlink() and filecmp.cmp(src, dst, shallow=False):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_name(f".{dst.name}.part")
        shutil.copy2(src, tmp, follow_symlinks=False)
        os.replace(tmp, dst)
    for path in sorted(dest.rglob("*"), reverse=True):
        rel = path.relative_to(dest)
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()) and not (source / rel).is_dir():
                path.rmdir()
        elif rel not in wanted:
            path.unlink()


# -- what the toolkit wrote ---------------------------------------------------------------

Stat = tuple[int, int, int]


@dataclass(frozen=True)
class Manifest:
    """What the toolkit wrote into one output folder, and which page fingerprints the HTML
    pages there were written with."""

    files: frozenset[str] = frozenset()
    pages: dict[str, str] = field(default_factory=dict)


def snapshot(folder: Path) -> dict[str, Stat]:
    """Every file's identity now, to tell afterwards which files a build wrote."""
    found: dict[str, Stat] = {}
    if not folder.is_dir():
        return found
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            st = path.stat()
            found[path.relative_to(folder).as_posix()] = (st.st_ino, st.st_mtime_ns, st.st_size)
    found.pop(MANIFEST, None)
    return found


def written_since(folder: Path, before: dict[str, Stat]) -> set[str]:
    return {name for name, stat in snapshot(folder).items() if before.get(name) != stat}


def read_manifest(folder: Path) -> Manifest:
    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
        return Manifest(frozenset(str(f) for f in data["files"]),
                        {str(k): str(v) for k, v in data.get("pages", {}).items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Manifest()


def write_manifest(folder: Path, manifest: Manifest) -> None:
    data = {"files": sorted(manifest.files), "pages": dict(sorted(manifest.pages.items()))}
    atomic.write_text(folder / MANIFEST, json.dumps(data, ensure_ascii=False, indent=0) + "\n")


def prune(folder: Path, previous: Iterable[str], current: set[str]) -> list[str]:
    """Remove what the toolkit wrote before and no longer produces; return what was removed."""
    removed = []
    root = folder.resolve()
    for name in sorted(set(previous) - current):
        path = folder / name
        try:
            inside = path.resolve().is_relative_to(root)
        except OSError:
            continue
        if inside and path.is_file():
            path.unlink()
            removed.append(name)
            parent = path.parent
            while parent != folder and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    return removed
