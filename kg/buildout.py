"""The whole ``kg build``: units (:mod:`kg.buildrun`) → merged graph → files, store, checks.

No stage after extraction holds the graph in rdflib: per-file graphs are pyoxigraph
triples written as N-Triples (:mod:`kg.rdf.build`), the merge streams sorted lines, the
Turtle is written by pyoxigraph (:mod:`kg.rdf.turtle`; rdflib's ``longturtle`` took 12 s
for 70,000 triples), and the page is drawn from an Oxigraph store bulk-loaded from the
merged file (the ``--store`` folder, or one of its own). rdflib parses the merged graph
only for JSON-LD and for pySHACL on graphs up to :data:`SHACL_LIMIT` triples (the seed,
a paper's month): pySHACL needs about a minute per 20,000 triples, so larger graphs are
checked as :mod:`kg.rdf.checks` explains (cardinalities while merging, SHACL-SPARQL
rules on each file's graph).
Either way the output depends only on the input files, not on their order, the number of
workers or the hash seed.

A build that only adds input files to the previous build into the same folder patches
that build's outputs instead (:mod:`kg.buildstate`, :mod:`kg.buildpatch`): the same
bytes, in a fraction of the time.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from kg import buildstate
from kg.buildpatch import GraphPatch, added_units, patch_graph
from kg.buildrun import (
    CLASSES,
    RunStats,
    Unit,
    inputs,
    merge_units,
    run_units,
    write_shards,
)
from kg.buildstate import State, code_fingerprint, file_mark, store_mark
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
    patched: int | None = None  # subjects changed, when the previous build was patched

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
    options = _Options(out_dir, formats, validate, store_dir, page, jobs)
    state = buildstate.load(out_dir)
    if state is not None and _can_patch(state, options) and not shard_dir:
        added = added_units(state, units)
        if added is not None and _patched(state, added, units, options, outcome):
            return outcome
    _full(units, options, shard_dir, outcome)
    return outcome


@dataclass(frozen=True)
class _Options:
    out_dir: Path
    formats: tuple[str, ...]
    validate: bool
    store_dir: Path | None
    page: bool
    jobs: int = 1


def _can_patch(state: State, options: _Options) -> bool:
    """Whether the previous build can be patched: same rules and checks, and no output
    that needs the whole graph at once (JSON-LD, pySHACL on small graphs)."""
    return (state.fingerprint == code_fingerprint() and state.validate == options.validate
            and "jsonld" not in options.formats
            and (not options.validate or state.triples > SHACL_LIMIT))


def _unit_keys(units: list[Unit]) -> dict[str, str]:
    return {u.result.key: u.item.source for u in units if u.path is not None and u.result.key}


def _file_violations(units: list[Unit], outcome: Outcome) -> None:
    outcome.violations = [v for u in units for v in u.result.violations or []]
    outcome.validated = (f"shape cardinalities while merging, SHACL-SPARQL rules per "
                         f"input file (full SHACL up to {SHACL_LIMIT} triples)")


def _full(units: list[Unit], options: _Options, shard_dir: Path | None,
          outcome: Outcome) -> None:
    """Merge every unit and write every output; leave the state for the next build."""
    buildstate.clear(options.out_dir)
    graph = _mkdir(buildstate.state_dir(options.out_dir)) / "graph.nt"
    try:
        checks = SubjectChecks() if options.validate else None
        merged = merge_units(units, graph, checks.subject if checks else None)
        if checks is not None and merged.triples > SHACL_LIMIT:
            _file_violations(units, outcome)
            outcome.violations += checks.violations
        outcome.triples = merged.triples
        outcome.classes = {c: merged.classes.get(c, 0) for c in CLASSES}
        if shard_dir:
            n = write_shards(units, merged, Path(shard_dir))
            outcome.written.append(f"{shard_dir} ({n} N-Triples shards)")
        state = State(code_fingerprint(), options.validate, _unit_keys(units), outcome.triples,
                      outcome.classes)
        _outputs(graph, options, outcome, state, None)
        if not outcome.violations:
            buildstate.save(options.out_dir, state)
    except BaseException:
        buildstate.clear(options.out_dir)
        raise


def _patched(state: State, added: list[Unit], units: list[Unit], options: _Options,
             outcome: Outcome) -> bool:
    """Patch the previous build with the ``added`` units (:mod:`kg.buildpatch`); False
    (nothing changed) when the patch would break a shape: the full build reports it."""
    folder = buildstate.state_dir(options.out_dir)
    graph, new_graph = folder / "graph.nt", folder / "graph.nt.new"
    checks = SubjectChecks() if options.validate else None
    try:
        patch = patch_graph(graph, [u.path for u in added if u.path], new_graph, checks)
        if checks is not None and checks.violations:
            return False
        buildstate.forget(options.out_dir)
        os.replace(new_graph, graph)
    finally:
        new_graph.unlink(missing_ok=True)
    if options.validate:
        _file_violations(units, outcome)
    outcome.triples, outcome.classes = patch.counts(state.triples, state.classes)
    outcome.patched = len(patch.new)
    state.units, state.triples, state.classes = (_unit_keys(units), outcome.triples,
                                                 outcome.classes)
    _outputs(graph, options, outcome, state, patch)
    if not outcome.violations:
        buildstate.save(options.out_dir, state)
    return True


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _outputs(graph: Path, options: _Options, outcome: Outcome, state: State,
             patch: GraphPatch | None) -> None:
    """Write the outputs of the merged ``graph``: patched where ``patch`` says what changed
    and the state shows the output is the one the previous build wrote, else whole."""
    from kg.rdf.export import FORMATS, atomic_path, serialise, write_atomic

    out_dir = options.out_dir
    rdflib_graph = cache(lambda: _rdflib_graph(graph))  # JSON-LD and pySHACL share it
    # What the last build left; an output not written now is forgotten, since it no
    # longer matches the graph (patching it later would patch a stale file).
    previous = replace(state)
    state.chunks, state.turtle, state.store, state.store_mark, state.page_store = (
        [], None, None, None, None)
    with ExitStack() as stack:
        turtle = None
        for fmt in options.formats:
            path = out_dir / f"regionkg{FORMATS[fmt][1]}"
            if fmt == "nt":  # the merged graph itself
                with atomic_path(path, durable=False) as tmp:
                    _link_or_copy(graph, tmp)
            elif fmt == "turtle" and options.jobs > 1:
                # Turtle in a second process while this one writes the store and the page:
                # both only read the merged file, and both take seconds at scale.
                pool = stack.enter_context(ProcessPoolExecutor(max_workers=1))
                turtle = (path, pool.submit(_write_turtle, graph, path, previous, patch))
            elif fmt == "turtle":
                state.chunks = _write_turtle(graph, path, previous, patch)
                state.turtle = file_mark(path)
            else:
                write_atomic(path, serialise(rdflib_graph(), fmt))
            outcome.written.append(str(path))
        _store_and_page(graph, options, outcome, state, previous, patch)
        if turtle is not None:
            state.chunks = turtle[1].result()
            state.turtle = file_mark(turtle[0])
    if options.validate and outcome.triples <= SHACL_LIMIT:
        from kg.rdf.validate import validate as shacl

        report = shacl(rdflib_graph())
        outcome.violations = [str(v) for v in report.violations]
        outcome.validated = "SHACL (pySHACL, all shapes)"


def _store_and_page(graph: Path, options: _Options, outcome: Outcome, state: State,
                    previous: State, patch: GraphPatch | None) -> None:
    """The ``--store`` and the page (with its own store when there is no ``--store``)."""
    out_dir = options.out_dir
    store_dir = Path(options.store_dir) if options.store_dir else None
    where = buildstate.relative(store_dir, out_dir)
    if store_dir:
        same = (where == previous.store and previous.store_mark is not None
                and previous.store_mark == store_mark(store_dir))
        _fill_store(store_dir, graph, patch if same else None)
        outcome.written.append(f"{store_dir} (Oxigraph store)")
    folder = buildstate.state_dir(out_dir)
    if options.page:
        outcome.written.append(str(_write_page(graph, outcome.triples, options, previous,
                                               state, patch)))
    else:  # the memo would no longer describe the graph
        (folder / "page.memo").unlink(missing_ok=True)
    if state.page_store is None:  # not used by this page: stale for the next one
        shutil.rmtree(folder / "store", ignore_errors=True)
    if store_dir:  # after the page: reading leaves the mark as it was
        state.store, state.store_mark = where, store_mark(store_dir)


def _write_page(graph: Path, triples: int, options: _Options, previous: State, state: State,
                patch: GraphPatch | None) -> Path:
    """The page; after a patch, re-using what the previous page read (its memo) but for what
    the changed subjects invalidate (:class:`kg.graph.memo.Memo`).

    The page's modules (NumPy, SciPy, NetworkX: a third of a second) are imported in a
    thread while Oxigraph loads the store, which it does without holding Python's lock."""
    from concurrent.futures import ThreadPoolExecutor
    from importlib import import_module

    from kg.graph.facts import paused_gc
    from kg.graph.memo import Changed, load_memo, save_memo
    from kg.rdf.export import write_atomic

    memo_path = buildstate.state_dir(options.out_dir) / "page.memo"
    # The page's facts and memo are millions of small objects that live until the page is
    # written: every full collection while they do would re-scan them all (a second of a
    # 20,000-article page).
    with paused_gc(), ThreadPoolExecutor(1) as pool:
        page_module = pool.submit(import_module, "kg.graph.viz")
        memo = load_memo(memo_path) if patch is not None else None
        changed = None
        if memo is not None and patch is not None:  # (both, for the type checker)
            changed = Changed.of_ntriples(
                (line for lines in patch.old.values() for line in lines),
                (line for lines in patch.new.values() for line in lines))
        memo_path.unlink(missing_ok=True)
        with _page_store(graph, triples, options, previous, state, patch) as store:
            viz = page_module.result()
            sel = viz.select_from_store(store, max_nodes=viz.DEFAULT_MAX_NODES, memo=memo,
                                        changed=changed)
        path = options.out_dir / "regionkg.html"
        write_atomic(path, viz.render_html(viz.page_data(sel)))
        if sel.memo is not None:
            save_memo(sel.memo, memo_path)
    return path


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link where the file system has them: the state's graph and the N-Triples
    output are the same bytes, and neither is ever written in place (a patch writes a new
    file), so sharing them saves copying the largest file of a build."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _write_turtle(graph: Path, path: Path, previous: State, patch: GraphPatch | None
                  ) -> list[list]:
    """pyoxigraph's writer (rdflib's took ~12 s per 70k triples), chunk by chunk; only the
    changed chunks when the previous build's Turtle is there as it left it."""
    from kg.rdf.export import atomic_path
    from kg.rdf.patch import SortedLines
    from kg.rdf.turtle import patch_turtle, write_turtle

    with atomic_path(path) as tmp:
        if patch is not None and previous.chunks and previous.turtle == file_mark(path):
            with SortedLines(graph) as lines:
                chunks = patch_turtle(path, [(s, n) for s, n in previous.chunks], lines,
                                      patch.new, tmp)
        else:
            with open(graph, encoding="utf-8", newline="\n") as lines:
                chunks = write_turtle(lines, tmp)
    return [list(c) for c in chunks]


def _fill_store(directory: Path, graph: Path, patch: GraphPatch | None) -> None:
    """Load the graph into the store at ``directory``, or apply ``patch`` to it."""
    from kg.store import patch_store, replace_store

    if patch is not None:
        patch_store(directory, patch.removed(), patch.added())
    else:
        replace_store(directory, lambda s: _bulk_load(s, graph))


def _rdflib_graph(path: Path):
    """The merged graph in rdflib: only for pySHACL on small graphs and for JSON-LD."""
    from rdflib import Graph

    from kg.rdf.ns import bind

    graph = bind(Graph())
    graph.parse(path, format="nt")
    return graph


def _bulk_load(store, path: Path) -> None:
    """Load the merged N-Triples in slices of about :data:`BULK_LINES` lines: Oxigraph's bulk
    loader holds a whole call's input in memory (1.6 GB for 4.2 million triples, 0.6 GB
    in slices). A slice is read as one block of bytes, completed to the end of its last
    line: splitting it into lines and joining them again took twice as long."""
    import pyoxigraph as ox

    size = BULK_LINES * 175  # bytes: a line of the merged graph is about 175 bytes long
    with open(path, "rb") as fh:
        while chunk := fh.read(size) + fh.readline():
            store.bulk_load(chunk, format=ox.RdfFormat.N_TRIPLES)


@contextmanager
def _page_store(graph: Path, triples: int, options: _Options, previous: State, state: State,
                patch: GraphPatch | None) -> Iterator:
    """The merged graph in Oxigraph, for the page's projection: the ``--store`` folder
    just written, else a store in memory (twice as fast to load) or, above
    :data:`MEMORY_STORE_LIMIT` triples (about 570 bytes a triple in memory), on disk in
    the state folder, where the next build finds it to patch."""
    import pyoxigraph as ox

    from kg.store import open_store

    if options.store_dir:
        yield open_store(Path(options.store_dir))
        return
    if triples <= MEMORY_STORE_LIMIT:
        # Straight from the file: Oxigraph reads it itself, without the slices of
        # _bulk_load joined into bytes (a sixth of the load at 2,000 articles), and an
        # in-memory store holds all the triples whatever the size of the calls.
        store = ox.Store()
        store.bulk_load(path=str(graph), format=ox.RdfFormat.N_TRIPLES)
        yield store
        return
    folder = buildstate.state_dir(options.out_dir) / "store"
    current = store_mark(folder)
    _fill_store(folder, graph, patch if current and current == previous.page_store else None)
    yield open_store(folder)
    state.page_store = store_mark(folder)


__all__ = ["SHACL_LIMIT", "Outcome", "build_corpus"]
