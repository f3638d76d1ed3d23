"""Which sources changed, by content rather than by modification time.

Sphinx re-reads a document when its file (or a file it includes) is newer than the last read.
A chapter replaced by an edited copy with an older time (``cp -p``, tar, rsync -a, unzip, a
checkout of an older commit) would then keep its old text in every output. We keep a hash of
each document's bytes and of every file it depends on, and ask Sphinx to re-read any document
whose hash differs, whatever the times say.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def _digest(env: BuildEnvironment, docname: str) -> str:
    srcdir = Path(env.srcdir)
    digest = hashlib.sha256()
    paths = [Path(env.doc2path(docname))]
    paths += [srcdir / dep for dep in sorted(str(d) for d in env.dependencies.get(docname, ()))]
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0missing")
    return digest.hexdigest()


def _hashes(env: BuildEnvironment) -> dict[str, str]:
    if not hasattr(env, "stdkit_source_hashes"):
        env.stdkit_source_hashes = {}
    return env.stdkit_source_hashes


def on_doctree_read(app: Sphinx, _doctree: object) -> None:
    env = app.env
    _hashes(env)[env.docname] = _digest(env, env.docname)


def on_purge_doc(_app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _hashes(env).pop(docname, None)


def on_merge_info(_app: Sphinx, env: BuildEnvironment, docnames: set[str],
                  other: BuildEnvironment) -> None:
    theirs = getattr(other, "stdkit_source_hashes", {})
    _hashes(env).update({d: theirs[d] for d in docnames if d in theirs})


def on_env_get_outdated(_app: Sphinx, env: BuildEnvironment, added: set[str],
                        changed: set[str], _removed: set[str]) -> list[str]:
    known = _hashes(env)
    return sorted(d for d in env.found_docs - added - changed
                  if d in known and known[d] != _digest(env, d))


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", on_doctree_read)
    app.connect("env-purge-doc", on_purge_doc)
    app.connect("env-merge-info", on_merge_info)
    app.connect("env-get-outdated", on_env_get_outdated)
