"""Small builders shared by the extractor tests."""

from __future__ import annotations

from kg.extract.doc import Doc
from kg.extract.regions import extract_regions
from kg.extract.strategies import extract_strategies
from kg.model import Article, Mention, Region


def doc_with_regions(text: str, title: str = "测试", date: str | None = None) -> Doc:
    """A Doc whose regions and strategies are already extracted."""
    doc = Doc(Article(title=title, text=text, date=date, source="inline.txt"))
    doc.ex.regions = extract_regions(doc)
    doc.ex.strategies = extract_strategies(doc)
    return doc


def labels(items) -> list[str]:
    return [x.label for x in items]


def doc_with_marked_regions(text: str, regions: dict[str, str] | None = None) -> Doc:
    """A Doc whose regions (surface → kind) are marked by hand wherever they occur.

    For testing a later stage on its own, without the region extractor's decisions.
    """
    doc = Doc(Article(title="测试", text=text))
    for surface, kind in (regions or {}).items():
        doc.ex.regions.append(Region(label=surface, kind=kind, mentions=mentions_of(doc, surface)))
    return doc


def mentions_of(doc: Doc, surface: str) -> list[Mention]:
    """Every occurrence of ``surface`` in the doc's text, as mentions."""
    out = []
    i = doc.text.find(surface)
    while i >= 0:
        out.append(Mention(surface, i, i + len(surface), doc.sents.at(i)))
        i = doc.text.find(surface, i + 1)
    return out
