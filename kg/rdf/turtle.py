"""Turtle from sorted N-Triples lines: the export for graphs too big for rdflib.

rdflib's ``longturtle`` needs the whole graph in memory and takes about 30 s per
million triples (RECIPES.md). pyoxigraph's *store* normalises literals on load
(``"829"^^xsd:nonNegativeInteger`` comes back as ``xsd:integer``), which would change
the data the shapes check, but its parser and serialiser do not: parsing the lines
and serialising the triples in the given order keeps every literal as built. Sorted
lines group triples by subject, so the writer abbreviates them with ``;`` and ``,``;
the output depends only on the set of lines, so it is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph

from kg.rdf.ns import PREFIXES

# Vocabulary prefixes only: instance IRIs (…/id/region/330702) stay whole and readable.
_VOCABULARIES = {p: str(ns) for p, ns in PREFIXES.items() if p != "id"}


def turtle_lines(lines: Iterable[str], prefixes: dict[str, str] | None = None) -> Iterator[str]:
    """Turtle text for sorted unique N-Triples ``lines`` (yielded as one chunk)."""
    data = "".join(lines).encode("utf-8")
    triples = pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
    out = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE,
                               prefixes=prefixes or _VOCABULARIES)
    yield out.decode("utf-8")


__all__ = ["turtle_lines"]
