"""``kg query`` and ``kg serve``: thin click wrappers over kg.query, kg.store and kg.serve."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import click

from kg.query import FORMATS

DEFAULT_GRAPH = Path("out") / "regionkg.ttl"
GRAPH_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml",
                 ".owl": "xml", ".n3": "n3", ".trig": "trig", ".nq": "nquads"}


def _one_source(graph: str | None, store: str | None, endpoint: str | None = None):
    given = [(k, v) for k, v in (("graph", graph), ("store", store), ("endpoint", endpoint))
             if v]
    if len(given) > 1:
        raise click.UsageError("give only one of --graph, --store and --endpoint")
    if given:
        return given[0]
    if DEFAULT_GRAPH.is_file():
        return "graph", str(DEFAULT_GRAPH)
    raise click.UsageError(f"no graph: {DEFAULT_GRAPH} does not exist; run `kg build` first "
                           "or pass --graph FILE, --store DIR or --endpoint URL")


def _read_graph(path: str):
    from rdflib import Graph

    file = Path(path)
    if not file.is_file():
        raise click.ClickException(f"{path}: no such file")
    fmt = GRAPH_FORMATS.get(file.suffix.lower())
    if fmt is None:
        raise click.ClickException(f"{path}: unknown RDF format "
                                   f"(use one of {', '.join(sorted(GRAPH_FORMATS))})")
    graph = Graph()
    try:
        graph.parse(file, format=fmt)
    except Exception as exc:  # rdflib raises several parser types
        raise click.ClickException(f"{path}: not valid {fmt}: {exc}") from exc
    return graph


@click.command()
@click.argument("name", metavar="NAME|FILE.rq|list")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter (repeat for several); see `kg query list`.")
@click.option("--graph", type=click.Path(dir_okay=False),
              help=f"Query a graph file (default: {DEFAULT_GRAPH}).")
@click.option("--store", type=click.Path(file_okay=False),
              help="Query an Oxigraph store directory (from `kg build --store DIR`).")
@click.option("--endpoint", metavar="URL", help="Query a SPARQL 1.1 endpoint.")
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(FORMATS), help="table, W3C csv/tsv/json results, Markdown.")
@click.option("--timeout", default=60.0, show_default=True, help="Seconds, for --endpoint.")
def query(name: str, params: tuple[str, ...], graph: str | None, store: str | None,
          endpoint: str | None, fmt: str, timeout: float) -> None:
    """Run a query of the library (or a .rq file); `kg query list` lists the library.

    Parameters are bound as RDF terms, never pasted into the query text.
    """
    from kg import query as q
    from kg.store import StoreError, open_store

    try:
        if name == "list":
            click.echo(q.library_listing(q.library(), fmt), nl=False)
            return
        chosen = q.find_query(name)
        given = q.parse_param_options(params)
        kind, where = _one_source(graph, store, endpoint)
        if kind == "endpoint":
            from kg.remote import RemoteError

            bindings = q.bind_params(chosen, given)
            try:
                results = q.run_endpoint(where, chosen.text, bindings, timeout=timeout)
            except RemoteError as exc:  # names the endpoint and the problem already
                raise click.ClickException(str(exc)) from exc
        elif kind == "store":
            results = q.run(chosen, open_store(Path(where)), given)
        else:
            results = q.run(chosen, _read_graph(where), given)
        click.echo(q.format_results(results, fmt), nl=False)
    except (q.QueryError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc


@click.command()
@click.option("--graph", type=click.Path(dir_okay=False),
              help=f"Serve a graph file (default: {DEFAULT_GRAPH}), loaded into a temporary store.")
@click.option("--store", type=click.Path(file_okay=False),
              help="Serve an Oxigraph store directory (from `kg build --store DIR`).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535))
@click.option("--bind", default="127.0.0.1", show_default=True,
              help="Address to listen on; keep the loopback unless you mean to share.")
@click.option("--cors", is_flag=True, help="Allow browser pages from other origins (YASGUI).")
def serve(graph: str | None, store: str | None, port: int, bind: str, cors: bool) -> None:
    """Serve the graph as a read-only SPARQL 1.1 endpoint (Oxigraph server)."""
    from kg.serve import ServeError, endpoint_url, run_server, server_command
    from kg.store import StoreError, is_store, save_file, triple_count

    kind, where = _one_source(graph, store)
    tmp = None
    try:
        if kind == "graph":
            tmp = Path(tempfile.mkdtemp(prefix="kg-serve-"))
            location = tmp / "store"
            count = save_file(location, Path(where))
        else:
            location = Path(where)
            if not is_store(location):
                raise StoreError(f"{where}: not an Oxigraph store "
                                 "(create one with `kg build --store DIR`)")
            count = triple_count(location)
        cmd = server_command(location, bind, port, cors)
        if bind not in ("127.0.0.1", "localhost", "::1"):
            click.echo(f"warning: listening on {bind}, reachable from other machines", err=True)
        click.echo(f"serving {where} ({count} triples), read-only")
        click.echo(f"SPARQL endpoint: {endpoint_url(bind, port)}  (Ctrl-C to stop)")
        click.get_text_stream("stdout").flush()
        status = run_server(cmd)
    except (StoreError, ServeError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    if status > 0:
        raise click.ClickException(f"the oxigraph server stopped with status {status}")
