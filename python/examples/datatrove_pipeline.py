"""Clean a folder of JSONL shards with a datatrove pipeline: read, pare, write.

Needs datatrove's JSONL reader and writer, which want orjson: ``pip install 'pare[datatrove]'``
(from a checkout: ``pip install './python[datatrove]'``).
"""

import sys

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from pare.datatrove import PareCleaner


def main(raw: str, clean: str, logs: str) -> None:
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(raw),
            PareCleaner(profiles=["theregister"]),  # documents left empty are dropped
            JsonlWriter(clean, compression=None),
        ],
        tasks=2,
        logging_dir=logs,
    ).run()


if __name__ == "__main__":
    main(*sys.argv[1:4])
