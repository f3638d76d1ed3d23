"""Every message a build prints names its file the way the user knows it, once, briefly.

Sphinx prints the locations of its own and docutils' messages as absolute paths, and docutils
follows a directive's error with the directive's whole source. Two logging filters, installed
by the extension, fix that:

- :class:`MarkupErrors` (on the logger docutils' messages go through): an error from the
  parser or a directive (docutils level ERROR and above) becomes an ``E156`` diagnostic —
  reported like every other problem, so it stops the build before anything is written and is
  counted in the summary — with its first paragraph only; a docutils warning keeps its level,
  loses the dump and gets a relative path.
- :class:`RelativeLocations` (on Sphinx's warning handler, after Sphinx has turned document
  names into paths): any location inside the project or the standard's folder is shown
  relative to the project root, or to the standard's folder when that lies outside it — as
  :func:`tooling.sphinx.env.source_path` shows the toolkit's own diagnostics.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from sphinx.application import Sphinx

from ..io.diagnostics import diagnostic
from .env import report

DOCUTILS_LOGGER = "sphinx.sphinx.util.docutils"
_LOCATION = re.compile(r"^(?P<path>.+?)(?::(?P<line>\d+))?$")


def shown_path(app: Sphinx, path: str) -> str:
    """``path`` relative to the project root when inside it, else to the standard's folder;
    anything else (outside both) unchanged."""
    if not os.path.isabs(path):
        return path
    absolute = Path(os.path.abspath(path))
    for base in (Path(app.confdir), Path(app.srcdir)):
        try:
            return absolute.relative_to(os.path.abspath(base)).as_posix()
        except ValueError:
            continue
    return path


def _split(location: str) -> tuple[str, int | None]:
    match = _LOCATION.match(location)
    if match is None:
        return location, None
    line = match.group("line")
    return match.group("path"), int(line) if line else None


def _plain_message(record: logging.LogRecord) -> str:
    """The message alone: Sphinx's own record class puts the location and level in front."""
    return logging.LogRecord.getMessage(record)


def _first_paragraph(message: str) -> str:
    """A docutils message, without the directive source it quotes after a blank line."""
    return message.split("\n\n", 1)[0].strip()


_ABSOLUTE = re.compile(r"(?<![\w.:/])/[^\s'\"“”‘’()（）,，]+")


def relative_paths(app: Sphinx, text: str) -> str:
    """Absolute paths inside a message (docutils names the file it did not find) shown
    as :func:`shown_path` shows them."""
    return _ABSOLUTE.sub(lambda m: shown_path(app, m.group(0)), text)


class MarkupErrors(logging.Filter):
    """Docutils' errors become diagnostics; its warnings are shortened (see module doc)."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__()
        self.app = app

    def filter(self, record: logging.LogRecord) -> bool:
        location = getattr(record, "location", None)
        message = relative_paths(self.app, _first_paragraph(_plain_message(record)))
        path, line = _split(location) if isinstance(location, str) else ("", None)
        env = getattr(self.app, "env", None)
        if record.levelno >= logging.ERROR and env is not None and env.docname:
            shown = shown_path(self.app, path) if path else env.docname
            report(env, diagnostic("E156", shown, line, detail=" ".join(message.split())))
            return False
        record.msg, record.args = message, ()
        if isinstance(location, str) and path:
            record.location = f"{shown_path(self.app, path)}:{line}" if line else shown_path(
                self.app, path)
        return True


class RelativeLocations(logging.Filter):
    """Sphinx's own messages: the location relative, as the toolkit's diagnostics show it."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__()
        self.app = app

    def filter(self, record: logging.LogRecord) -> bool:
        location = getattr(record, "location", None)
        if isinstance(location, str) and os.path.isabs(location):
            path, line = _split(location)
            shown = shown_path(self.app, path)
            record.location = f"{shown}:{line}" if line else shown
        if record.levelno >= logging.WARNING:
            message = _plain_message(record)
            if "/" in message:
                record.msg, record.args = relative_paths(self.app, message), ()
        return True


def setup(app: Sphinx) -> None:
    """Install both filters (Sphinx's handlers exist once the application is created). The
    docutils logger outlives an application: one filter on it, for the current one."""
    docutils_logger = logging.getLogger(DOCUTILS_LOGGER)
    for old in [f for f in docutils_logger.filters if isinstance(f, MarkupErrors)]:
        docutils_logger.removeFilter(old)
    docutils_logger.addFilter(MarkupErrors(app))
    for handler in logging.getLogger("sphinx").handlers:
        handler.addFilter(RelativeLocations(app))
