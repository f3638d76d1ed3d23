"""Reproducible outputs: the same sources give byte-identical HTML, JSON, CSV and PDF."""

from __future__ import annotations

import filecmp

from tooling.cli import main

from .conftest import ROOT, STANDARD


def all_files(folder):
    return sorted(p.relative_to(folder) for p in folder.rglob("*")
                  if p.is_file() and ".doctrees" not in p.parts)


def test_two_builds_are_byte_identical(tmp_path):
    outs = []
    for name in ("first", "second"):
        out = tmp_path / name
        assert main(["build", "all", "-q", "--source", str(STANDARD), "--out", str(out),
                     "--roster", str(ROOT / "rosters" / "sample.csv")]) == 0
        outs.append(out)
    first, second = outs
    files = all_files(first)
    assert files == all_files(second)
    kinds = {p.suffix for p in files}
    assert {".html", ".json", ".csv", ".pdf"} <= kinds
    _, mismatch, errors = filecmp.cmpfiles(first, second, [str(p) for p in files], shallow=False)
    assert (mismatch, errors) == ([], [])
