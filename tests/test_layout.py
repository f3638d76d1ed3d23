"""The package shows the architecture: the pure model apart from the Sphinx shell, output packages
that read the model and not each other, and a README code map that matches the tree."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLING = ROOT / "tooling"
PACKAGES = sorted(p.name for p in TOOLING.iterdir() if (p / "__init__.py").is_file())
SHARED = {"model", "io", "sphinx", "typeset", "word"}
OUTPUTS = {"pdf", "index", "checklists", "diff", "lint", "docx"}
# Tools around the builds: the preview server gets its build from the CLI, so it needs no
# Sphinx and no output package.
TOOLS = {"serve"}
TOOLS |= {"importer"}  # stdkit import: Word files into standard folders (issue 22)
# The drafting process around the text: comments keyed to clauses, checked against the diff;
# stages, the 编制说明 and the 报批 package (approval builds through the CLI's own main).
PROCESS = {"comments", "approval"}
# What each package may import from the rest of tooling/ (itself always allowed).
ALLOWED = {
    "io": set(),
    "model": {"io"},
    "typeset": {"io"},  # batch.py writes its PDFs atomically
    "word": set(),
    "sphinx": {"model", "io"},
    **{name: SHARED for name in OUTPUTS},
    "serve": {"io"},
    "comments": SHARED | {"diff"},
}
ALLOWED["importer"] = {"model", "io", "sphinx", "word"}  # builds the imported folder to verify
ALLOWED["approval"] = SHARED | {"diff", "comments"}


def tooling_imports(path: Path) -> set[str]:
    """The top-level tooling packages a module imports (relative or absolute)."""
    package = path.parent.relative_to(TOOLING).parts
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(package[: len(package) - node.level + 1])
                parts = base + (node.module.split(".") if node.module else [])
                names = [parts] if parts else [[alias.name] for alias in node.names]
            elif node.module and node.module.split(".")[0] == "tooling":
                names = [node.module.split(".")[1:]]
            else:
                continue
            found.update(n[0] for n in names if n)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names
                         if a.name.startswith("tooling."))
    return found


def test_pure_packages_import_neither_sphinx_nor_docutils():
    code = (
        "import sys\n"
        "import tooling.model, tooling.model.numbering, tooling.model.clause_metadata\n"
        "import tooling.model.edition_metadata, tooling.model.checklist_specs\n"
        "import tooling.model.modal, tooling.model.foreword, tooling.model.ids\n"
        "import tooling.io, tooling.io.sources, tooling.io.safeyaml, tooling.io.atomic\n"
        "import tooling.io.chars\n"
        "import tooling.diff, tooling.diff.match, tooling.diff.records, tooling.diff.wording\n"
        "import tooling.diff.reports, tooling.lint, tooling.index, tooling.checklists\n"
        "import tooling.typeset, tooling.word, tooling.diff.wordfiles, tooling.serve\n"
        "import tooling.comments, tooling.comments.store\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sphinx', 'docutils'))\n"
        "print(' '.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    assert result.stdout.strip() == ""


def test_packages_depend_only_on_what_the_architecture_allows():
    assert set(PACKAGES) == SHARED | OUTPUTS | TOOLS | PROCESS
    wrong = []
    for package in PACKAGES:
        for module in sorted((TOOLING / package).rglob("*.py")):
            for used in tooling_imports(module) - {package}:
                if used not in ALLOWED[package]:
                    wrong.append(f"{module.relative_to(ROOT)} imports tooling.{used}")
    assert wrong == []


def test_no_module_keeps_its_old_prefix():
    prefixed = [str(p.relative_to(ROOT)) for p in TOOLING.rglob("*.py")
                if p.parent != TOOLING and p.stem.startswith(f"{p.parent.name.rstrip('s')}_")]
    assert prefixed == []


def test_every_package_says_what_it_is_for():
    for package in PACKAGES:
        doc = ast.get_docstring(ast.parse((TOOLING / package / "__init__.py").read_text("utf-8")))
        assert doc and len(doc) > 80, package


def test_readme_code_map_matches_the_tree():
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme[readme.index("## Code map"):]
    block = section[section.index("```") + 3:]
    block = block[: block.index("```")]
    listed = set(re.findall(r"^  ([a-z_]+)/", block, re.M))
    modules = set(re.findall(r"^  ([a-z_]+\.py)", block, re.M))
    on_disk = {p.name for p in TOOLING.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert listed == on_disk
    assert modules == {p.name for p in TOOLING.glob("*.py") if p.name != "__init__.py"}
