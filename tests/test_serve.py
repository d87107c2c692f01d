"""`kg serve`: a real Oxigraph server on 127.0.0.1, queried with SPARQLWrapper like any client.

The server binary comes from the `oxigraph` PyPI package (a dependency), so these tests
never skip: if the server cannot start, they fail.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner
from seed import ROOT, seed_graph, seed_store, seed_ttl
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from kg import query as q
from kg.cli import main

LIB = q.library()
READY_DEADLINE = 60.0  # seconds; the server is usually up in well under one


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=5) as resp:
            return resp.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def start(*args: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", *args, "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + READY_DEADLINE
    while not ask(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc)
            out, err = proc.communicate()
            pytest.fail(f"kg serve did not start: {out}\n{err}")
        time.sleep(0.1)
    return proc, url


def stop(proc: subprocess.Popen) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


@pytest.fixture(scope="module")
def endpoint():
    proc, url = start("--graph", str(seed_ttl()))
    yield url
    assert stop(proc) == 0


def wrapper_results(url: str, query: q.Query, params: dict[str, str]) -> q.Results:
    """Run a library query the way a researcher's own script would, with SPARQLWrapper."""
    text = q.strip_comments(q.with_values(query.text, q.bind_params(query, params)))
    client = SPARQLWrapper(url)
    client.setQuery(text)
    client.setReturnFormat(JSON)
    return q.from_json_results(client.queryAndConvert(), text)


@pytest.mark.parametrize("name", sorted(LIB))
def test_the_whole_library_through_sparqlwrapper_matches_the_embedded_run(endpoint, name):
    remote = wrapper_results(endpoint, LIB[name], {})
    local = q.run(LIB[name], seed_graph())
    assert remote.variables == local.variables
    assert q.result_set(remote) == q.result_set(local)
    assert remote.rows, name


@pytest.mark.parametrize("name", sorted(n for n, query in LIB.items() if not query.params))
def test_library_files_sent_as_they_are(endpoint, name):
    """What the README shows: the .rq file, front matter and all, straight to SPARQLWrapper."""
    client = SPARQLWrapper(endpoint)
    client.setQuery((ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8"))
    client.setReturnFormat(JSON)
    remote = q.from_json_results(client.queryAndConvert())
    assert q.result_set(remote) == q.result_set(q.run(LIB[name], seed_graph()))


def test_parameters_and_post_through_sparqlwrapper(endpoint):
    query = LIB["partners-of-region"]
    text = q.strip_comments(q.with_values(query.text, q.bind_params(query, {"region": "浙江省"})))
    client = SPARQLWrapper(endpoint)
    client.setQuery(text)
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    rows = q.from_json_results(client.queryAndConvert()).rows
    assert [str(r[0]) for r in rows] == ["道孚县"]


def test_kg_query_endpoint_matches_the_store(endpoint):
    for name, params in (("partners-of-region", ["-p", "region=四川省"]),
                         ("money-by-region", []), ("entity-overview", ["-p", "name=道孚县"])):
        remote = CliRunner().invoke(main, ["query", name, *params, "--endpoint", endpoint])
        local = CliRunner().invoke(main, ["query", name, *params, "--store", str(seed_store())])
        assert remote.exit_code == 0, remote.output
        assert remote.output == local.output


def test_injection_against_the_endpoint_changes_nothing(endpoint):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = q.from_json_results(_get_json(endpoint, count)).rows
    result = CliRunner().invoke(main, ["query", "partners-of-region", "--endpoint", endpoint,
                                       "-p", 'region=x" } ; DROP ALL ; #', "--format", "csv"])
    assert result.exit_code == 0 and result.output == "partner,code,via,kind,since,direction\n"
    assert q.from_json_results(_get_json(endpoint, count)).rows == before
    assert int(before[0][0]) == len(seed_graph())


def test_the_endpoint_is_read_only(endpoint):
    update = endpoint.replace("/query", "/update")
    request = urllib.request.Request(
        update, data=urllib.parse.urlencode({"update": "DROP ALL"}).encode(), method="POST")
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(request, timeout=10)
    assert ask(endpoint)


def _get_json(url: str, query: str) -> dict:
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    return client.queryAndConvert()


def test_serve_a_store_prints_the_url_and_stops_on_sigterm():
    proc, url = start("--store", str(seed_store()))
    assert _get_json(url, "ASK { ?s ?p ?o }")["boolean"] is True
    assert stop(proc) == 0
    out = proc.stdout.read()
    assert f"SPARQL endpoint: {url}" in out and f"({len(seed_graph())} triples)" in out
    assert not ask(url)


def test_serve_errors():
    result = CliRunner().invoke(main, ["serve", "--store", str(ROOT)])
    assert result.exit_code != 0 and "not an Oxigraph store" in result.output
    result = CliRunner().invoke(main, ["serve", "--graph", str(ROOT / "nowhere.ttl")])
    assert result.exit_code != 0 and "nowhere.ttl: no such file" in result.output
