"""Docutils nodes for the elements of a standard that docutils has no node for.

Every output (HTML, PDF, and later Word) renders these nodes; each class says which
attributes it carries and where it sits in the doctree. Numbers are never stored here: they
come from the clause model when a document is written (:mod:`tooling.sphinx.resolve`).
"""

from __future__ import annotations

from docutils import nodes


class clause_node(nodes.General, nodes.Element):
    """An untitled 条 or unnumbered requirement paragraph; ``clause_id``, ``metadata``."""


class term_node(nodes.General, nodes.Element):
    """A term entry: ``term_id``, ``term``, ``en``, ``source`` (a mapping: document, clause,
    modified; or a string), ``synonyms``."""


class std_note(nodes.General, nodes.Element):
    """A GB/T 注 (note), numbered 注1, 注2 within its scope (see :func:`block_scope`) when
    there is more than one. ``note_id`` when the author gave one (then it is an element of
    the model, cited as 5.2的注2)."""


class std_example(nodes.General, nodes.Element):
    """A GB/T 示例 (example), numbered like notes; ``note_id`` likewise."""


class annex_marker(nodes.Invisible, nodes.Element):
    """Marks the enclosing top-level section as an annex; ``obligation``."""


class clause_ref(nodes.Inline, nodes.Element):
    """A cross-reference by id, rendered as 5.2, 第6章, 附录A, 表1 once numbers are known."""


class item_marker(nodes.Inline, nodes.Element):
    """Gives the enclosing list item a stable id (``{item}`id``` at the start of the item);
    ``item_id``, and ``metadata`` when the role carried a mapping after the id."""


class foreword_changes(nodes.General, nodes.Element):
    """Where the 前言's list of main technical changes goes; filled in from the diff against
    the previous edition once the whole edition is known."""


class reference_entry(nodes.General, nodes.Element):
    """An entry of 规范性引用文件 or 参考文献 (``{reference}``): ``ref_id``, ``designation``
    (GB/T 20647.1—2006; may be absent in 参考文献), ``doc_title``. Its one paragraph holds
    the designation, an ideographic space and the title; the ``[1]`` of a bibliography entry
    is put in front of it when the document is written (class ``reference-number``)."""


class formula_node(nodes.General, nodes.Element):
    """A numbered formula (``{formula}``): ``formula_id``; ``tex`` (the LaTeX the author
    wrote), ``mathml`` (the HTML edition's rendering, a ``<math display="block">`` element)
    and ``typst`` (the PDF's, Typst math markup), both made from the same parse when the
    source is read. Its ``(1)`` / ``(A.1)`` is added when the document is written (the
    ``formula-number`` attribute). A :class:`formula_where` may follow it as a sibling."""


class formula_where(nodes.General, nodes.Element):
    """The "式中：" list after a formula: children are :class:`formula_symbol` entries."""


class formula_symbol(nodes.General, nodes.Element):
    """One entry of "式中：": a :class:`std_math` (the symbol) then a paragraph (its
    meaning, punctuated ；/。 by the toolkit)."""


class std_math(nodes.Inline, nodes.Element):
    """Inline math the toolkit has parsed: ``tex``, ``mathml``, ``typst`` (as formula_node)."""


class table_notes(nodes.General, nodes.Element):
    """表注 and table footnotes, inside the table's frame: the last child of a ``table``
    (after its ``tgroup``), holding :class:`std_note` nodes and then :class:`std_footnote`
    nodes. ``cols`` is the table's number of columns (the HTML row spans them all)."""


class figure_notes(nodes.General, nodes.Element):
    """图注 and figure footnotes: inside a ``figure``, before its caption (GB/T 1.1—2020
    prints them between the figure and 图1 标题). Holds :class:`std_note` and
    :class:`std_footnote` nodes."""


class std_footnote(nodes.General, nodes.Element):
    """A footnote of a table or figure: ``label`` (a, b, c … per table or figure), ``ids``
    (the anchor the superscript links to); the footnote text as paragraphs."""


class std_footnote_ref(nodes.Inline, nodes.Element):
    """The superscript letter in a cell (or figure legend) that points at a
    :class:`std_footnote`: ``label``, ``refid``."""


# Where notes and examples are numbered: 注1, 注2 within a 条, a term entry, a table or figure.
NOTE_SCOPES: tuple[type[nodes.Element], ...] = (
    nodes.section, clause_node, term_node, nodes.table, nodes.figure,
)


def block_scope(node: nodes.Node) -> nodes.Node | None:
    """The element whose notes (or examples) are numbered together with this one."""
    scope = node.parent
    while scope is not None and not isinstance(scope, NOTE_SCOPES):
        scope = scope.parent
    return scope


def block_label(node: std_note | std_example) -> str:
    """注 / 注2 / 示例1: numbered only when the scope has more than one (GB/T 1.1—2020)."""
    word = "注" if isinstance(node, std_note) else "示例"
    scope = block_scope(node)
    if scope is None:
        return word
    group = [n for n in scope.findall(type(node)) if block_scope(n) is scope]
    if len(group) == 1:
        return word
    return f"{word}{next(i for i, n in enumerate(group, start=1) if n is node)}"
