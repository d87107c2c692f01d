"""A local SPARQL 1.1 Protocol endpoint: the Oxigraph server binary over a store directory.

We do not write an HTTP server: the PyPI package ``oxigraph`` ships Oxigraph's own server,
a maintained implementation of the SPARQL 1.1 Protocol (GET and POST, content
negotiation, CORS on request). ``serve-read-only`` answers queries only, so nothing a client
sends can change the graph.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path


class ServeError(Exception):
    """The server cannot be started, worded for the user."""


def find_oxigraph() -> str:
    """The ``oxigraph`` binary: next to this Python (a venv's bin/) first, then on PATH.

    Looking beside ``sys.executable`` makes ``.venv/bin/kg serve`` work without activating
    the venv.
    """
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServeError("the oxigraph server is not installed (pip install oxigraph)")


def endpoint_url(bind: str, port: int) -> str:
    host = f"[{bind}]" if ":" in bind else bind
    return f"http://{host}:{port}/query"


def server_command(location: Path, bind: str, port: int, cors: bool = False) -> list[str]:
    host = f"[{bind}]" if ":" in bind else bind
    cmd = [find_oxigraph(), "serve-read-only", "--location", str(location),
           "--bind", f"{host}:{port}"]
    if cors:
        cmd.append("--cors")
    return cmd


def run_server(cmd: list[str]) -> int:
    """Run the server in the foreground until it exits or we are told to stop.

    SIGTERM and SIGINT are passed on to the server, so stopping ``kg serve`` stops the
    server too and the caller still gets to clean up a temporary store.
    """
    proc = subprocess.Popen(cmd)

    def forward(signum, _frame) -> None:
        if proc.poll() is None:
            proc.send_signal(signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        return proc.wait()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
