"""The Word edition: the whole standard as one .docx in the GB/T 1.1—2020 layout of the PDF
edition, in named paragraph styles a drafter can reuse.

- :mod:`.writer` — :class:`~.writer.WordTranslator`, docutils doctree → Word paragraphs and
  tables (numbers from the clause model, a bookmark per element, placeholders for what Word
  cannot take);
- :mod:`.document` — the cover, the 目次 (a pre-filled TOC field), sections with Roman and
  Arabic page numbers, document properties;
- :mod:`.builder` — :class:`~.builder.DocxBuilder`, the ``docx`` Sphinx builder.

The Word-writing machinery (styles, fields, sections, tracked changes, a byte-identical
package) is shared with the revision diff in :mod:`tooling.word`.
"""
