"""The graph's vocabularies as pyoxigraph terms, for building triples fast.

Why not rdflib's namespaces: a corpus build makes tens of millions of terms, and
``rdflib.Graph.add`` costs about 15 µs per triple (events, three indexes, context
bookkeeping) where a set of pyoxigraph triples costs about 1 µs; the per-file graph is
written straight to N-Triples by pyoxigraph's serialiser. The IRIs are those of
:mod:`kg.rdf.ns`, so both views name the same things.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from kg.rdf.ns import PREFIXES


class Vocabulary:
    """``RKG.Region`` or ``RKG["count"]``: the NamedNode of a local name, made once."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._nodes: dict[str, NamedNode] = {}

    def __getitem__(self, name: str) -> NamedNode:
        node = self._nodes.get(name)
        if node is None:
            node = self._nodes[name] = NamedNode(self.base + name)
        return node

    def __getattr__(self, name: str) -> NamedNode:
        # Called only on the first use of a name: it is then stored as an attribute, so
        # later uses (hundreds of thousands per corpus) are plain attribute reads.
        if name.startswith("__"):
            raise AttributeError(name)
        node = self[name]
        setattr(self, name, node)
        return node


_V = {prefix: Vocabulary(str(ns)) for prefix, ns in PREFIXES.items()}
RKG, ID, SCHEMA, GEO, SF = _V["rkg"], _V["id"], _V["schema"], _V["geo"], _V["sf"]
NIF, ITSRDF, PROV, SKOS = _V["nif"], _V["itsrdf"], _V["prov"], _V["skos"]
RDF, RDFS, XSD, DCTERMS = _V["rdf"], _V["rdfs"], _V["xsd"], _V["dcterms"]

__all__ = ["DCTERMS", "GEO", "ID", "ITSRDF", "NIF", "PROV", "RDF", "RDFS", "RKG", "SCHEMA",
           "SF", "SKOS", "XSD", "Vocabulary"]
