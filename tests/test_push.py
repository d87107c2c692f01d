"""kg/push.py and `kg push`: endpoint layouts, chunking, atomic replacement in a real Virtuoso."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pyoxigraph as ox
import pytest
from localhttp import proxy
from rdflib import Graph
from virtuoso import term_key

from kg.push import (
    PushError,
    chunk_triples,
    derive_endpoints,
    load_file,
    push_file,
    staging_iri,
)
from kg.remote import run_remote

ROOT = Path(__file__).resolve().parent.parent


# --- pure parts ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "update", "gsp", "param"), [
    ("http://h:8890/sparql", "http://h:8890/sparql-auth",
     "http://h:8890/sparql-graph-crud-auth", "graph-uri"),                       # Virtuoso
    ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store", "graph"),  # Oxigraph
    ("http://h:3030/ds/sparql", "http://h:3030/ds/update", "http://h:3030/ds/data",
     "graph"),                                                                     # Fuseki
    ("http://h:3030/ds/query", "http://h:3030/ds/update", "http://h:3030/ds/data", "graph"),
    ("http://h:7200/repositories/kg", "http://h:7200/repositories/kg/statements",
     "http://h:7200/repositories/kg/rdf-graphs/service", "graph"),                 # GraphDB
    ("http://h:7001/", "http://h:7001/", None, "graph"),                           # QLever
])
def test_derive_endpoints_per_store(query, update, gsp, param):
    ep = derive_endpoints(query)
    assert (ep.update, ep.gsp, ep.gsp_param) == (update, gsp, param)


def test_explicit_endpoints_win():
    ep = derive_endpoints("http://h/sparql", update="http://u/up",
                          gsp="http://g/sparql-graph-crud")
    assert (ep.update, ep.gsp, ep.gsp_param) == ("http://u/up", "http://g/sparql-graph-crud",
                                                 "graph-uri")
    assert ep.gsp_url("http://ex/g#1") == "http://g/sparql-graph-crud?graph-uri=http%3A%2F%2Fex%2Fg%231"


def test_staging_iri_is_fresh_and_valid():
    assert staging_iri("http://ex/g", "ab12") == "http://ex/g#staging-ab12"
    assert staging_iri("http://ex/g#x", "ab12") == "http://ex/g#x-staging-ab12"
    assert staging_iri("http://ex/g") != staging_iri("http://ex/g")


@pytest.mark.parametrize("bad", ["not an iri", "relative/path", 'http://ex/g> } ; DROP ALL ; #',
                                 "http://ex/<g>", ""])
def test_graph_iri_that_could_break_the_update_is_refused(bad, tmp_path):
    with pytest.raises(PushError, match="not an absolute IRI"):
        push_file(tmp_path / "x.ttl", "http://127.0.0.1:1/sparql", bad)


def _node(v: str):
    return ox.BlankNode(v[2:]) if v.startswith("_:") else ox.NamedNode(v)


def _t(s, o):
    node = _node
    return ox.Triple(node(s), ox.NamedNode("http://ex/p"), node(o))


def test_chunks_cut_plain_triples_at_size():
    triples = [_t(f"http://ex/{i}", "http://ex/o") for i in range(10)]
    assert [len(c) for c in chunk_triples(triples, 4)] == [4, 4, 2]


def test_chunks_keep_blank_node_components_together():
    triples = [_t("http://ex/a", "_:b1"), _t("_:b1", "_:b2"), _t("_:b2", "http://ex/z"),
               _t("http://ex/c", "_:b3"), _t("http://ex/d", "http://ex/e")]
    chunks = list(chunk_triples(triples, 2))
    assert sum(len(c) for c in chunks) == 5
    for chunk in chunks:
        labels = {t.value for tr in chunk for t in (tr.subject, tr.object)
                  if isinstance(t, ox.BlankNode)}
        if labels & {"b1", "b2"}:
            assert {"b1", "b2"} <= labels and len(chunk) >= 3


def test_load_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://ex/a> <http://ex/b> .\n", encoding="utf-8")
    with pytest.raises(PushError, match=r"bad\.ttl: not valid Turtle"):
        load_file(bad)
    with pytest.raises(PushError, match=r"x\.csv: unknown RDF format"):
        (tmp_path / "x.csv").write_text("a,b\n")
        load_file(tmp_path / "x.csv")
    with pytest.raises(PushError, match=r"missing\.ttl: no such file"):
        load_file(tmp_path / "missing.ttl")


def test_load_file_counts_distinct_triples(tmp_path):
    f = tmp_path / "dup.nt"
    f.write_text('<http://ex/a> <http://ex/b> "c" .\n' * 3, encoding="utf-8")
    assert len(load_file(f)) == 1


# --- against Virtuoso ----------------------------------------------------------------------------

def _graph_iri() -> str:
    return f"https://w3id.org/regionkg/test/{uuid.uuid4().hex}"


def _env(virtuoso, tmp_path: Path, **extra) -> dict[str, str]:
    """The process environment for `kg push`: credentials from env, no stray netrc."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_ENDPOINT_")}
    env.pop("NETRC", None)
    env.update({"HOME": str(tmp_path), "KG_ENDPOINT_USER": virtuoso.user,
                "KG_ENDPOINT_PASSWORD": virtuoso.password, **extra})
    return env


def kg_push(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", "push", *args], capture_output=True,
                          text=True, env=env, timeout=300, cwd=ROOT, check=False)


def _count(virtuoso, graph: str) -> int:
    data = run_remote(virtuoso.sparql, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> "
                                       f"{{ ?s ?p ?o }} }}", env={})
    return int(data["results"]["bindings"][0]["n"]["value"])


def _keys(graph: Graph) -> set[tuple]:
    return {tuple(term_key(t) for t in triple) for triple in graph}


def _triples(virtuoso, graph: str) -> set[tuple]:
    """The graph as Virtuoso holds it, in comparable form (see virtuoso.literal_key)."""
    return _keys(run_remote(virtuoso.sparql, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> "
                                             f"{{ ?s ?p ?o }} }}", env={}))


def _staging_graphs(virtuoso, graph: str) -> list[str]:
    data = run_remote(virtuoso.sparql, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                                       f'FILTER (STRSTARTS(STR(?g), "{graph}")) }}', env={})
    return [b["g"]["value"] for b in data["results"]["bindings"]
            if b["g"]["value"] != graph]


def _file_triples(path: Path) -> set[tuple]:
    return _keys(Graph().parse(path))


def test_push_seed_then_replace_gives_the_same_count(virtuoso, built_seed_ttl, tmp_path):
    graph = _graph_iri()
    expected = len(Graph().parse(built_seed_ttl))
    env = _env(virtuoso, tmp_path)
    first = kg_push(env, "--endpoint", virtuoso.sparql, "--graph", graph, str(built_seed_ttl))
    assert first.returncode == 0, first.stderr
    assert f"pushed {expected} triples to <{graph}>" in first.stdout
    assert "time:" in first.stdout
    assert _count(virtuoso, graph) == expected
    assert _triples(virtuoso, graph) == _file_triples(built_seed_ttl)
    again = kg_push(env, "--endpoint", virtuoso.sparql, "--graph", graph, str(built_seed_ttl))
    assert again.returncode == 0, again.stderr
    assert _count(virtuoso, graph) == expected  # replaced, not doubled
    assert _staging_graphs(virtuoso, graph) == []
    assert virtuoso.password not in first.stdout + first.stderr + again.stdout + again.stderr


def test_push_through_sparql_update_batches(virtuoso, built_seed_ttl, tmp_path):
    graph = _graph_iri()
    out = kg_push(_env(virtuoso, tmp_path), "--endpoint", virtuoso.sparql, "--graph", graph,
                  "--method", "update", str(built_seed_ttl))
    assert out.returncode == 0, out.stderr
    assert "SPARQL Update" in out.stdout
    assert _triples(virtuoso, graph) == _file_triples(built_seed_ttl)


def test_push_replaces_a_bigger_graph_with_a_smaller_one(virtuoso, built_seed_ttl, tmp_path):
    graph = _graph_iri()
    small = tmp_path / "small.nt"
    small.write_text('<http://ex/a> <http://ex/b> "只有一条"@zh .\n', encoding="utf-8")
    env = _env(virtuoso, tmp_path)
    assert kg_push(env, "--endpoint", virtuoso.sparql, "--graph", graph,
                   str(built_seed_ttl)).returncode == 0
    assert kg_push(env, "--endpoint", virtuoso.sparql, "--graph", graph,
                   str(small)).returncode == 0
    assert _triples(virtuoso, graph) == _file_triples(small)
    assert len(_triples(virtuoso, graph)) == 1


def test_push_with_credentials_from_netrc(virtuoso, built_seed_ttl, tmp_path):
    rc = tmp_path / "netrc"
    rc.write_text(f"machine 127.0.0.1 login {virtuoso.user} password {virtuoso.password}\n")
    env = _env(virtuoso, tmp_path, NETRC=str(rc))
    del env["KG_ENDPOINT_USER"], env["KG_ENDPOINT_PASSWORD"]
    graph = _graph_iri()
    out = kg_push(env, "--endpoint", virtuoso.sparql, "--graph", graph, str(built_seed_ttl))
    assert out.returncode == 0, out.stderr
    assert virtuoso.password not in out.stdout + out.stderr


def test_wrong_password_fails_clearly_without_printing_it(virtuoso, built_seed_ttl, tmp_path):
    env = _env(virtuoso, tmp_path, KG_ENDPOINT_PASSWORD="wrong-pw-zz9")
    out = kg_push(env, "--endpoint", virtuoso.sparql, "--graph", _graph_iri(),
                  str(built_seed_ttl))
    assert out.returncode != 0
    assert "authentication failed (HTTP 401)" in out.stderr
    assert "wrong-pw-zz9" not in out.stdout + out.stderr


def test_invalid_file_leaves_the_graph_intact(virtuoso, built_seed_ttl, tmp_path):
    graph = _graph_iri()
    env = _env(virtuoso, tmp_path)
    assert kg_push(env, "--endpoint", virtuoso.sparql, "--graph", graph,
                   str(built_seed_ttl)).returncode == 0
    before = _triples(virtuoso, graph)
    bad = tmp_path / "broken.ttl"
    bad.write_text(built_seed_ttl.read_text(encoding="utf-8")[:5000] + "\n<oops ;;\n",
                   encoding="utf-8")
    out = kg_push(env, "--endpoint", virtuoso.sparql, "--graph", graph, str(bad))
    assert out.returncode != 0
    assert f"{bad}: not valid Turtle" in out.stderr
    assert _triples(virtuoso, graph) == before


def _authorised(method: str, path_start: str, after: int):
    """A proxy rule: answer 500 to the authorised `method` requests on `path_start` from the
    `after`+1-th on (digest clients send each request twice: unauthorised, then answered)."""
    seen = {"n": 0}

    def rule(m, path, headers, body):
        if m == method and path.startswith(path_start) and "Authorization" in headers:
            seen["n"] += 1
            if seen["n"] > after:
                return 500
        return None

    return rule


def test_failure_half_way_leaves_the_previous_graph_intact(virtuoso, built_seed_ttl, tmp_path):
    graph = _graph_iri()
    env = _env(virtuoso, tmp_path)
    assert kg_push(env, "--endpoint", virtuoso.sparql, "--graph", graph,
                   "--method", "update", str(built_seed_ttl)).returncode == 0
    before = _triples(virtuoso, graph)
    other = tmp_path / "other.nt"
    other.write_text("".join(f'<http://ex/s{i}> <http://ex/p> "第{i}条" .\n' for i in range(3000)),
                     encoding="utf-8")
    with proxy(virtuoso.base, _authorised("POST", "/sparql-graph-crud-auth", 2)) as (url, seen):
        out = kg_push(env, "--endpoint", f"{url}/sparql", "--graph", graph,
                      "--chunk-size", "1000", str(other))
    assert out.returncode != 0
    assert "push failed after 2000 of 3000 triples" in out.stderr
    assert "server error (HTTP 500" in out.stderr
    assert f"target <{graph}> left unchanged" in out.stderr
    assert _triples(virtuoso, graph) == before
    assert _staging_graphs(virtuoso, graph) == []  # dropped on failure
    assert any(s.path.startswith("/sparql-auth") and b"DROP" in s.body for s in seen)


def test_failure_of_the_final_move_leaves_the_graph_intact(virtuoso, built_seed_ttl, tmp_path):
    graph = _graph_iri()
    env = _env(virtuoso, tmp_path)
    assert kg_push(env, "--endpoint", virtuoso.sparql, "--graph", graph,
                   str(built_seed_ttl)).returncode == 0
    before = _count(virtuoso, graph)
    small = tmp_path / "small.nt"
    small.write_text('<http://ex/a> <http://ex/b> "c" .\n', encoding="utf-8")

    def fail_move(method, path, headers, body):
        return 500 if b"MOVE" in body and "Authorization" in headers else None

    with proxy(virtuoso.base, fail_move) as (url, _):
        out = kg_push(env, "--endpoint", f"{url}/sparql", "--graph", graph, str(small))
    assert out.returncode != 0
    assert "server error (HTTP 500" in out.stderr and "MOVE" not in out.stdout
    assert _count(virtuoso, graph) == before
    assert _staging_graphs(virtuoso, graph) == []


def test_too_big_chunks_are_split_and_resent(virtuoso, built_seed_ttl, tmp_path):
    graph = _graph_iri()

    def limit(method, path, headers, body):
        return 413 if path.startswith("/sparql-graph-crud") and len(body) > 60_000 else None

    with proxy(virtuoso.base, limit) as (url, _):
        out = kg_push(_env(virtuoso, tmp_path), "--endpoint", f"{url}/sparql", "--graph", graph,
                      str(built_seed_ttl))
    assert out.returncode == 0, out.stderr
    n_requests = int(out.stdout.split("(Graph Store Protocol, ")[1].split()[0])
    assert n_requests > 1
    assert _triples(virtuoso, graph) == _file_triples(built_seed_ttl)


def test_empty_file_is_refused(virtuoso, tmp_path):
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix ex: <http://ex/> .\n", encoding="utf-8")
    out = kg_push(_env(virtuoso, tmp_path), "--endpoint", virtuoso.sparql, "--graph",
                  _graph_iri(), str(empty))
    assert out.returncode != 0
    assert "no triples; refusing to replace" in out.stderr


def test_unreachable_store_is_a_clear_error(tmp_path, built_seed_ttl):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_ENDPOINT_")}
    out = kg_push(env | {"HOME": str(tmp_path)}, "--endpoint",
                  f"http://127.0.0.1:{port}/sparql", "--graph", _graph_iri(),
                  str(built_seed_ttl))
    assert out.returncode != 0
    assert f"http://127.0.0.1:{port}/sparql-graph-crud-auth: cannot connect" in out.stderr


# --- against the Oxigraph server (a second store, shipped by the `oxigraph` dependency) ---------

@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """`oxigraph serve` (read-write) on a free loopback port, stopped at the end."""
    import time
    import urllib.request

    from virtuoso import free_port

    from kg.serve import find_oxigraph

    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen([find_oxigraph(), "serve", "--location", str(location),
                             "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"oxigraph serve did not start on port {port}")
            time.sleep(0.1)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.mark.parametrize("method", ["gsp", "update"])
def test_push_to_oxigraph_server(oxigraph_server, built_seed_ttl, tmp_path, method):
    graph = _graph_iri()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_ENDPOINT_")}
    env["HOME"] = str(tmp_path)
    for _ in range(2):  # the second push replaces the first
        out = kg_push(env, "--endpoint", f"{oxigraph_server}/query", "--graph", graph,
                      "--method", method, str(built_seed_ttl))
        assert out.returncode == 0, out.stderr
    g = run_remote(f"{oxigraph_server}/query", f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> "
                                               f"{{ ?s ?p ?o }} }}", env={})
    # Oxigraph stores xsd:nonNegativeInteger as xsd:integer; the keys compare numbers by value
    assert _keys(g) == _file_triples(built_seed_ttl)
    assert len(g) == len(Graph().parse(built_seed_ttl))
