"""Traditional Chinese folded to Simplified, for MATCHING only, one character for one.

Scrapers bring in articles from Hong Kong, Macao and Taiwan sources, and mainland pages
that quote them: 國務院關於…長江經濟帶 must find the same strategy, 道孚縣 the same county,
as 国务院关于…长江经济带 and 道孚县. The gazetteer and the vocabularies are Simplified, so
the extractors run on a Simplified copy of the text.

The copy has exactly the length of the original, character for character, so every
offset an extractor finds indexes the ORIGINAL text as well: evidence quotes and
``nif:isString`` keep the article as it was written (see :func:`kg.extract.pipeline.extract`).
To guarantee that:

1. OpenCC's phrase-aware ``t2s`` converts the whole text (乾隆 stays 乾隆, 乾淨 becomes 干净);
   when the result has the same length, it is aligned character by character (OpenCC's
   Traditional→Simplified phrases map each character to one character).
2. Otherwise (a phrase that changes length), each character is converted on its own.
3. Characters of the gazetteer's own (Simplified) names are never changed: OpenCC turns
   the 乾 of 乾县 and 乾安县 into 干 when it has no phrase for them.

Text that is already Simplified comes back unchanged (a test checks the seed page).
"""

from __future__ import annotations

from functools import cache, lru_cache

__all__ = ["to_simplified"]


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _protected() -> frozenset[str]:
    """Characters of gazetteer names that OpenCC would change: they are Simplified already."""
    from kg.gazetteer import load

    gazetteer = load()
    convert = _converter().convert
    chars = {ch for name in (*gazetteer.full, *gazetteer.short) for ch in name}
    return frozenset(ch for ch in chars if convert(ch) != ch)


@lru_cache(maxsize=65536)
def _char(ch: str) -> str:
    out = _converter().convert(ch)
    return out if len(out) == 1 else ch


#: Characters seen to need no converting. The set grows to the alphabet of the
#: articles read, so after a few articles the test below is one set difference.
_UNCHANGED: set[str] = set()


def _maybe_traditional(text: str) -> bool:
    """Cheap test first: only text with a character OpenCC changes needs converting."""
    for ch in set(text) - _UNCHANGED:
        if ch >= "\u3400" and _char(ch) != ch:
            return True
        _UNCHANGED.add(ch)
    return False


def to_simplified(text: str) -> str:
    """``text`` with Traditional characters replaced by Simplified; same length always."""
    if not _maybe_traditional(text):
        return text
    converted = _converter().convert(text)
    if len(converted) != len(text):
        converted = "".join(_char(ch) for ch in text)
    keep = _protected()
    out = "".join(o if o in keep else c for o, c in zip(text, converted, strict=True))
    return out
