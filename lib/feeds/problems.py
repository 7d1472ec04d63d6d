"""What a refused feed reports: every problem, each naming its item, field path and rule."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from mws_component.lib.mws.errors import ConfigurationError

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
    """The items break the feed's schema rules. ``problems`` lists all of them.

    ``nothing_sent`` (set by ``build_feed``, whose caller is about to send the feed) adds "nothing was
    sent" to the message; a lookup (unknown kind or category) or ``mws-component feed build``, which
    sends nothing anyway, leaves it out. ``describe(nothing_sent=...)`` renders the text without the
    ``FeedValidationFailed:`` code, for a caller that says what failed itself.
    """

    def __init__(self, problems: list[Problem], *, what: str = "feed", nothing_sent: bool = False) -> None:
        self.problems = list(problems)
        self.what = what
        self.nothing_sent = nothing_sent
        super().__init__(
            self.describe(),
            code="FeedValidationFailed",
            field=self.problems[0].path if self.problems else None,
        )

    def describe(self, *, nothing_sent: bool | None = None) -> str:
        """``N problem(s) in the WHAT[; nothing was sent]:`` then one ``- path: message`` line each."""
        count = len(self.problems)
        lines = [f"- {p}" for p in self.problems[:LISTED]]
        if count > LISTED:
            lines.append(f"- ... and {count - LISTED} more (see .problems)")
        unsent = self.nothing_sent if nothing_sent is None else nothing_sent
        head = f"{count} problem{'s' if count != 1 else ''} in the {self.what}" + ("; nothing was sent" if unsent else "")
        return head + ":\n" + "\n".join(lines)

    def to_dict(self) -> dict:
        return {**super().to_dict(), "problems": [p.to_dict() for p in self.problems]}
