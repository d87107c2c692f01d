"""Namespaces used in the graph, bound once so every export uses the same prefixes."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

RKG = Namespace("https://w3id.org/regionkg/ontology#")
ID = Namespace("https://w3id.org/regionkg/id/")
SCHEMA = Namespace("https://schema.org/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
SF = Namespace("http://www.opengis.net/ont/sf#")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")

PREFIXES = {
    "rkg": RKG, "id": ID, "schema": SCHEMA, "geo": GEO, "sf": SF, "nif": NIF,
    "itsrdf": ITSRDF, "prov": PROV, "skos": SKOS, "rdf": RDF, "rdfs": RDFS, "xsd": XSD,
    "owl": OWL, "dcterms": DCTERMS,
}


def bind(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph
