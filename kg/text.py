"""Sentence spans over normalised article text.

Every extracted item cites the sentence it came from, so sentence boundaries are
computed once per article and shared by all extractors. Chinese sentences end at
。！？; a closing quote or bracket right after the stop belongs to the sentence.
Newlines (paragraph breaks in normalised text) also end a sentence: headings and
list lines have no final stop.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from kg.model import Evidence

_SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”’」』）)]*|\n|$)")


def sentences(text: str) -> list[Evidence]:
    """Split ``text`` into sentence spans (stripped of surrounding white space)."""
    spans: list[Evidence] = []
    for m in _SENTENCE.finditer(text):
        span = m.group()
        quote = span.strip()  # str.strip drops what str.isspace calls space
        if quote:
            start = m.start() + len(span) - len(span.lstrip())
            spans.append(Evidence(quote, start, start + len(quote)))
    return spans


class SentenceIndex:
    """Find the sentence containing an offset in O(log n)."""

    def __init__(self, text: str, spans: Sequence[Evidence] | None = None) -> None:
        self.text = text
        self.spans = list(spans) if spans is not None else sentences(text)
        self._starts = [s.start for s in self.spans]

    def at(self, offset: int) -> Evidence:
        """The sentence that contains ``offset`` (or the nearest one before it)."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i < 0:
            if self.spans:
                return self.spans[0]
            return Evidence(self.text, 0, len(self.text))
        return self.spans[i]

    def index(self, sent: Evidence) -> int | None:
        """The position of the sentence that starts where ``sent`` starts, if any."""
        i = bisect.bisect_left(self._starts, sent.start)
        return i if i < len(self._starts) and self._starts[i] == sent.start else None

    def __iter__(self):
        return iter(self.spans)

    def __len__(self) -> int:
        return len(self.spans)
