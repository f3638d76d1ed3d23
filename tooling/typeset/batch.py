"""Typesetting many small documents into PDFs, and binding them into print files (the
checklists of a roster).

No Sphinx and no model here: the documents are typeset by worker processes, and a worker
imports only this module (and Typst and pypdf) — not the build that wrote the sources.

- :class:`Sheets` compiles Typst sources one document at a time (memory flat in the number of
  documents: a roster-wide Typst document took ~25 MB a person).
- :func:`typeset` writes the blank checklists and, for a :class:`Roster`, each person's PDF and
  the bound print files (:func:`batch_names`), a batch of :data:`BATCH` people at a time.
  Batches are independent, so the files are the same bytes whichever process wrote them.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..io import atomic

BATCH = 100  # people per bound print file
# Documents a worker process typesets before it is replaced. Measured on a 2-core machine
# (1,000 stewards): chunks of 100 took 74 s and 1.16 GiB at the peak, chunks of 25 88 s and
# 1.03 GiB — a fresh process pays for its imports and an empty layout cache.
CHUNK = BATCH
Document = tuple[str, str, str]  # file name under out/, outline label, Typst source


class TypesetError(Exception):
    """Typst could not lay a document out; the message says why (in Chinese)."""


@dataclass(frozen=True)
class Sheets:
    """Where and how documents are compiled: the template's file name and text (the
    documents import it), the font folders, the output folder. Picklable: a worker process
    receives it."""

    template_name: str
    template: str
    font_paths: Sequence[str]
    out: Path

    def compile_all(self, documents: Iterable[tuple[str, str]]) -> int:
        with self.compiler() as compile_to:
            return sum(1 for name, source in documents if compile_to(name, source))

    @contextlib.contextmanager
    def compiler(self) -> Iterator[Callable[[str, str], Path]]:
        """``compile_to(name, source)``: writes ``out/name``. The Typst sources hold personal
        details: they live in a temporary folder, never in the published output."""
        import typst

        with tempfile.TemporaryDirectory(prefix="stdkit-checklists-") as tmp:
            work = Path(tmp)
            atomic.write_text(work / self.template_name, self.template)
            compiler = typst.Compiler(root=str(work), font_paths=list(self.font_paths))

            def compile_to(name: str, source: str) -> Path:
                main = work / "main.typ"
                main.write_text(source, "utf-8")
                try:
                    data = compiler.compile(input=str(main), format="pdf")
                except typst.TypstError as err:
                    raise TypesetError(f"检查表排版失败（Typst）：{err.message}\n{err.diagnostic}"
                                       ) from None
                atomic.write_bytes(self.out / name, data)
                return self.out / name

            yield compile_to


@dataclass(frozen=True)
class Roster:
    """The personal documents: ``personal(position)`` (from 1) gives a person's file name,
    outline label and Typst source; called in this process only."""

    total: int
    title: str  # of the bound print files
    personal: Callable[[int], Document]


def roster_workers() -> int:
    """Processes that typeset a roster: Typst compiles one document on about one core, and a
    roster of 1,000 stewards is 1,000 documents, so every core this process may use gets a
    share of the print batches."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def batch_names(total: int, size: int = BATCH) -> list[str]:
    """The bound print files of a roster of ``total`` people, in order: ``all.pdf``, or, for
    a roster longer than a batch, ``all-0001-0100.pdf``, ``all-0101-0200.pdf`` …"""
    if total <= size:
        return ["all.pdf"] if total else []
    return [f"all-{first:04d}-{min(first + size - 1, total):04d}.pdf"
            for first in range(1, total + 1, size)]


def typeset(sheets: Sheets, blank: list[tuple[str, str]], roster: Roster | None, *,
            workers: int = 1, size: int = BATCH) -> int:
    """The blank documents, then the roster's documents and print files; returns the number
    of files written.

    With ``workers`` > 1 and more than one batch, worker processes typeset every document,
    :data:`CHUNK` at a time, each chunk in a fresh process: started with "spawn" (forking a
    process in which Typst has run copies its thread pool's locks but not its threads, and the
    child hangs), and replaced after each chunk, because Typst's layout cache grows with every
    document it lays out and is only freed with its process. This process writes the Typst
    sources (≈ 5 ms a person), keeps at most two chunks a worker in flight, and binds each
    batch once its chunks are done: memory stays flat in the length of the roster."""
    names = batch_names(roster.total, size) if roster else []
    title = roster.title if roster else ""

    def span(index: int) -> range:
        assert roster is not None
        return range(index * size + 1, min((index + 1) * size, roster.total) + 1)

    if workers <= 1 or len(names) <= 1:
        count = sheets.compile_all(blank)
        for index, name in enumerate(names):
            batch = [roster.personal(p) for p in span(index)]  # type: ignore[union-attr]
            count += sheets.compile_all((file, source) for file, _label, source in batch)
            count += bind(sheets.out, [(file, label) for file, label, _s in batch],
                          sheets.out / "roster" / name, title)
        return count
    assert roster is not None
    context = multiprocessing.get_context("spawn")
    count = 0
    labels: dict[int, list[tuple[str, str]]] = {}  # batch -> its files and outline labels
    left: dict[int, int] = {}  # batch -> chunks not done yet
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_one_thread,
                             max_tasks_per_child=1) as pool:
        pending: deque[tuple[int | None, Future[int]]] = deque(
            [(None, pool.submit(sheets.compile_all, blank))])

        def finish_one() -> None:
            nonlocal count
            index, future = pending.popleft()
            count += future.result()
            if index is not None:
                left[index] -= 1
                if not left[index]:
                    count += bind(sheets.out, labels.pop(index),
                                  sheets.out / "roster" / names[index], title)

        for index in range(len(names)):
            positions = span(index)
            chunks = [positions[k:k + CHUNK] for k in range(0, len(positions), CHUNK)]
            labels[index], left[index] = [], len(chunks)
            for chunk in chunks:
                documents = [roster.personal(p) for p in chunk]
                labels[index] += [(file, label) for file, label, _s in documents]
                pending.append((index, pool.submit(
                    sheets.compile_all, [(file, source) for file, _l, source in documents])))
                while len(pending) >= 2 * workers:
                    finish_one()
        while pending:
            finish_one()
    return count


def _one_thread() -> None:
    """A worker lays out on one thread: the workers already use every core, and Typst's
    thread pools in several processes would compete for them."""
    os.environ.setdefault("RAYON_NUM_THREADS", "1")


def bind(out: Path, documents: list[tuple[str, str]], target: Path, title: str) -> int:
    """One print file: the PDFs ``out/file`` in order, an outline entry ``label`` each
    (pypdf). Returns 1, the file written."""
    import pypdf

    writer = pypdf.PdfWriter()
    for file, label in documents:
        writer.append(str(out / file), outline_item=label)
    writer.add_metadata({"/Title": title, "/Producer": "stdkit"})
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    atomic.write_bytes(target, buffer.getvalue())
    return 1
