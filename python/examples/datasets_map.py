"""Clean the text column of a Hugging Face dataset with Dataset.map(batched=True)."""

import sys

from datasets import load_dataset

from pare.hf import cleaning_function


def main(raw: str, clean: str) -> None:
    dataset = load_dataset("json", data_files=raw, split="train")
    dataset = dataset.map(cleaning_function(column="text", removed_column="pare_removed"), batched=True)
    dataset.to_json(clean)


if __name__ == "__main__":
    main(*sys.argv[1:3])
