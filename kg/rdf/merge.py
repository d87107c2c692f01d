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
import io
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph

RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
SKOS_ALT = "<http://www.w3.org/2004/02/skos/core#altLabel>"
RKG_SINCE = "<https://w3id.org/regionkg/ontology#since>"
# An article found in two files: it keeps the first file (in path order) as its source.
RKG_SOURCE_FILE = "<https://w3id.org/regionkg/ontology#sourceFile>"

_LABEL, _SINCE, _SOURCE = f" {RDFS_LABEL} ", f" {RKG_SINCE} ", f" {RKG_SOURCE_FILE} "

#: How many files a merge opens at once (far below the usual limit of 1024).
FAN_IN = 200

def literal_value(line: str) -> str:
    """The lexical value of the literal object of one N-Triples line (escapes undone by
    pyoxigraph's parser: labels are compared by value, not by their written form)."""
    triple = next(iter(pyoxigraph.parse(line.encode("utf-8"),
                                        format=pyoxigraph.RdfFormat.N_TRIPLES)))
    return triple.object.value


def split_line(line: str) -> tuple[str, str, str]:
    """Subject, predicate and object (as written) of one N-Triples line."""
    s, p, rest = line.split(" ", 2)
    return s, p, object_text(rest)


def object_text(rest: str) -> str:
    """The object as written, from the rest of a line after its predicate."""
    return rest.rstrip("\n").removesuffix(" .").rstrip()


def split_lines(text: str) -> list[str]:
    """The lines of N-Triples ``text``, each ending in a newline. Split at ``\n`` only:
    literals may hold U+2028, U+0085 or a form feed as they are (rdflib writes all three,
    pyoxigraph the first two), and ``str.splitlines`` breaks at each."""
    lines = text.split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last + "\n"] if last else [])


def sort_lines(text: str) -> str:
    """The lines of N-Triples ``text`` sorted (see :func:`split_lines`)."""
    return "".join(sorted(split_lines(text)))


def file_lines(path: Path) -> Iterator[str]:
    """The lines of one sorted line file, without comments (the cache's header line)."""
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


def merge_sorted(paths: list[Path], tmp_dir: Path) -> Iterator[str]:
    """The sorted union of sorted line files (comment lines, such as the cache's header,
    are dropped).

    GNU ``sort -m -u`` does the merge where it exists: it is several times faster than a
    merge in Python and keeps at most ``--batch-size`` files open. Without it (BusyBox,
    Windows), a :func:`heapq.merge` opens at most :data:`FAN_IN` files at a time.
    """
    sort = gnu_sort()
    if sort and paths:
        yield from _sort_merge(sort, paths, tmp_dir)
    else:
        yield from _python_merge(paths, tmp_dir)


@cache
def gnu_sort() -> str | None:
    """The path of GNU sort (the one with ``--files0-from`` and ``--batch-size``), or None."""
    sort = shutil.which("sort")
    if sort is None:
        return None
    try:
        version = subprocess.run([sort, "--version"], capture_output=True, text=True,
                                 timeout=10, check=False).stdout
    except OSError:
        return None
    return sort if "GNU coreutils" in version else None


def _sort_merge(sort: str, paths: list[Path], tmp_dir: Path) -> Iterator[str]:
    env = {**os.environ, "LC_ALL": "C"}  # byte order: the order of Python's str sort
    cmd = [sort, "-m", "-u", f"--batch-size={FAN_IN}", "-T", str(tmp_dir), "--files0-from=-"]
    with subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env) as proc:
        names = b"".join(os.fsencode(p) + b"\0" for p in paths)
        feeder = threading.Thread(target=_feed, args=(proc.stdin, names), daemon=True)
        feeder.start()
        assert proc.stdout is not None
        out = io.TextIOWrapper(proc.stdout, encoding="utf-8", newline="\n")
        finished = False
        try:
            for line in out:
                if not line.startswith("#") and line.strip():
                    yield line if line.endswith("\n") else line + "\n"
            finished = True
        finally:
            if not finished:  # the reader stopped early: do not wait for the rest
                proc.kill()
            feeder.join()
            error = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
            if proc.wait() != 0 and finished:
                raise OSError(f"sort failed while merging the per-file graphs: {error.strip()}")


def _feed(pipe, data: bytes) -> None:
    try:
        pipe.write(data)
    finally:
        pipe.close()


def _python_merge(paths: list[Path], tmp_dir: Path) -> Iterator[str]:
    runs: list[Path] = list(paths)
    made: list[Path] = []
    try:
        while len(runs) > FAN_IN:
            next_runs: list[Path] = []
            for i in range(0, len(runs), FAN_IN):
                fd, name = tempfile.mkstemp(prefix=".merge-", suffix=".nt", dir=tmp_dir)
                run = Path(name)
                made.append(run)
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                    out.writelines(_merge_batch(runs[i:i + FAN_IN]))
                next_runs.append(run)
            runs = next_runs
        yield from _merge_batch(runs)
    finally:
        for run in made:
            run.unlink(missing_ok=True)


def _merge_batch(paths: list[Path]) -> Iterator[str]:
    with ExitStack() as stack:
        iters = []
        for path in paths:
            it = file_lines(path)
            stack.callback(it.close)
            iters.append(it)
        yield from _unique(heapq.merge(*iters))


@dataclass
class Reconciled:
    """What reconciling changed: lines dropped from the inputs, lines added to the graph."""

    dropped: set[str] = field(default_factory=set)
    added: set[str] = field(default_factory=set)


def _zh_value(line: str, obj: str) -> str | None:
    return literal_value(line) if obj.startswith('"') and obj.endswith('"@zh') else None


def reconcile_subject(lines: list[str], changes: Reconciled | None = None) -> list[str]:
    """One subject's unique lines with one label@zh and one rkg:since (see module doc)."""
    labels: list[tuple[str, str]] = []
    since: list[tuple[int, str]] = []
    sources: list[str] = []
    for line in lines:
        if not (_LABEL in line or _SINCE in line or _SOURCE in line):  # most lines: skip
            continue
        _, p, o = split_line(line)
        if p == RDFS_LABEL:
            value = _zh_value(line, o)
            if value is not None:
                labels.append((value, line))
        elif p == RKG_SINCE:
            digits = literal_value(line)
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


def subject_groups(lines: Iterable[str]) -> Iterator[list[str]]:
    """The lines of sorted N-Triples, one list per subject. A prefix test per line, not a
    split: this runs over every line of the corpus graph."""
    group: list[str] = []
    head = ""
    for line in lines:
        if group and line.startswith(head):
            group.append(line)
            continue
        if group:
            yield group
        head, group = line[:line.index(" ") + 1], [line]
    if group:
        yield group


def reconcile_subjects(lines: Iterable[str], changes: Reconciled | None = None,
                       on_subject: Callable[[list[str]], None] | None = None
                       ) -> Iterator[list[str]]:
    """The sorted unique lines of the merged graph, reconciled, one list per subject (each
    also goes to ``on_subject``: the streaming checks)."""
    for group in subject_groups(lines):
        done = reconcile_subject(group, changes)
        if on_subject is not None:
            on_subject(done)
        yield done


__all__ = ["Reconciled", "file_lines", "literal_value", "merge_sorted", "object_text",
           "reconcile_subject", "reconcile_subjects", "sort_lines", "split_line", "split_lines",
           "subject_groups"]
