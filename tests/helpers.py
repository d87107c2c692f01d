"""Small builders shared by the extractor tests."""

from __future__ import annotations

from kg.extract.doc import Doc
from kg.extract.regions import extract_regions
from kg.extract.strategies import extract_strategies
from kg.model import Article


def doc_with_regions(text: str, title: str = "测试", date: str | None = None) -> Doc:
    """A Doc whose regions and strategies are already extracted."""
    doc = Doc(Article(title=title, text=text, date=date, source="inline.txt"))
    doc.ex.regions = extract_regions(doc)
    doc.ex.strategies = extract_strategies(doc)
    return doc


def labels(items) -> list[str]:
    return [x.label for x in items]
