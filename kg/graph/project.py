"""The RDF graph seen as a network: entities become nodes, relations typed edges.

Why a projection at all: NetworkX's analysis (degree, betweenness, communities,
shortest paths) and desktop tools (Gephi) want plain nodes and edges with scalar
facts on them, while the RDF graph spreads one fact over several resources
(a partnership is a node with partners, a kind and evidence spans).

Decisions:

* nodes are the entities a student asks about: regions, strategies, programs,
  measures and indicators (articles, spans and concepts are not nodes; they turn
  into evidence and mention counts);
* a partnership becomes ``partner`` edges, one for each pair of its regions
  (helper → helped for directed kinds such as 对口支援), carrying kind, start
  year and the partnership's evidence, so "who partners with whom" is one hop;
* the other relations (partOf, memberOf, covers, implements, involves,
  hasMeasure, about) are edges in the direction of the RDF property; they carry
  the item's own evidence where it has one (measures, indicators) and otherwise
  the sentences in which an article names both ends;
* everything is sorted, so the same RDF graph gives the same network, node and
  edge order included (layouts, communities and pages depend on that order).

The projection only reads triples through rdflib's Graph API, so it works for
any rdflib store (memory, Oxigraph through oxrdflib).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.rdf.ns import GEO, ITSRDF, NIF, RKG, SCHEMA

# Top-level classes that become nodes, in the order used to pick a node's type.
NODE_TYPES = ("Region", "Strategy", "Program", "Measure", "Indicator")

# Most specific first: the first class a node has names its subtype.
SUBTYPES = (
    "Municipality", "ProvinceLevelUnit", "PrefectureLevelUnit", "District", "CountyLevelUnit",
    "LocalUnit", "Zone", "MacroRegion",
    "Plan", "Agreement", "PolicyDocument", "Project", "Platform", "Mechanism", "Event",
)

# RDF property → edge relation; partner edges come from partnerships instead.
EDGE_PROPERTIES = ("partOf", "memberOf", "covers", "implements", "involves", "hasMeasure",
                   "about")
RELATIONS = ("partner", *EDGE_PROPERTIES)

_POINT = re.compile(r"POINT\s*\(\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)\s*\)", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Evidence:
    """A sentence that supports a node or an edge, with where it was read."""

    quote: str
    title: str
    article: str

    def as_dict(self) -> dict[str, str]:
        return {"quote": self.quote, "title": self.title, "article": self.article}


def _text(value) -> str:
    return str(value) if value is not None else ""


def _labels(g: Graph, node: URIRef) -> tuple[str, str, list[str]]:
    """(zh label, en label, alt labels). A missing zh label falls back to any label."""
    zh = en = other = ""
    for prop in (RDFS.label, SKOS.prefLabel):
        for lit in sorted(g.objects(node, prop), key=str):
            if not isinstance(lit, Literal):
                continue
            lang = (lit.language or "").lower()
            if lang.startswith("zh") and not zh:
                zh = str(lit)
            elif lang.startswith("en") and not en:
                en = str(lit)
            elif not lang and not other:
                other = str(lit)
    alts = sorted({str(o) for o in g.objects(node, SKOS.altLabel)} - {zh})
    return zh or other or en, en, alts


def _node_type(classes: set[str]) -> str | None:
    for t in NODE_TYPES:
        if t in classes:
            return t
    return None


def _subtype(classes: set[str], node_type: str) -> str:
    for s in SUBTYPES:
        if s in classes:
            return s
    return node_type


def _local(iri: URIRef | str) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _point(g: Graph, node: URIRef) -> tuple[float, float] | None:
    """(lon, lat) of the first GeoSPARQL point geometry, if any."""
    for geom in sorted(g.objects(node, GEO.hasGeometry), key=str):
        for wkt in g.objects(geom, GEO.asWKT):
            m = _POINT.search(str(wkt))
            if m:
                return float(m.group(1)), float(m.group(2))
    return None


class _Reader:
    """Lookups over one RDF graph, cached, so each span and article is read once."""

    def __init__(self, g: Graph) -> None:
        self.g = g
        self._titles: dict[URIRef, str] = {}

    def title(self, article: URIRef) -> str:
        if article not in self._titles:
            title = (self.g.value(article, RDFS.label) or self.g.value(article, SCHEMA.headline)
                     or "")
            self._titles[article] = str(title)
        return self._titles[article]

    def evidence(self, span: URIRef) -> Evidence:
        article = self.g.value(span, NIF.referenceContext)
        quote = _text(self.g.value(span, NIF.anchorOf))
        if article is None:  # a span without context: the derivation names the article
            article = self.g.value(span, PROV.wasDerivedFrom)
        return Evidence(quote, self.title(article) if article is not None else "",
                        _text(article))

    def item_evidence(self, item: URIRef) -> list[Evidence]:
        return sorted({self.evidence(s) for s in self.g.objects(item, RKG.evidence)})


def _mention_sentences(g: Graph, reader: _Reader,
                       nodes: Iterable[URIRef]) -> dict[URIRef, set[Evidence]]:
    """Sentences in which each node is named (mention span → its sentence span)."""
    wanted = set(nodes)
    out: dict[URIRef, set[Evidence]] = defaultdict(set)
    for mention, target in g.subject_objects(ITSRDF.taIdentRef):
        if target not in wanted:
            continue
        for sentence in g.objects(mention, RKG.evidence):
            out[target].add(reader.evidence(sentence))
    return out


def _province_chain(g: Graph, node: URIRef, types: dict[URIRef, set[str]]) -> list[URIRef]:
    """Parents by rkg:partOf, nearest first; stops at a loop or a missing parent."""
    chain: list[URIRef] = []
    seen = {node}
    current = node
    while True:
        parents = sorted(p for p in g.objects(current, RKG.partOf) if isinstance(p, URIRef))
        if not parents or parents[0] in seen:
            return chain
        current = parents[0]
        seen.add(current)
        chain.append(current)
        if "ProvinceLevelUnit" in types.get(current, set()):
            return chain


def project(g: Graph) -> nx.MultiDiGraph:
    """A MultiDiGraph of the entities of ``g`` and the typed relations between them.

    Node keys are IRIs. Node attributes: ``type`` (Region, Strategy, Program,
    Measure, Indicator), ``subtype`` (the most specific class), ``label`` (zh),
    ``label_en``, ``alt_labels``, ``code``, ``parent_chain`` (labels of the partOf
    chain, nearest first), ``province``, ``lon``/``lat``, ``mentions`` (number of
    articles that mention it), ``evidence`` (list of :class:`Evidence`) and, for
    indicators, ``value``/``unit``. Edge keys are relation names (for partner
    edges, ``partner:`` + the partnership IRI); edge attributes: ``relation``,
    ``evidence``, and for partner edges ``kind``, ``kind_en``, ``since``,
    ``directed`` and ``partnership``.
    """
    reader = _Reader(g)
    types: dict[URIRef, set[str]] = defaultdict(set)
    prefix = str(RKG)
    for s, o in g.subject_objects(RDF.type):
        if isinstance(s, URIRef) and str(o).startswith(prefix):
            types[s].add(str(o)[len(prefix):])

    entities = sorted(n for n, cls in types.items() if _node_type(cls))
    entity_set = set(entities)
    label_of = {n: _labels(g, n)[0] for n in entities}
    mentions = _mention_sentences(g, reader, entities)

    G = nx.MultiDiGraph()
    for node in entities:
        cls = types[node]
        node_type = _node_type(cls)
        zh, en, alts = _labels(g, node)
        attrs: dict = {
            "iri": str(node), "type": node_type, "subtype": _subtype(cls, node_type),
            "label": zh or _local(node), "label_en": en, "alt_labels": alts,
            "code": _text(g.value(node, RKG.adminCode)),
            "mentions": len(set(g.subjects(RKG.mentions, node))),
        }
        evidence = set(reader.item_evidence(node)) | mentions.get(node, set())
        attrs["evidence"] = sorted(evidence)
        if node_type == "Region":
            chain = _province_chain(g, node, types)
            attrs["parent_chain"] = [label_of.get(p) or _local(p) for p in chain]
            if "ProvinceLevelUnit" in cls:
                attrs["province"] = attrs["label"]
            elif chain and "ProvinceLevelUnit" in types.get(chain[-1], set()):
                attrs["province"] = attrs["parent_chain"][-1]
            else:
                attrs["province"] = ""
            point = _point(g, node)
            if point is not None:
                attrs["lon"], attrs["lat"] = point
        if node_type == "Indicator":
            attrs["value"] = _text(g.value(node, RKG.value))
            attrs["unit"] = _text(g.value(node, RKG.unit))
        if node_type == "Measure" and g.value(node, RKG["count"]) is not None:
            attrs["count"] = int(g.value(node, RKG["count"]))
        G.add_node(str(node), **attrs)

    _add_relations(G, g, reader, entity_set, mentions)
    _add_partners(G, g, reader, entity_set, types)
    return _sorted_copy(G)


def _add_relations(G: nx.MultiDiGraph, g: Graph, reader: _Reader, entities: set[URIRef],
                   mentions: dict[URIRef, set[Evidence]]) -> None:
    for name in EDGE_PROPERTIES:
        for s, o in g.subject_objects(RKG[name]):
            if s not in entities or o not in entities or s == o:
                continue
            own = reader.item_evidence(s) if name == "about" else []
            if name == "hasMeasure":
                own = reader.item_evidence(o)
            if not own:  # sentences that name both ends
                own = sorted(mentions.get(s, set()) & mentions.get(o, set()))
            G.add_edge(str(s), str(o), key=name, relation=name, evidence=own)


def _add_partners(G: nx.MultiDiGraph, g: Graph, reader: _Reader, entities: set[URIRef],
                  types: dict[URIRef, set[str]]) -> None:
    for partnership in sorted(g.subjects(RDF.type, RKG.Partnership)):
        partners = sorted(p for p in set(g.objects(partnership, RKG.partner)) if p in entities)
        helpers = sorted(h for h in set(g.objects(partnership, RKG.helper)) if h in entities)
        kind_node = g.value(partnership, RKG.partnershipKind)
        kind, kind_en = ("", "")
        if kind_node is not None:
            kind, kind_en, _ = _labels(g, kind_node)
        since = _text(g.value(partnership, RKG.since))
        evidence = reader.item_evidence(partnership)
        label = _labels(g, partnership)[0]
        for i, a in enumerate(partners):
            for b in partners[i + 1:]:
                u, v, directed = a, b, False
                if b in helpers and a not in helpers:
                    u, v, directed = b, a, True
                elif a in helpers and b not in helpers:
                    directed = True
                G.add_edge(str(u), str(v), key=f"partner:{partnership}", relation="partner",
                           kind=kind, kind_en=kind_en, since=since, directed=directed,
                           partnership=str(partnership), partnership_label=label,
                           evidence=evidence)


def _sorted_copy(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same network with nodes and edges inserted in sorted order."""
    out = nx.MultiDiGraph()
    out.add_nodes_from(sorted(G.nodes(data=True), key=lambda x: x[0]))
    edges = sorted(G.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2]))
    out.add_edges_from(edges)
    return out


def load_rdf(path: str) -> Graph:
    """Parse an RDF file, the format guessed from its extension (Turtle by default).

    Raises ValueError naming the file and the problem, for the CLI to print.
    """
    from pathlib import Path

    from rdflib.util import guess_format

    p = Path(path)
    if not p.exists():
        raise ValueError(f"{path}: no such file (run `kg build` first, or pass --graph)")
    if p.is_dir():
        raise ValueError(f"{path}: is a folder, expected an RDF file such as regionkg.ttl")
    fmt = guess_format(str(p)) or "turtle"
    g = Graph()
    try:
        g.parse(str(p), format=fmt)
    except Exception as exc:  # rdflib raises a different type per parser
        raise ValueError(f"{path}: not valid {fmt}: {exc}") from exc
    return g


__all__ = ["NODE_TYPES", "RELATIONS", "SUBTYPES", "Evidence", "load_rdf", "project"]
