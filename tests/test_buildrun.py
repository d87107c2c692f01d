"""Corpus builds (kg/buildrun.py, kg/buildout.py, kg/rdf/merge.py, kg/rdf/turtle.py,
kg/rdf/checks.py): workers, the cache, shards, merging across files, the large-graph path,
and shards bulk-loaded into a real Virtuoso."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg import buildout
from kg.buildout import build_corpus
from kg.buildrun import SHARED, FileResult, merge_units, unit_key, write_entry, write_shards
from kg.buildrun import Unit as BuildUnit
from kg.ingest.files import InputFile
from kg.rdf.checks import SubjectChecks, file_violations, run_checks
from kg.rdf.merge import reconcile_subject, reconcile_subjects
from kg.rdf.turtle import turtle_lines

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "articles"
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402  (a script folder, not a package)

FAST = {"validate": False, "page": False}


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    """A dozen generated articles in several files (pages, Markdown, JSON Lines)."""
    out = tmp_path_factory.mktemp("corpus")
    corpus.write_corpus(12, out, seed=3)
    return out / "articles"


def _nt(out: Path) -> set[str]:
    return set((out / "regionkg.nt").read_text(encoding="utf-8").splitlines())


# --- workers and determinism -------------------------------------------------------------------

def test_two_jobs_give_the_same_bytes_as_one(small_corpus, tmp_path):
    one = build_corpus([str(small_corpus)], tmp_path / "j1", formats=("turtle", "nt"), jobs=1,
                       **FAST)
    two = build_corpus([str(small_corpus)], tmp_path / "j2", formats=("turtle", "nt"), jobs=2,
                       **FAST)
    assert one.stats.built == two.stats.built == one.stats.files > 3
    for name in ("regionkg.ttl", "regionkg.nt"):
        assert (tmp_path / "j1" / name).read_bytes() == (tmp_path / "j2" / name).read_bytes()
    assert one.triples == two.triples > 1000


def test_seed_build_is_the_graph_of_one_build(tmp_path):
    """The corpus pipeline gives the seed the graph of one build_graph, in the same bytes
    every time (literals keep their datatypes through pyoxigraph's writer)."""
    from kg.extract.pipeline import extract
    from kg.ingest import read_paths
    from kg.rdf.build import build_graph

    outcome = build_corpus([str(SEED)], tmp_path / "a", page=False)
    assert outcome.conforms and outcome.validated.startswith("SHACL")
    articles, _ = read_paths([SEED])
    expected = build_graph([extract(a) for a in articles]).graph
    written = Graph().parse(tmp_path / "a" / "regionkg.ttl", format="turtle")
    assert isomorphic(written, expected)
    build_corpus([str(SEED)], tmp_path / "b", page=False)
    assert (tmp_path / "a" / "regionkg.ttl").read_bytes() == \
        (tmp_path / "b" / "regionkg.ttl").read_bytes()


# --- the cache ---------------------------------------------------------------------------------

def test_cache_is_reused_and_invalidated_by_a_change(small_corpus, tmp_path):
    src = tmp_path / "src"
    shutil.copytree(small_corpus, src)
    cache = tmp_path / "cache"
    first = build_corpus([str(src)], tmp_path / "a", cache_dir=cache, formats=("nt",), **FAST)
    again = build_corpus([str(src)], tmp_path / "b", cache_dir=cache, formats=("nt",), **FAST)
    assert again.stats.built == 0 and again.stats.reused == first.stats.files
    assert (tmp_path / "a/regionkg.nt").read_bytes() == (tmp_path / "b/regionkg.nt").read_bytes()
    assert again.problems == first.problems and again.warnings == first.warnings

    md = sorted(src.glob("*.md"))[0]
    md.write_text(md.read_text(encoding="utf-8") + "\n浙江省与四川省开展协同。\n", encoding="utf-8")
    (src / "zz-new.md").write_text("---\ntitle: 新闻\n---\n重庆市与四川省签署合作协议。\n",
                                   encoding="utf-8")
    changed = build_corpus([str(src)], tmp_path / "c", cache_dir=cache, formats=("nt",), **FAST)
    assert changed.stats.built == 2 and changed.stats.reused == first.stats.files - 1
    assert changed.articles == first.articles + 1
    build_corpus([str(src)], tmp_path / "d", cache_dir=tmp_path / "other", formats=("nt",),
                 **FAST)
    assert _nt(tmp_path / "c") == _nt(tmp_path / "d")


# --- merging across files ----------------------------------------------------------------------

S = "<https://w3id.org/regionkg/id/region/x1>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
ALT = "<http://www.w3.org/2004/02/skos/core#altLabel>"
SINCE = "<https://w3id.org/regionkg/ontology#since>"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
GYEAR = "<http://www.w3.org/2001/XMLSchema#gYear>"


def _line(p: str, o: str, s: str = S) -> str:
    return f"{s} {p} {o} .\n"


def test_reconcile_keeps_the_smallest_label_and_the_earliest_year():
    lines = sorted({_line(LABEL, '"婺城区"@zh'), _line(LABEL, '"婺城"@zh'),
                    _line(ALT, '"婺城"@zh'), _line(LABEL, '"Wucheng"@en'),
                    _line(SINCE, f'"2021"^^{GYEAR}'), _line(SINCE, f'"2019"^^{GYEAR}')})
    out = reconcile_subject(lines)
    assert _line(LABEL, '"婺城"@zh') in out and _line(LABEL, '"婺城区"@zh') not in out
    assert _line(ALT, '"婺城区"@zh') in out and _line(ALT, '"婺城"@zh') not in out
    assert _line(LABEL, '"Wucheng"@en') in out
    assert [x for x in out if SINCE in x] == [_line(SINCE, f'"2019"^^{GYEAR}')]
    assert out == sorted(out)


def test_reconcile_leaves_agreeing_subjects_alone():
    lines = [_line(LABEL, '"婺城区"@zh'), _line(TYPE, "<http://ex/C>")]
    assert [x for g in reconcile_subjects(sorted(lines)) for x in g] == sorted(lines)


def _unit(tmp: Path, name: str, lines: list[str]) -> BuildUnit:
    nt = "".join(sorted(lines))
    key = unit_key(name, nt.encode())
    result = FileResult(name, key, nt=nt, articles=1, triples=len(lines))
    path = write_entry(tmp / "cache", result)
    return BuildUnit(InputFile(name, tmp / name), result, path, False)


def test_files_that_disagree_merge_and_shards_add_up(tmp_path):
    other = "<https://w3id.org/regionkg/id/region/x2>"
    a = _unit(tmp_path, "a.md", [_line(LABEL, '"道孚县"@zh'), _line(SINCE, f'"2021"^^{GYEAR}'),
                                 _line(TYPE, "<http://ex/C>"), _line(LABEL, '"甲"@zh', other)])
    b = _unit(tmp_path, "b.md", [_line(LABEL, '"道孚"@zh'), _line(SINCE, f'"2018"^^{GYEAR}'),
                                 _line(TYPE, "<http://ex/C>")])
    merged = merge_units([a, b], tmp_path / "merged.nt")
    graph = (tmp_path / "merged.nt").read_text(encoding="utf-8").splitlines(keepends=True)
    assert graph == sorted(set(graph))
    assert _line(LABEL, '"道孚"@zh') in graph and _line(ALT, '"道孚县"@zh') in graph
    assert _line(SINCE, f'"2018"^^{GYEAR}') in graph and len(graph) == merged.triples == 5
    write_shards([a, b], merged, tmp_path / "shards")
    names = sorted(p.name for p in (tmp_path / "shards").iterdir())
    assert names == sorted([f"{a.result.key}.nt", f"{b.result.key}.nt", SHARED])
    union = set()
    for shard in (tmp_path / "shards").iterdir():
        union |= set(shard.read_text(encoding="utf-8").splitlines(keepends=True))
    assert union == set(graph)


def test_shards_are_named_by_content_hash_and_add_up_to_the_graph(small_corpus, tmp_path):
    outcome = build_corpus([str(small_corpus)], tmp_path / "out", formats=("nt",),
                           shard_dir=tmp_path / "shards", **FAST)
    expected = {f"{unit_key(str(f), f.read_bytes())}.nt" for f in small_corpus.iterdir()}
    names = {p.name for p in (tmp_path / "shards").iterdir()}
    assert names == expected | {SHARED}
    union: set[str] = set()
    for shard in (tmp_path / "shards").iterdir():
        union |= set(shard.read_text(encoding="utf-8").splitlines())
    assert union == _nt(tmp_path / "out") and len(union) == outcome.triples
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ValueError, match="not a shard folder"):
        build_corpus([str(small_corpus)], tmp_path / "out", shard_dir=tmp_path / "elsewhere",
                     **FAST)


# --- the large-graph path ----------------------------------------------------------------------

def test_store_checks_path_gives_the_same_graph(small_corpus, tmp_path, monkeypatch):
    """Above SHACL_LIMIT the build validates by the store checks; the graph is the same."""
    small = build_corpus([str(small_corpus)], tmp_path / "small", formats=("turtle", "nt"),
                         page=False, validate=False)
    monkeypatch.setattr(buildout, "SHACL_LIMIT", 10)
    large = build_corpus([str(small_corpus)], tmp_path / "large", formats=("turtle", "nt"),
                         store_dir=tmp_path / "store")
    assert large.conforms, large.violations[:5]
    assert large.validated.startswith("shape cardinalities")
    assert (tmp_path / "large" / "regionkg.html").is_file()
    assert _nt(tmp_path / "small") == _nt(tmp_path / "large") and small.triples == large.triples
    ttl = (tmp_path / "large" / "regionkg.ttl").read_bytes()
    ours = Graph().parse(data=ttl, format="turtle")
    assert isomorphic(ours, Graph().parse(tmp_path / "small" / "regionkg.ttl", format="turtle"))
    store = ox.Store()
    store.load(ttl, format=ox.RdfFormat.TURTLE)
    assert len(store) == large.triples
    assert b"xsd:nonNegativeInteger" in ttl  # literals keep their datatype


def test_turtle_writer_is_valid_for_awkward_terms():
    lines = sorted([
        '<http://ex/a> <http://www.w3.org/2000/01/rdf-schema#label> "引号\\"\\n换行"@zh .\n',
        '<http://ex/a> <https://w3id.org/regionkg/ontology#x.y> "1"^^<http://ex/dt> .\n',
        '<http://ex/a> <https://w3id.org/regionkg/ontology#since> '
        '"2021"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n',
        '<https://w3id.org/regionkg/id/article/1#char=0,3> '
        '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://ex/C> .\n',
        '<https://w3id.org/regionkg/id/x-1> <http://ex/p> <http://ex/o1> .\n',
        '<https://w3id.org/regionkg/id/x-1> <http://ex/p> <http://ex/o2> .\n',
    ])
    ttl = "".join(turtle_lines(lines))
    assert isomorphic(Graph().parse(data=ttl, format="turtle"),
                      Graph().parse(data="".join(lines), format="nt"))
    assert "<http://ex/o1> , <http://ex/o2> ." in ttl  # objects of one subject abbreviated


def test_store_checks_find_a_second_label():
    store = ox.Store()
    store.load(Path(ROOT / "tests/data/seed.ttl").read_bytes(), format=ox.RdfFormat.TURTLE)
    assert list(run_checks(store)) == []
    node = next(iter(store.quads_for_pattern(
        None, ox.NamedNode(SINCE[1:-1]), None))).subject
    store.add(ox.Quad(node, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                      ox.Literal("另一个", language="zh")))
    store.add(ox.Quad(node, ox.NamedNode("https://w3id.org/regionkg/ontology#since"),
                      ox.Literal("1999", datatype=ox.NamedNode(GYEAR[1:-1]))))
    found = list(run_checks(store))
    assert any("rdfs:label" in v and node.value in v for v in found)
    assert any("rkg:since maxCount 1" in v for v in found)


def test_sort_and_python_merges_agree(tmp_path, monkeypatch):
    """``sort -m -u`` and the Python fallback (in several passes) give the same lines."""
    import random

    from kg.rdf import merge

    rng = random.Random(7)
    lines = _seed_lines()
    paths = []
    for i in range(7):
        part = sorted(rng.sample(lines, 300))
        path = tmp_path / f"{i}.nt"
        path.write_text("# a cache header\n" + "".join(part), encoding="utf-8")
        paths.append(path)
    expected = sorted({x for p in paths for x in p.read_text(encoding="utf-8").splitlines(True)
                       if not x.startswith("#")})
    assert merge.gnu_sort() is not None  # Debian's coreutils: the sort path is the one tested
    assert list(merge.merge_sorted(paths, tmp_path)) == expected
    monkeypatch.setattr(merge, "gnu_sort", lambda: None)
    monkeypatch.setattr(merge, "FAN_IN", 3)
    assert list(merge.merge_sorted(paths, tmp_path)) == expected


def _seed_lines() -> list[str]:
    data = ox.serialize(ox.parse(Path(ROOT / "tests/data/seed.ttl").read_bytes(),
                                 format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES)
    return sorted(set(data.decode("utf-8").splitlines(keepends=True)))


def _stream_check(lines: list[str]) -> list[str]:
    checks = SubjectChecks()
    list(reconcile_subjects(sorted(set(lines)), on_subject=checks.subject))
    return checks.violations


def test_streaming_checks_agree_with_the_store_checks():
    """The cardinalities checked subject by subject while merging find what SPARQL finds."""
    lines = _seed_lines()
    assert _stream_check(lines) == []
    span = next(x for x in lines if "#char=" in x.split(" ", 1)[0])
    subject = span.split(" ", 1)[0]
    anchor = f"{subject} <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#anchorOf>"
    broken = [x for x in lines if not x.startswith(anchor)]  # a span without its text
    found = _stream_check(broken)
    assert found == [f"{subject[1:-1]} rkgsh:TextSpanShape nif:anchorOf minCount 1 (found 0)"]
    zh_label = next(x for x in lines if "rdf-schema#label>" in x and x.endswith('"@zh .\n'))
    node = zh_label.split(" ", 1)[0]
    assert _stream_check([*lines, zh_label.replace('"@zh', '"@zh-CN')]) == [
        f"{node[1:-1]} rkgsh:EntityShape rdfs:label maxCount 1 @zh (found 2)"]
    assert _stream_check([*lines, zh_label.replace('"@zh', '"@en')]) == []


def test_file_constraints_find_a_span_whose_text_is_wrong():
    """The SHACL-SPARQL rules run on each input file's graph (a union keeps them true)."""
    lines = _seed_lines()
    assert file_violations("".join(lines)) == []
    i = next(i for i, x in enumerate(lines) if "nif-core#anchorOf>" in x)
    lines[i] = lines[i][:lines[i].rindex(' "')] + ' "不是这段文字" .\n'
    found = file_violations("".join(lines))
    assert len(found) == 1 and "rkgsh:TextSpanShape sparql" in found[0]
    assert found[0].startswith(lines[i].split(" ", 1)[0][1:-1])


# --- the CLI -----------------------------------------------------------------------------------

def _kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True,
                          timeout=600, cwd=ROOT, check=False)


# --- shards into Virtuoso ----------------------------------------------------------------------

def _sparql_json(server, query: str) -> dict:
    url = server.sparql + "?" + urllib.parse.urlencode(
        {"query": query, "format": "application/sparql-results+json"})
    with urllib.request.urlopen(url, timeout=60) as resp:
        return json.loads(resp.read().decode("utf-8"))


def test_split_corpus_shards_bulk_load_into_virtuoso_as_one_graph(virtuoso, small_corpus,
                                                                 tmp_path):
    """Map: each half built on its own into a shared cache; reduce: one run writes the shards
    (extracting nothing); Virtuoso's bulk loader loads them; the graph is the one build's."""
    halves = [tmp_path / "corpus" / "part-a", tmp_path / "corpus" / "part-b"]
    for half in halves:
        half.mkdir(parents=True)
    for i, f in enumerate(sorted(small_corpus.iterdir())):
        shutil.copy(f, halves[i % 2] / f.name)
    cache = tmp_path / "cache"
    for half in halves:
        proc = _kg("build", str(half), "-o", str(tmp_path / f"out-{half.name}"),
                   "--cache", str(cache), "--no-validate", "--jobs", "2")
        assert proc.returncode == 0, proc.stderr
    shards = virtuoso.workdir / "load" / f"shards-{uuid.uuid4().hex[:8]}"
    proc = _kg("build", *map(str, halves), "-o", str(tmp_path / "out"), "--cache", str(cache),
               "--shards", str(shards), "--format", "nt", "--no-validate")
    assert proc.returncode == 0, proc.stderr
    assert "(extracted 0, from cache" in proc.stdout

    graph_iri = f"http://example.org/shards/{uuid.uuid4().hex[:8]}"
    try:
        _load_and_compare(virtuoso, shards, graph_iri, tmp_path / "out" / "regionkg.nt")
    finally:  # the server is shared by the session: leave only what other tests pushed
        virtuoso.isql(f"SPARQL CLEAR GRAPH <{graph_iri}>")


def _load_and_compare(virtuoso, shards, graph_iri: str, one_build) -> None:
    from virtuoso import binding_key, term_key

    virtuoso.isql(f"ld_dir('{shards}', '*.nt', '{graph_iri}')")
    virtuoso.isql("rdf_loader_run()")
    virtuoso.isql("checkpoint")
    errors = virtuoso.isql(f"SELECT ll_file, ll_error FROM DB.DBA.load_list "
                           f"WHERE ll_graph = '{graph_iri}' AND ll_error IS NOT NULL")
    assert "0 Rows" in errors, errors

    one = Graph().parse(one_build, format="nt")
    count = _sparql_json(virtuoso, f"SELECT (COUNT(*) AS ?n) FROM <{graph_iri}> "
                                   "WHERE { ?s ?p ?o }")
    assert int(count["results"]["bindings"][0]["n"]["value"]) == len(one)
    rows = _sparql_json(virtuoso, f"SELECT ?s ?p ?o FROM <{graph_iri}> WHERE {{ ?s ?p ?o }}")
    loaded = {tuple(binding_key(b.get(v)) for v in ("s", "p", "o"))
              for b in rows["results"]["bindings"]}
    assert loaded == {tuple(term_key(t) for t in triple) for triple in one}


def test_turtle_chunks_concatenate_to_the_whole_graph():
    lines = sorted(Graph().parse(ROOT / "tests/data/seed.ttl").serialize(format="nt")
                   .splitlines(keepends=True))
    lines = [line for line in lines if line.strip()]
    whole = "".join(turtle_lines(lines, chunk_lines=10**9))
    chunks = list(turtle_lines(lines, chunk_lines=50))
    assert len(chunks) > 10
    assert "".join(chunks) == whole
