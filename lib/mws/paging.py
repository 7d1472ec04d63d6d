"""NextToken pagination as an object that knows when it is done and refuses to loop."""

from __future__ import annotations

from .errors import PaginationLoopError
from .operations import Operation
from .parsing import text

__all__ = ["PaginationLoopError", "Paginator"]


class Paginator:
    """Tracks the follow-up call of a listing: ``advance(result)`` after each page, then ``finished``.

    A page says there is more by carrying a ``NextToken`` (and, on Feeds, ``HasNext`` = true).
    """

    def __init__(self, operation: Operation) -> None:
        self.operation = operation
        self.token: str | None = None
        self.finished = False
        self.pages = 0
        self._seen: set[str] = set()

    def advance(self, result: dict) -> None:
        self.pages += 1
        token = text(result.get("NextToken")) if result else None
        more = self.operation.more
        has_more = bool(token) and (more is None or str(text(result.get(more))).lower() == "true")
        if not has_more:
            self.token, self.finished = None, True
            return
        if token in self._seen:
            raise PaginationLoopError(
                f"NextToken repeated after page {self.pages}", operation=self.operation.name
            )
        self._seen.add(token)
        self.token = token

    def next_call(self) -> tuple[str, dict[str, str]]:
        """The operation and parameters that fetch the next page."""
        if self.finished or not self.token or not self.operation.next:
            raise RuntimeError("no next page")
        return self.operation.next, {"NextToken": self.token}
