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

The pipeline: the graph becomes a pyoxigraph Store (kg.graph.load), a handful of
queries read the facts the network shows (kg.graph.read) into plain tables
(kg.graph.facts), and this module assembles the nodes and edges from them. For a page
of the most connected nodes only theirs are read (:func:`project_most_connected`), and
after a change what the last page read is re-used (:class:`Memo`, kg.graph.memo).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from operator import attrgetter

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph

from kg.graph.facts import (
    EDGE_PROPERTIES,
    NO_LABELS,
    NODE_TYPES,
    SUBTYPES,
    Facts,
    many,
    paused_gc,
    rdflib_literal,
    term_text,
    term_value,
    truthy,
)
from kg.graph.load import as_store, load_rdf
from kg.graph.memo import Changed, Memo, load_memo, save_memo
from kg.graph.read import ReadAll, read_all, read_part, read_rest, read_structure

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


# Evidence's own order (its fields in turn), compared as tuples in C: the generated
# __lt__ of the dataclass, called a million times at 20,000 articles, took 0.3 s.
_EVIDENCE_ORDER = attrgetter("quote", "title", "article")


class _Reader:
    """Lookups over the facts, cached, so each span and article is read once."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self._titles: dict[str, str] = {}
        self._evidence: dict[str, Evidence] = {}
        self.known_evidence = self._evidence  # what evidence() has made, by span
        self._item_evidence: dict[str, list[Evidence]] = {}

    def labels(self, node: str) -> tuple[str, str, list[str]]:
        """(zh label, en label, alt labels): see kg.graph.facts.labels_digest."""
        made = self.facts.labels.get(node, NO_LABELS)
        return made[0], made[1], list(made[2])

    def title(self, article: str) -> str:
        """The article's rdfs:label, else its headline ('' if neither is true)."""
        if article not in self._titles:
            title = self.facts.labels.get(article, NO_LABELS)[3]
            if title is None:
                headline = self.facts.value(article, "headline")
                title = term_text(headline) if truthy(headline) else ""
            self._titles[article] = title
        return self._titles[article]

    def evidence(self, span: str) -> Evidence:
        if span not in self._evidence:
            digest = self.facts.spans.get(span)
            quote, article = ("", None) if digest is None else digest[:2]
            self._evidence[span] = Evidence(quote, "", "") if article is None \
                else Evidence(quote, self.title(article), article)
        return self._evidence[span]

    def item_evidence(self, item: str) -> list[Evidence]:
        if item not in self._item_evidence:
            self._item_evidence[item] = sorted(
                {self.evidence(s) for s in self.facts.item_evidence.get(item, ())},
                key=_EVIDENCE_ORDER)
        return list(self._item_evidence[item])


def _node_type(classes: AbstractSet[str]) -> str | None:
    for t in NODE_TYPES:
        if t in classes:
            return t
    return None


def _subtype(classes: AbstractSet[str], node_type: str) -> str:
    for s in SUBTYPES:
        if s in classes:
            return s
    return node_type


def _local(iri: str) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _point(facts: Facts, node: str) -> tuple[float, float] | None:
    """(lon, lat) of the first GeoSPARQL point geometry, if any."""
    geometries = facts.geometries.get(node, {})
    for geom in sorted(geometries):
        for wkt in sorted(geometries[geom]):
            m = _POINT.search(wkt)
            if m:
                return float(m.group(1)), float(m.group(2))
    return None


def project(source: ox.Store | Graph) -> nx.MultiDiGraph:
    """A MultiDiGraph of the entities of ``source`` and the typed relations between them.

    ``source`` is a pyoxigraph Store (what ``kg build`` and :func:`load_rdf` hold)
    or an rdflib Graph, which is copied into a Store first.

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
    with paused_gc():
        return _project(as_store(source), None).graph


@dataclass(frozen=True)
class Part:
    """The most connected nodes of a projection, and the size of the whole; ``memo`` is
    what the next projection may re-use (None when the part is the whole projection)."""

    graph: nx.MultiDiGraph
    total_nodes: int
    total_edges: int
    truncated: bool
    memo: Memo | None = field(default=None, compare=False, repr=False)


def project_most_connected(source: ox.Store | Graph, max_nodes: int | None,
                           memo: Memo | None = None, changed: Changed | None = None) -> Part:
    """The subgraph of ``project(source)`` on its ``max_nodes`` nodes of highest degree
    (ties by IRI; all nodes if ``max_nodes`` is None or not exceeded), with its edges
    among them and the node and edge counts of the whole projection.

    Why: a page shows a few thousand nodes, but projecting a 20,000-article graph reads
    every entity's labels, evidence spans and mention sentences (most of the time and
    memory). Degrees need only the types, links and partnerships; so those are read
    first, the nodes ranked as kg.graph.viz.select ranks them, and then only the kept
    nodes' facts are read (queries restricted by VALUES). The graph equals
    ``select(project(source), max_nodes=max_nodes).graph``, attribute for attribute.

    ``memo`` (the ``memo`` of the Part a previous call returned) and ``changed`` (what
    changed in ``source`` since then) make the call read only what the change touched:
    the structure of the changed subjects and the facts of the keys the change may have
    altered or the kept nodes newly need. The result is the same as without them. The
    memo is updated in place and handed on in the result's ``memo``: use that one next,
    never the one passed again. Without ``changed`` (nothing known about the change), for
    another ``max_nodes``, or when the change involves blank nodes, the projection is
    made afresh.
    """
    with paused_gc():
        store = as_store(source)
        if memo is not None and changed is not None and memo.usable(changed, max_nodes):
            try:
                return _project_again(store, memo, changed)
            except ReadAll:
                pass
        return _project(store, max_nodes)


def _entities(facts: Facts) -> list[str]:
    """The nodes of the whole projection, sorted: the subjects of a node type."""
    return sorted(n for n, cls in facts.types.items() if _node_type(cls))


def _edge_ends(facts: Facts, entities: set[str]) -> Iterator[tuple[str, str]]:
    """(u, v) of each edge _add_relations and _add_partners make between ``entities``
    (the direction does not matter: both ends count for the degree)."""
    for name in EDGE_PROPERTIES:
        for s, objects in facts.links.get(name, {}).items():
            if s in entities:
                if type(objects) is str:
                    if objects in entities and s != objects:
                        yield s, objects
                else:
                    yield from ((s, o) for o in objects if o in entities and s != o)
    for partnership in facts.partnerships:
        partners = sorted(entities.intersection(facts.linked("partner", partnership)))
        yield from ((a, b) for i, a in enumerate(partners) for b in partners[i + 1:])


def _project(store: ox.Store, max_nodes: int | None) -> Part:
    facts = Facts()
    read_structure(store, facts)
    entities = _entities(facts)
    entity_set = set(entities)
    if max_nodes is None or len(entities) <= max_nodes:
        read_rest(store, facts)
        G = _assemble(facts, entities, entity_set)
        return Part(G, G.number_of_nodes(), G.number_of_edges(), False)
    kept, total_edges = _most_connected(facts, entities, entity_set, max_nodes)
    try:
        read = read_part(store, facts, kept, {})
    except ReadAll:
        facts = read_all(store)
        return Part(_assemble(facts, kept, entity_set), len(entities), total_edges, True)
    if facts.blank:
        return Part(_assemble(facts, kept, entity_set), len(entities), total_edges, True)
    memo = Memo(facts, read, max_nodes)
    G = _assemble(facts, kept, entity_set)
    memo.prune()
    return Part(G, len(entities), total_edges, True, memo)


def _most_connected(facts: Facts, entities: list[str], entity_set: set[str],
                    max_nodes: int) -> tuple[list[str], int]:
    """The ``max_nodes`` entities of highest degree (sorted), and the number of edges."""
    ends = [end for edge in _edge_ends(facts, entity_set) for end in edge]
    degree = Counter(ends)
    # Highest degree first, ties by IRI: entities are sorted, and the sort is stable
    # (reverse=True keeps equal keys in their order).
    ranked = sorted(entities, key=lambda n: degree.get(n, 0), reverse=True)
    return sorted(ranked[:max_nodes]), len(ends) // 2


def _project_again(store: ox.Store, memo: Memo, changed: Changed) -> Part:
    """:func:`_project` from a memo: brought up to date with the change (Memo.update), and
    only the facts it lacks read."""
    memo.update(store, changed)
    facts = memo.facts
    entities = _entities(facts)
    entity_set = set(entities)
    if len(entities) <= memo.max_nodes:  # now the whole projection: read it all
        raise ReadAll
    kept, total_edges = _most_connected(facts, entities, entity_set, memo.max_nodes)
    memo.read = read_part(store, facts, kept, memo.read)
    # Forget what this cut no longer needs: the facts become those a fresh projection
    # reads, and the memo does not grow from build to build.
    memo.prune()
    G = _assemble(facts, kept, entity_set)
    return Part(G, len(entities), total_edges, True, memo)


Edges = dict[tuple[str, str, str], dict]  # (u, v, key) → attributes


def _assemble(facts: Facts, entities: list[str],
              all_entities: set[str]) -> nx.MultiDiGraph:
    """The nodes ``entities`` (sorted) and the edges between them; ``all_entities`` are the
    nodes of the whole projection (partOf chains name them by label)."""
    reader = _Reader(facts)
    types = facts.types
    entity_set = set(entities)
    labels = {n: reader.labels(n) for n in entities}
    chain_labels: dict[str, str] = {}

    def label_of(p: str) -> str:
        if p in labels:
            return labels[p][0]
        if p not in all_entities:
            return ""
        if p not in chain_labels:
            chain_labels[p] = reader.labels(p)[0]
        return chain_labels[p]

    known = reader.known_evidence  # looked up inline: 140,000 calls at 20,000 articles
    mentions = {n: {known[s] if s in known else reader.evidence(s)
                    for s in facts.mention_sentences[n]}
                for n in entities if n in facts.mention_sentences}
    nodes: list[tuple[str, dict]] = []
    for node in entities:
        cls = types[node]
        node_type = _node_type(cls)
        assert node_type is not None
        zh, en, alts = labels[node]
        attrs: dict = {
            "iri": node, "type": node_type, "subtype": _subtype(cls, node_type),
            "label": zh or _local(node), "label_en": en, "alt_labels": alts,
            "code": term_text(facts.value(node, "adminCode")),
            "mentions": facts.mentions.get(node, 0),
        }
        evidence = set(reader.item_evidence(node)) | mentions.get(node, set())
        attrs["evidence"] = sorted(evidence, key=_EVIDENCE_ORDER)
        if node_type == "Region":
            chain = facts.province_chain(node)
            attrs["parent_chain"] = [label_of(p) or _local(p) for p in chain]
            if "ProvinceLevelUnit" in cls:
                attrs["province"] = attrs["label"]
            elif chain and "ProvinceLevelUnit" in types.get(chain[-1], set()):
                attrs["province"] = attrs["parent_chain"][-1]
            else:
                attrs["province"] = ""
            point = _point(facts, node)
            if point is not None:
                attrs["lon"], attrs["lat"] = point
        if node_type == "Indicator":
            attrs["value"] = term_text(facts.value(node, "value"))
            attrs["unit"] = term_text(facts.value(node, "unit"))
        count = facts.value(node, "count")
        if node_type == "Measure" and count is not None:
            attrs["count"] = int(rdflib_literal(count)) if type(count) is tuple \
                else int(term_value(count))
        nodes.append((node, attrs))

    edges: Edges = {}
    _add_relations(edges, reader, entity_set, mentions)
    _add_partners(edges, reader, entity_set)
    # Nodes and edges inserted in sorted order (entities are sorted already).
    G = nx.MultiDiGraph()
    G.add_nodes_from(nodes)
    G.add_edges_from((*key, attrs) for key, attrs in sorted(edges.items(),
                                                             key=lambda e: e[0]))
    return G



def _add_relations(edges: Edges, reader: _Reader, entities: set[str],
                   mentions: dict[str, set[Evidence]]) -> None:
    for name in EDGE_PROPERTIES:
        for s, objects in reader.facts.links.get(name, {}).items():
            if s not in entities:
                continue
            for o in many(objects):
                if o not in entities or s == o:
                    continue
                own = reader.item_evidence(s) if name == "about" else []
                if name == "hasMeasure":
                    own = reader.item_evidence(o)
                if not own:  # sentences that name both ends
                    own = sorted(mentions.get(s, set()) & mentions.get(o, set()),
                                 key=_EVIDENCE_ORDER)
                edges[(s, o, name)] = {"relation": name, "evidence": own}


def _add_partners(edges: Edges, reader: _Reader, entities: set[str]) -> None:
    facts = reader.facts
    for partnership in facts.partnerships:
        partners = sorted(p for p in facts.linked("partner", partnership) if p in entities)
        if len(partners) < 2:  # no edge here (and its facts were not read)
            continue
        helpers = {h for h in facts.linked("helper", partnership) if h in entities}
        kind_node = facts.value(partnership, "kind")
        kind, kind_en = ("", "")
        if kind_node is not None:
            kind, kind_en, _ = reader.labels(term_value(kind_node))
        since = term_text(facts.value(partnership, "since"))
        evidence = reader.item_evidence(partnership)
        label = reader.labels(partnership)[0]
        for i, a in enumerate(partners):
            for b in partners[i + 1:]:
                u, v, directed = a, b, False
                if b in helpers and a not in helpers:
                    u, v, directed = b, a, True
                elif a in helpers and b not in helpers:
                    directed = True
                edges[(u, v, f"partner:{partnership}")] = {
                    "relation": "partner", "kind": kind, "kind_en": kind_en, "since": since,
                    "directed": directed, "partnership": partnership,
                    "partnership_label": label, "evidence": evidence}


__all__ = ["EDGE_PROPERTIES", "NODE_TYPES", "RELATIONS", "SUBTYPES", "Changed", "Evidence",
           "Memo", "Part", "as_store", "load_memo", "load_rdf", "project",
           "project_most_connected", "save_memo"]
