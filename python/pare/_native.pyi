from os import PathLike
from typing import Any, Literal, Optional, Sequence, TypedDict, Union, overload

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
    def clean_html(self, html: Union[bytes, str], group: Optional[str] = None) -> Cleaned:
        """Cleans the text of an HTML page, given as bytes (decoded by the character set the
        page names, or detected) or as a str; ``group`` names the site whose profile rules
        apply. Raises ValueError for a page nested too deep to read."""
    def clean_batch(
        self,
        texts: Sequence[str],
        groups: Optional[Sequence[Optional[str]]] = None,
        threads: Optional[int] = None,
    ) -> list[Cleaned]:
        """Cleans many texts in parallel without the GIL; results in input order. ``groups``
        names each text's site (or None), one per text, so a profile's group rules apply."""
    @property
    def has_groups(self) -> bool:
        """Whether texts clean differently depending on the group (site) they are said to be
        of: a profile gave rules for some site, or a built-in profile recognises its site by
        host (as the default rules do)."""
    @overload
    def clean_records(
        self,
        lines: Sequence[str],
        field: str = "text",
        threads: Optional[int] = None,
        on_bad_record: Literal["pass", "drop", "fail"] = "pass",
        with_counts: Literal[False] = False,
        html_field: Optional[str] = None,
    ) -> list[str]: ...
    @overload
    def clean_records(
        self,
        lines: Sequence[str],
        field: str = "text",
        threads: Optional[int] = None,
        on_bad_record: Literal["pass", "drop", "fail"] = "pass",
        *,
        with_counts: Literal[True],
        html_field: Optional[str] = None,
    ) -> tuple[list[str], RecordCounts]:
        """Cleans JSONL lines as ``pare clean --format jsonl`` does, byte for byte, each record
        with its URL host's group rules. A line that is not a record is passed unchanged,
        dropped, or raises ``ValueError`` naming its line, as ``on_bad_record`` says; passed or
        dropped, a warning says how many there were. With ``html_field``, each record's page
        is read from that field and its text written to ``field`` (added when missing), as
        ``--html-field`` does. ``with_counts`` also returns the counts."""

class RecordCounts(TypedDict):
    """What ``clean_records(..., with_counts=True)`` counted."""

    seen: int
    cleaned: int
    unchanged: int
    bad: int
    dropped_bad: int

def site_of(url: str) -> Optional[str]:
    """The site of a page's address as pare groups records: its host without ``www.``, the
    archived page's host for an archive or cache address, or None."""
def builtin_profiles() -> list[tuple[str, str]]:
    """The built-in site profiles: name and description."""
def eval_gold(predictions: dict[str, str], gold: dict[str, str]) -> dict[str, Any]:
    """The summary ``pare eval --gold --json`` prints, as a dict."""
def eval_snippets(
    predictions: dict[str, str], annotations: dict[str, tuple[list[str], list[str]]]
) -> dict[str, Any]:
    """The summary ``pare eval --snippets --json`` prints, as a dict."""
