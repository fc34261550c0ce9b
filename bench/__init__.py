"""Benchmarks for geomap: a corpus generator, a spaCy baseline and the `make bench` harness."""
