"""Clean a JSONL file with Apache Spark: each partition's lines piped through the pare binary."""

import os
import sys

from pyspark.sql import SparkSession


def main(raw: str, clean: str) -> None:
    spark = SparkSession.builder.master("local[2]").appName("pare").getOrCreate()
    try:
        lines = spark.sparkContext.textFile(raw)
        # pipe() starts the command with an empty environment unless given one: pass the PATH
        # under which the workers find pare.
        cleaned = lines.pipe("pare clean --format jsonl -q -j 1", env={"PATH": os.environ["PATH"]}).collect()
    finally:
        spark.stop()
    with open(clean, "w", encoding="utf-8", newline="") as out:
        out.writelines(line + "\n" for line in cleaned)


if __name__ == "__main__":
    main(*sys.argv[1:3])
