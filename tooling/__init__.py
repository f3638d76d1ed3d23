"""stdkit: standards as code. GB/T 1.1—2020 standards kept as MyST sources, published as HTML,
PDF, clause index, checklists, revision diffs and lint reports.

The package map is in the README ("Code map"): ``model`` and ``io`` are pure; ``sphinx`` is the
shared Sphinx shell; ``pdf``, ``index``, ``checklists``, ``diff`` and ``lint`` are one package
per output; :mod:`tooling.extension` registers them all with Sphinx and :mod:`tooling.cli` is
the ``stdkit`` command.
"""
