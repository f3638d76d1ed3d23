"""What a build wrote into its output folder, recorded there (:mod:`tooling.io.outputs`).

The record belongs to the output folder, not to the build environment that every builder
shares: whatever ran before (another builder, a failed or killed build), the HTML builder
rewrites each page whose fingerprint differs from the one it was last written with, and every
builder removes what it wrote before and no longer produces.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from ..io import outputs

HTML_BUILDERS = ("html", "dirhtml")
# Written by Sphinx's HTML builder on every build, whether or not a page changed.
_HTML_FIXED = ("searchindex.js", "objects.inv", ".buildinfo")


def on_builder_inited(app: Sphinx) -> None:
    outdir = Path(app.outdir)
    app.builder.stdkit_before = outputs.snapshot(outdir)  # type: ignore[attr-defined]
    app.builder.stdkit_record = outputs.read_manifest(outdir)  # type: ignore[attr-defined]


def stale_pages(app: Sphinx, fingerprints: dict[str, str]) -> list[str]:
    """Pages whose fingerprint differs from the one this output folder's page was written with."""
    if app.builder.name not in HTML_BUILDERS:
        return []
    record: outputs.Manifest = getattr(app.builder, "stdkit_record", outputs.Manifest())
    return sorted(d for d, fp in fingerprints.items() if record.pages.get(d) != fp)


def _html_products(app: Sphinx) -> set[str]:
    """Files the HTML edition consists of now, written this time or not."""
    env, builder, outdir = app.env, app.builder, Path(app.outdir)
    products = set(_HTML_FIXED)
    for docname in env.found_docs:
        products.add(Path(builder.get_outfilename(docname)).relative_to(outdir).as_posix())
    for _docs, unique in env.images.values():
        products.add(f"{builder.imagedir}/{unique}")
    for _docs, dest in env.dlfiles.values():
        products.add(f"_downloads/{dest}")
    static = outdir / "_static"
    if static.is_dir():
        products.update(p.relative_to(outdir).as_posix() for p in static.rglob("*") if p.is_file())
    return products


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or not hasattr(app.builder, "stdkit_before"):
        return
    outdir = Path(app.outdir)
    current = outputs.written_since(outdir, app.builder.stdkit_before)
    pages: dict[str, str] = {}
    if app.builder.name in HTML_BUILDERS:
        current |= _html_products(app)
        pages = dict(getattr(app.env, "stdkit_fingerprints", {}))
    current = {name for name in current if (outdir / name).is_file()}
    outputs.prune(outdir, app.builder.stdkit_record.files, current)
    outputs.write_manifest(outdir, outputs.Manifest(frozenset(current), pages))
