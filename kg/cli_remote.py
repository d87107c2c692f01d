"""``kg push``: the command-line face of kg/push.py, kept apart from kg/cli.py so that the
remote-store commands can grow without crowding the pipeline commands.

Credentials are deliberately not options: they come from ``KG_ENDPOINT_USER`` /
``KG_ENDPOINT_PASSWORD`` or a netrc file (see kg/remote.py), so they never land in shell
history or a process list.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

DEFAULT_FILE = "out/regionkg.ttl"


@click.command()
@click.argument("file", default=DEFAULT_FILE, type=click.Path(dir_okay=False))
@click.option("--endpoint", required=True, metavar="URL",
              help="SPARQL query endpoint of the store (e.g. http://127.0.0.1:8890/sparql).")
@click.option("--graph", "graph", required=True, metavar="IRI",
              help="Named graph to replace.")
@click.option("--update-endpoint", metavar="URL",
              help="SPARQL Update endpoint, when the store's is not the usual one.")
@click.option("--gsp", metavar="URL",
              help="Graph Store HTTP Protocol endpoint, when the store's is not the usual one.")
@click.option("--method", type=click.Choice(["auto", "gsp", "update"]), default="auto",
              show_default=True,
              help="Upload through the Graph Store Protocol or SPARQL Update INSERT DATA.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=50_000, show_default=True,
              help="Triples per request (INSERT DATA batches are capped at 2,000).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=300, show_default=True,
              help="Seconds to wait for each connect or read.")
def push(file: str, endpoint: str, graph: str, update_endpoint: str | None, gsp: str | None,
         method: str, chunk_size: int, timeout: float) -> None:
    """Replace the named graph IRI in a SPARQL 1.1 store with FILE (default out/regionkg.ttl).

    The triples go into a staging graph first, its count is checked, and one SPARQL Update
    MOVE puts it in place: a push that fails leaves the previous graph as it was.
    Credentials: KG_ENDPOINT_USER and KG_ENDPOINT_PASSWORD, or a netrc file ($NETRC or
    ~/.netrc) entry for the host.
    """
    from kg.push import PushError, push_file

    show = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            click.echo(f"\r{done}/{total} triples", err=True, nl=False)

    try:
        result = push_file(Path(file), endpoint, graph, update=update_endpoint, gsp=gsp,
                           method=method, chunk_size=chunk_size, timeout=timeout,
                           progress=progress)
    except PushError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if show:
            click.echo("", err=True)
    chunks = f"{result.chunks} request{'s' if result.chunks != 1 else ''}"
    click.echo(f"pushed {result.triples} triples to <{result.graph}> "
               f"({'Graph Store Protocol' if result.method == 'gsp' else 'SPARQL Update'}, "
               f"{chunks})")
    click.echo(f"time: {result.seconds:.2f}s")
