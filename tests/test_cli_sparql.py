"""`kg query` as a user types it: library, files, sources, parameters, formats and errors."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner
from seed import seed_store, seed_ttl

from kg import query as q
from kg import store as st
from kg.cli import main


def kg(*args: str):
    return CliRunner().invoke(main, list(args))


def test_query_list_shows_every_question_with_its_parameters():
    result = kg("query", "list")
    assert result.exit_code == 0, result.output
    for name in q.library():
        assert name in result.output
    assert "region=婺城区" in result.output and "year=2023" in result.output
    md = kg("query", "list", "--format", "md").output
    assert md.startswith("| name | summary | params |")


def test_query_a_graph_file_and_a_store_with_parameters():
    by_graph = kg("query", "partners-of-region", "--graph", str(seed_ttl()),
                  "--param", "region=浙江省")
    assert by_graph.exit_code == 0, by_graph.output
    assert "道孚县" in by_graph.output and "婺城区" in by_graph.output
    by_store = kg("query", "partners-of-region", "--store", str(seed_store()),
                  "-p", "region=浙江省")
    assert by_store.output == by_graph.output


def test_formats_on_the_command_line():
    args = ("query", "grouping-members", "--store", str(seed_store()))
    data = json.loads(kg(*args, "--format", "json").output)
    assert data["head"]["vars"] == ["member", "code", "parent"]
    assert len(data["results"]["bindings"]) == 5
    rows = list(csv.reader(io.StringIO(kg(*args, "--format", "csv").output)))
    assert rows[0] == ["member", "code", "parent"] and len(rows) == 6
    assert kg(*args, "--format", "tsv").output.startswith("?member\t?code\t?parent\n")
    assert kg(*args, "--format", "md").output.startswith("| member | code | parent |")


def test_a_query_file(tmp_path):
    rq = tmp_path / "count.rq"
    rq.write_text("#+ summary: 计数 / count the partnerships\n"
                  "PREFIX rkg: <https://w3id.org/regionkg/ontology#>\n"
                  "SELECT (COUNT(?p) AS ?n) WHERE { ?p a rkg:Partnership }\n",
                  encoding="utf-8")
    result = kg("query", str(rq), "--graph", str(seed_ttl()), "--format", "csv")
    assert result.stdout_bytes == b"n\r\n3\r\n"  # CRLF, as RFC 4180 and the W3C ask


def test_injection_on_the_command_line_is_a_literal_that_matches_nothing():
    before = st.triple_count(seed_store())
    result = kg("query", "partners-of-region", "--store", str(seed_store()),
                "--param", 'region=x" } ; DROP ALL ; #', "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"]["bindings"] == []
    assert st.triple_count(seed_store()) == before


def test_errors_name_the_problem(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = kg("query", "partnerships")
    assert result.exit_code != 0
    assert "out/regionkg.ttl does not exist" in result.output and "kg build" in result.output
    cases = [
        (("query", "nope", "--graph", str(seed_ttl())), "nope: no such query"),
        (("query", "admin-chain", "--graph", str(seed_ttl()), "-p", "x=1"),
         "unknown parameter x"),
        (("query", "programs-by-year", "--graph", str(seed_ttl()), "-p", "year=soon"),
         "'soon' is not an integer"),
        (("query", "admin-chain", "--graph", str(seed_ttl()), "-p", "region"),
         "expected name=value"),
        (("query", "admin-chain", "--store", str(tmp_path)), "not an Oxigraph store"),
        (("query", "admin-chain", "--graph", "missing.ttl"), "missing.ttl: no such file"),
        (("query", "admin-chain", "--graph", str(seed_ttl()), "--store", str(seed_store())),
         "only one of"),
        (("query", "missing.rq"), "missing.rq: no such query file"),
    ]
    for args, message in cases:
        result = kg(*args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    result = kg("query", "admin-chain", "--graph", str(bad))
    assert result.exit_code != 0 and "bad.ttl: not valid turtle" in result.output
    broken = tmp_path / "broken.rq"
    broken.write_text("SELECT ?x WHERE { ?x }", encoding="utf-8")
    result = kg("query", str(broken), "--graph", str(seed_ttl()))
    assert result.exit_code != 0 and "query failed" in result.output


def test_serve_and_query_have_help():
    for name in ("query", "serve"):
        assert kg(name, "--help").exit_code == 0


def test_graph_file_and_store_print_the_same_tables():
    """Engines write numbers differently (244000000.0 vs 244000000); the output does not."""
    for name in q.library():
        by_graph = kg("query", name, "--graph", str(seed_ttl()))
        by_store = kg("query", name, "--store", str(seed_store()))
        assert by_graph.exit_code == 0, by_graph.output
        assert by_graph.output == by_store.output, name
