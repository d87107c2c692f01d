"""Text leaving the program: Turtle literals and SPARQL parameters cannot be broken out of.

Turtle: articles whose text holds quotes, backslashes, line breaks and control
characters are built with `kg build`; rdflib, pyoxigraph and rapper read the same
triples back, and the article text comes back exactly. SPARQL: 20 injection attempts
through ``--param`` leave the store unchanged and add no rows.
"""

from __future__ import annotations

import shutil
import subprocess

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import to_isomorphic

from kg.cli import main
from kg.rdf.ns import NIF

NASTY = [
    'He said "对口支援" and \'合作\'.',
    "反斜杠 \\ 与 \\n 与 \\u0041 与 \\\"。",
    "三引号 \"\"\" 与 ''' 在正文里。",
    "制表\t符与回车\r\n与换行。",
    "尾随反斜杠\\",
    "<script>alert(1)</script> & &amp; 。",
    "@prefix x: <http://evil/> . } ; DROP ALL ; #",
    "\U0001F600 表情与 \u2028 行分隔符 \u2029 段分隔符。",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("esc")
    lines = [f'{{"title": "题{i}", "text": {_json(t)}}}' for i, t in enumerate(NASTY)]
    (root / "nasty.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(root / "nasty.jsonl"), "-o", str(root / "o"),
                                       "--format", "turtle", "--format", "nt"])
    assert result.exit_code == 0, result.stderr
    return root / "o"


def _json(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def test_turtle_text_round_trips_exactly(built):
    from kg.ingest import normalise

    g = Graph().parse(built / "regionkg.ttl", format="turtle")
    texts = {str(o) for o in g.objects(None, NIF.isString)}
    for t in NASTY:
        assert normalise(t) in texts


def test_rdflib_pyoxigraph_and_rapper_agree(built):
    ttl = built / "regionkg.ttl"
    ours = Graph().parse(ttl, format="turtle")
    # the parser, not a Store: the store keeps xsd:nonNegativeInteger as xsd:integer
    triples = ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE)
    nt = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
    theirs = Graph().parse(data=nt, format="nt")
    assert to_isomorphic(ours) == to_isomorphic(theirs)
    assert to_isomorphic(ours) == to_isomorphic(Graph().parse(built / "regionkg.nt", format="nt"))
    rapper = shutil.which("rapper")
    assert rapper, "rapper is missing: install raptor2-utils (scripts/system-deps.sh)"
    proc = subprocess.run([rapper, "-q", "-i", "turtle", "-o", "ntriples", str(ttl)],
                          capture_output=True, check=True)
    by_rapper = Graph().parse(data=proc.stdout.decode("utf-8"), format="nt")
    assert to_isomorphic(ours) == to_isomorphic(by_rapper)


INJECTIONS = [
    'x" } ; DROP ALL ; #',
    'x"@zh } UNION { ?s ?p ?o } #',
    "x' } UNION { ?s ?p ?o } #",
    '"""x""" } INSERT DATA { <a:a> <b:b> <c:c> } #',
    "x\\\" } ; CLEAR ALL",
    "婺城区\" . ?x ?y ?z . FILTER(true) #",
    "} } SELECT * WHERE { ?s ?p ?o } #",
    "?s ?p ?o",
    "<http://evil/x>",
    "x\n} ; DELETE WHERE { ?s ?p ?o } #",
    "x\r\n# comment\nDROP ALL",
    "VALUES ?region { \"道孚县\"@zh }",
    "x\"^^<http://www.w3.org/2001/XMLSchema#string> } UNION {?a ?b ?c",
    "%22%20%7D%20UNION%20%7B",
    "x\u0000y",
    "\\u0022 } UNION { ?s ?p ?o } #",
    "'; LOAD <http://evil/> ; #",
    "婺城区\") || true || (\"",
    "x\" . } OPTIONAL { ?s ?p ?o } #",
    "SERVICE <http://evil/sparql> { ?s ?p ?o }",
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_through_param_matches_nothing_and_changes_nothing(tmp_path, payload):
    from seed import seed_ttl

    graph = tmp_path / "g.ttl"
    shutil.copy(seed_ttl(), graph)
    before = graph.read_bytes()
    result = CliRunner().invoke(main, ["query", "partners-of-region", "--param",
                                       f"region={payload}", "--graph", str(graph),
                                       "--format", "csv"])
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 0:
        assert result.output.strip().count("\n") == 0  # the header row only
    else:
        assert "Traceback" not in result.output
    assert graph.read_bytes() == before


def test_injection_attempts_count():
    assert len(INJECTIONS) == 20
