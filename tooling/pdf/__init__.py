"""The PDF edition: the whole standard as one Typst document in the GB/T 1.1—2020 layout.

- :mod:`.writer` — :class:`~.writer.TypstTranslator`, docutils doctree → Typst source;
- :mod:`.tables` — table column widths chosen from the content, and the ties that keep a
  line from holding one character alone;
- :mod:`.builder` — :class:`~.builder.PdfBuilder`, the ``pdf`` Sphinx builder, and
  :func:`~.builder.safe_filename` (the PDF's file name from the standard's number).

Fonts and Typst escaping are shared with the checklists in :mod:`tooling.typeset`.
"""
