"""Benchmarks written to docs/benchmarks.md by `facetcare bench`."""
