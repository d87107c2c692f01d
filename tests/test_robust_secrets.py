"""Endpoint credentials never leave the process: not printed, not written to any file.

Why a grep rather than a review: a password can leak in many ways (an error message quoting
the request, a server echoing the Authorization header in its error page, a debug log, a
cache file). So `kg push` and `kg query --endpoint` run against the private Virtuoso (digest
auth) and against a scripted Basic-auth server, with the right and a wrong password, from
the environment and then from a $NETRC file, in a working folder of their own whose HOME,
XDG_CACHE_HOME and TMPDIR point into it; then every byte of stdout, stderr and every file
under those folders is searched for each password, in plain text and in the base64 of
``user:password`` that Basic auth sends.
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from localhttp import Reply, scripted
from test_push import _graph_iri

from kg.remote import _SNIPPET as SNIPPET

RIGHT, WRONG = "right", "wrong"


def _forms(user: str, password: str) -> list[bytes]:
    """The ways a password could show up: as is, URL-quoted, and as Basic auth sends it."""
    from urllib.parse import quote

    b64 = base64.b64encode(f"{user}:{password}".encode()).decode()
    return [password.encode(), quote(password).encode(), b64.encode()]


class Workspace:
    """A working folder with its own HOME, cache and temp dirs; runs `kg` there."""

    def __init__(self, root: Path, seed_ttl: Path) -> None:
        self.root = root
        self.work, self.home = root / "work", root / "home"
        self.cache, self.tmp = root / "cache", root / "tmp"
        self.secret = root / "secret"  # the netrc lives outside the scanned folders
        for d in (self.work / "out", self.home, self.cache, self.tmp, self.secret):
            d.mkdir(parents=True)
        shutil.copyfile(seed_ttl, self.work / "out" / "regionkg.ttl")
        self.outputs: list[tuple[str, str]] = []

    def env(self, user: str, password: str, source: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("KG_ENDPOINT_") and k != "NETRC"}
        env.update({"HOME": str(self.home), "XDG_CACHE_HOME": str(self.cache),
                    "TMPDIR": str(self.tmp)})
        if source == "env":
            env.update({"KG_ENDPOINT_USER": user, "KG_ENDPOINT_PASSWORD": password})
        else:
            rc = self.secret / "netrc"
            rc.write_text(f"machine 127.0.0.1 login {user} password {password}\n")
            env["NETRC"] = str(rc)
        return env

    def kg(self, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
        out = subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True,
                             text=True, env=env, timeout=300, cwd=self.work, check=False)
        self.outputs.append((out.stdout, out.stderr))
        return out

    def files(self) -> list[Path]:
        return sorted(p for d in (self.work, self.home, self.cache, self.tmp)
                      for p in d.rglob("*") if p.is_file())


@pytest.fixture()
def ws(tmp_path, built_seed_ttl) -> Workspace:
    return Workspace(tmp_path, built_seed_ttl)


def _assert_nowhere(ws: Workspace, forms: list[bytes]) -> None:
    for stdout, stderr in ws.outputs:
        for form in forms:
            assert form not in (stdout + stderr).encode(), form
    for path in ws.files():
        data = path.read_bytes()
        for form in forms:
            assert form not in data, (path, form)


@pytest.mark.parametrize("source", ["env", "netrc"])
def test_push_and_query_on_virtuoso_leak_no_password(virtuoso, ws, source):
    wrong = "wrong-" + secrets.token_hex(8)
    graph = _graph_iri()
    for which, password in ((RIGHT, virtuoso.password), (WRONG, wrong)):
        env = ws.env(virtuoso.user, password, source)
        push = ws.kg(env, "push", "--endpoint", virtuoso.sparql, "--graph", graph)
        # scoped to the pushed graph: the shared test store holds many copies of the seed
        scoped = f"{virtuoso.update}?{urlencode({'default-graph-uri': graph})}"
        query = ws.kg(env, "query", "--endpoint", scoped, "--format", "csv", "partnerships")
        if which == RIGHT:
            assert push.returncode == 0, push.stderr
            assert push.stdout.startswith("pushed ")
            assert query.returncode == 0, query.stderr
            assert query.stdout.startswith("partnership,")
        else:
            for out in (push, query):
                assert out.returncode != 0
                assert "authentication failed (HTTP 401)" in out.stderr
    assert [p.relative_to(ws.root).as_posix() for p in ws.files()] == ["work/out/regionkg.ttl"]
    _assert_nowhere(ws, _forms(virtuoso.user, virtuoso.password) + _forms(virtuoso.user, wrong))


@pytest.mark.parametrize("source", ["env", "netrc"])
def test_a_server_echoing_credentials_does_not_make_us_print_them(ws, source):
    """Basic auth, and the server's error pages quote the password and the Authorization header:
    the messages still name the problem, and neither form of the password is shown."""
    user, password = "kg-user", "echo-" + secrets.token_hex(8)
    header = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    challenge = Reply(401, "login", {"WWW-Authenticate": 'Basic realm="kg"'})
    echo = Reply(500, f"error: user {user} password {password} header Authorization: {header}",
                 {"Content-Type": "text/plain"})
    refused = Reply(401, f"bad password {password} ({header})",
                    {"WWW-Authenticate": 'Basic realm="kg"'})
    page = Reply(200, f"<html><body>hello {user}, {password}, {header}</body></html>",
                 {"Content-Type": "text/html"})
    cut = Reply(500, "x" * (SNIPPET - 6) + " " + password, {"Content-Type": "text/plain"})
    env = ws.env(user, password, source)
    for replies in ([challenge, echo], [challenge, refused], [challenge, page],
                    [challenge, cut]):
        with scripted(replies) as (url, seen):
            out = ws.kg(env, "query", "--endpoint", f"{url}/sparql", "partnerships")
        assert out.returncode != 0
        assert any(s.headers.get("Authorization") == header for s in seen)  # it was sent
        assert ("server error (HTTP 500" in out.stderr or "malformed" in out.stderr
                or "authentication failed (HTTP 401)" in out.stderr), out.stderr
        assert password[:9] not in out.stderr  # not even the start of it, cut at the snippet
    with scripted([challenge, echo]) as (url, _):
        out = ws.kg(env, "push", "--endpoint", f"{url}/sparql", "--graph", _graph_iri(),
                    "--method", "update")
    assert out.returncode != 0 and "server error (HTTP 500" in out.stderr
    _assert_nowhere(ws, _forms(user, password))
