"""The one exception family of kg.

Library code raises these; only the command line turns them into a message and
an exit code. Messages say which input, what is wrong and what to do.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of every error kg reports to a user without a traceback."""


class InputError(KgError):
    """An input file cannot be read as a document."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class QueryError(KgError):
    """A query cannot be found, parsed or run."""


class StoreError(KgError):
    """The build folder's store is missing or cannot be opened."""
