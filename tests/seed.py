"""The seed page's graph, built once per test process with the library (no CLI).

Shared by the query, store, CLI and serve tests so the 5-second build happens once.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "articles"


@functools.cache
def seed_graph() -> Graph:
    from kg.extract.pipeline import extract
    from kg.ingest import read_paths
    from kg.rdf.build import build_graph

    articles, problems = read_paths([SEED])
    assert articles and not problems, problems
    return build_graph([extract(a) for a in articles]).graph


@functools.cache
def seed_dir() -> Path:
    """A temporary folder holding regionkg.ttl and an Oxigraph store of the seed graph."""
    from kg.rdf.export import serialise
    from kg.store import save_text

    folder = Path(tempfile.mkdtemp(prefix="kg-seed-"))
    atexit.register(shutil.rmtree, folder, True)
    graph = seed_graph()
    (folder / "regionkg.ttl").write_text(serialise(graph, "turtle"), encoding="utf-8")
    save_text(folder / "store", serialise(graph, "nt"))
    return folder


def seed_ttl() -> Path:
    return seed_dir() / "regionkg.ttl"


def seed_store() -> Path:
    return seed_dir() / "store"
