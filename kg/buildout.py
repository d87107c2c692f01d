"""The whole ``kg build``: units (:mod:`kg.buildrun`) → merged graph → files, store, checks.

No stage after extraction holds the graph in rdflib: per-file graphs are pyoxigraph
triples written as N-Triples (:mod:`kg.rdf.build`), the merge streams sorted lines, the
Turtle is written by pyoxigraph (:mod:`kg.rdf.turtle`; rdflib's ``longturtle`` took 12 s
for 70,000 triples), and the page is drawn from an Oxigraph store bulk-loaded from the
merged file (the ``--store`` folder, or a temporary one). rdflib parses the merged graph
only for JSON-LD and for pySHACL on graphs up to :data:`SHACL_LIMIT` triples (the seed,
a paper's month): pySHACL needs about a minute per 20,000 triples, so larger graphs are
checked as :mod:`kg.rdf.checks` explains (cardinalities while merging, SHACL-SPARQL
rules on each file's graph).
Either way the output depends only on the input files, not on their order, the number of
workers or the hash seed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from pathlib import Path

from kg.buildrun import (
    CLASSES,
    Merged,
    RunStats,
    Unit,
    inputs,
    merge_units,
    run_units,
    write_shards,
)
from kg.rdf.checks import SubjectChecks

#: Above this many triples the page's store is on disk rather than in memory.
MEMORY_STORE_LIMIT = 1_000_000
#: Lines per call of Oxigraph's bulk loader (bounds its memory).
BULK_LINES = 500_000
#: Above this many triples pySHACL gives way to the checks of kg.rdf.checks.
SHACL_LIMIT = 20_000


@dataclass
class Outcome:
    """What a build did, for the summary and for tests."""

    stats: RunStats
    articles: int = 0
    triples: int = 0
    classes: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    validated: str = "not validated (--no-validate)"

    @property
    def conforms(self) -> bool:
        return not self.violations


def build_corpus(paths: list[str], out_dir: Path, *, formats: tuple[str, ...] = ("turtle",),
                 validate: bool = True, store_dir: Path | None = None, jobs: int = 1,
                 cache_dir: Path | None = None, shard_dir: Path | None = None,
                 page: bool = True, progress: Callable[[int, int], None] | None = None
                 ) -> Outcome:
    """Build the graph of ``paths`` into ``out_dir`` (see the module doc)."""
    out_dir = Path(out_dir)
    cache_dir = Path(cache_dir) if cache_dir else out_dir / ".cache"
    files, path_problems = inputs(paths)
    outcome = Outcome(RunStats(), problems=[str(p) for p in path_problems])
    units: list[Unit] = []
    for i, unit in enumerate(run_units(files, cache_dir, jobs, outcome.stats, validate), 1):
        units.append(unit)
        outcome.articles += unit.result.articles
        outcome.problems.extend(unit.result.problems)
        outcome.warnings.extend(unit.result.warnings)
        if progress:
            progress(i, len(files))
    if not outcome.articles:
        return outcome
    fd, tmp_name = tempfile.mkstemp(prefix=".regionkg.", suffix=".nt", dir=_mkdir(out_dir))
    os.close(fd)
    merged_path = Path(tmp_name)
    try:
        checks = SubjectChecks() if validate else None
        merged = merge_units(units, merged_path, checks.subject if checks else None)
        if checks is not None and merged.triples > SHACL_LIMIT:
            outcome.violations = [v for u in units for v in u.result.violations or []]
            outcome.violations += checks.violations
            outcome.validated = (f"shape cardinalities while merging, SHACL-SPARQL rules per "
                                 f"input file (full SHACL up to {SHACL_LIMIT} triples)")
        outcome.triples = merged.triples
        outcome.classes = {c: merged.classes.get(c, 0) for c in CLASSES}
        if shard_dir:
            n = write_shards(units, merged, Path(shard_dir))
            outcome.written.append(f"{shard_dir} ({n} N-Triples shards)")
        _outputs(merged, out_dir, formats, validate, store_dir, page, outcome)
    finally:
        merged_path.unlink(missing_ok=True)
    return outcome


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _outputs(merged: Merged, out_dir: Path, formats: tuple[str, ...], validate: bool,
             store_dir: Path | None, page: bool, outcome: Outcome) -> None:
    from kg.rdf.export import FORMATS, serialise, write_atomic
    from kg.rdf.turtle import turtle_lines

    rdflib_graph = cache(lambda: _rdflib_graph(merged.path))  # JSON-LD and pySHACL share it
    for fmt in formats:
        path = out_dir / f"regionkg{FORMATS[fmt][1]}"
        if fmt == "nt":
            shutil.copyfile(merged.path, merged.path.with_suffix(".copy"))
            os.replace(merged.path.with_suffix(".copy"), path)
        elif fmt == "turtle":  # pyoxigraph's writer: rdflib's takes ~12 s per 70k triples
            with open(merged.path, encoding="utf-8", newline="\n") as lines:
                write_atomic(path, turtle_lines(lines))
        else:
            write_atomic(path, serialise(rdflib_graph(), fmt))
        outcome.written.append(str(path))
    if store_dir:
        from kg.store import replace_store

        replace_store(Path(store_dir), lambda s: _bulk_load(s, merged.path))
        outcome.written.append(f"{store_dir} (Oxigraph store)")
    if page:
        from kg.graph.viz import write_store_page

        with _opened_store(merged, store_dir) as store:
            outcome.written.append(str(write_store_page(store, out_dir / "regionkg.html")))
    if validate and merged.triples <= SHACL_LIMIT:
        from kg.rdf.validate import validate as shacl

        report = shacl(rdflib_graph())
        outcome.violations = [str(v) for v in report.violations]
        outcome.validated = "SHACL (pySHACL, all shapes)"


def _rdflib_graph(path: Path):
    """The merged graph in rdflib: only for pySHACL on small graphs and for JSON-LD."""
    from rdflib import Graph

    from kg.rdf.ns import bind

    graph = bind(Graph())
    graph.parse(path, format="nt")
    return graph


def _bulk_load(store, path: Path) -> None:
    """Load the merged N-Triples in slices of :data:`BULK_LINES` lines: Oxigraph's bulk
    loader holds a whole call's input in memory (1.6 GB for 4.2 million triples, 0.6 GB
    in slices)."""
    import pyoxigraph as ox

    with open(path, "rb") as fh:
        while chunk := b"".join(islice(fh, BULK_LINES)):
            store.bulk_load(chunk, format=ox.RdfFormat.N_TRIPLES)


@contextmanager
def _opened_store(merged: Merged, store_dir: Path | None) -> Iterator:
    """The merged graph in Oxigraph, for the page's projection: the ``--store`` folder
    just written, else a store in memory (twice as fast to load) or, above
    :data:`MEMORY_STORE_LIMIT` triples, on disk (about 570 bytes a triple in memory)."""
    import pyoxigraph as ox

    if store_dir:
        from kg.store import open_store

        yield open_store(Path(store_dir))
        return
    if merged.triples <= MEMORY_STORE_LIMIT:
        store = ox.Store()
        _bulk_load(store, merged.path)
        yield store
        return
    tmp = tempfile.mkdtemp(prefix=".store-", dir=merged.path.parent)
    try:
        store = ox.Store(tmp)
        _bulk_load(store, merged.path)
        yield store
        del store
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


__all__ = ["SHACL_LIMIT", "Outcome", "build_corpus"]
