"""The HTML responses of a WARC file as JSONL lines (url, html) for
``pare clean --format jsonl --html-field html``.

    python warc_to_jsonl.py crawl.warc.gz | pare clean --format jsonl --html-field html > clean.jsonl
"""

import json, sys
from warcio.archiveiterator import ArchiveIterator
for record in ArchiveIterator(open(sys.argv[1], "rb")):
    if record.rec_type == "response" and "html" in (record.http_headers.get_header("Content-Type") or ""):
        page = record.content_stream().read().decode("utf-8", "replace")
        print(json.dumps({"url": record.rec_headers.get_header("WARC-Target-URI"), "html": page}))
