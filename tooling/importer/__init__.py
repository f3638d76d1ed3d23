"""``stdkit import``: a Word standard (.docx) read into a new standard folder, verified.

- :mod:`.package` opens the file safely (legacy .doc, encrypted, corrupt or oversized ZIP);
- :mod:`.reader` reads the body into blocks (python-docx plus lxml: numbering, merged cells,
  hyperlinks, images, OMML formulas via :mod:`.omml`);
- :mod:`.structure` finds the structure from typed numbers and styles;
- :mod:`.front` turns the cover and 前言 into standard.yaml fields;
- :mod:`.render` gives ids and references and writes the Markdown, with metadata suggested by
  :mod:`.suggest`;
- :mod:`.command` is the CLI (``add_parser``, ``run``) and the verification (``compare``).

Public API: :func:`command.import_file`, :func:`command.compare`, :func:`command.run`.
"""
