"""The RDF graph as the pyoxigraph Store the projection reads (kg.graph.read says why a Store).

``kg build`` hands over the Store it loaded; an RDF file is parsed straight into one
(:func:`load_rdf`), and an rdflib Graph (tests, ``kg.rdf.build``'s in-memory graphs) is
copied into one once, through its N-Triples (:func:`as_store`).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph


def as_store(source: ox.Store | Graph) -> ox.Store:
    """The source itself if it is a Store, else an in-memory Store with the same triples."""
    if isinstance(source, ox.Store):
        return source
    store = ox.Store()
    store.bulk_load(source.serialize(format="nt", encoding="utf-8"),
                    format=ox.RdfFormat.N_TRIPLES)
    return store


# rdflib's format names (as guess_format gives them, and as error messages say them)
# → the pyoxigraph parser that reads them.
_OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML,
    "json-ld": ox.RdfFormat.JSON_LD, "n3": ox.RdfFormat.N3, "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


def load_rdf(path: str) -> ox.Store:
    """Parse an RDF file into an in-memory Store, the format guessed from its extension
    (Turtle by default); pyoxigraph parses it, several times faster than rdflib.

    Raises ValueError naming the file and the problem, for the CLI to print.
    """
    from rdflib.util import guess_format

    p = Path(path)
    if not p.exists():
        raise ValueError(f"{path}: no such file (run `kg build` first, or pass --graph)")
    if p.is_dir():
        raise ValueError(f"{path}: is a folder, expected an RDF file such as regionkg.ttl")
    fmt = guess_format(str(p)) or "turtle"
    store = ox.Store()
    try:
        if fmt in _OX_FORMATS:
            store.bulk_load(path=str(p), format=_OX_FORMATS[fmt], base_iri=p.resolve().as_uri())
        else:  # formats only rdflib reads (TriX, HexTuples, ...)
            g = Graph()
            g.parse(str(p), format=fmt)
            store = as_store(g)
    except Exception as exc:  # each parser raises its own types (SyntaxError, ValueError…)
        # pyoxigraph's SyntaxError prints the file name again after the message
        problem = exc.msg if isinstance(exc, SyntaxError) and exc.msg else exc
        raise ValueError(f"{path}: not valid {fmt}: {problem}") from exc
    return store
