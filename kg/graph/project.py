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

Why a pyoxigraph Store and SPARQL rather than rdflib's Graph API: a build of a
few hundred articles has ~70k triples and one of 20,000 articles over a million.
Parsing them into rdflib only to read them took seconds (3.6 s for 70k), and
reading node by node through ``Graph.value`` and ``Graph.objects`` took more.
``kg build`` loads the merged graph into a Store (in memory up to a million
triples, on disk above), so the projection reads it there with a handful of SELECT
queries (types, labels, single-valued facts, evidence spans, mentions, links,
geometries), each returning every row it needs at once, and assembles nodes and
edges from plain dicts (no query per node). An rdflib Graph (tests, ``kg.rdf.build``'s in-memory
graphs) is copied into a Store once, through its N-Triples; :func:`load_rdf`
parses files straight into a Store. The Store's iteration order is not defined,
so every list is sorted exactly as the rdflib version sorted it, and literals
read as rdflib's ``str()`` reads them (see :func:`_text` for decimals), so the
network is the same, attribute for attribute, whichever the source.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Graph
from rdflib import Literal as RdfLiteral
from rdflib.namespace import PROV, RDF, RDFS, SKOS, XSD

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

# Literals whose lexical form rdflib never rewrites; the others go through rdflib.Literal.
_AS_WRITTEN = {str(XSD.string), str(RDF.langString)}
_DECIMAL = str(XSD.decimal)

# The properties read, by the short names the code uses for them.
_VALUES = {"adminCode": RKG.adminCode, "value": RKG.value, "unit": RKG.unit,
           "count": RKG["count"], "since": RKG.since, "kind": RKG.partnershipKind,
           "headline": SCHEMA.headline}  # single-valued facts
_LABELS = {"label": RDFS.label, "prefLabel": SKOS.prefLabel, "altLabel": SKOS.altLabel}
_SPANS = {"context": NIF.referenceContext, "anchor": NIF.anchorOf,
          "derived": PROV.wasDerivedFrom}
_LINKS = {name: RKG[name] for name in (*EDGE_PROPERTIES, "partner", "helper")}
_NAME = {str(iri): name for table in (_VALUES, _LABELS, _SPANS, _LINKS)
         for name, iri in table.items()}
# Items whose own rkg:evidence is read: the node types and partnerships.
_EVIDENCE_CLASSES = (*(RKG[t] for t in NODE_TYPES), RKG.Partnership)


def _iris(terms) -> str:
    return " ".join(f"<{t}>" for t in terms)


_QUERIES = {
    # The classes the projection tests for (not Mention, TextSpan, …: most of the graph).
    "types": f"""SELECT ?s ?t WHERE {{
        VALUES ?t {{ {_iris(RKG[name] for name in (*NODE_TYPES, *SUBTYPES))} }}
        ?s <{RDF.type}> ?t . FILTER(isIRI(?s))
    }}""",
    "labels": f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_iris(_LABELS.values())} }} ?s ?p ?o }}",
    "values": f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_iris(_VALUES.values())} }} ?s ?p ?o }}",
    # Only the spans something cites as evidence: mention spans are most of the graph.
    "spans": f"""SELECT ?span ?p ?o WHERE {{
        {{ SELECT DISTINCT ?span WHERE {{ ?x <{RKG.evidence}> ?span }} }}
        VALUES ?p {{ {_iris(_SPANS.values())} }}
        ?span ?p ?o
    }}""",
    "item_evidence": f"""SELECT DISTINCT ?item ?span WHERE {{
        VALUES ?t {{ {_iris(_EVIDENCE_CLASSES)} }}
        ?item <{RDF.type}> ?t ; <{RKG.evidence}> ?span .
    }}""",
    # The sentence of each mention of an entity.
    "mention_sentences": f"""SELECT DISTINCT ?target ?sentence WHERE {{
        ?mention <{ITSRDF.taIdentRef}> ?target ; <{RKG.evidence}> ?sentence .
        FILTER(isIRI(?target))
    }}""",
    "mentions": f"""SELECT ?o (COUNT(DISTINCT ?a) AS ?n) WHERE {{
        ?a <{RKG.mentions}> ?o . FILTER(isIRI(?o))
    }} GROUP BY ?o""",
    "links": f"""SELECT ?s ?p ?o WHERE {{
        VALUES ?p {{ {_iris(_LINKS.values())} }} ?s ?p ?o . FILTER(isIRI(?o))
    }}""",
    "partnerships": f"SELECT DISTINCT ?s WHERE {{ ?s <{RDF.type}> <{RKG.Partnership}> }}",
    "geometries": f"""SELECT ?s ?geom ?wkt WHERE {{
        ?s <{GEO.hasGeometry}> ?geom . OPTIONAL {{ ?geom <{GEO.asWKT}> ?wkt }}
    }}""",
}


def _among(var: str, terms) -> str:
    return f"FILTER({var} IN ({', '.join(f'<{t}>' for t in terms)}))"


# The same rows for the subjects named where #ONLY stands (a VALUES clause), which
# Oxigraph looks up one by one. The properties are a FILTER, not VALUES: it joins two
# VALUES blocks before the triple pattern, scanning the store (1.5 s per query at 2,000
# articles against 0.05 s). Mentions are the exception: 3,000 entities have 136,000 at
# 20,000 articles, and looking up each one's sentence took 3.2 s; a sub-SELECT of all
# rkg:evidence makes Oxigraph join by hash instead (0.35 s). So do the evidence spans
# (52,000 of them: 2.1 s against 3.3 s). Those two run as one query each (_HASHED), since
# each query scans the whole property once.
_PART_QUERIES = {
    "labels": f"SELECT ?s ?p ?o WHERE {{ #ONLY ?s\n ?s ?p ?o . {_among('?p', _LABELS.values())} }}",
    "values": f"SELECT ?s ?p ?o WHERE {{ #ONLY ?s\n ?s ?p ?o . {_among('?p', _VALUES.values())} }}",
    "spans": f"""SELECT ?span ?p ?o WHERE {{ {{ #ONLY ?span
        }} {{ SELECT ?span ?p ?o WHERE {{
            VALUES ?p {{ {_iris(_SPANS.values())} }} ?span ?p ?o }} }} }}""",
    "item_evidence": f"""SELECT DISTINCT ?item ?span WHERE {{ #ONLY ?item
        ?item <{RDF.type}> ?t ; <{RKG.evidence}> ?span . {_among('?t', _EVIDENCE_CLASSES)}
    }}""",
    "mention_sentences": f"""SELECT DISTINCT ?target ?sentence WHERE {{
        {{ #ONLY ?target
           ?mention <{ITSRDF.taIdentRef}> ?target }}
        {{ SELECT ?mention ?sentence WHERE {{ ?mention <{RKG.evidence}> ?sentence }} }}
    }}""",
    "mentions": f"""SELECT ?o (COUNT(DISTINCT ?a) AS ?n) WHERE {{ #ONLY ?o
        ?a <{RKG.mentions}> ?o . FILTER(isIRI(?o))
    }} GROUP BY ?o""",
    "geometries": f"""SELECT ?s ?geom ?wkt WHERE {{ #ONLY ?s
        ?s <{GEO.hasGeometry}> ?geom . OPTIONAL {{ ?geom <{GEO.asWKT}> ?wkt }}
    }}""",
}
_ONLY = re.compile(r"#ONLY (\?\w+)")
# Subjects per restricted query: a few thousand IRIs make a query text of a few hundred kB.
_CHUNK = 2000
_HASHED = ("mention_sentences", "spans")


@dataclass(frozen=True, order=True)
class Evidence:
    """A sentence that supports a node or an edge, with where it was read."""

    quote: str
    title: str
    article: str

    def as_dict(self) -> dict[str, str]:
        return {"quote": self.quote, "title": self.title, "article": self.article}


def _text(term: Any) -> str:
    """What rdflib's ``str()`` gives for the term ('' for none).

    The Store keeps numbers as numbers and gives their canonical form, where
    rdflib keeps an xsd:decimal as written: ``"17.0"`` comes back as ``17``. The
    build writes decimals in the XSD 1.0 canonical form (a point and at least
    one digit after it, kg.rdf.build.decimal_literal), which is restored here;
    only a decimal written otherwise by hand (``1.50``) reads differently
    (``1.5``). Other datatypes go through rdflib's own normalisation (integers,
    doubles and booleans are canonical in both).
    """
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _AS_WRITTEN:
            return term.value
        if datatype == _DECIMAL:
            text = term.value
            return text if "." in text else text + ".0"
        return str(_rdflib_literal(term))
    return term.value


def _rdflib_literal(term: ox.Literal) -> RdfLiteral:
    return RdfLiteral(term.value, datatype=term.datatype.value)


def _truthy(term: Any) -> bool:
    """Python truth of the rdflib term (an empty literal is false), for ``a or b``."""
    if term is None:
        return False
    if isinstance(term, ox.Literal):
        return bool(_rdflib_literal(term)) if term.language is None else bool(term.value)
    return True


@dataclass
class _Facts:
    """Everything the projection reads, keyed by the terms' text (IRI or literal form)
    and by the short property names of _VALUES, _LABELS, _SPANS and _LINKS."""

    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[str, dict[str, list[Any]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    values: dict[str, dict[str, list[Any]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    spans: dict[str, dict[str, list[Any]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    item_evidence: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    mention_sentences: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    mentions: dict[str, int] = field(default_factory=dict)
    links: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    partnerships: list[str] = field(default_factory=list)
    geometries: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    # Keys that were blank nodes: a query cannot name them, so a part is read in full.
    blank: set[str] = field(default_factory=set)


def _first(terms: list[Any] | None) -> Any:
    """One value of a single-valued property; the smallest text if the data has several."""
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else min(terms, key=_text)


class _ReadAll(Exception):
    """A part of the graph needs a blank node as a subject: read everything instead."""


def _rows(store: ox.Store, query: str, only: set[str] | None = None,
          chunk: int = _CHUNK) -> Iterator[Any]:
    """The query's rows; with ``only``, just those whose #ONLY variable is one of these IRIs,
    named ``chunk`` at a time."""
    if only is None:
        yield from store.query(query, use_default_graph_as_union=True)
        return
    iris = sorted(only)
    for i in range(0, len(iris), chunk):
        values = _iris(iris[i:i + chunk])
        text = _ONLY.sub(lambda m, v=values: f"VALUES {m.group(1)} {{ {v} }}", query, count=1)
        yield from store.query(text, use_default_graph_as_union=True)


def _key(term: Any) -> str:
    """The text a term is filed under; a blank node cannot be asked about by name."""
    if isinstance(term, ox.BlankNode):
        raise _ReadAll
    return term.value


def _read_structure(store: ox.Store, facts: _Facts) -> None:
    """Types, links and partnerships: what says which nodes and edges there are."""
    prefix_len = len(str(RKG))
    for s, t in _rows(store, _QUERIES["types"]):
        facts.types[s.value].add(_text(t)[prefix_len:])
    for s, p, o in _rows(store, _QUERIES["links"]):
        facts.links[_NAME[p.value]][s.value].add(o.value)
        if isinstance(s, ox.BlankNode):
            facts.blank.add(s.value)
    for (s,) in _rows(store, _QUERIES["partnerships"]):
        facts.partnerships.append(s.value)
        if isinstance(s, ox.BlankNode):
            facts.blank.add(s.value)
    facts.partnerships.sort()


def _read_properties(store: ox.Store, facts: _Facts, only: dict[str, set[str]] | None) -> None:
    """Labels, values, evidence, mentions and geometries; of the subjects ``only`` names
    for each query (all subjects without it)."""

    def rows(name: str):
        if only is None:
            return _rows(store, _QUERIES[name])
        subjects = only[name]
        return _rows(store, _PART_QUERIES[name], subjects,
                     max(1, len(subjects)) if name in _HASHED else _CHUNK)

    for table, name in ((facts.labels, "labels"), (facts.values, "values")):
        for s, p, o in rows(name):
            table[s.value][_NAME[p.value]].append(o)
    for item, span in rows("item_evidence"):
        facts.item_evidence[item.value].add(_key(span) if only else span.value)
    for target, sentence in rows("mention_sentences"):
        facts.mention_sentences[target.value].add(_key(sentence) if only else sentence.value)
    for o, n in rows("mentions"):
        facts.mentions[o.value] = int(n.value)
    for s, geom, wkt in rows("geometries"):
        facts.geometries[s.value][geom.value].extend([] if wkt is None else [_text(wkt)])


def _read_spans(store: ox.Store, facts: _Facts, only: set[str] | None) -> None:
    if only is None:
        rows = _rows(store, _QUERIES["spans"])
    else:
        rows = _rows(store, _PART_QUERIES["spans"], only, max(1, len(only)))
    for s, p, o in rows:
        facts.spans[s.value][_NAME[p.value]].append(o)


def _read(store: ox.Store) -> _Facts:
    """Run each query once over the whole graph and file its rows by subject (and property)."""
    facts = _Facts()
    _read_structure(store, facts)
    _read_properties(store, facts, None)
    _read_spans(store, facts, None)
    return facts


def _nameable(keys: set[str]) -> set[str]:
    """The keys a query can name as IRIs. Others (the text of a literal used where an IRI
    belongs) are the key of no subject, which are all IRIs once blank nodes are out."""
    out = set()
    for key in keys:
        try:
            ox.NamedNode(key)
        except ValueError:
            continue
        out.add(key)
    return out


def _read_part(store: ox.Store, facts: _Facts, kept: list[str]) -> None:
    """Read, besides the structure, only what the nodes ``kept`` and their edges show:
    their own facts, those of the partnerships between them, the labels of their partOf
    chains and of the partnership kinds, and the spans and articles of their evidence.
    Raises _ReadAll if one of those is a blank node."""
    kept_set = set(kept)
    partnerships = {p for p in facts.partnerships
                    if len(facts.links["partner"].get(p, set()) & kept_set) > 1}
    reader = _Reader(facts)
    chains = {p for n in kept if "Region" in facts.types[n]
              for p in _province_chain(reader, n, facts.types)}
    items = kept_set | partnerships
    if items & facts.blank:
        raise _ReadAll
    only = {"labels": items | chains, "values": items, "item_evidence": items,
            "mention_sentences": kept_set, "mentions": kept_set, "geometries": kept_set}
    _read_properties(store, facts, only)
    spans = set().union(*facts.item_evidence.values(), *facts.mention_sentences.values())
    _read_spans(store, facts, _nameable(spans))
    more = {_key(term) for span in facts.spans.values()
            for name in ("context", "derived") for term in span.get(name, ())}
    more |= {_key(term) for p in partnerships
             for term in facts.values.get(p, _NONE).get("kind", ())}
    more = _nameable(more - items - chains)
    for name in ("labels", "values"):
        for s, prop, o in _rows(store, _PART_QUERIES[name], more):
            (facts.labels if name == "labels" else facts.values)[s.value][
                _NAME[prop.value]].append(o)


_NONE: dict = {}


class _Reader:
    """Lookups over the facts, cached, so each span and article is read once."""

    def __init__(self, facts: _Facts) -> None:
        self.facts = facts
        self._titles: dict[str, str] = {}
        self._evidence: dict[str, Evidence] = {}
        self._item_evidence: dict[str, list[Evidence]] = {}

    def labels(self, node: str) -> tuple[str, str, list[str]]:
        """(zh label, en label, alt labels). A missing zh label falls back to any label."""
        zh = en = other = ""
        props = self.facts.labels.get(node, _NONE)
        for prop in ("label", "prefLabel"):
            for lit in sorted(props.get(prop, ()), key=_text):
                if not isinstance(lit, ox.Literal):
                    continue
                lang = (lit.language or "").lower()
                if lang.startswith("zh") and not zh:
                    zh = _text(lit)
                elif lang.startswith("en") and not en:
                    en = _text(lit)
                elif not lang and not other:
                    other = _text(lit)
        alts = sorted({_text(o) for o in props.get("altLabel", ())} - {zh})
        return zh or other or en, en, alts

    def value(self, node: str, name: str) -> Any:
        return _first(self.facts.values.get(node, _NONE).get(name))

    def title(self, article: str) -> str:
        if article not in self._titles:
            label = _first(self.facts.labels.get(article, _NONE).get("label"))
            if not _truthy(label):
                label = self.value(article, "headline")
            self._titles[article] = _text(label) if _truthy(label) else ""
        return self._titles[article]

    def evidence(self, span: str) -> Evidence:
        if span not in self._evidence:
            facts = self.facts.spans.get(span, _NONE)
            article = _first(facts.get("context"))
            quote = _text(_first(facts.get("anchor")))
            if article is None:  # a span without context: the derivation names the article
                article = _first(facts.get("derived"))
            text = _text(article)
            self._evidence[span] = Evidence(quote, self.title(text) if article is not None
                                            else "", text)
        return self._evidence[span]

    def item_evidence(self, item: str) -> list[Evidence]:
        if item not in self._item_evidence:
            self._item_evidence[item] = sorted(
                {self.evidence(s) for s in self.facts.item_evidence.get(item, ())})
        return list(self._item_evidence[item])

    def linked(self, name: str, node: str) -> set[str]:
        return self.facts.links.get(name, _NONE).get(node, set())


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


def _local(iri: str) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _point(facts: _Facts, node: str) -> tuple[float, float] | None:
    """(lon, lat) of the first GeoSPARQL point geometry, if any."""
    geometries = facts.geometries.get(node, {})
    for geom in sorted(geometries):
        for wkt in sorted(geometries[geom]):
            m = _POINT.search(wkt)
            if m:
                return float(m.group(1)), float(m.group(2))
    return None


def _province_chain(reader: _Reader, node: str, types: dict[str, set[str]]) -> list[str]:
    """Parents by rkg:partOf, nearest first; stops at a loop or a missing parent."""
    chain: list[str] = []
    seen = {node}
    current = node
    while True:
        parents = sorted(reader.linked("partOf", current))
        if not parents or parents[0] in seen:
            return chain
        current = parents[0]
        seen.add(current)
        chain.append(current)
        if "ProvinceLevelUnit" in types.get(current, set()):
            return chain


def as_store(source: ox.Store | Graph) -> ox.Store:
    """The source itself if it is a Store, else an in-memory Store with the same triples."""
    if isinstance(source, ox.Store):
        return source
    store = ox.Store()
    store.bulk_load(source.serialize(format="nt", encoding="utf-8"),
                    format=ox.RdfFormat.N_TRIPLES)
    return store


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
    with _without_gc():
        return _project(as_store(source), None).graph


@dataclass(frozen=True)
class Part:
    """The most connected nodes of a projection, and the size of the whole."""

    graph: nx.MultiDiGraph
    total_nodes: int
    total_edges: int
    truncated: bool


def project_most_connected(source: ox.Store | Graph, max_nodes: int | None) -> Part:
    """The subgraph of ``project(source)`` on its ``max_nodes`` nodes of highest degree
    (ties by IRI; all nodes if ``max_nodes`` is None or not exceeded), with its edges
    among them and the node and edge counts of the whole projection.

    Why: a page shows a few thousand nodes, but projecting a 20,000-article graph reads
    every entity's labels, evidence spans and mention sentences (most of the time and
    memory). Degrees need only the types, links and partnerships; so those are read
    first, the nodes ranked as kg.graph.viz.select ranks them, and then only the kept
    nodes' facts are read (queries restricted by VALUES). The graph equals
    ``select(project(source), max_nodes=max_nodes).graph``, attribute for attribute.
    """
    with _without_gc():
        return _project(as_store(source), max_nodes)


@contextmanager
def _without_gc() -> Iterator[None]:
    """Pause Python's cycle collector: the projection makes hundreds of thousands of small
    objects and frees none before it ends, so each collection would only re-scan them
    (a third of the time at 20,000 nodes). Reference counting still frees as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _edge_ends(facts: _Facts, entities: set[str]) -> Iterator[tuple[str, str]]:
    """(u, v) of each edge _add_relations and _add_partners make between ``entities``
    (the direction does not matter: both ends count for the degree)."""
    for name in EDGE_PROPERTIES:
        for s, objects in facts.links.get(name, _NONE).items():
            if s in entities:
                yield from ((s, o) for o in objects if o in entities and s != o)
    for partnership in facts.partnerships:
        partners = sorted(facts.links["partner"].get(partnership, set()) & entities)
        yield from ((a, b) for i, a in enumerate(partners) for b in partners[i + 1:])


def _project(store: ox.Store, max_nodes: int | None) -> Part:
    facts = _Facts()
    _read_structure(store, facts)
    entities = sorted(n for n, cls in facts.types.items() if _node_type(cls))
    entity_set = set(entities)
    if max_nodes is None or len(entities) <= max_nodes:
        _read_properties(store, facts, None)
        _read_spans(store, facts, None)
        G = _assemble(facts, entities, entity_set)
        return Part(G, G.number_of_nodes(), G.number_of_edges(), False)
    degree: dict[str, int] = dict.fromkeys(entities, 0)
    total_edges = 0
    for u, v in _edge_ends(facts, entity_set):
        degree[u] += 1
        degree[v] += 1
        total_edges += 1
    kept = sorted(sorted(entities, key=lambda n: (-degree[n], n))[:max_nodes])
    try:
        _read_part(store, facts, kept)
    except _ReadAll:
        facts = _read(store)
    return Part(_assemble(facts, kept, entity_set), len(entities), total_edges, True)


def _assemble(facts: _Facts, entities: list[str], all_entities: set[str]) -> nx.MultiDiGraph:
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

    mentions = {n: {reader.evidence(s) for s in facts.mention_sentences[n]}
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
            "code": _text(reader.value(node, "adminCode")),
            "mentions": facts.mentions.get(node, 0),
        }
        evidence = set(reader.item_evidence(node)) | mentions.get(node, set())
        attrs["evidence"] = sorted(evidence)
        if node_type == "Region":
            chain = _province_chain(reader, node, types)
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
            attrs["value"] = _text(reader.value(node, "value"))
            attrs["unit"] = _text(reader.value(node, "unit"))
        count = reader.value(node, "count")
        if node_type == "Measure" and count is not None:
            attrs["count"] = int(_rdflib_literal(count)) if isinstance(count, ox.Literal) \
                else int(count.value)
        nodes.append((node, attrs))

    edges: dict[tuple[str, str, str], dict] = {}
    _add_relations(edges, reader, entity_set, mentions)
    _add_partners(edges, reader, entity_set)
    # Nodes and edges inserted in sorted order (entities are sorted already).
    G = nx.MultiDiGraph()
    G.add_nodes_from(nodes)
    G.add_edges_from((*key, attrs) for key, attrs in sorted(edges.items(),
                                                             key=lambda e: e[0]))
    return G


Edges = dict[tuple[str, str, str], dict]  # (u, v, key) → attributes


def _add_relations(edges: Edges, reader: _Reader, entities: set[str],
                   mentions: dict[str, set[Evidence]]) -> None:
    for name in EDGE_PROPERTIES:
        for s, objects in reader.facts.links.get(name, _NONE).items():
            if s not in entities:
                continue
            for o in objects:
                if o not in entities or s == o:
                    continue
                own = reader.item_evidence(s) if name == "about" else []
                if name == "hasMeasure":
                    own = reader.item_evidence(o)
                if not own:  # sentences that name both ends
                    own = sorted(mentions.get(s, set()) & mentions.get(o, set()))
                edges[(s, o, name)] = {"relation": name, "evidence": own}


def _add_partners(edges: Edges, reader: _Reader, entities: set[str]) -> None:
    for partnership in reader.facts.partnerships:
        partners = sorted(p for p in reader.linked("partner", partnership) if p in entities)
        helpers = {h for h in reader.linked("helper", partnership) if h in entities}
        kind_node = reader.value(partnership, "kind")
        kind, kind_en = ("", "")
        if kind_node is not None:
            kind, kind_en, _ = reader.labels(kind_node.value)
        since = _text(reader.value(partnership, "since"))
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


__all__ = ["NODE_TYPES", "RELATIONS", "SUBTYPES", "Evidence", "Part", "as_store", "load_rdf",
           "project", "project_most_connected"]
