"""Extractors: one module per kind of item, run in order by :mod:`kg.extract.pipeline`."""
