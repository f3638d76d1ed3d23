"""Comments on a draft, keyed to clauses: the forms sent out, the replies read back, the
editor's dispositions and the 征求意见汇总处理表, checked against the next draft's diff.

Public API:

- :mod:`.store` (pure, no Sphinx) — ``comments/<stage>.yaml`` in a standard folder:
  :func:`~.store.load_comments` (a :class:`~.store.CommentSet`, or None when the file does not
  exist), :func:`~.store.comment_statistics` (:class:`~.store.CommentStatistics`),
  :class:`~.store.CommentsFileError` (one diagnostic with file and line), and
  :func:`~.store.merge` / :func:`~.store.write_comments` for collecting.
- ``stdkit comments form|collect|table`` (:mod:`.command`).
"""

from .store import (
    CommentSet,
    CommentsFileError,
    CommentStatistics,
    comment_statistics,
    load_comments,
)

__all__ = ["CommentSet", "CommentStatistics", "CommentsFileError", "comment_statistics",
           "load_comments"]
