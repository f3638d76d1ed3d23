"""Image files: a figure shows an image from the standard's folder, and it must be one.

:mod:`tooling.sphinx.guard` refuses images from outside the folder (E121) and of a type a
browser runs (E133). This check runs after it, before Sphinx's image collector (which would
only warn, and publish a broken image): a local image file that does not exist is E150, one
whose bytes are not PNG, JPEG, GIF or WebP is E151, and a figure's image must be a file in
the folder, not a URL (the PDF is made offline). The refused image is taken out of the
doctree, so that no second message follows from Sphinx.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from ..io import sources
from ..io.diagnostics import diagnostic
from .env import report, source_path
from .guard import named, outside

# Leading bytes of the image formats both the HTML edition and Typst (the PDF) show.
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"),
               (b"GIF89a", "GIF"))


def image_format(path: Path) -> str | None:
    """PNG, JPEG, GIF or WebP from the file's first bytes; None for anything else."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return None
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    return None


def _line(node: nodes.Node | None) -> int | None:
    while node is not None:
        if node.line:
            return node.line
        node = node.parent
    return None


def check_images(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    for node in list(doctree.findall(nodes.image)):
        uri = node["uri"]
        in_figure = isinstance(node.parent, nodes.figure)
        what = "图的图片" if in_figure else "图片"
        scheme = sources.url_scheme(uri)
        problem: tuple[str, dict[str, str]] | None = None
        if scheme is not None:
            if in_figure and scheme in sources.IMAGE_SCHEMES:
                problem = ("E121", {"what": what, "path": uri, "problem": "是网址"})
        elif "*" in uri or sources.active_suffix(uri):
            continue  # Sphinx picks among candidates; guard checks each of them
        else:
            path = named(env, uri)
            if outside(path, env.srcdir):
                continue  # refused by the guard already (E121)
            if not path.is_file():
                problem = ("E150", {"what": what, "path": uri})
            elif image_format(path) is None:
                problem = ("E151", {"what": what, "path": uri,
                                    "detail": "文件内容不是 PNG、JPEG、GIF 或 WebP 图片"})
        if problem is not None:
            code, params = problem
            report(env, diagnostic(code, source_path(env), _line(node), **params))
            node.parent.remove(node)


def setup(app: Sphinx) -> None:
    # After the guard's doctree check (400), before Sphinx's image collector (500).
    app.connect("doctree-read", check_images, priority=450)
