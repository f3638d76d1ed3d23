"""A standard folder is self-contained: what belongs to one standard (the footer's rights
holder, its lint choices) lives in its standard.yaml, not in conf.py or pyproject.toml, and two
standards with different settings build side by side from one checkout."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

from .conftest import FIXTURES, ROOT, edit, run_build


def copy_of_mini(tmp_path: Path, name: str) -> Path:
    dest = tmp_path / name
    shutil.copytree(FIXTURES / "mini", dest)
    return dest


def footer(html: str) -> str:
    match = re.search(r"版权所有 &#169; ([^<\n]*)", html)
    assert match, "no copyright line in the footer"
    return match.group(1).strip()


def test_each_standard_prints_its_own_rights_holder(capsys, tmp_path):
    default = copy_of_mini(tmp_path, "default")
    own = copy_of_mini(tmp_path, "own")
    with (own / "standard.yaml").open("a", encoding="utf-8") as fh:
        fh.write("rights_holder: 示范市<标准化>研究院\n")
    first = run_build(capsys, default, tmp_path / "out-default")
    second = run_build(capsys, own, tmp_path / "out-own")
    assert (first.status, second.status) == (0, 0)
    assert footer(first.html("index")) == "测试标准化协会"  # the issuing body by default
    assert footer(second.html("requirements")) == "示范市&lt;标准化&gt;研究院"


def test_nothing_about_one_standard_in_the_project_configuration():
    conf = (ROOT / "conf.py").read_text("utf-8")
    for word in ("东阿", "聊城", "楼长", "copyright", "suppress_warnings"):
        assert word not in conf
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert "stdkit" not in pyproject.get("tool", {})


def test_two_standards_with_different_lint_settings_build_side_by_side(capsys, tmp_path):
    strict, lenient = copy_of_mini(tmp_path, "strict"), copy_of_mini(tmp_path, "lenient")
    for source in (strict, lenient):
        edit(source / "requirements.md", "保洁工具宜分区使用。", "保洁工具宜分区使用,并定期清洗。")
    with (lenient / "standard.yaml").open("a", encoding="utf-8") as fh:
        fh.write("lint:\n  ignore: [GB601]\n")
    assert run_build(capsys, strict, tmp_path / "a", "-W").status == 1
    assert run_build(capsys, lenient, tmp_path / "b", "-W").status == 0
