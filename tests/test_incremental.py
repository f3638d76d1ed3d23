"""Incremental builds give exactly what a clean build gives, after every kind of edit; a
parallel build gives what a serial one gives."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from tooling.cli import main

from .conftest import FIXTURES, ROOT, edit

TARGETS = ("html", "index", "checklists")


def build(source: Path, out: Path, *extra: str) -> None:
    for target in TARGETS:
        assert main(["build", target, "-q", "--source", str(source), "--out", str(out),
                     "--conf", str(ROOT), *extra]) == 0, target


def files(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*")
                  if p.is_file() and ".doctrees" not in p.parts and "typst" not in p.parts)


def assert_same(incremental: Path, clean: Path) -> None:
    names = files(clean)
    assert files(incremental) == names
    _, mismatch, errors = filecmp.cmpfiles(incremental, clean, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def move_clause(source: Path) -> None:
    block = ":::{clause}\n---\nid: chem-storage\nkind: requirement\nrole: 保洁员\n---\n清洁剂应单独存放。\n:::\n"
    edit(source / "annexes.md", block, ":::{clause}\n---\nid: chem-labels\nkind: requirement\n"
         "role: 保洁员\n---\n清洁剂应有标签。\n:::\n")
    edit(source / "requirements.md", "(req-detail)=", block + "\n(req-detail)=")


EDITS = {
    "clause-text": lambda s: edit(s / "requirements.md", "保洁工具宜分区使用。", "保洁工具宜按区域分色使用。"),
    "metadata-frequency": lambda s: edit(s / "requirements.md", "frequency: {min: 2, per: day}",
                                         "frequency: {min: 3, per: week}"),
    "metadata-role": lambda s: edit(s / "requirements.md", ":role: 保洁员\n保洁工具", ":role: 保洁主管\n保洁工具"),
    "heading-title": lambda s: edit(s / "requirements.md", "## 一般要求", "## 通用要求"),
    "add-clause": lambda s: edit(s / "requirements.md", "(req-detail)=",
                                 ":::{clause}\n:id: req-new\n:kind: requirement\n:role: 保洁员\n"
                                 "保洁员应每周清洗工具。\n:::\n\n(req-detail)="),
    "delete-clause": lambda s: edit(s / "annexes.md", ":::{clause}\n---\nid: chem-storage\nkind: requirement\n"
                                    "role: 保洁员\n---\n清洁剂应单独存放。\n:::\n", ""),
    "rename-id": lambda s: (edit(s / "requirements.md", "id: req-daily-clean", "id: req-clean-daily"),),
    "move-clause-to-another-file": move_clause,
    # Every page's frame: the stage banner, and the checklists in the sidebar and downloads.
    "stage": lambda s: edit(s / "standard.yaml", "stage: 征求意见稿", "stage: 送审稿"),
    "checklist-renamed": lambda s: edit(s / "checklists.yaml", "name: 保洁日检查表", "name: 保洁周检查表"),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_incremental_build_equals_clean_build(tmp_path, name):
    source = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", source)
    incremental = tmp_path / "incremental"
    build(source, incremental)
    EDITS[name](source)
    build(source, incremental)
    clean = tmp_path / "clean"
    build(source, clean)
    assert_same(incremental, clean)


def test_parallel_build_equals_serial_build(tmp_path):
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    build(ROOT / "standard", serial)
    build(ROOT / "standard", parallel, "-j", "2")
    assert_same(parallel, serial)
