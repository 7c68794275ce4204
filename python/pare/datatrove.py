"""A datatrove pipeline step that cleans each ``Document.text`` with pare.

Importing this module imports datatrove; ``import pare`` alone does not::

    from pare.datatrove import PareCleaner

    pipeline = [JsonlReader("raw/"), PareCleaner(profiles=["theregister"]), JsonlWriter("clean/")]
"""

from __future__ import annotations

from typing import Iterable, Optional, Sequence

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from ._native import Cleaner, site_of


class PareCleaner(PipelineStep):
    """Cleans each document's text; records how many lines went, and which rules took them.

    With a learned ``profile_file``, each document gets the rules of its site: the host of its
    ``metadata["url"]`` (an archived page's host for an archive address). Documents left empty
    are dropped unless ``keep_empty``. Documents are cleaned in batches of
    ``batch_size`` on ``threads`` threads: one by default, since datatrove already runs its tasks
    side by side (``None`` uses every core in each task). With ``html``, each document's text is
    an HTML page (as datatrove's WARC reader gives it), read as ``pare clean`` reads a ``.html``
    file; a page that cannot be read (nested too deep) is dropped and counted.
    """

    name = "✂️ pare"
    type = "🧹 - CLEAN"

    def __init__(
        self,
        *,
        profiles: Sequence[str] = (),
        rules: Optional[str] = None,
        rules_files: Sequence[str] = (),
        profile_file: Optional[str] = None,
        detect: str = "standard",
        keep_empty: bool = False,
        batch_size: int = 256,
        threads: Optional[int] = 1,
        html: bool = False,
    ):
        super().__init__()
        self.cleaner = Cleaner(
            profiles=list(profiles),
            rules=rules,
            rules_files=list(rules_files),
            profile_file=profile_file,
            detect=detect,
            # The step records counts by rule, never the detector's reasons.
            reasons=False,
        )
        self.keep_empty = keep_empty
        self.batch_size = batch_size
        self.threads = threads
        self.html = html

    def _clean(self, batch: list[Document]) -> Iterable[Document]:
        # A profile's group rules, and a built-in profile that recognises its site by host,
        # apply to the documents of their site: the host of the document's URL, as the command
        # line groups JSONL records.
        groups = None
        if self.cleaner.has_groups:
            groups = [site_of(document.metadata.get("url") or "") for document in batch]
        texts = [document.text for document in batch]
        if self.html:
            cleaned = [self._clean_page(text, group) for text, group in zip(texts, groups or [None] * len(texts))]
        else:
            cleaned = self.cleaner.clean_batch(texts, groups=groups, threads=self.threads)
        for document, result in zip(batch, cleaned):
            if result is None:
                self.stat_update("unreadable_pages")
                continue
            self.stat_update("documents")
            if result.changed:
                self.stat_update("changed")
            by_rule = result.removed_by_rule
            self.stat_update("lines_removed", value=result.removed_count)
            for rule, count in by_rule.items():
                self.stat_update(f"rule/{rule}", value=count)
            document.text = result.text
            document.metadata["pare_lines_removed"] = result.removed_count
            document.metadata["pare_rules"] = sorted(by_rule)
            if not result.text and not self.keep_empty:
                self.stat_update("dropped_empty")
                continue
            yield document

    def _clean_page(self, page: str, group: Optional[str]):
        try:
            return self.cleaner.clean_html(page, group)
        except ValueError:
            return None

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        batch: list[Document] = []
        for document in data:
            batch.append(document)
            if len(batch) == self.batch_size:
                yield from self._clean(batch)
                batch = []
        if batch:
            yield from self._clean(batch)
