"""The documents a standard files on its way to approval, and the stage that drives them.

A standard moves 工作组讨论稿 → 征求意见稿 → 送审稿 → 报批稿 → published
(:mod:`tooling.model.stages`); at each stage the drafting group files documents besides the
text (LOCAL-STANDARD-PROCESS.md). This package makes them from the same sources:

- :mod:`.stage` — ``stdkit stage NEXT``: checks that the standard is ready, rewrites the
  ``stage:`` line of standard.yaml in place and appends the move to ``history.yaml``;
- :mod:`.explanation` — the 编制说明: the authored ``explanation.md`` with the generated parts
  merged in (drafters, the main technical changes and the 条款对照表, the normative references,
  the comment statistics of :mod:`tooling.comments`);
- :mod:`.render` — the 编制说明 as HTML, PDF (Typst) and Word;
- :mod:`.dossier` — the 报批 package: the review's record template, the manifest, the zip;
- :mod:`.command` — ``stdkit stage``, ``stdkit explanation``, ``stdkit dossier``
  (:func:`~.command.add_parsers`).

Public API: :func:`.stage.plan`, :func:`.stage.apply`, :func:`.explanation.read_authored`,
:func:`.explanation.assemble`, :func:`.render.explanation_html`,
:func:`.render.explanation_pdf`, :func:`.render.explanation_docx`, :func:`.dossier.pack`,
:func:`.dossier.manifest`. No Sphinx imports outside the command's edition lookup.
"""
