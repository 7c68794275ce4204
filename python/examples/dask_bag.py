"""Clean a JSONL file on a Dask cluster: each partition's lines go through pare in its worker."""

import sys

import dask.bag as db
from dask.distributed import Client, LocalCluster


def clean_partition(lines):
    import pare  # imported in the worker process

    return pare.Cleaner().clean_records(list(lines), threads=1)


def main(raw: str, clean: str) -> None:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster, Client(cluster):
        lines = db.read_text(raw, blocksize="1MiB")  # lines keep their newlines
        cleaned = lines.map_partitions(clean_partition).compute()
    with open(clean, "w", encoding="utf-8", newline="") as out:
        out.writelines(cleaned)


if __name__ == "__main__":
    main(*sys.argv[1:3])
