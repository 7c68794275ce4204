"""Cleaning a Hugging Face ``datasets.Dataset`` with ``Dataset.map(batched=True)``.

This module does not import ``datasets``: the function it makes takes and returns plain
column dictionaries, as ``map`` passes them::

    from pare.hf import cleaning_function

    dataset = dataset.map(cleaning_function(column="text"), batched=True)
"""

from __future__ import annotations

from typing import Any, Callable, Optional

from ._native import Cleaner


def cleaning_function(
    column: str = "text",
    *,
    cleaner: Optional[Cleaner] = None,
    removed_column: Optional[str] = None,
    threads: Optional[int] = None,
) -> Callable[[dict[str, list[Any]]], dict[str, list[Any]]]:
    """A function for ``Dataset.map(..., batched=True)`` that cleans ``column`` in place.

    With ``removed_column``, each row also gets the number of lines removed from it.
    """
    cleaner = cleaner or Cleaner()

    def clean_batch(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        cleaned = cleaner.clean_batch(batch[column], threads=threads)
        out = {column: [result.text for result in cleaned]}
        if removed_column is not None:
            out[removed_column] = [result.removed_count for result in cleaned]
        return out

    return clean_batch
