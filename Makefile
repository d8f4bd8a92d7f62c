# The two commands: `make demo` (read the bundled samples, write out/review.xlsx) and
# `make test`. Both set everything up on a fresh Debian machine first.
.PHONY: setup demo test lint bench samples clean

BIN := .venv/bin

setup:
	@bash scripts/setup.sh

demo: setup
	$(BIN)/intake run samples/received/shanxi-2021 --campaign shanxi-2021 --out out
	$(BIN)/intake run samples/received/guangxi-2021 --campaign guangxi-2021 --out out/guangxi-2021

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy models validators

bench: setup
	$(BIN)/python bench/accuracy.py
	$(BIN)/python bench/licence_bench.py
	$(BIN)/python bench/ocr_bench.py
	$(BIN)/python bench/ocr_backends.py --pages 20 --repeat 1 --bf16
	$(BIN)/python bench/speed.py --book-pages 100
	$(BIN)/python bench/robustness.py --scan-books 1
	$(BIN)/python bench/licence_variants.py --seeds 3
	$(BIN)/python bench/seal_variants.py --pages 3

samples: setup
	$(BIN)/python samples/generate.py

clean:
	rm -rf out bench/out .pytest_cache
