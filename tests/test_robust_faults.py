"""`kg push` under faults: the store down, silent, failing half way, or refusing the password.

tests/test_push.py already covers a closed port (message only), a 500 on the third Graph
Store chunk, a failed final MOVE, a broken file and a wrong password (message only). This
file adds what the issue asks beyond those: for every fault, a clear message, a non-zero
exit AND the endpoint's previous graph intact, checked against the private Virtuoso (same
triple count, same triples, no staging graph left behind). One baseline graph is pushed
once; every fault is aimed at it, and the last test shows the next push still works.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from localhttp import STALL, proxy
from test_push import _count, _env, _graph_iri, _staging_graphs, _triples, kg_push
from virtuoso import free_port

N_OTHER = 3000  # triples of the replacement file, pushed in chunks of 1,000


@pytest.fixture(scope="module")
def target(virtuoso, built_seed_ttl, tmp_path_factory):
    """The graph every fault aims at: the seed graph, pushed once; its state before faults."""
    home = tmp_path_factory.mktemp("faults")
    graph = _graph_iri()
    out = kg_push(_env(virtuoso, home), "--endpoint", virtuoso.sparql, "--graph", graph,
                  str(built_seed_ttl))
    assert out.returncode == 0, out.stderr
    other = home / "other.nt"
    other.write_text("".join(f'<http://ex/s{i}> <http://ex/p> "第{i}条" .\n'
                             for i in range(N_OTHER)), encoding="utf-8")
    return {"graph": graph, "count": _count(virtuoso, graph),
            "triples": _triples(virtuoso, graph), "home": home, "other": other}


def _push(virtuoso, target, endpoint: str, *args: str, **env) -> tuple[int, str]:
    out = kg_push(_env(virtuoso, target["home"], **env), "--endpoint", endpoint,
                  "--graph", target["graph"], "--chunk-size", "1000", *args,
                  str(target["other"]))
    if out.returncode != 0:
        assert "pushed" not in out.stdout  # a failed push never claims success
    return out.returncode, out.stderr


def _assert_intact(virtuoso, target) -> None:
    graph = target["graph"]
    assert _count(virtuoso, graph) == target["count"]
    assert _triples(virtuoso, graph) == target["triples"]
    assert _staging_graphs(virtuoso, graph) == []


def _authorised(method: str, path_start: str, after: int, answer: int, needle: bytes = b""):
    """A proxy rule: `answer` (a status or STALL) to the authorised `method` requests on
    `path_start` whose body holds `needle`, from the `after`+1-th on."""
    seen = {"n": 0}

    def rule(m, path, headers, body):
        if (m == method and path.startswith(path_start) and "Authorization" in headers
                and needle in body):
            seen["n"] += 1
            if seen["n"] > after:
                return answer
        return None

    return rule


# --- the store is down --------------------------------------------------------------------------

def test_store_down_closed_port(virtuoso, target):
    port = free_port()  # nothing listens on it
    rc, err = _push(virtuoso, target, f"http://127.0.0.1:{port}/sparql")
    assert rc != 0
    assert f"http://127.0.0.1:{port}/sparql-graph-crud-auth: cannot connect" in err
    assert "Traceback" not in err
    _assert_intact(virtuoso, target)


def test_update_service_down_while_queries_answer(virtuoso, target):
    """The query endpoint is up, the update and Graph Store endpoints are a closed port."""
    down = f"http://127.0.0.1:{free_port()}"
    rc, err = _push(virtuoso, target, virtuoso.sparql, "--update-endpoint",
                    f"{down}/sparql-auth", "--gsp", f"{down}/sparql-graph-crud-auth")
    assert rc != 0
    assert "cannot connect" in err and down in err
    _assert_intact(virtuoso, target)


# --- the store times out ------------------------------------------------------------------------

def test_store_accepts_and_never_answers(virtuoso, target):
    with proxy(virtuoso.base, lambda *request: STALL) as (url, seen):
        rc, err = _push(virtuoso, target, f"{url}/sparql", "--timeout", "1")
    assert rc != 0
    assert "timeout: no answer within 1 s" in err
    assert len(seen) >= 1
    _assert_intact(virtuoso, target)


def test_store_stops_answering_half_way(virtuoso, target):
    """The third Graph Store chunk is never answered; the staging graph is still dropped."""
    rule = _authorised("POST", "/sparql-graph-crud-auth", 2, STALL)
    with proxy(virtuoso.base, rule) as (url, seen):
        rc, err = _push(virtuoso, target, f"{url}/sparql", "--timeout", "2")
    assert rc != 0
    assert "timeout: no answer within 2 s" in err
    assert f"target <{target['graph']}> left unchanged" in err
    assert any(s.path.startswith("/sparql-auth") and b"DROP" in s.body for s in seen)
    _assert_intact(virtuoso, target)


# --- the store answers 500 half way -------------------------------------------------------------

@pytest.mark.parametrize(("method", "path", "after", "needle"), [
    ("gsp", "/sparql-graph-crud-auth", 1, b""),      # second chunk
    ("update", "/sparql-auth", 2, b"INSERT"),        # third INSERT DATA batch
    ("update", "/sparql-auth", 0, b"INSERT"),        # the very first batch
])
def test_store_answers_500_half_way(virtuoso, target, method, path, after, needle):
    rule = _authorised("POST", path, after, 500, needle)
    with proxy(virtuoso.base, rule) as (url, _):
        rc, err = _push(virtuoso, target, f"{url}/sparql", "--method", method)
    assert rc != 0
    assert "server error (HTTP 500" in err
    assert f"push failed after {after * 1000} of {N_OTHER} triples" in err
    assert f"target <{target['graph']}> left unchanged" in err
    _assert_intact(virtuoso, target)


def test_count_check_answers_500(virtuoso, target):
    """Every chunk went in, then the staging count query fails: no MOVE is made."""
    def rule(method, path, headers, body):
        return 500 if method == "GET" and path.startswith("/sparql?") else None

    with proxy(virtuoso.base, rule) as (url, seen):
        rc, err = _push(virtuoso, target, f"{url}/sparql")
    assert rc != 0
    assert "server error (HTTP 500" in err
    assert not any(b"MOVE" in s.body for s in seen)
    _assert_intact(virtuoso, target)


# --- the store rejects the password -------------------------------------------------------------

def test_wrong_password_from_the_environment(virtuoso, target):
    rc, err = _push(virtuoso, target, virtuoso.sparql, KG_ENDPOINT_PASSWORD="wrong-pw-qq7")
    assert rc != 0
    assert "authentication failed (HTTP 401): credentials from environment were refused" in err
    assert "wrong-pw-qq7" not in err
    _assert_intact(virtuoso, target)


def test_wrong_password_from_netrc(virtuoso, target, tmp_path: Path):
    rc_file = tmp_path / "netrc"
    rc_file.write_text(f"machine 127.0.0.1 login {virtuoso.user} password wrong-pw-nn4\n")
    env = _env(virtuoso, tmp_path, NETRC=str(rc_file))
    del env["KG_ENDPOINT_USER"], env["KG_ENDPOINT_PASSWORD"]
    out = kg_push(env, "--endpoint", virtuoso.sparql, "--graph", target["graph"],
                  str(target["other"]))
    assert out.returncode != 0
    assert f"credentials from netrc {rc_file} were refused" in out.stderr
    assert "wrong-pw-nn4" not in out.stdout + out.stderr
    _assert_intact(virtuoso, target)


def test_no_password_at_all(virtuoso, target, tmp_path: Path):
    env = _env(virtuoso, tmp_path)
    del env["KG_ENDPOINT_USER"], env["KG_ENDPOINT_PASSWORD"]
    out = kg_push(env, "--endpoint", virtuoso.sparql, "--graph", target["graph"],
                  str(target["other"]))
    assert out.returncode != 0
    assert "authentication failed (HTTP 401): no credentials given" in out.stderr
    _assert_intact(virtuoso, target)


# --- after every fault, the next push completes -------------------------------------------------

def test_zz_the_next_push_after_the_faults_completes(virtuoso, target):
    _assert_intact(virtuoso, target)
    rc, err = _push(virtuoso, target, virtuoso.sparql)
    assert rc == 0, err
    assert _count(virtuoso, target["graph"]) == N_OTHER
