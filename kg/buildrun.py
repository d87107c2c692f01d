"""``kg build`` for corpora of any size: per-file units, worker processes, a cache, shards.

Why per file: the graph of one input file is a pure function of its bytes, its path (the
articles record it as ``rkg:sourceFile``) and the rules (code, gazetteer, vocabularies).
So the work for one file — read, extract, build its own graph, write it as sorted
N-Triples — can run in any process or on any machine, be cached under a hash of those
inputs, and be re-used when nothing changed. The stages, one function each:

1. :func:`inputs` — the sorted input files (and path problems);
2. :func:`build_file` — the work for one file, written to the cache by
   :func:`build_entry` (in a worker with ``jobs > 1``);
3. :func:`run_units` — cache look-up, the worker pool, results in input order;
4. :func:`merge_units` — the sorted union of the per-file graphs, reconciled
   (:mod:`kg.rdf.merge`), streamed to one N-Triples file;
5. :func:`write_shards` — one N-Triples file per input file plus ``_shared.nt``.

Nothing holds all articles or all extractions: a result is written to the cache as it
arrives and the merge reads the cache files a line at a time. Output is the same for
any ``jobs`` and any input order, since the merge sorts.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

from kg import __version__
from kg.ingest import read_file
from kg.ingest.files import InputFile, collect_inputs
from kg.model import Article, Problem
from kg.rdf.export import replace_directory
from kg.rdf.merge import RDF_TYPE, Reconciled, file_lines, merge_sorted, reconcile_subjects

#: Code and packages whose change changes per-file graphs (so they are in the cache key).
_CODE_DIRS = ("extract", "ingest", "rdf")
_CODE_FILES = ("__init__.py", "model.py", "gazetteer.py", "units.py", "text.py", "resources.py",
               "buildrun.py")
_PACKAGES = ("rdflib", "pyoxigraph", "cpca", "cn2an", "ahocorasick-rs", "opencc", "pyyaml",
             "charset-normalizer")
CLASSES = ("Article", "Region", "Strategy", "Program", "Measure", "Partnership", "Indicator")
_RKG = "https://w3id.org/regionkg/ontology#"
_TYPE_LINES = {f" {RDF_TYPE} <{_RKG}{c}> .\n": c for c in CLASSES}


def class_of(line: str) -> str | None:
    """The class of :data:`CLASSES` that an N-Triples line types its subject with, if any."""
    return _TYPE_LINES.get(line[line.index(" "):]) if RDF_TYPE in line else None


def hash_tree(h: hashlib._Hash, node, rel: str, skip: tuple[str, ...] = ()) -> None:
    """Feed ``h`` every file below ``node`` with its path, in name order (not bytecode)."""
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        name = f"{rel}/{child.name}"
        if child.name.startswith(".") or child.name == "__pycache__" or name in skip:
            continue
        if child.is_dir():
            hash_tree(h, child, name, skip)
        elif not name.endswith(".pyc"):
            h.update(name.encode() + b"\0" + child.read_bytes() + b"\0")


@cache
def fingerprint() -> str:
    """A hash of everything besides the input file that its graph depends on.

    Changing a rule, the gazetteer, a vocabulary, the shapes or a parsing library
    changes the fingerprint and so every cache key: stale graphs are never re-used.
    """
    from kg.resources import resource_dir

    h = hashlib.sha256(f"regionkg {__version__}\n".encode())
    hash_tree(h, resource_dir("data"), "data", skip=("data/articles",))
    hash_tree(h, resource_dir("ontology"), "ontology")
    package = Path(__file__).resolve().parent
    for sub in _CODE_DIRS:
        hash_tree(h, package / sub, sub)
    for name in _CODE_FILES:
        h.update(name.encode() + b"\0" + (package / name).read_bytes() + b"\0")
    for dist in _PACKAGES:
        try:
            h.update(f"{dist}={importlib.metadata.version(dist)}\n".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{dist}=none\n".encode())
    return h.hexdigest()


def unit_key(source: str, data: bytes, fp: str | None = None) -> str:
    """The cache key and shard name of one input file: its bytes, its path, the rules."""
    h = hashlib.sha256((fp or fingerprint()).encode() + b"\0" + source.encode() + b"\0")
    h.update(data)
    return h.hexdigest()[:32]


# --- 1. inputs ---------------------------------------------------------------------------------

def inputs(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[InputFile], list[Problem]]:
    """The input files in their deterministic order, and the problems of the paths."""
    files: list[InputFile] = []
    problems: list[Problem] = []
    for item in collect_inputs(list(paths)):
        (problems if isinstance(item, Problem) else files).append(item)
    return files, problems


# --- 2. the work for one file ------------------------------------------------------------------

@dataclass
class FileResult:
    """One input file's graph (sorted N-Triples) and what went wrong reading it."""

    source: str
    key: str | None
    nt: str = ""
    articles: int = 0
    triples: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # the shapes' SPARQL constraints on this file's graph; None: not checked yet
    violations: list[str] | None = None

    def meta(self) -> dict:
        data = asdict(self)
        del data["nt"]
        return data


def build_file(source: str, path: str, check: bool = False) -> FileResult:
    """Read, extract and build one file: a pure function of the file (and the rules).

    ``check`` also runs the shapes' SPARQL constraints on the file's graph
    (:func:`kg.rdf.checks.file_violations`), here in the worker, where it is cheap.
    """
    from kg.extract.pipeline import extract
    from kg.rdf.build import build_graph

    item = InputFile(source, Path(path))
    try:
        key = unit_key(source, item.path.read_bytes())
    except OSError:
        key = None  # read_file reports why; an unreadable file is not cached
    result = FileResult(source, key)
    articles: list[Article] = []
    for x in read_file(item):
        if isinstance(x, Problem):
            result.problems.append(str(x))
        else:
            articles.append(x)
    if not articles:
        return result
    try:
        built = build_graph(extract(a) for a in articles)
    except Exception as exc:  # one odd file must not stop a corpus build
        result.problems.append(f"{source}: internal error while extracting "
                               f"({type(exc).__name__}: {exc})")
        return result
    result.nt = built.ntriples()
    result.articles = len(articles)
    result.triples = result.nt.count("\n")
    result.warnings = list(built.warnings)
    if check:
        from kg.rdf.checks import file_violations

        result.violations = file_violations(result.nt)
    return result


# --- 3. cache and workers ----------------------------------------------------------------------

def entry_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / f"{key}.nt"


def write_entry(cache_dir: Path, result: FileResult) -> Path:
    """An N-Triples file whose first line is a comment with the metadata (one file, so one
    atomic write makes an entry whole or absent)."""
    from kg.rdf.export import write_atomic

    assert result.key is not None
    path = entry_path(cache_dir, result.key)
    header = "# " + json.dumps(result.meta(), ensure_ascii=False, sort_keys=True) + "\n"
    write_atomic(path, header + result.nt, durable=False)
    return path


def build_entry(source: str, path: str, cache_dir: Path, check: bool = False) -> FileResult:
    """:func:`build_file`, its triples written to the cache entry by the worker itself:
    only the metadata travels back to the parent, which stays free for the merge."""
    result = build_file(source, path, check)
    if result.key:
        write_entry(cache_dir, result)
    result.nt = ""
    return result


def read_meta(path: Path) -> FileResult | None:
    """The metadata of a cache entry (without its triples), or None if it is not one."""
    try:
        with open(path, encoding="utf-8") as fh:
            first = fh.readline()
        data = json.loads(first[2:]) if first.startswith("# {") else None
        return FileResult(**data) if isinstance(data, dict) else None
    except (OSError, ValueError, TypeError):
        return None


@dataclass
class Unit:
    """One input file done: where its triples are and what it reported."""

    item: InputFile
    result: FileResult  # metadata; ``nt`` is empty once written
    path: Path | None  # the cache entry with its triples (None: no triples)
    reused: bool


@dataclass
class RunStats:
    files: int = 0
    built: int = 0  # files read and extracted in this run
    reused: int = 0  # files taken from the cache


def _key_of(item: InputFile) -> str | None:
    try:
        return unit_key(item.source, item.path.read_bytes())
    except OSError:
        return None


def run_units(files: list[InputFile], cache_dir: Path, jobs: int = 1,
              stats: RunStats | None = None, check: bool = False) -> Iterator[Unit]:
    """Each file's unit, in input order: from the cache when its key is there, else built
    (in ``jobs`` worker processes; 1 = in this process). At most a few results per worker
    wait in memory, so a corpus of any size streams through. ``check``: see
    :func:`build_file` (an entry built without the checks is built again)."""
    stats = stats if stats is not None else RunStats()
    fingerprint()  # computed once here; forked workers inherit it

    def done(item: InputFile, result: FileResult) -> Unit:
        stats.built += 1
        path = entry_path(cache_dir, result.key) if result.key and result.triples else None
        return Unit(item, result, path, False)

    def cached(item: InputFile) -> Unit | None:
        key = _key_of(item)
        if key is None:
            return None
        path = entry_path(cache_dir, key)
        meta = read_meta(path) if path.is_file() else None
        if meta is None or meta.source != item.source or (
                check and meta.triples and meta.violations is None):
            return None
        stats.reused += 1
        return Unit(item, meta, path if meta.triples else None, True)

    stats.files += len(files)
    jobs = min(jobs, len(files))
    if jobs <= 1:
        for item in files:
            yield cached(item) or done(item, build_entry(item.source, str(item.path),
                                                         cache_dir, check))
        return
    window = 4 * jobs
    pending: deque[tuple[InputFile, Unit | Future]] = deque()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        todo = iter(files)
        for item in todo:
            hit = cached(item)
            pending.append((item, hit or pool.submit(build_entry, item.source, str(item.path),
                                                     cache_dir, check)))
            while len(pending) >= window or (pending and isinstance(pending[0][1], Unit)):
                item0, job = pending.popleft()
                yield job if isinstance(job, Unit) else done(item0, job.result())
        while pending:
            item0, job = pending.popleft()
            yield job if isinstance(job, Unit) else done(item0, job.result())


# --- 4. merge ----------------------------------------------------------------------------------

@dataclass
class Merged:
    """The merged graph as a sorted N-Triples file, with its counts."""

    path: Path
    triples: int
    classes: Counter
    changes: Reconciled


def merge_units(units: list[Unit], out_path: Path,
                on_subject: Callable[[list[str]], None] | None = None) -> Merged:
    """Merge the units' triples into ``out_path`` (sorted unique N-Triples), reconciled;
    ``on_subject`` sees each subject's lines (the streaming checks)."""
    changes = Reconciled()
    classes: Counter = Counter()
    count = 0
    paths = [u.path for u in units if u.path is not None]
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        for lines in reconcile_subjects(merge_sorted(paths, out_path.parent), changes,
                                        on_subject):
            out.writelines(lines)
            count += len(lines)
            for line in lines:
                cls = class_of(line)
                if cls:
                    classes[cls] += 1
    return Merged(out_path, count, classes, changes)


# --- 5. shards ---------------------------------------------------------------------------------

SHARED = "_shared.nt"


def write_shards(units: list[Unit], merged: Merged, shard_dir: Path) -> int:
    """One ``<key>.nt`` per input file with triples, and ``_shared.nt``; returns the count.

    A shard is its file's graph minus the triples the merge reconciled away (a second
    label of a node, a later rkg:since); ``_shared.nt`` holds what reconciling added, so
    the union of the shards is exactly the merged graph. The folder is replaced as a whole:
    no stale shard of a file that has gone stays behind.
    """
    shard_dir = Path(shard_dir)
    if shard_dir.exists() and (not shard_dir.is_dir() or (
            any(shard_dir.iterdir()) and not (shard_dir / SHARED).is_file())):
        raise ValueError(f"{shard_dir}: exists and is not a shard folder (no {SHARED}); "
                         "refusing to replace it")
    shard_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{shard_dir.name}.new-", dir=shard_dir.parent))
    dropped = merged.changes.dropped
    try:
        written = 0
        for unit in units:
            if unit.path is None or unit.result.key is None:
                continue
            with open(tmp / f"{unit.result.key}.nt", "w", encoding="utf-8",
                      newline="\n") as out:
                out.writelines(line for line in file_lines(unit.path) if line not in dropped)
            written += 1
        (tmp / SHARED).write_text("".join(sorted(merged.changes.added)), encoding="utf-8")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    replace_directory(tmp, shard_dir)
    return written + 1


__all__ = ["SHARED", "FileResult", "Merged", "RunStats", "Unit", "build_file", "class_of",
           "fingerprint", "hash_tree", "inputs", "merge_units", "run_units", "unit_key",
           "write_shards"]
