"""Run the extractors over an article, in the order their inputs require."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from kg.extract.doc import Doc
from kg.extract.indicators import extract_indicators
from kg.extract.measures import extract_measures
from kg.extract.partnerships import extract_partnerships
from kg.extract.programs import extract_programs
from kg.extract.regions import extract_regions
from kg.extract.strategies import extract_strategies
from kg.ingest.simplified import to_simplified
from kg.model import Article, Evidence, Extraction

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
    """Everything one article states, each item with the sentence it came from.

    The extractors match on a Simplified copy of the text (:mod:`kg.ingest.simplified`),
    which has the original's length; quotes and surface forms are then sliced from the
    original, so the evidence shows the article as written, at the same offsets.
    """
    matching = to_simplified(article.text)
    if matching == article.text:
        return _run(article)
    ex = _run(dataclasses.replace(article, text=matching))
    ex.article = article
    _quote_original(ex, matching, article.text)
    return ex


#: Above this many characters an article is extracted in windows of whole paragraphs.
WINDOW = 20_000


def _run(article: Article) -> Extraction:
    if len(article.text) <= WINDOW:
        return _run_whole(article)
    # Some stages compare every sentence with every mention, which is quadratic in the
    # article's length: a 70,000-character article took 30 s. Sentences never cross a
    # line break, so extracting paragraph windows and shifting the offsets finds what a
    # sentence-level extractor finds, in time linear in the length.
    whole = Extraction(article=article)
    for start, end in _windows(article.text, WINDOW):
        part = _run_whole(dataclasses.replace(article, text=article.text[start:end]))
        _shift(part, start, article.text)
        _merge(whole, part)
    return whole


def _run_whole(article: Article) -> Extraction:
    doc = Doc(article)
    for name, stage in STAGES:
        setattr(doc.ex, name, stage(doc))
    return doc.ex


def _windows(text: str, size: int) -> list[tuple[int, int]]:
    """Spans of at most about ``size`` characters ending at line breaks (or anywhere)."""
    spans = []
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            for stop in ("\n", "。"):  # a paragraph end, else a sentence end
                cut = text.rfind(stop, start + size // 2, end)
                if cut >= 0:
                    end = cut + 1
                    break
        spans.append((start, end))
        start = end
    return spans


def _moved(ev: Evidence, by: int, text: str) -> Evidence:
    return Evidence(text[ev.start + by : ev.end + by], ev.start + by, ev.end + by)


def _shift(ex: Extraction, by: int, text: str) -> None:
    for entity in (*ex.regions, *ex.strategies, *ex.programs):
        for m in entity.mentions:
            m.start, m.end = m.start + by, m.end + by
            m.sentence = _moved(m.sentence, by, text)
    for item in (*ex.measures, *ex.partnerships, *ex.indicators):
        item.evidence = _moved(item.evidence, by, text)


def _merge(whole: Extraction, part: Extraction) -> None:
    """Add a window's items; an entity found again only adds its mentions."""
    for name in ("regions", "strategies", "programs"):
        known = {e.label: e for e in getattr(whole, name)}
        for e in getattr(part, name):
            if e.label in known:
                known[e.label].mentions.extend(e.mentions)
            else:
                getattr(whole, name).append(e)
                known[e.label] = e
    for name in ("measures", "partnerships", "indicators"):
        getattr(whole, name).extend(getattr(part, name))


def _requote(ev: Evidence, matching: str, original: str) -> Evidence:
    if matching[ev.start : ev.end] != ev.quote:
        return ev
    return Evidence(original[ev.start : ev.end], ev.start, ev.end)


def _quote_original(ex: Extraction, matching: str, original: str) -> None:
    """Evidence and mention surfaces read from the original text (same offsets)."""
    for entity in (*ex.regions, *ex.strategies, *ex.programs):
        for m in entity.mentions:
            m.sentence = _requote(m.sentence, matching, original)
            if matching[m.start : m.end] == m.surface:
                m.surface = original[m.start : m.end]
    for item in (*ex.measures, *ex.partnerships, *ex.indicators):
        item.evidence = _requote(item.evidence, matching, original)
