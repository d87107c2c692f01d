"""Run the extractors over an article, in the order their inputs require."""

from __future__ import annotations

from collections.abc import Callable

from kg.extract.doc import Doc
from kg.extract.indicators import extract_indicators
from kg.extract.measures import extract_measures
from kg.extract.partnerships import extract_partnerships
from kg.extract.programs import extract_programs
from kg.extract.regions import extract_regions
from kg.extract.strategies import extract_strategies
from kg.model import Article, Extraction

# (field of Extraction, extractor): each extractor sees what the earlier ones found.
STAGES: tuple[tuple[str, Callable[[Doc], list]], ...] = (
    ("regions", extract_regions),
    ("strategies", extract_strategies),
    ("programs", extract_programs),
    ("measures", extract_measures),
    ("partnerships", extract_partnerships),
    ("indicators", extract_indicators),
)


def extract(article: Article) -> Extraction:
    """Everything one article states, each item with the sentence it came from."""
    doc = Doc(article)
    for name, stage in STAGES:
        setattr(doc.ex, name, stage(doc))
    return doc.ex
