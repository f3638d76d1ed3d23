"""Docutils nodes for the elements of a standard that docutils has no node for."""

from __future__ import annotations

from docutils import nodes


class clause_node(nodes.General, nodes.Element):
    """An untitled 条 or unnumbered requirement paragraph; ``clause_id``, ``metadata``."""


class term_node(nodes.General, nodes.Element):
    """A term entry: ``term_id``, ``term``, ``en``, ``source``."""


class std_note(nodes.General, nodes.Element):
    """A GB/T 注 (note), numbered 注1, 注2 within its clause when there is more than one."""


class std_example(nodes.General, nodes.Element):
    """A GB/T 示例 (example), numbered like notes."""


class annex_marker(nodes.Invisible, nodes.Element):
    """Marks the enclosing top-level section as an annex; ``obligation``."""


class clause_ref(nodes.Inline, nodes.Element):
    """A cross-reference by id, rendered as 5.2, 第6章, 附录A, 表1 once numbers are known."""


class item_marker(nodes.Inline, nodes.Element):
    """Gives the enclosing list item a stable id (``{item}`id``` at the start of the item)."""


class foreword_changes(nodes.General, nodes.Element):
    """Where the 前言's list of main technical changes goes; filled in from the diff against
    the previous edition once the whole edition is known."""
