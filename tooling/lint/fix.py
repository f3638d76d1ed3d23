"""``stdkit lint --fix``: write the repairs the linter is sure of into the sources.

Only findings that carry a :attr:`~tooling.lint.checks.Finding.fix` are touched — today the
typed designations (GB406) whose target is unambiguous: "附录A" becomes
``{clause-ref}`annex-visit-ledger```. A repair is written only if the text it replaces is still
exactly at the finding's line and column (a file edited since the lint is left alone), each
file is replaced atomically (never half written), its byte order mark and line endings are
kept, and every change is returned so the command can print it.

Pure: no Sphinx.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..io import atomic
from .checks import Finding

_BOM = "\ufeff"


@dataclass(frozen=True)
class Change:
    """One repair written: where, and the text before and after."""

    source: str
    line: int
    column: int
    old: str
    new: str

    def human(self) -> str:
        return f"{self.source}:{self.line}:{self.column}: “{self.old}” → {self.new}"


def _path(source: str, bases: Sequence[Path]) -> Path | None:
    for base in bases:
        path = base / source
        if path.is_file():
            return path
    return None


def apply_fixes(findings: Iterable[Finding], bases: Sequence[Path]) -> tuple[
        list[Change], list[Finding]]:
    """Write every unambiguous repair; return (changes written, fixable findings left as they
    were because their text was no longer where the finding says)."""
    by_source: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.fix is not None:
            by_source.setdefault(finding.source, []).append(finding)
    changes: list[Change] = []
    skipped: list[Finding] = []
    for source, group in sorted(by_source.items()):
        path = _path(source, bases)
        if path is None:
            skipped.extend(group)
            continue
        text = path.read_bytes().decode("utf-8")
        bom = text.startswith(_BOM)
        lines = text.removeprefix(_BOM).splitlines(keepends=True)
        written: list[Change] = []
        # Right to left within a line, so earlier columns stay valid.
        for finding in sorted(group, key=lambda f: (f.line, f.column), reverse=True):
            assert finding.fix is not None
            old, new = finding.fix
            index, start = finding.line - 1, finding.column - 1
            if not (0 <= index < len(lines)) or lines[index][start : start + len(old)] != old:
                skipped.append(finding)
                continue
            lines[index] = lines[index][:start] + new + lines[index][start + len(old) :]
            written.append(Change(source, finding.line, finding.column, old, new))
        if written:
            mode = path.stat().st_mode & 0o7777
            atomic.write_bytes(path, ((_BOM if bom else "") + "".join(lines)).encode("utf-8"))
            path.chmod(mode)  # the author's file keeps its permissions
            changes.extend(sorted(written, key=lambda c: (c.line, c.column)))
    return changes, skipped
