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

Chunks also make the Turtle patchable: :func:`write_turtle` returns where each chunk
starts (its first subject) and its length, and after a few subjects change,
:func:`patch_turtle` serialises again only the chunks that hold them and copies the
other chunks' bytes from the previous file. Since chunk boundaries never change the
text, the result is byte for byte the Turtle of the new graph written from scratch.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path

import pyoxigraph

from kg.rdf.ns import PREFIXES
from kg.rdf.patch import SortedLines, copy_range

# Vocabulary prefixes only: instance IRIs (…/id/region/330702) stay whole and readable.
_VOCABULARIES = {p: str(ns) for p, ns in PREFIXES.items() if p != "id"}


#: Lines per serialised chunk (rounded up to a whole subject): about 0.4 MB of text, so
#: that a patch re-serialises little around each changed subject.
CHUNK_LINES = 2_000

#: A chunk of the Turtle: its first subject (as in N-Triples) and its length in bytes.
Chunk = tuple[str, int]


def _serialise(chunk: list[str], prefixes: dict[str, str]) -> bytes:
    triples = pyoxigraph.parse("".join(chunk).encode("utf-8"),
                               format=pyoxigraph.RdfFormat.N_TRIPLES)
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)


def _chunk(lines: list[str], prefixes: dict[str, str], first: bool) -> bytes:
    """The Turtle of whole subjects' ``lines``; the prefix block only for the first chunk."""
    data = _serialise(lines, prefixes)
    return data if first else _without_prefixes(data)


def _without_prefixes(data: bytes) -> bytes:
    start = 0
    while data.startswith(b"@prefix ", start):
        start = data.index(b"\n", start) + 1
    return data[start:]


def turtle_chunks(lines: Iterable[str], prefixes: dict[str, str] | None = None,
                  chunk_lines: int | None = None) -> Iterator[tuple[str, bytes]]:
    """(first subject, Turtle bytes) of each chunk of whole subjects of sorted unique
    N-Triples ``lines`` (:data:`CHUNK_LINES` by default); only the first chunk has the
    prefix block."""
    prefixes = prefixes or _VOCABULARIES
    chunk_lines = chunk_lines or CHUNK_LINES
    chunk: list[str] = []
    start, first = "", True
    for subject, group in groupby(lines, key=lambda line: line.split(" ", 1)[0]):
        if not chunk:
            start = subject
        chunk.extend(group)
        if len(chunk) >= chunk_lines:
            yield start, _chunk(chunk, prefixes, first)
            chunk, first = [], False
    if chunk or first:
        yield start, _chunk(chunk, prefixes, first)


def turtle_lines(lines: Iterable[str], prefixes: dict[str, str] | None = None,
                 chunk_lines: int | None = None) -> Iterator[str]:
    """Turtle text for sorted unique N-Triples ``lines``, yielded a chunk of subjects at a time."""
    for _, data in turtle_chunks(lines, prefixes, chunk_lines):
        yield data.decode("utf-8")


def write_turtle(lines: Iterable[str], out: Path) -> list[Chunk]:
    """Write the Turtle of ``lines`` to ``out``; returns its chunks (for :func:`patch_turtle`)."""
    chunks: list[Chunk] = []
    with open(out, "wb") as fh:
        for subject, data in turtle_chunks(lines):
            fh.write(data)
            chunks.append((subject, len(data)))
    return chunks


def patch_turtle(old: Path, chunks: list[Chunk], graph: SortedLines, changed: Iterable[str],
                 out: Path) -> list[Chunk]:
    """The Turtle of ``graph`` (the new sorted N-Triples) written to ``out``, given the
    Turtle ``old`` of a graph that differs from it only in the lines of the subjects
    ``changed`` and that :func:`write_turtle` wrote as ``chunks``. Returns the new chunks.

    A changed subject belongs to the chunk whose first subject is the last one not above
    it (the first chunk also takes subjects before its own first one); only those chunks
    are serialised again, each from its new lines.
    """
    firsts = [subject for subject, _ in chunks]
    redo = sorted({max(bisect_right(firsts, s) - 1, 0) for s in changed})
    starts = [0]
    for _, size in chunks:
        starts.append(starts[-1] + size)
    new_chunks = list(chunks)
    with open(old, "rb") as src, open(out, "wb") as dst:
        pos = 0
        for i in redo:
            copy_range(src.fileno(), dst.fileno(), pos, starts[i])
            begin = 0 if i == 0 else graph.lower_bound(firsts[i])
            end = graph.size if i + 1 == len(firsts) else graph.lower_bound(firsts[i + 1])
            data = _chunk(graph.lines(begin, end), _VOCABULARIES, i == 0)
            dst.write(data)
            dst.flush()
            new_chunks[i] = (firsts[i], len(data))
            pos = starts[i + 1]
        copy_range(src.fileno(), dst.fileno(), pos, starts[-1])
    return new_chunks


__all__ = ["CHUNK_LINES", "Chunk", "patch_turtle", "turtle_chunks", "turtle_lines",
           "write_turtle"]
