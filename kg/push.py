"""Replace a named graph in a SPARQL 1.1 store with the triples of a file, atomically.

Why staging: a push of a large graph takes many requests, and any of them can fail (a full
disk, a proxy timeout, a store restart). Writing straight into the target would leave it half
old, half new. So the triples go into a fresh staging graph (``<graph>#staging-<random>``),
its triple count is checked against the file, and only then one SPARQL Update
``MOVE <staging> TO <graph>`` swaps it into place; on any failure the staging graph is dropped
and the target was never touched.

Transport: the Graph Store HTTP Protocol (N-Triples POSTs of ``chunk_size`` triples) where the
store has one, else SPARQL Update ``INSERT DATA`` in batches of at most ``MAX_INSERT_BATCH``
triples (Virtuoso refuses 2,000 triples of the seed graph: "generated SQL text has exceeded
10000 lines"). A chunk the store rejects as too big (HTTP 400 or 413) is split in two and sent
again, so a store's own limit is found without configuration. Triples sharing a blank node
travel in the same request, because blank node labels are scoped to one request.

Where the endpoints are: :func:`derive_endpoints` knows the URL layouts of Virtuoso, Oxigraph
server, Fuseki and GraphDB/RDF4J; for others give ``update`` and ``gsp`` explicitly, or the
query URL is taken to accept updates too and ``INSERT DATA`` is used.
"""

from __future__ import annotations

import re
import secrets
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from kg.remote import (
    RemoteError,
    check_url,
    credentials_for,
    display_url,
    open_url,
    run_remote,
    run_update,
)

__all__ = [
    "DEFAULT_CHUNK",
    "MAX_INSERT_BATCH",
    "Endpoints",
    "PushError",
    "PushResult",
    "chunk_triples",
    "derive_endpoints",
    "load_file",
    "push_file",
]

DEFAULT_CHUNK = 50_000  # triples per Graph Store request; Virtuoso is fine to a few 100,000
MAX_INSERT_BATCH = 1_000  # triples per INSERT DATA request (Virtuoso refused 2,000 of ours)
_TOO_BIG = (400, 413)  # statuses after which a chunk is split in two and sent again

# An absolute IRI with no character that could close <...> in a SPARQL text (RFC 3987 excludes
# these anyway); graph IRIs are pasted into update text, so this check is the injection guard.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")


class PushError(Exception):
    """A push failed; the message says which step and whether the target was touched."""


@dataclass(frozen=True)
class Endpoints:
    """Where to query, update and (optionally) use the Graph Store Protocol of one store."""

    query: str
    update: str
    gsp: str | None = None
    gsp_param: str = "graph"  # Virtuoso calls it graph-uri

    def gsp_url(self, graph: str) -> str:
        assert self.gsp is not None
        sep = "&" if "?" in self.gsp else "?"
        return f"{self.gsp}{sep}{urllib.parse.urlencode({self.gsp_param: graph})}"


@dataclass(frozen=True)
class PushResult:
    graph: str
    triples: int
    chunks: int
    method: str  # "gsp" or "update"
    seconds: float


def _gsp_param(url: str) -> str:
    return "graph-uri" if "graph-crud" in urllib.parse.urlsplit(url).path else "graph"


def derive_endpoints(endpoint: str, update: str | None = None,
                     gsp: str | None = None) -> Endpoints:
    """The update and Graph Store URLs of the store whose query URL is ``endpoint``.

    Layouts known (query → update, graph store):
    Virtuoso ``/sparql`` → ``/sparql-auth``, ``/sparql-graph-crud-auth?graph-uri=``;
    Oxigraph server ``/query`` → ``/update``, ``/store?graph=``;
    Fuseki ``/DS/query`` or ``/DS/sparql`` → ``/DS/update``, ``/DS/data?graph=``;
    GraphDB/RDF4J ``/repositories/ID`` → ``…/statements``, ``…/rdf-graphs/service?graph=``.
    Anything else (QLever, Blazegraph …): updates to the same URL, no Graph Store.
    Explicit ``update``/``gsp`` always win.
    """
    check_url(endpoint)
    parts = urllib.parse.urlsplit(endpoint)
    root = f"{parts.scheme}://{parts.netloc}"
    path = parts.path.rstrip("/")
    segs = [s for s in path.split("/") if s]
    d_update, d_gsp = endpoint, None
    if path in ("/sparql", "/sparql-auth"):
        d_update, d_gsp = f"{root}/sparql-auth", f"{root}/sparql-graph-crud-auth"
    elif path == "/query":
        d_update, d_gsp = f"{root}/update", f"{root}/store"
    elif len(segs) == 2 and segs[1] in ("query", "sparql"):
        d_update, d_gsp = f"{root}/{segs[0]}/update", f"{root}/{segs[0]}/data"
    elif len(segs) == 2 and segs[0] == "repositories":
        d_update = f"{root}{path}/statements"
        d_gsp = f"{root}{path}/rdf-graphs/service"
    update = update or d_update
    gsp = gsp or d_gsp
    check_url(update)
    if gsp:
        check_url(gsp)
    return Endpoints(endpoint, update, gsp, _gsp_param(gsp) if gsp else "graph")


def check_graph_iri(graph: str) -> None:
    if not _IRI.match(graph):
        raise PushError(f"--graph {graph!r}: not an absolute IRI (e.g. https://example.org/g)")


def staging_iri(graph: str, token: str | None = None) -> str:
    """``graph#staging-<hex>`` (or ``-staging-`` when the IRI already has a fragment)."""
    token = token or secrets.token_hex(6)
    return f"{graph}{'-' if '#' in graph else '#'}staging-{token}"


# --- the file ----------------------------------------------------------------------------------

def load_file(path: Path):
    """Parse ``path`` (format from its extension) into an in-memory pyoxigraph Store.

    The Store removes duplicate triples, so ``len(store)`` is the count the remote graph must
    reach. Raises PushError naming the file for unreadable, unknown or invalid input.
    """
    import pyoxigraph as ox

    if not path.is_file():
        raise PushError(f"{path}: no such file")
    ext = path.suffix.lstrip(".").lower()
    fmt = ox.RdfFormat.from_extension(ext) if ext else None
    if fmt is None or fmt.supports_datasets:
        raise PushError(f"{path}: unknown RDF format {path.suffix!r} (use .ttl, .nt, .rdf, "
                        f".jsonld or .n3)")
    store = ox.Store()
    try:
        store.load(path=str(path), format=fmt, to_graph=ox.DefaultGraph())
    except SyntaxError as exc:
        raise PushError(f"{path}: not valid {fmt.name}: {exc}") from None
    except (OSError, ValueError) as exc:
        raise PushError(f"{path}: cannot read: {exc}") from None
    return store


def _blank_nodes(triple) -> list:
    import pyoxigraph as ox

    return [t for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]


def chunk_triples(triples: Iterable, size: int) -> Iterator[list]:
    """Group triples into lists of about ``size``, keeping blank-node-connected triples together.

    Triples without blank nodes are cut at ``size``; the triples of one blank-node component
    (joined by shared blank nodes) always share a list, which may then exceed ``size``.
    """
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    plain: list = []
    parent: dict = {}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    with_bnodes: list = []
    for t in triples:
        nodes = _blank_nodes(t)
        if not nodes:
            plain.append(t)
            if len(plain) >= size:
                yield plain
                plain = []
            continue
        with_bnodes.append((t, nodes[0]))
        for n in nodes:
            parent.setdefault(n, n)
        if len(nodes) == 2:
            a, b = find(nodes[0]), find(nodes[1])
            if a != b:
                parent[a] = b
    components: dict = {}
    for t, node in with_bnodes:
        components.setdefault(find(node), []).append(t)
    batch = plain
    for group in components.values():
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def _ntriples(triples: list) -> bytes:
    import pyoxigraph as ox

    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


# --- the remote steps --------------------------------------------------------------------------

def _count(ep: Endpoints, graph: str, timeout: float, env) -> int:
    data = run_remote(ep.query, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> "
                                f"{{ ?s ?p ?o }} }}", timeout=timeout, env=env)
    try:
        return int(data["results"]["bindings"][0]["n"]["value"])
    except (KeyError, IndexError, ValueError, TypeError):
        raise RemoteError(display_url(ep.query), "malformed response to COUNT(*)") from None


def _upload_gsp(ep: Endpoints, graph: str, chunk: list, timeout: float, env) -> None:
    url = ep.gsp_url(graph)
    request = urllib.request.Request(url, data=_ntriples(chunk), method="POST",
                                     headers={"Content-Type": "application/n-triples"})
    open_url(request, credentials=credentials_for(url, env), timeout=timeout)


def _upload_update(ep: Endpoints, graph: str, chunk: list, timeout: float, env) -> None:
    body = _ntriples(chunk).decode("utf-8")
    run_update(ep.update, f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}",
               timeout=timeout, env=env)


def _send(upload, ep: Endpoints, graph: str, chunk: list, timeout: float, env) -> int:
    """Upload ``chunk``, halving it while the store answers "too big"; return requests made."""
    try:
        upload(ep, graph, chunk, timeout, env)
        return 1
    except RemoteError as exc:
        halves = list(chunk_triples(chunk, max(1, len(chunk) // 2))) if len(chunk) > 1 else []
        if exc.status not in _TOO_BIG or len(halves) < 2:
            raise
    return sum(_send(upload, ep, graph, half, timeout, env) for half in halves)


def push_file(path: Path, endpoint: str, graph: str, *, update: str | None = None,
              gsp: str | None = None, method: str = "auto", chunk_size: int = DEFAULT_CHUNK,
              timeout: float = 300, env: Mapping[str, str] | None = None,
              progress=None) -> PushResult:
    """Replace the named graph ``graph`` at ``endpoint`` with the triples of ``path``.

    ``method`` is "gsp", "update" or "auto" (GSP when the store has a known or given Graph
    Store endpoint). ``progress(done, total)`` is called after each chunk. Raises PushError;
    the target graph is only changed by the final MOVE.
    """
    t0 = time.perf_counter()
    check_graph_iri(graph)
    try:
        ep = derive_endpoints(endpoint, update, gsp)
    except RemoteError as exc:
        raise PushError(str(exc)) from None
    if method == "auto":
        method = "gsp" if ep.gsp else "update"
    if method == "gsp" and not ep.gsp:
        raise PushError(f"{display_url(endpoint)}: no Graph Store endpoint known for this "
                        f"store; give --gsp URL or use --method update")
    if method == "update":
        chunk_size = min(chunk_size, MAX_INSERT_BATCH)
    store = load_file(path)
    total = len(store)
    if total == 0:
        raise PushError(f"{path}: no triples; refusing to replace <{graph}> with an empty graph")
    staging = staging_iri(graph)
    upload = _upload_gsp if method == "gsp" else _upload_update
    done = chunks = 0
    try:
        triples = (q.triple for q in store)
        for chunk in chunk_triples(triples, chunk_size):
            chunks += _send(upload, ep, staging, chunk, timeout, env)
            done += len(chunk)
            if progress:
                progress(done, total)
        staged = _count(ep, staging, timeout, env)
        if staged != total:
            raise PushError(f"staging graph <{staging}> holds {staged} triples, the file "
                            f"{total}")
        run_update(ep.update, f"MOVE <{staging}> TO <{graph}>", timeout=timeout, env=env)
    except (RemoteError, PushError) as exc:
        cleanup = _drop(ep, staging, timeout, env)
        where = f"after {done} of {total} triples" if done < total else "after the upload"
        raise PushError(f"push failed {where}: {exc}; target <{graph}> left unchanged"
                        f"{cleanup}") from None
    except BaseException:  # interrupted: still leave no staging graph behind
        _drop(ep, staging, timeout, env)
        raise
    final = _count(ep, graph, timeout, env)
    if final != total:
        raise PushError(f"<{graph}> holds {final} triples after the move, expected {total}")
    return PushResult(graph, total, chunks, method, time.perf_counter() - t0)


def _drop(ep: Endpoints, staging: str, timeout: float, env) -> str:
    """Drop the staging graph; return a note for the error message if that failed too."""
    try:
        run_update(ep.update, f"DROP SILENT GRAPH <{staging}>", timeout=timeout, retries=1,
                   env=env)
    except RemoteError as exc:
        return f"; could not drop staging graph <{staging}> ({exc.problem})"
    return ""
