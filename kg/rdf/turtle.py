"""Turtle from sorted N-Triples lines: the export for graphs too big for rdflib.

rdflib's ``longturtle`` needs the whole graph in memory and takes about 30 s per
million triples (RECIPES.md). pyoxigraph's *store* normalises literals on load
(``"829"^^xsd:nonNegativeInteger`` comes back as ``xsd:integer``), which would change
the data the shapes check, but its parser and serialiser do not: parsing the lines
and serialising the triples in the given order keeps every literal as built. Sorted
lines group triples by subject, so the writer abbreviates them with ``;`` and ``,``;
the output depends only on the set of lines, so it is deterministic.

The lines are serialised in chunks of whole subjects (:data:`CHUNK_LINES`), and the
prefix block of every chunk after the first is dropped: pyoxigraph ends each subject's
block with `` .`` and starts the next on a new line, so the concatenation is byte for
byte the Turtle of the whole graph at once (checked in tests/test_buildrun.py), while
memory holds one chunk instead of the whole graph three times over (lines, bytes, output).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby

import pyoxigraph

from kg.rdf.ns import PREFIXES

# Vocabulary prefixes only: instance IRIs (…/id/region/330702) stay whole and readable.
_VOCABULARIES = {p: str(ns) for p, ns in PREFIXES.items() if p != "id"}


#: Lines per serialised chunk (rounded up to a whole subject): about 10 MB of text.
CHUNK_LINES = 50_000


def _serialise(chunk: list[str], prefixes: dict[str, str]) -> bytes:
    triples = pyoxigraph.parse("".join(chunk).encode("utf-8"),
                               format=pyoxigraph.RdfFormat.N_TRIPLES)
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)


def _without_prefixes(data: bytes) -> bytes:
    start = 0
    while data.startswith(b"@prefix ", start):
        start = data.index(b"\n", start) + 1
    return data[start:]


def turtle_lines(lines: Iterable[str], prefixes: dict[str, str] | None = None,
                 chunk_lines: int = CHUNK_LINES) -> Iterator[str]:
    """Turtle text for sorted unique N-Triples ``lines``, yielded a chunk of subjects at a time."""
    prefixes = prefixes or _VOCABULARIES
    chunk: list[str] = []
    first = True
    for _, group in groupby(lines, key=lambda line: line.split(" ", 1)[0]):
        chunk.extend(group)
        if len(chunk) >= chunk_lines:
            data = _serialise(chunk, prefixes)
            yield (data if first else _without_prefixes(data)).decode("utf-8")
            chunk, first = [], False
    if chunk or first:
        data = _serialise(chunk, prefixes)
        yield (data if first else _without_prefixes(data)).decode("utf-8")


__all__ = ["CHUNK_LINES", "turtle_lines"]
