"""Live preview (``stdkit serve``): build the HTML edition, serve it on 127.0.0.1, rebuild when
the standard's folder changes, and reload the open pages.

- :mod:`.preview` — the loop: one warm process builds (through the same command as
  ``stdkit build html``, given by the CLI), watches the folder with watchfiles and tells the
  pages what happened; an error is printed in the terminal and shown on the page, and the last
  good output keeps being served;
- :mod:`.site` — the web application (starlette, run by uvicorn): only files inside the built
  output, each HTML page with one injected ``<script>`` (reload and error overlay), and the
  server-sent events the script listens to;
- ``live.js`` — that script.

Imports nothing from Sphinx or from the other packages of ``tooling`` except :mod:`tooling.io`:
the build is a callable handed over by the CLI.
"""

from .preview import BuildOutcome, Preview, serve
from .site import create_app

__all__ = ["BuildOutcome", "Preview", "create_app", "serve"]
