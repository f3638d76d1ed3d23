"""The shared Sphinx shell: everything every output needs from a Sphinx build.

- :mod:`.nodes` — docutils nodes for clauses, terms, notes, examples, references;
- :mod:`.directives` — the MyST directives and roles authors write (``{clause}``, ``{term}`` …);
- :mod:`.collect` — doctree → the raw elements :mod:`tooling.model.numbering` numbers;
- :mod:`.resolve` — computed numbers and references put into a doctree about to be written;
- :mod:`.guard` — a standard folder is data: files only from inside it, no raw content, no
  parser configuration, allow-listed URL schemes, no control characters;
- :mod:`.env` — where the toolkit keeps its state in the build environment, how it reports,
  and :class:`~.env.EditionBuilder`, the base of every whole-edition builder;
- :mod:`.html` — how the toolkit's nodes render in HTML;
- :mod:`.theme` — the HTML edition's page frame: sidebar, reading order, titles, stage banner,
  permalinks, scrolling tables (the templates are ``_templates/layout.html`` and ``search.html``);
- :mod:`.editions` — an edition's model from a clause-index JSON, a folder or a git revision;
- :mod:`.tables` — ``{table}`` with merged cells (``^^`` / ``<<``) and tables as grids.

The output packages (:mod:`tooling.pdf`, :mod:`tooling.index`, :mod:`tooling.checklists`,
:mod:`tooling.diff`, :mod:`tooling.lint`) build on these; this package imports none of them.
"""
