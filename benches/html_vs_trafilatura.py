"""pare and trafilatura on the same HTML pages: speed and quality, side by side in one run.

    python benches/html_vs_trafilatura.py PARE_BINARY BENCHMARK_DIR...

Each BENCHMARK_DIR holds html/<id>.html.gz (the pages) and its truth: gold/<id>.txt (strict F1)
or annotations.json (must-keep and must-drop phrases; F1). pare cleans the html/ folder with
two workers (-j 2); trafilatura extracts each page with its default settings in a pool of two
processes. Both outputs are scored with `pare eval`. Needs `pip install trafilatura
lxml_html_clean` in the Python that runs it; pare itself needs nothing.
"""

import concurrent.futures
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time


def extract(path):
    import trafilatura

    with gzip.open(path, "rb") as page:
        html = page.read()
    return trafilatura.extract(html) or ""


def score(pare, bench, outputs):
    gold = os.path.join(bench, "gold")
    truth = ["--gold", gold] if os.path.isdir(gold) else ["--snippets", os.path.join(bench, "annotations.json")]
    result = subprocess.run([pare, "eval", *truth, outputs, "--json"], capture_output=True, text=True, check=True)
    summary = json.loads(result.stdout)[0]["summary"]
    return summary.get("strict_f1", summary.get("f1"))


def main():
    pare, benches = sys.argv[1], sys.argv[2:]
    import trafilatura

    print(f"trafilatura {trafilatura.__version__}, two workers each")
    print(f"{'benchmark':<18} {'pages':>6} {'MB':>7} | {'pare p/s':>9} {'MB/s':>7} {'F1':>6} | "
          f"{'traf p/s':>9} {'MB/s':>7} {'F1':>6} | speed-up")
    for bench in benches:
        html = os.path.join(bench, "html")
        pages = sorted(os.path.join(html, name) for name in os.listdir(html))
        size = sum(len(gzip.open(path).read()) for path in pages) / 1e6
        with tempfile.TemporaryDirectory() as scratch:
            ours = os.path.join(scratch, "pare")
            started = time.perf_counter()
            subprocess.run([pare, "clean", "-q", "-j", "2", html, "-o", ours], check=True)
            pare_seconds = time.perf_counter() - started
            theirs = os.path.join(scratch, "trafilatura")
            os.makedirs(theirs)
            started = time.perf_counter()
            with concurrent.futures.ProcessPoolExecutor(2) as pool:
                texts = list(pool.map(extract, pages, chunksize=8))
            traf_seconds = time.perf_counter() - started
            for path, text in zip(pages, texts):
                name = os.path.basename(path).split(".")[0] + ".txt"
                with open(os.path.join(theirs, name), "w") as out:
                    out.write(text)
            ours_f1, theirs_f1 = score(pare, bench, ours), score(pare, bench, theirs)
        n = len(pages)
        print(f"{os.path.basename(bench):<18} {n:>6} {size:>7.1f} | {n / pare_seconds:>9.0f} "
              f"{size / pare_seconds:>7.1f} {ours_f1:>6.3f} | {n / traf_seconds:>9.1f} "
              f"{size / traf_seconds:>7.2f} {theirs_f1:>6.3f} | {traf_seconds / pare_seconds:>6.0f}x")


if __name__ == "__main__":
    main()
