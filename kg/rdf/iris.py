"""Stable IRIs: the same thing gets the same IRI in every build and every corpus.

Administrative units are named by their GB/T 2260 code, groupings from
data/regions.ttl by their IRI there, everything else by a hash of its canonical
name, so IRIs survive re-runs, file renames and new articles.
"""

from __future__ import annotations

import hashlib

from kg import gazetteer
from kg.model import Region
from kg.rdf.ns import ID


def _h(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]


def region_iri(label: str, adcode: str | None, parent: str | None = None) -> str:
    """By code; a grouping the gazetteer knows by its IRI there; else by name.

    ``parent`` is given for townships and villages, whose names repeat across counties.
    """
    if adcode:
        return f"{ID}region/{adcode}"
    place = gazetteer.load().by_name(label)
    if place is not None and place.code is None:
        return place.iri
    return f"{ID}region/x{_h(parent, label) if parent else _h(label)}"


def region_iri_of(region: Region) -> str:
    parent = region.parent if region.kind == "other" else None
    return region_iri(region.label, region.adcode, parent)


def strategy_iri(label: str) -> str:
    return f"{ID}strategy/{_h(label)}"


def program_iri(label: str) -> str:
    return f"{ID}program/{_h(label)}"


def measure_iri(label: str, program: str | None) -> str:
    return f"{ID}measure/{_h(program or '', label)}"


def partnership_iri(kind: str, members: list[str]) -> str:
    return f"{ID}partnership/{_h(kind, *sorted(members))}"


def indicator_iri(subject: str, what: str, value: str, unit: str, year: int | None) -> str:
    return f"{ID}indicator/{_h(subject, what, value, unit, str(year or ''))}"


def article_iri(key: str) -> str:
    return f"{ID}article/{key}"


def span_iri(article_key: str, start: int, end: int) -> str:
    """RFC 5147 style fragment, as NIF 2.0 uses: {article}#char=start,end."""
    return f"{article_iri(article_key)}#char={start},{end}"
