"""Benchmarks: the Tolk engine vs raw CTranslate2 vs HF transformers, same inputs, one run.

Run with `make bench` (or `python -m bench`); results land in `bench/results/` as JSON and
in `docs/BENCHMARKS.md` as a table.
"""
