"""Benchmarks: each `bench_*.py` module exposes `BENCHMARKS`, a list of callables returning Results.

Figures are ratios against a baseline measured in the same process (raw sqlite3, bare reportlab,
a bare Qt window) because the machine is shared and noisy; absolute goals are reported too.
"""
