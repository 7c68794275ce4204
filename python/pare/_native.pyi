from os import PathLike
from typing import Literal, Optional, Sequence, Union

_Path = Union[str, PathLike[str]]

class Removal:
    """One removal: which line went (or which end of a line), by which rule, and why."""

    line: int
    """1-based line number in the normalised text."""
    rule: str
    """The rule's name (``detect`` for the body detector)."""
    reason: Optional[str]
    """Why, beyond the rule's name."""
    kind: Literal["line", "suffix"]
    start: int
    """Start of the removed text in the normalised text (bytes)."""
    end: int
    """End of the removed text in the normalised text (bytes)."""
    text: str
    """The removed text."""
    @property
    def span(self) -> tuple[int, int]:
        """``(start, end)``."""

class Cleaned:
    """A cleaned text and what was removed from it."""

    text: str
    changed: bool
    @property
    def removed(self) -> list[Removal]:
        """What was removed, in order (made on each access)."""
    @property
    def removed_count(self) -> int:
        """How many removals there were."""
    @property
    def removed_by_rule(self) -> dict[str, int]:
        """How many removals each rule made."""

class Cleaner:
    """Rules, profiles and the body detector, compiled once and reused.

    Bad rules raise ``ValueError`` with the message ``pare clean`` prints. With ``reasons``
    false, lines the body detector removes carry no reason (a little faster; same text).
    """

    def __init__(
        self,
        *,
        profiles: Sequence[str] = ...,
        rules: Optional[str] = None,
        rules_files: Sequence[_Path] = ...,
        profile_file: Optional[_Path] = None,
        detect: Literal["off", "conservative", "standard", "aggressive"] = "standard",
        default_rules: bool = True,
        reasons: bool = True,
    ) -> None: ...
    def clean(self, text: str, group: Optional[str] = None) -> Cleaned:
        """Cleans one text; ``group`` names the site whose profile rules apply."""
    def clean_batch(self, texts: Sequence[str], threads: Optional[int] = None) -> list[Cleaned]:
        """Cleans many texts in parallel without the GIL; results in input order."""
    def clean_records(
        self, lines: Sequence[str], field: str = "text", threads: Optional[int] = None
    ) -> list[str]:
        """Cleans JSONL lines as ``pare clean --format jsonl`` does, byte for byte."""

def builtin_profiles() -> list[tuple[str, str]]:
    """The built-in site profiles: name and description."""
def eval_gold(predictions: dict[str, str], gold: dict[str, str]) -> str: ...
def eval_snippets(
    predictions: dict[str, str], annotations: dict[str, tuple[list[str], list[str]]]
) -> str: ...
