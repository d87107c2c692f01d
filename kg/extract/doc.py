"""The working state of one article while the extractors run over it.

Extractors run in a fixed order (regions, strategies, programs, measures,
partnerships, indicators); each reads what the earlier ones found from
``doc.ex`` and returns its own items. Sentences are split once here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.model import Article, Extraction
from kg.text import SentenceIndex


@dataclass
class Doc:
    article: Article
    #: The article's text (an attribute, not a property: the extractors read it often).
    text: str = field(init=False)
    sents: SentenceIndex = field(init=False)
    ex: Extraction = field(init=False)
    #: Work that several steps of an extractor share (the clause around a figure …), by
    #: the name of the step's cache: computed once per article instead of per step.
    memo: dict[str, dict] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.text = self.article.text
        self.sents = SentenceIndex(self.text)
        self.ex = Extraction(article=self.article)
