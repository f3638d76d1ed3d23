"""``stdkit new``: a new standard folder that builds with -W and lints clean as it stands."""

from __future__ import annotations

from tooling.cli import main

from .conftest import ROOT, squash, strip_tags

OPTIONS = ["--class", "local", "--class-line", "山东省（聊城市）地方标准",
           "--number", "DB3715/T 100—2025", "--title", "住宅小区物业服务规范",
           "--issuer", "聊城市市场监督管理局", "--no-input"]


def test_new_folder_builds_with_w_and_lints_clean(tmp_path, capsys):
    folder = tmp_path / "wy"
    assert main(["new", str(folder), *OPTIONS]) == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "checklists.yaml", "explanation.md", "foreword.md", "index.md",
        "normative-references.md", "requirements.md", "scope.md", "standard.yaml", "terms.md"]
    out = tmp_path / "out"
    assert main(["build", "html", "-q", "-W", "--source", str(folder), "--out", str(out),
                 "--conf", str(ROOT)]) == 0
    capsys.readouterr()
    assert main(["lint", "--source", str(folder), "--out", str(out), "--conf", str(ROOT)]) == 0
    assert "未发现问题" in capsys.readouterr().out
    def page(name: str) -> str:
        return squash(strip_tags((out / "html" / f"{name}.html").read_text("utf-8")))

    assert squash("本文件规定了住宅小区物业服务的要求。") in page("scope")
    assert squash("本文件没有规范性引用文件。") in page("normative-references")
    assert "XXXX-XX-XX发布" in page("index")


def test_new_refuses_a_folder_in_use_and_missing_answers(tmp_path, capsys):
    folder = tmp_path / "wy"
    folder.mkdir()
    (folder / "mine.md").write_text("我的文件", "utf-8")
    assert main(["new", str(folder), *OPTIONS]) == 2
    assert "已存在且不是空目录" in capsys.readouterr().err
    assert main(["new", str(tmp_path / "b"), "--no-input", "--title", "某规范"]) == 2
    assert "--number、--issuer" in capsys.readouterr().err
    # A local standard without its cover class line: the build's own check, and nothing written.
    assert main(["new", str(tmp_path / "c"), "--class", "local", "--number", "DB3715/T 1—2025",
                 "--title", "某规范", "--issuer", "某局", "--no-input"]) == 1
    assert "E108" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["wy"]
