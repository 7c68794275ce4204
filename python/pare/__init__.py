"""pare: pares scraped article text down to the article body.

The same cleaner as the ``pare`` command, called from Python::

    import pare

    cleaner = pare.Cleaner(profiles=["theregister"])
    cleaned = cleaner.clean(page_text)
    cleaned.text, [r.rule for r in cleaned.removed]

``Cleaner.clean_batch`` cleans many texts in parallel without holding the GIL;
``Cleaner.clean_records`` cleans JSONL lines exactly as ``pare clean --format jsonl`` does.
Adapters for data-prep frameworks import their framework only when used:
``pare.datatrove.PareCleaner`` and ``pare.hf.cleaning_function``.
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Optional, Sequence, Union

from . import _native
from ._native import Cleaned, Cleaner, Removal, builtin_profiles, site_of

__all__ = [
    "Cleaned",
    "Cleaner",
    "Removal",
    "builtin_profiles",
    "clean",
    "eval_gold",
    "eval_snippets",
    "site_of",
]


def clean(
    text: str,
    *,
    profiles: Sequence[str] = (),
    rules: Optional[str] = None,
    rules_files: Sequence[Union[str, "os.PathLike[str]"]] = (),
    profile_file: Optional[Union[str, "os.PathLike[str]"]] = None,
    detect: str = "standard",
    default_rules: bool = True,
) -> Cleaned:
    """Cleans one text with a cleaner built for this call.

    To clean many texts, build a :class:`Cleaner` once and reuse it: compiling the rules
    costs far more than cleaning one page.
    """
    cleaner = Cleaner(
        profiles=list(profiles),
        rules=rules,
        rules_files=[os.fspath(path) for path in rules_files],
        profile_file=None if profile_file is None else os.fspath(profile_file),
        detect=detect,
        default_rules=default_rules,
    )
    return cleaner.clean(text)


def eval_gold(predictions: Mapping[str, str], gold: Mapping[str, str]) -> dict[str, Any]:
    """Word 4-gram scores of cleaned texts against hand-cleaned gold bodies, both by document
    id: the summary ``pare eval --gold`` reports. A missing prediction counts as empty."""
    return _native.eval_gold(dict(predictions), dict(gold))


def eval_snippets(predictions: Mapping[str, str], annotations: Mapping[str, Mapping[str, Sequence[str]]]) -> dict[str, Any]:
    """Snippet scores of cleaned texts against per-page phrases they must hold (``with``) and
    must not (``without``): the summary ``pare eval --snippets`` reports."""
    pairs = {
        page: (list(phrases.get("with", ())), list(phrases.get("without", ())))
        for page, phrases in annotations.items()
    }
    return _native.eval_snippets(dict(predictions), pairs)
