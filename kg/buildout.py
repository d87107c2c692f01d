"""The whole ``kg build``: units (:mod:`kg.buildrun`) → merged graph → files, store, checks.

Turtle is always written by pyoxigraph from the sorted merged N-Triples
(:mod:`kg.rdf.turtle`): rdflib's ``longturtle`` took 12 s for 70,000 triples. Graphs up
to :data:`RDFLIB_LIMIT` triples (the seed, a paper's month) also go through rdflib for
JSON-LD, the HTML page and pySHACL. Larger graphs never enter rdflib: the store is
bulk-loaded from the N-Triples file, and validation runs the shapes' cardinality and
SPARQL checks on the store (:mod:`kg.rdf.checks`), since pySHACL needs about a minute
per 20,000 triples.
Either way the output depends only on the input files, not on their order, the number of
workers or the hash seed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
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

#: Above this many triples the graph is exported without rdflib (no HTML page either).
RDFLIB_LIMIT = 200_000
#: Above this many triples pySHACL is replaced by the store checks of kg.rdf.checks.
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
    notes: list[str] = field(default_factory=list)
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
    for i, unit in enumerate(run_units(files, cache_dir, jobs, outcome.stats), 1):
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
        merged = merge_units(units, merged_path)
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

    small = merged.triples <= RDFLIB_LIMIT
    graph = _rdflib_graph(merged.path) if small or "jsonld" in formats else None
    for fmt in formats:
        path = out_dir / f"regionkg{FORMATS[fmt][1]}"
        if fmt == "nt":
            shutil.copyfile(merged.path, merged.path.with_suffix(".copy"))
            os.replace(merged.path.with_suffix(".copy"), path)
        elif fmt == "turtle":  # pyoxigraph's writer: rdflib's takes ~12 s per 70k triples
            with open(merged.path, encoding="utf-8", newline="\n") as lines:
                write_atomic(path, turtle_lines(lines))
        else:
            assert graph is not None
            write_atomic(path, serialise(graph, fmt))
        outcome.written.append(str(path))
    if store_dir:
        from kg.store import replace_store

        replace_store(Path(store_dir), lambda s: _bulk_load(s, merged.path))
        outcome.written.append(f"{store_dir} (Oxigraph store)")
    if page and small and graph is not None:
        from kg.graph.project import project
        from kg.graph.viz import write_page

        outcome.written.append(str(write_page(project(graph), out_dir / "regionkg.html")))
    elif page:
        outcome.notes.append(f"page skipped: {merged.triples} triples is above "
                             f"{RDFLIB_LIMIT}; draw a part with `kg viz --focus NAME`")
    if not validate:
        return
    if merged.triples <= SHACL_LIMIT and graph is not None:
        from kg.rdf.validate import validate as shacl

        report = shacl(graph)
        outcome.violations = [str(v) for v in report.violations]
        outcome.validated = "SHACL (pySHACL, all shapes)"
    else:
        outcome.violations = _store_checks(merged.path, store_dir)
        outcome.validated = (f"shape cardinalities and SHACL-SPARQL rules on the merged "
                             f"store (full SHACL only up to {SHACL_LIMIT} triples)")


def _rdflib_graph(path: Path):
    from rdflib import Graph

    from kg.rdf.ns import bind

    graph = bind(Graph())
    graph.parse(path, format="nt")
    return graph


def _bulk_load(store, path: Path) -> None:
    import pyoxigraph as ox

    store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)


def _store_checks(merged_path: Path, store_dir: Path | None) -> list[str]:
    import pyoxigraph as ox

    from kg.rdf.checks import run_checks

    if store_dir:
        from kg.store import open_store

        return list(run_checks(open_store(Path(store_dir))))
    tmp = tempfile.mkdtemp(prefix=".checks-", dir=merged_path.parent)
    try:
        store = ox.Store(tmp)
        _bulk_load(store, merged_path)
        violations = list(run_checks(store))
        del store
        return violations
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


__all__ = ["RDFLIB_LIMIT", "SHACL_LIMIT", "Outcome", "build_corpus"]
