"""What a refused feed reports: every problem, each naming its item, field path and rule."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from lib.mws.errors import ConfigurationError

LISTED = 25


@dataclass(frozen=True)
class Problem:
    """One broken rule. ``path`` uses the JSON names (``items[3].standardPrice.currency``)."""

    index: int | None
    path: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


class Sink:
    """Collects problems while a walk goes on; ``index`` is the item being walked."""

    __slots__ = ("problems", "index", "xml_paths")

    def __init__(self, xml_paths: bool = False) -> None:
        self.problems: list[Problem] = []
        self.index: int | None = None
        self.xml_paths = xml_paths

    def add(self, path: str, rule: str, message: str) -> None:
        self.problems.append(Problem(self.index, path, rule, message))


class FeedValidationError(ConfigurationError):
    """The items break the feed's schema rules; nothing was sent. ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem], *, what: str = "feed") -> None:
        self.problems = list(problems)
        count = len(self.problems)
        lines = [f"- {p}" for p in self.problems[:LISTED]]
        if count > LISTED:
            lines.append(f"- ... and {count - LISTED} more (see .problems)")
        head = f"{count} problem{'s' if count != 1 else ''} in the {what}; nothing was sent"
        super().__init__(
            head + ":\n" + "\n".join(lines),
            code="FeedValidationFailed",
            field=self.problems[0].path if self.problems else None,
        )

    def to_dict(self) -> dict:
        return {**super().to_dict(), "problems": [p.to_dict() for p in self.problems]}
