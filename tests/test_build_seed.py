"""The whole build of the seed page against a golden graph (isomorphism, not bytes).

After a deliberate change of the output, regenerate the golden file with
``REGEN_GOLDEN=1 pytest tests/test_build_seed.py`` and review its diff.
"""

import os
from pathlib import Path

import pyoxigraph
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.extract.pipeline import extract
from kg.ingest import read_paths
from kg.rdf.build import build_graph
from kg.rdf.export import serialise
from kg.rdf.validate import validate

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "seed.ttl"


def build_seed() -> Graph:
    articles, problems = read_paths([Path("data/articles/000_889d3301c9009900.txt")])
    assert not problems
    return build_graph([extract(a) for a in articles]).graph


def test_seed_graph_matches_golden(monkeypatch):
    monkeypatch.chdir(ROOT)
    graph = build_seed()
    if os.environ.get("REGEN_GOLDEN"):
        GOLDEN.write_text(serialise(graph), encoding="utf-8")
    golden = Graph().parse(GOLDEN, format="turtle")
    if not isomorphic(graph, golden):
        _, only_new, only_old = graph_diff(to_isomorphic(graph), to_isomorphic(golden))
        raise AssertionError(
            f"{len(only_new)} triples only in the build, {len(only_old)} only in the golden file; "
            f"e.g. {sorted(only_new)[:3]} / {sorted(only_old)[:3]}")


def test_seed_graph_conforms_and_counts(monkeypatch):
    monkeypatch.chdir(ROOT)
    graph = build_seed()
    assert validate(graph).conforms
    assert len(graph) > 1000


def test_seed_turtle_reads_the_same_in_rdflib_and_pyoxigraph():
    ttl = GOLDEN.read_bytes()
    store = pyoxigraph.Store()
    store.load(ttl, format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(Graph().parse(data=ttl, format="turtle"))
