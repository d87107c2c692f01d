"""Merging per-file graphs given as sorted N-Triples, in bounded memory.

Why text and not a graph: every input file is built on its own (so it can run in
another process, on another machine, or come from the cache), and its graph is kept
as sorted, unique N-Triples lines. Sorted line files merge like any external sort: a
k-way merge reads one line per file at a time, so a corpus of any size merges in the
memory of one subject's triples. Since a line starts with its subject, the lines of one
subject are contiguous in the merged stream, which is what lets the few properties that
files may disagree on be reconciled on the fly:

* ``rdfs:label@zh`` is one per node: the smallest label wins (an order-independent rule,
  so the result does not depend on which file came first), the others become
  ``skos:altLabel@zh``; an altLabel equal to the kept label is dropped;
* ``rkg:since`` keeps the earliest year;
* ``rkg:sourceFile`` keeps the first path: the same article in two files is one article.

Everything else is a plain union, as in :func:`kg.rdf.build.build_graph`. The graph has no
blank nodes, so lines compare as triples. Python compares ``str`` by code point, which for
UTF-8 is byte order: the output is the same as ``LC_ALL=C sort -u``.
"""

from __future__ import annotations

import heapq
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SKOS_ALT = "<http://www.w3.org/2004/02/skos/core#altLabel>"
RKG_SINCE = "<https://w3id.org/regionkg/ontology#since>"
# An article found in two files: it keeps the first file (in path order) as its source.
RKG_SOURCE_FILE = "<https://w3id.org/regionkg/ontology#sourceFile>"

#: How many files one merge pass opens at once (far below the usual limit of 1024).
FAN_IN = 200

_ESCAPE = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))')
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'",
           "\\": "\\"}


def unescape(text: str) -> str:
    """The value of an N-Triples string body (between the quotes)."""
    def one(m: re.Match) -> str:
        if m.group(1) or m.group(2):
            return chr(int(m.group(1) or m.group(2), 16))
        return _SIMPLE.get(m.group(3), m.group(3))

    return _ESCAPE.sub(one, text) if "\\" in text else text


def split_line(line: str) -> tuple[str, str, str]:
    """Subject, predicate and object (as written) of one N-Triples line."""
    s, p, rest = line.split(" ", 2)
    return s, p, rest.rstrip("\n").removesuffix(" .").rstrip()


def _iter_lines(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8", newline="\n") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                yield line if line.endswith("\n") else line + "\n"


def _unique(lines: Iterable[str]) -> Iterator[str]:
    last = None
    for line in lines:
        if line != last:
            yield line
            last = line


def merge_sorted(paths: list[Path], tmp_dir: Path, open_lines: Callable[[Path], Iterable[str]]
                 = _iter_lines) -> Iterator[str]:
    """The sorted union of sorted line files, opening at most :data:`FAN_IN` at a time.

    ``open_lines`` reads one file's lines (the cache stores a header line first).
    """
    runs: list[Path] = list(paths)
    readers: list[Callable[[Path], Iterable[str]]] = [open_lines] * len(runs)
    made: list[Path] = []
    try:
        while len(runs) > FAN_IN:
            next_runs: list[Path] = []
            next_readers: list[Callable[[Path], Iterable[str]]] = []
            for i in range(0, len(runs), FAN_IN):
                fd, name = tempfile.mkstemp(prefix=".merge-", suffix=".nt", dir=tmp_dir)
                run = Path(name)
                made.append(run)
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                    out.writelines(_merge_batch(runs[i:i + FAN_IN], readers[i:i + FAN_IN]))
                next_runs.append(run)
                next_readers.append(_iter_lines)
            runs, readers = next_runs, next_readers
        yield from _merge_batch(runs, readers)
    finally:
        for run in made:
            run.unlink(missing_ok=True)


def _merge_batch(paths: list[Path], readers: list[Callable[[Path], Iterable[str]]]
                 ) -> Iterator[str]:
    with ExitStack() as stack:
        iters = []
        for path, reader in zip(paths, readers, strict=True):
            it = reader(path)
            if hasattr(it, "close"):
                stack.callback(it.close)
            iters.append(it)
        yield from _unique(heapq.merge(*iters))


@dataclass
class Reconciled:
    """What reconciling changed: lines dropped from the inputs, lines added to the graph."""

    dropped: set[str] = field(default_factory=set)
    added: set[str] = field(default_factory=set)


def _zh_value(obj: str) -> str | None:
    if obj.startswith('"') and obj.endswith('"@zh'):
        return unescape(obj[1:-4])
    return None


def reconcile_subject(lines: list[str], changes: Reconciled | None = None) -> list[str]:
    """One subject's unique lines with one label@zh and one rkg:since (see module doc)."""
    labels: list[tuple[str, str]] = []
    since: list[tuple[int, str]] = []
    sources: list[str] = []
    for line in lines:
        _, p, o = split_line(line)
        if p == RDFS_LABEL:
            value = _zh_value(o)
            if value is not None:
                labels.append((value, line))
        elif p == RKG_SINCE:
            digits = unescape(o[1:o.rindex('"')])
            since.append((int(digits) if digits.lstrip("-").isdigit() else 10**9, line))
        elif p == RKG_SOURCE_FILE:
            sources.append(line)
    if len(labels) < 2 and len(since) < 2 and len(sources) < 2:
        if not labels:
            return lines
        alt_same = f"{lines[0].split(' ', 1)[0]} {SKOS_ALT} {split_line(labels[0][1])[2]} .\n"
        if alt_same not in lines:
            return lines
    out = set(lines)
    subject = lines[0].split(" ", 1)[0]
    if labels:
        labels.sort()
        keep = labels[0]
        for _, line in labels[1:]:
            out.discard(line)
            alt = f"{subject} {SKOS_ALT} {split_line(line)[2]} .\n"
            if changes is not None:
                changes.dropped.add(line)
                if alt not in out:
                    changes.added.add(alt)
            out.add(alt)
        same = f"{subject} {SKOS_ALT} {split_line(keep[1])[2]} .\n"
        if same in out:
            out.discard(same)
            if changes is not None:
                changes.dropped.add(same)
    extra = sorted(since)[1:] if len(since) > 1 else []
    for line in [line for _, line in extra] + sorted(sources)[1:]:
        out.discard(line)
        if changes is not None:
            changes.dropped.add(line)
    return sorted(out)


def reconcile(lines: Iterable[str], changes: Reconciled | None = None) -> Iterator[str]:
    """The sorted unique lines of the merged graph, subject by subject."""
    for _, group in groupby(lines, key=lambda line: line.split(" ", 1)[0]):
        yield from reconcile_subject(list(group), changes)


__all__ = ["Reconciled", "merge_sorted", "reconcile", "reconcile_subject", "split_line",
           "unescape"]
