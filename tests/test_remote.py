"""kg/remote.py against real HTTP: small local servers for the failure cases, Virtuoso for auth."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from localhttp import Reply, scripted
from rdflib import Graph

from kg import __version__
from kg.remote import (
    POST_THRESHOLD,
    USER_AGENT,
    Credentials,
    RemoteError,
    credentials_for,
    parse_retry_after,
    run_remote,
    run_update,
)

ROOT = Path(__file__).resolve().parent.parent
JSON_TYPE = {"Content-Type": "application/sparql-results+json"}
ONE_ROW = json.dumps({"head": {"vars": ["x"]},
                      "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]}})
NO_CREDS: dict[str, str] = {}  # an environment with no credentials and no netrc


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- pure parts ----------------------------------------------------------------------------------

def test_user_agent_names_project_and_version():
    assert USER_AGENT == f"regionkg/{__version__} (+https://w3id.org/regionkg)"


def test_retry_after_seconds_and_http_date():
    now = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=30), usegmt=True),
                             now) == 30.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=30), usegmt=True),
                             now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_credentials_repr_hides_password():
    assert "s3cret" not in repr(Credentials("u", "s3cret", "environment"))


def test_credentials_from_environment_win_over_netrc(tmp_path):
    rc = tmp_path / "netrc"
    rc.write_text("machine example.org login nu password np\n")
    env = {"KG_ENDPOINT_USER": "eu", "KG_ENDPOINT_PASSWORD": "ep", "NETRC": str(rc)}
    c = credentials_for("https://example.org/sparql", env)
    assert (c.user, c.password, c.source) == ("eu", "ep", "environment")


def test_credentials_from_netrc_by_host(tmp_path):
    rc = tmp_path / "netrc"
    rc.write_text("machine other.org login a password b\n"
                  "machine example.org login nu password np\n")
    c = credentials_for("https://example.org:8443/sparql", {"NETRC": str(rc)})
    assert (c.user, c.password) == ("nu", "np")
    assert c.source == f"netrc {rc}"
    assert credentials_for("https://nowhere.org/sparql", {"NETRC": str(rc)}) is None


def test_no_netrc_file_means_no_credentials(tmp_path):
    assert credentials_for("http://x.org/", {"NETRC": str(tmp_path / "none")}) is None


def test_half_set_environment_is_an_error():
    with pytest.raises(RemoteError, match="KG_ENDPOINT_PASSWORD is not set"):
        credentials_for("http://x.org/sparql", {"KG_ENDPOINT_USER": "u"})


def test_broken_netrc_is_reported_without_its_content(tmp_path):
    rc = tmp_path / "netrc"
    rc.write_text("machine x.org login u password hunter2 nonsense\n")
    with pytest.raises(RemoteError, match="cannot read netrc file") as exc:
        credentials_for("http://x.org/", {"NETRC": str(rc)})
    assert "hunter2" not in str(exc.value) and "nonsense" not in str(exc.value)
    assert str(rc) in str(exc.value)


def test_credentials_in_url_are_refused():
    with pytest.raises(RemoteError, match="credentials in the URL are not accepted") as exc:
        run_remote("http://u:pw@127.0.0.1:1/sparql", "ASK {}", env=NO_CREDS)
    assert "pw" not in str(exc.value).replace("password", "")


# --- local servers ---------------------------------------------------------------------------

def test_short_query_is_a_get_with_user_agent_and_accept():
    with scripted([Reply(200, ONE_ROW, JSON_TYPE)]) as (url, seen):
        data = run_remote(url + "/sparql", "SELECT ?x WHERE { ?x ?p ?o }", env=NO_CREDS)
    assert data["results"]["bindings"][0]["x"]["value"] == "1"
    (req,) = seen
    assert req.method == "GET" and req.path.startswith("/sparql?query=SELECT")
    assert req.headers["User-Agent"] == USER_AGENT
    assert "application/sparql-results+json" in req.headers["Accept"]
    assert "Authorization" not in req.headers


def test_parameters_in_the_endpoint_url_go_with_every_request():
    endpoint = "/sparql?default-graph-uri=http%3A%2F%2Fex%2Fg"
    long_query = "SELECT ?x WHERE { ?x ?p ?o } # " + "x" * POST_THRESHOLD
    with scripted([Reply(200, ONE_ROW, JSON_TYPE)]) as (url, seen):
        run_remote(url + endpoint, "SELECT ?x {}", env=NO_CREDS)
        run_remote(url + endpoint, long_query, env=NO_CREDS)
    get, post = seen
    path, _, query = get.path.partition("?")
    assert path == "/sparql"
    assert parse_qs(query) == {"default-graph-uri": ["http://ex/g"], "query": ["SELECT ?x {}"]}
    assert post.path == "/sparql"
    assert parse_qs(post.body.decode())["default-graph-uri"] == ["http://ex/g"]


def test_long_query_is_posted_url_encoded():
    query = "SELECT ?x WHERE { ?x ?p ?o } # " + "x" * POST_THRESHOLD
    with scripted([Reply(200, ONE_ROW, JSON_TYPE)]) as (url, seen):
        run_remote(url + "/sparql", query, env=NO_CREDS)
    (req,) = seen
    assert req.method == "POST" and req.path == "/sparql"
    assert req.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert req.body.startswith(b"query=SELECT")


def test_429_with_retry_after_is_retried_and_succeeds():
    replies = [Reply(429, "slow down", {"Retry-After": "1", "Content-Type": "text/plain"}),
               Reply(200, ONE_ROW, JSON_TYPE)]
    with scripted(replies) as (url, seen):
        data = run_remote(url + "/sparql", "SELECT ?x {}", env=NO_CREDS)
    assert len(seen) == 2
    assert data["head"]["vars"] == ["x"]


def test_503_without_retry_after_backs_off_then_gives_up():
    with scripted([Reply(503, "down", {"Content-Type": "text/plain"})]) as (url, seen):
        with pytest.raises(RemoteError, match=r"service unavailable \(HTTP 503.*after 2 attempts"):
            run_remote(url + "/sparql", "SELECT ?x {}", retries=1, env=NO_CREDS)
    assert len(seen) == 2


def test_retry_after_beyond_the_bound_fails_at_once():
    with scripted([Reply(429, "", {"Retry-After": "3600"})]) as (url, seen):
        with pytest.raises(RemoteError, match="asks to wait 3600 s"):
            run_remote(url + "/sparql", "SELECT ?x {}", env=NO_CREDS)
    assert len(seen) == 1


def test_unreachable_host_is_a_clear_error():
    port = closed_port()
    with pytest.raises(RemoteError) as exc:
        run_remote(f"http://127.0.0.1:{port}/sparql", "ASK {}", timeout=5, env=NO_CREDS)
    assert str(exc.value).startswith(f"http://127.0.0.1:{port}/sparql: cannot connect")
    assert "refused" in str(exc.value).lower()


def test_html_page_is_a_malformed_response():
    page = "<html><head><title>Login</title></head><body><h1>Please sign in</h1></body></html>"
    with scripted([Reply(200, page, {"Content-Type": "text/html"})]) as (url, _):
        with pytest.raises(RemoteError, match=r"malformed response.*text/html.*Please sign in"):
            run_remote(url + "/sparql", "SELECT ?x {}", env=NO_CREDS)


def test_broken_json_is_a_malformed_response():
    with scripted([Reply(200, '{"head": ', JSON_TYPE)]) as (url, _):
        with pytest.raises(RemoteError, match="malformed response: not JSON"):
            run_remote(url + "/sparql", "SELECT ?x {}", env=NO_CREDS)


def test_json_that_is_not_results_is_malformed():
    with scripted([Reply(200, '{"hello": 1}', JSON_TYPE)]) as (url, _):
        with pytest.raises(RemoteError, match="JSON but not SPARQL results"):
            run_remote(url + "/sparql", "SELECT ?x {}", env=NO_CREDS)


def test_timeout_is_a_clear_error():
    with scripted([Reply(200, ONE_ROW, JSON_TYPE, delay=3)]) as (url, _):
        with pytest.raises(RemoteError, match=r"timeout: no answer within 0.5 s"):
            run_remote(url + "/sparql", "SELECT ?x {}", timeout=0.5, retries=0, env=NO_CREDS)


def test_server_error_quotes_the_body():
    with scripted([Reply(400, "Parse error on line 1", {"Content-Type": "text/plain"})]) as (
            url, _):
        with pytest.raises(RemoteError, match=r"request rejected \(HTTP 400.*Parse error"):
            run_remote(url + "/sparql", "SELECT ?x {}", env=NO_CREDS)


def test_truncated_results_are_an_error_not_a_short_answer():
    headers = {**JSON_TYPE, "X-SPARQL-MaxRows": "10000"}
    with scripted([Reply(200, ONE_ROW, headers)]) as (url, _):
        with pytest.raises(RemoteError, match="truncated at 10000 rows"):
            run_remote(url + "/sparql", "SELECT ?x {}", env=NO_CREDS)


def test_basic_auth_is_answered_only_when_challenged(tmp_path):
    challenge = Reply(401, "", {"WWW-Authenticate": 'Basic realm="x"'})
    rc = tmp_path / "netrc"
    rc.write_text("machine 127.0.0.1 login alice password s3cret-pw\n")
    with scripted([challenge, Reply(200, ONE_ROW, JSON_TYPE)]) as (url, seen):
        run_remote(url + "/sparql", "SELECT ?x {}", env={"NETRC": str(rc)})
    assert "Authorization" not in seen[0].headers
    assert seen[1].headers["Authorization"].startswith("Basic ")


def test_refused_basic_auth_message_has_no_password():
    challenge = Reply(401, "no", {"WWW-Authenticate": 'Basic realm="x"'})
    env = {"KG_ENDPOINT_USER": "alice", "KG_ENDPOINT_PASSWORD": "s3cret-pw"}
    with scripted([challenge]) as (url, _):
        with pytest.raises(RemoteError, match="authentication failed") as exc:
            run_remote(url + "/sparql", "SELECT ?x {}", env=env)
    assert "s3cret-pw" not in str(exc.value)
    assert "environment" in str(exc.value)


def test_construct_gives_a_graph():
    ttl = '<http://ex/a> <http://ex/b> "丙"@zh .\n'
    with scripted([Reply(200, ttl, {"Content-Type": "text/turtle; charset=utf-8"})]) as (
            url, seen):
        g = run_remote(url + "/sparql", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                       env=NO_CREDS)
    assert isinstance(g, Graph) and len(g) == 1
    assert "text/turtle" in seen[0].headers["Accept"]


def test_update_is_refused_by_run_remote():
    with pytest.raises(RemoteError, match="SPARQL Update, not a query"):
        run_remote("http://127.0.0.1:1/sparql", "DROP ALL", env=NO_CREDS)


# --- the real Virtuoso ---------------------------------------------------------------------------

def _env(virtuoso, password=None) -> dict[str, str]:
    return {"KG_ENDPOINT_USER": virtuoso.user,
            "KG_ENDPOINT_PASSWORD": password or virtuoso.password}


def test_virtuoso_digest_update_and_query_round_trip(virtuoso):
    g = f"http://example.org/test/{uuid.uuid4().hex}"
    run_update(virtuoso.update, f'INSERT DATA {{ GRAPH <{g}> {{ <http://ex/a> <http://ex/b> '
                                f'"婺城区"@zh , "Wucheng"@en-GB }} }}', env=_env(virtuoso))
    data = run_remote(virtuoso.sparql, f"SELECT ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}",
                      env=NO_CREDS)
    values = {(b["o"]["value"], b["o"].get("xml:lang")) for b in data["results"]["bindings"]}
    assert values == {("婺城区", "zh"), ("Wucheng", "en-gb")}  # Virtuoso lower-cases tags
    assert run_remote(virtuoso.sparql, f"ASK {{ GRAPH <{g}> {{ ?s ?p ?o }} }}",
                      env=NO_CREDS) == {"head": {}, "boolean": True}
    assert run_remote(virtuoso.sparql, f"ASK {{ GRAPH <{g}> {{ ?s <http://ex/none> ?o }} }}",
                      env=NO_CREDS)["boolean"] is False
    run_update(virtuoso.update, f"DROP SILENT GRAPH <{g}>", env=_env(virtuoso))


def test_virtuoso_wrong_password_is_authentication_failed(virtuoso):
    with pytest.raises(RemoteError, match=r"authentication failed \(HTTP 401\)") as exc:
        run_update(virtuoso.update, "DROP SILENT GRAPH <http://example.org/none>",
                   env=_env(virtuoso, "wrong-pw-zz9"))
    assert "wrong-pw-zz9" not in str(exc.value)
    assert virtuoso.password not in str(exc.value)


def test_virtuoso_update_without_credentials_says_so(virtuoso):
    with pytest.raises(RemoteError, match="no credentials given"):
        run_update(virtuoso.update, "DROP SILENT GRAPH <http://example.org/none>",
                   env=NO_CREDS)


def test_virtuoso_credentials_from_netrc(virtuoso, tmp_path):
    rc = tmp_path / "netrc"
    rc.write_text(f"machine 127.0.0.1 login {virtuoso.user} password {virtuoso.password}\n")
    run_update(virtuoso.update, "DROP SILENT GRAPH <http://example.org/none>",
               env={"NETRC": str(rc)})


def test_virtuoso_default_graph_scopes_the_query(virtuoso):
    g = f"http://example.org/test/{uuid.uuid4().hex}"
    run_update(virtuoso.update, f"INSERT DATA {{ GRAPH <{g}> {{ <http://ex/only> <http://ex/p> "
                                f"1 }} }}", env=_env(virtuoso))
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    scoped = run_remote(virtuoso.sparql, q, default_graph=g, env=NO_CREDS)
    assert scoped["results"]["bindings"][0]["n"]["value"] == "1"
    in_url = run_remote(f"{virtuoso.sparql}?default-graph-uri={g}", q, env=NO_CREDS)
    assert in_url["results"]["bindings"][0]["n"]["value"] == "1"
    run_update(virtuoso.update, f"DROP SILENT GRAPH <{g}>", env=_env(virtuoso))


def _kg_query(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", "query", *args], capture_output=True,
                          text=True, env=env, timeout=120, cwd=ROOT, check=False)


def _clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KG_ENDPOINT_") and k != "NETRC"}
    return {**env, "HOME": str(tmp_path), **extra}


def test_kg_query_with_netrc_digest_and_no_password_printed(virtuoso, tmp_path):
    """`kg query --endpoint` on Virtuoso's digest-protected /sparql-auth, credentials in netrc."""
    rc = tmp_path / "netrc"
    rc.write_text(f"machine 127.0.0.1 login {virtuoso.user} password {virtuoso.password}\n")
    out = _kg_query(_clean_env(tmp_path, NETRC=str(rc)), "--endpoint", virtuoso.update,
                    "--format", "json", "strategies")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["head"]["vars"]
    assert virtuoso.password not in out.stdout + out.stderr


def test_kg_query_wrong_password_fails_without_printing_it(virtuoso, tmp_path):
    env = _clean_env(tmp_path, **_env(virtuoso, "wrong-pw-zz9"))
    bad = _kg_query(env, "partnerships", "--endpoint", virtuoso.update)
    assert bad.returncode != 0
    assert "authentication failed (HTTP 401)" in bad.stderr
    assert "wrong-pw-zz9" not in bad.stdout + bad.stderr
