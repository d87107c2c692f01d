"""The extraction report: extractions as plain JSON in the shape of the gold files.

``kg extract --format json`` prints it and ``kg eval`` scores it, so its shape is
the gold file's (see tests/data/gold.json), with an ``iri`` on entities and an
``evidence`` (quote, start, end) on every item.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.model import Extraction, Mention
from kg.rdf.iris import program_iri, region_iri_of, strategy_iri


def _evidence(mentions: list[Mention]) -> dict | None:
    return mentions[0].sentence.as_dict() if mentions else None


def extraction_dict(ex: Extraction) -> dict:
    a = ex.article
    return {
        "title": a.title,
        "date": a.date,
        "source": a.source,
        "url": a.url,
        "origin": a.origin,
        "authors": list(a.authors),
        "text": a.text,
        "regions": [{
            "label": r.label, "alt_labels": list(r.alt_labels), "adcode": r.adcode,
            "kind": r.kind, "parent": r.parent, "members": list(r.members),
            "iri": region_iri_of(r), "evidence": _evidence(r.mentions),
        } for r in ex.regions],
        "strategies": [{
            "label": s.label, "alt_labels": list(s.alt_labels), "covers": list(s.covers),
            "iri": strategy_iri(s.label), "evidence": _evidence(s.mentions),
        } for s in ex.strategies],
        "programs": [{
            "label": p.label, "kind": p.kind, "regions": list(p.regions),
            "implements": list(p.implements), "iri": program_iri(p.label),
            "evidence": _evidence(p.mentions),
        } for p in ex.programs],
        "measures": [{
            "label": m.label, "program": m.program, "total": m.total,
            "evidence": m.evidence.as_dict(),
        } for m in ex.measures],
        "partnerships": [{
            "members": list(p.members), "kind": p.kind, "since": p.since,
            "evidence": p.evidence.as_dict(),
        } for p in ex.partnerships],
        "indicators": [{
            "subject": i.subject, "value": i.value, "unit": i.unit, "what": i.what,
            "year": i.year, "qualifier": i.qualifier, "raw": i.raw,
            "evidence": i.evidence.as_dict(),
        } for i in ex.indicators],
    }


def report(extractions: Iterable[Extraction]) -> dict:
    return {"articles": [extraction_dict(ex) for ex in extractions]}
