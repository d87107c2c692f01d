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

Why a :class:`Memo`: an incremental ``kg build`` adds a few articles to a graph of
millions of triples and redraws the page of its most connected nodes. Reading the
structure of every entity and the facts of the kept ones again took ~8 s of the 12 s
page at 20,000 articles, for a change of a few hundred subjects. The memo keeps what the
last projection read; given what changed (:class:`Changed`), the next one reads the
structure of the changed subjects, forgets the facts they may have altered, and reads
only those and the ones the new cut needs; the network is the same as a fresh one.
"""

from __future__ import annotations

import gc
import os
import pickle
import re
import struct
from collections import Counter
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
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
# The structure of the subjects named (a Memo's update after a change): the same rows as
# _QUERIES' types, links and partnerships, properties and classes as FILTERs (see above).
_STRUCTURE_QUERIES = {
    "types": f"""SELECT ?s ?t WHERE {{ #ONLY ?s
        ?s <{RDF.type}> ?t . {_among('?t', (RKG[name] for name in (*NODE_TYPES, *SUBTYPES)))}
    }}""",
    "links": f"""SELECT ?s ?p ?o WHERE {{ #ONLY ?s
        ?s ?p ?o . {_among('?p', _LINKS.values())} FILTER(isIRI(?o))
    }}""",
    "partnerships": f"""SELECT DISTINCT ?s WHERE {{ #ONLY ?s
        ?s <{RDF.type}> <{RKG.Partnership}> }}""",
}
_TA_IDENT_REF = str(ITSRDF.taIdentRef)
# The entities the mentions named mention now, and the sentences they are in.
_SENTENCES_OF_MENTIONS = f"""SELECT ?target ?sentence WHERE {{ #ONLY ?mention
    ?mention <{ITSRDF.taIdentRef}> ?target ; <{RKG.evidence}> ?sentence . FILTER(isIRI(?target))
}}"""
# The spans of a few subjects, looked up one by one (below _FEW_SPANS): _PART_QUERIES'
# hashed join scans every evidence span of the graph (1.9 s at 20,000 articles) to find a
# few hundred new ones.
_FEW_SPANS = 5000
_SPANS_OF_FEW = (f"SELECT ?span ?p ?o WHERE {{ #ONLY ?span\n ?span ?p ?o . "
                 f"{_among('?p', _SPANS.values())} }}")
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


# Evidence's own order (its fields in turn), compared as tuples in C: the generated
# __lt__ of the dataclass, called a million times at 20,000 articles, took 0.3 s.
_EVIDENCE_ORDER = attrgetter("quote", "title", "article")


# A term as the facts keep it: an IRI as its text (a str), a literal as a tuple (lexical
# form, datatype IRI, language or None), a blank node as pyoxigraph's BlankNode. Why not
# pyoxigraph's objects: a Memo is saved at every build and loaded at the next, and a
# pyoxigraph term pickles through Python calls (its class, its datatype, ...): the
# literals of a 20,000-article memo took 0.5 s to save and 0.3 s to load, ten times as
# long as strings and tuples.
Term = Any
# One str object per datatype and language: a pickle writes each once.
_SHARED: dict[str, str] = {}


def _compact(term: Any) -> Term:
    """The term as the facts keep it (see Term)."""
    cls = type(term)
    if cls is ox.NamedNode:
        return term.value
    if cls is ox.Literal:
        datatype, language = term.datatype.value, term.language
        return (term.value, _SHARED.setdefault(datatype, datatype),
                None if language is None else _SHARED.setdefault(language, language))
    return term


def _text(term: Term) -> str:
    """What rdflib's ``str()`` gives for the term ('' for none).

    The Store keeps numbers as numbers and gives their canonical form, where
    rdflib keeps an xsd:decimal as written: ``"17.0"`` comes back as ``17``. The
    build writes decimals in the XSD 1.0 canonical form (a point and at least
    one digit after it, kg.rdf.build.decimal_literal), which is restored here;
    only a decimal written otherwise by hand (``1.50``) reads differently
    (``1.5``). Other datatypes go through rdflib's own normalisation (integers,
    doubles and booleans are canonical in both).
    """
    cls = type(term)
    if cls is str:
        return term
    if cls is tuple:
        value, datatype, _ = term
        if datatype in _AS_WRITTEN:
            return value
        if datatype == _DECIMAL:
            return value if "." in value else value + ".0"
        return str(RdfLiteral(value, datatype=datatype))
    if term is None:
        return ""
    return term.value


def _value(term: Term) -> str:
    """The IRI, the lexical form of a literal, the id of a blank node (pyoxigraph's
    ``.value``)."""
    cls = type(term)
    return term if cls is str else term[0] if cls is tuple else term.value


def _rdflib_literal(term: tuple) -> RdfLiteral:
    return RdfLiteral(term[0], datatype=term[1])


def _truthy(term: Term) -> bool:
    """Python truth of the rdflib term (an empty literal is false), for ``a or b``."""
    if term is None:
        return False
    if type(term) is tuple:
        return bool(_rdflib_literal(term)) if term[2] is None else bool(term[0])
    return True


# zh label, en label, alt labels (see _Reader.labels) and the text of the rdfs:label
# that names an article in its evidence (None if it has none: the headline then).
Labels = tuple[str, str, tuple[str, ...], str | None]
_NO_LABELS: Labels = ("", "", (), None)


# The objects of a link property for one subject: the IRI itself when there is one (most
# subjects: a set for each of 115,000 took three times as long to pickle), else a tuple.
Objects = str | tuple[str, ...]


def _many(objects: Objects) -> tuple[str, ...]:
    return (objects,) if type(objects) is str else objects


@dataclass
class _Facts:
    """Everything the projection reads, keyed by the terms' text (IRI or literal form)
    and by the short property names of _VALUES, _LABELS, _SPANS and _LINKS.

    Plain dicts, sets, lists, tuples and strings only (terms as Term says), so that a
    Memo's facts pickle and load fast. Why some tables hold what the projection uses of
    a key's facts rather than its terms (a digest): a memo of 20,000 articles holds the
    facts of 34,000 keys and 54,000 spans, and a dict of lists of terms for each was
    half of its objects, and of the time to save and load it. So ``labels`` holds
    Labels (see _labels_digest), ``values`` the one value of each property (_first),
    ``spans`` what the evidence needs (_span_digest), and ``links`` an object IRI or a
    tuple of them (see Objects)."""

    types: dict[str, AbstractSet[str]] = field(default_factory=dict)
    labels: dict[str, Labels] = field(default_factory=dict)
    values: dict[str, dict[str, Term]] = field(default_factory=dict)
    spans: dict[str, tuple] = field(default_factory=dict)
    item_evidence: dict[str, set[str]] = field(default_factory=dict)
    mention_sentences: dict[str, set[str]] = field(default_factory=dict)
    mentions: dict[str, int] = field(default_factory=dict)
    links: dict[str, dict[str, Objects]] = field(default_factory=dict)
    partnerships: list[str] = field(default_factory=list)
    geometries: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # Keys that were blank nodes: a query cannot name them, so a part is read in full.
    blank: set[str] = field(default_factory=set)
    # Each IRI read as one str object, however often it occurs: less memory, and a Memo
    # pickles each once (not saved with it).
    strings: dict[str, str] = field(default_factory=dict, repr=False, compare=False)


def _first(terms: list[Term] | None) -> Term:
    """One value of a single-valued property; the smallest text if the data has several."""
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else min(terms, key=_text)


def _span_digest(props: dict[str, list[Term]]) -> tuple:
    """What the projection uses of a span's facts: ``(quote, article)`` and, unless they
    are just ``(article,)``, the keys of its context and derivation (``refs``: whose
    labels tell the titles; None if one is a blank node). ``article`` is the text of the
    span's context (else of what it was derived from), None if it has neither.

    Why not the terms: a 20,000-article page shows 54,000 spans, and a dict of lists of
    literals for each made a third of its Memo, and of the time to save and load it."""
    contexts, derived = props.get("context", ()), props.get("derived", ())
    article = _first(contexts) if contexts else _first(derived)
    quote = _text(_first(props.get("anchor")))
    text = None if article is None else _text(article)
    refs: tuple[str, ...] | None = ()
    for term in (*contexts, *derived):
        if isinstance(term, ox.BlankNode):
            refs = None
            break
        refs += (_value(term),)
    if text is not None and refs == (text,):
        return quote, text
    return quote, text, refs


def _labels_digest(props: dict[str, list[Term]]) -> Labels:
    """A key's Labels from its label terms. A missing zh label falls back to any label."""
    zh = en = other = ""
    for prop in ("label", "prefLabel"):
        for lit in sorted(props.get(prop, ()), key=_text):
            if type(lit) is not tuple:  # an IRI or a blank node
                continue
            lang = (lit[2] or "").lower()
            if lang.startswith("zh") and not zh:
                zh = _text(lit)
            elif lang.startswith("en") and not en:
                en = _text(lit)
            elif not lang and not other:
                other = _text(lit)
    alts = sorted({_text(o) for o in props.get("altLabel", ())} - {zh})
    label = _first(props.get("label"))
    return zh or other or en, en, tuple(alts), _text(label) if _truthy(label) else None


def _span_refs(digest: tuple) -> tuple[str, ...]:
    """The keys whose labels the span's evidence may need (see _span_digest)."""
    if len(digest) == 2:
        return (digest[1],)
    if digest[2] is None:
        raise _ReadAll
    return digest[2]


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
    """The text a pyoxigraph term is filed under; a blank node cannot be asked about by
    name."""
    if isinstance(term, ox.BlankNode):
        raise _ReadAll
    return term.value


# The class names of _QUERIES' types, each one str object.
_CLASS_NAMES = {name: name for name in (*NODE_TYPES, *SUBTYPES)}


def _read_structure(store: ox.Store, facts: _Facts, only: set[str] | None = None) -> None:
    """Types, links and partnerships: what says which nodes and edges there are; with
    ``only``, of those subjects (IRIs), which must have none in ``facts`` yet."""

    def rows(name: str):
        if only is None:
            return _rows(store, _QUERIES[name])
        return _rows(store, _STRUCTURE_QUERIES[name], only)

    prefix_len = len(str(RKG))
    # One string object per IRI and class name, however often it occurs: half the memory,
    # and a Memo pickles each once.
    one = facts.strings
    types = facts.types
    for s, t in rows("types"):
        iri = s.value
        iri = one.setdefault(iri, iri)
        name = _CLASS_NAMES[t.value[prefix_len:]]
        if iri in types:
            types[iri].add(name)
        else:
            types[iri] = {name}
    # One frozen set per combination of classes: a few dozen instead of a set per entity
    # (137,000 at 20,000 articles), which Python's cycle collector would scan each time.
    shared: dict[frozenset[str], frozenset[str]] = {}
    for iri in types if only is None else [s for s in only if s in types]:
        classes = frozenset(types[iri])
        types[iri] = shared.setdefault(classes, classes)
    links: dict[str, dict[str, set[str]]] = {}
    for s, p, o in rows("links"):
        iri, obj = s.value, o.value
        table = links.setdefault(_NAME[p.value], {})
        iri, obj = one.setdefault(iri, iri), one.setdefault(obj, obj)
        if iri in table:
            table[iri].add(obj)
        else:
            table[iri] = {obj}
        if isinstance(s, ox.BlankNode):
            facts.blank.add(s.value)
    for name, table in links.items():
        facts.links.setdefault(name, {}).update(
            (iri, next(iter(objects)) if len(objects) == 1 else tuple(objects))
            for iri, objects in table.items())
    for (s,) in rows("partnerships"):
        iri = s.value
        facts.partnerships.append(one.setdefault(iri, iri))
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

    one = facts.strings
    _file_labels(facts, rows("labels"))
    _file_values(facts, rows("values"))
    for table, name in ((facts.item_evidence, "item_evidence"),
                        (facts.mention_sentences, "mention_sentences")):
        for item, span in rows(name):
            key, span_key = item.value, _key(span) if only else span.value
            key, span_key = one.setdefault(key, key), one.setdefault(span_key, span_key)
            if key in table:
                table[key].add(span_key)
            else:
                table[key] = {span_key}
    for o, n in rows("mentions"):
        key = o.value
        facts.mentions[one.setdefault(key, key)] = int(n.value)
    for s, geom, wkt in rows("geometries"):
        geometries = facts.geometries.setdefault(s.value, {})
        geometries.setdefault(geom.value, []).extend([] if wkt is None
                                                      else [_text(_compact(wkt))])


def _file(rows: Iterable[Any], one: dict[str, str]) -> dict[str, dict[str, list[Term]]]:
    """The (subject, property, object) rows by subject and short property name."""
    table: dict[str, dict[str, list[Term]]] = {}
    for s, p, o in rows:
        key = s.value
        props = table.get(key)
        if props is None:
            props = table[one.setdefault(key, key)] = {}
        props.setdefault(_NAME[p.value], []).append(_compact(o))
    return table


def _file_labels(facts: _Facts, rows: Iterable[Any]) -> None:
    for key, props in _file(rows, facts.strings).items():
        facts.labels[key] = _labels_digest(props)


def _file_values(facts: _Facts, rows: Iterable[Any]) -> None:
    """The values, but not the headline of a key whose rdfs:label names it (the title,
    see _Reader.title): 20,000 articles' headlines were a tenth of a Memo, never used.
    Exact because a key's values are read with or after its labels (the keys whose values
    are read are among those whose labels are), and forgotten with them."""
    labels = facts.labels
    for key, props in _file(rows, facts.strings).items():
        values = {name: _first(terms) for name, terms in props.items()
                  if name != "headline" or labels.get(key, _NO_LABELS)[3] is None}
        if values:
            facts.values[key] = values


def _read_spans(store: ox.Store, facts: _Facts, only: set[str] | None) -> None:
    if only is None:
        rows = _rows(store, _QUERIES["spans"])
    elif len(only) < _FEW_SPANS:
        rows = _rows(store, _SPANS_OF_FEW, only)
    else:
        rows = _rows(store, _PART_QUERIES["spans"], only, len(only))
    one = facts.strings
    for span, props in _file(rows, one).items():
        digest = _span_digest(props)
        article = digest[1]
        if article is not None:  # one str per article, as the other tables hold it
            digest = (digest[0], one.setdefault(article, article), *digest[2:])
        facts.spans[span] = digest


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


def _read_part(store: ox.Store, facts: _Facts, kept: list[str],
               read: dict[str, set[str]]) -> dict[str, set[str]]:
    """Read, besides the structure, only what the nodes ``kept`` and their edges show:
    their own facts, those of the partnerships between them, the labels of their partOf
    chains and of the partnership kinds, and the spans and articles of their evidence.

    Keys that ``read`` names for a table (a Memo's, still valid) are not read again.
    Returns the keys each table needs (all read now), by table name (_TABLES).
    Raises _ReadAll if one of those is a blank node."""
    kept_set = set(kept)
    partner = facts.links.get("partner", _NONE)
    partnerships = {p for p in facts.partnerships
                    if len(kept_set.intersection(_many(partner.get(p, ())))) > 1}
    reader = _Reader(facts)
    chains = {p for n in kept if "Region" in facts.types[n]
              for p in _province_chain(reader, n, facts.types)}
    items = kept_set | partnerships
    if items & facts.blank:
        raise _ReadAll
    needed = {"labels": items | chains, "values": items, "item_evidence": items,
              "mention_sentences": kept_set, "mentions": kept_set, "geometries": kept_set}
    _read_properties(store, facts, _unread(needed, read))
    spans: set[str] = set()
    for table, keys in ((facts.item_evidence, items), (facts.mention_sentences, kept_set)):
        spans.update(*(table[k] for k in keys if k in table))
    known = spans & read.get("spans", set())
    needed["spans"] = known | _nameable(spans - known)
    _read_spans(store, facts, needed["spans"] - known)
    more: set[str] = set()
    for span in needed["spans"]:
        digest = facts.spans.get(span)
        if digest is not None:
            more.update(_span_refs(digest))
    for p in partnerships:
        kind = facts.values.get(p, _NONE).get("kind")
        if kind is not None:
            if isinstance(kind, ox.BlankNode):
                raise _ReadAll
            more.add(_value(kind))
    more = _nameable(more - items - chains)
    for name, file in (("labels", _file_labels), ("values", _file_values)):
        file(facts, _rows(store, _PART_QUERIES[name], more - read.get(name, set())))
        needed[name] = needed[name] | more
    return needed


def _unread(needed: dict[str, set[str]], read: dict[str, set[str]]) -> dict[str, set[str]]:
    return {name: keys - read.get(name, set()) for name, keys in needed.items()}


_NONE: dict = {}


class _Reader:
    """Lookups over the facts, cached, so each span and article is read once."""

    def __init__(self, facts: _Facts) -> None:
        self.facts = facts
        self._titles: dict[str, str] = {}
        self._evidence: dict[str, Evidence] = {}
        self.known_evidence = self._evidence  # what evidence() has made, by span
        self._item_evidence: dict[str, list[Evidence]] = {}

    def labels(self, node: str) -> tuple[str, str, list[str]]:
        """(zh label, en label, alt labels): see _labels_digest."""
        made = self.facts.labels.get(node, _NO_LABELS)
        return made[0], made[1], list(made[2])

    def value(self, node: str, name: str) -> Term:
        return self.facts.values.get(node, _NONE).get(name)

    def title(self, article: str) -> str:
        """The article's rdfs:label, else its headline ('' if neither is true)."""
        if article not in self._titles:
            title = self.facts.labels.get(article, _NO_LABELS)[3]
            if title is None:
                headline = self.value(article, "headline")
                title = _text(headline) if _truthy(headline) else ""
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

    def linked(self, name: str, node: str) -> tuple[str, ...]:
        return _many(self.facts.links.get(name, _NONE).get(node, ()))


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


def _point(facts: _Facts, node: str) -> tuple[float, float] | None:
    """(lon, lat) of the first GeoSPARQL point geometry, if any."""
    geometries = facts.geometries.get(node, {})
    for geom in sorted(geometries):
        for wkt in sorted(geometries[geom]):
            m = _POINT.search(wkt)
            if m:
                return float(m.group(1)), float(m.group(2))
    return None


def _province_chain(reader: _Reader, node: str, types: dict[str, AbstractSet[str]]) -> list[str]:
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


# The tables of _Facts read per key for the kept nodes (the rest is the structure).
_TABLES = ("labels", "values", "item_evidence", "mention_sentences", "mentions",
           "geometries", "spans")


@dataclass
class Memo:
    """What a projection of the most connected nodes read, for the next one to re-use
    after the store changed (:func:`project_most_connected` with ``memo`` and ``changed``).

    Why: an incremental ``kg build`` changes the subjects of a few articles in a graph of
    millions of triples, and reading the structure of every entity and the facts of the
    kept ones again took ~8 s of a 12 s page at 20,000 articles. ``facts`` holds the
    structure (types, links, partnerships) of all entities and the facts of the keys
    ``read`` names per table (_TABLES: a key read without rows is read all the same);
    ``max_nodes`` is the cut it was made for. :func:`save_memo` and :func:`load_memo` keep
    it between builds.
    """

    facts: _Facts
    read: dict[str, set[str]]
    max_nodes: int

    def prune(self) -> None:
        """Forget the facts of keys ``read`` does not name: the memo holds what the last
        projection needed, and does not grow from run to run."""
        for name in _TABLES:
            table, keys = getattr(self.facts, name), self.read[name]
            if len(table) > len(keys) or not table.keys() <= keys:
                kept = {k: table[k] for k in keys if k in table}
                table.clear()
                table.update(kept)


# A memo file: this line (a memo of another layout is not loaded), the byte lengths of the
# parts (little-endian 64-bit), then the parts: a pickle of each group of _Facts' tables,
# the last with max_nodes and the keys read without rows (articles and kept nodes, as
# its tables' keys are). Why groups, each pickled on its own: pickle's memo of the objects
# written grows with each, and one pickle of the whole took a fifth longer. The groups
# keep the tables whose strings are the same objects together (the entities' IRIs in
# types and links, the spans' in spans and the sentence sets), since a string shared
# across pickles is written, and loaded, once in each.
_MEMO_MAGIC = b"regionkg.project.Memo 3\n"
_MEMO_GROUPS = (("types", "links", "partnerships"),
                ("spans", "mention_sentences", "item_evidence"),
                ("labels", "values", "mentions", "geometries", "blank"))
_LENGTHS = struct.Struct(f"<{len(_MEMO_GROUPS)}Q")


def save_memo(memo: Memo, path: str | Path) -> Path:
    """Write the memo to ``path`` (replaced atomically), for the next run's projection.

    What is saved is plain data: the facts' tables (dicts, sets, tuples and strings, see
    _Facts) and of ``read`` only the keys that no table holds (keys read without rows);
    the rest of ``read`` is the tables' keys (a memo is pruned). Why: ``kg build`` saves
    the memo at every build and loads it at the next, whose whole page at 20,000
    articles takes ~3 s. Pickled as objects (pyoxigraph terms, the evidence and labels
    made, ``read`` in full), it took 1.3 s to save and 0.5 s to load (61 MB); as plain
    data about 0.12 s each (29 MB). Python's cycle collector is paused meanwhile (it
    tripled the time).
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    facts = memo.facts
    unfiled = {name: memo.read[name] - getattr(facts, name).keys() for name in _TABLES}
    groups = [[getattr(facts, name) for name in group] for group in _MEMO_GROUPS]
    groups[-1] += [memo.max_nodes, unfiled]
    with _without_gc():
        parts = [pickle.dumps(tuple(group), protocol=5) for group in groups]
    with tmp.open("wb") as f:
        f.write(_MEMO_MAGIC)
        f.write(_LENGTHS.pack(*map(len, parts)))
        for part in parts:
            f.write(part)
    os.replace(tmp, path)
    return path


def load_memo(path: str | Path) -> Memo | None:
    """The memo :func:`save_memo` wrote to ``path``; None if there is none, or it cannot be
    read or was written by another version of this module (a fresh projection follows).

    A pickle runs code as it loads: load only a memo this program saved, in a folder of
    the user's (as ``kg build`` keeps its cache).
    """
    try:
        data = Path(path).read_bytes()  # at once: pickle.load reads a file in small pieces
    except OSError:
        return None
    start = len(_MEMO_MAGIC) + _LENGTHS.size
    if not data.startswith(_MEMO_MAGIC) or len(data) < start:
        return None
    lengths = _LENGTHS.unpack_from(data, len(_MEMO_MAGIC))
    if start + sum(lengths) != len(data):  # truncated
        return None
    view, parts = memoryview(data), []
    try:
        with _without_gc():
            for length in lengths:
                parts.append(pickle.loads(view[start:start + length]))
                start += length
            *last, max_nodes, unfiled = parts[-1]
            parts[-1] = last
            facts = _Facts(**{name: table for group, tables in zip(_MEMO_GROUPS, parts,
                                                                   strict=True)
                              for name, table in zip(group, tables, strict=True)})
            read = {name: set(getattr(facts, name)) for name in _TABLES}
            for name, keys in read.items():
                keys.update(unfiled[name])
    except Exception:  # damaged, or pickled by another layout of these classes
        return None
    return Memo(facts, read, max_nodes)


@dataclass(frozen=True)
class Changed:
    """What changed in the store since the Memo's projection (:meth:`of_triples` makes it
    from the old and the new triples of the subjects that changed).

    ``subjects``: the IRIs of the subjects whose triples changed (added, removed or
    replaced). ``objects``: the IRIs in object position of all the triples, old and new,
    of those subjects (not only of the lines that differ: a mention whose sentence
    changed still names its entity in an unchanged line). ``mentioned_before``: the
    objects of itsrdf:taIdentRef among their old triples, or None if not known.

    Why the last: a few new articles mention the hubs of the graph, whose sentences
    (thousands) would otherwise be read again; when no changed subject was a mention of
    an entity before, the entity's sentences are those it had plus the new mentions'.

    A subject that is a blank node (any text that is not an IRI) cannot be named in a
    query: the projection is then made afresh.
    """

    subjects: frozenset[str]
    objects: frozenset[str]
    mentioned_before: frozenset[str] | None = None

    @classmethod
    def of_triples(cls, old: Iterable[ox.Triple | ox.Quad],
                   new: Iterable[ox.Triple | ox.Quad]) -> Changed:
        """The change from the triples ``old`` to ``new``: all the triples, before and
        after, of the subjects that changed (a subject with none before is new)."""
        subjects: set[str] = set()
        objects: set[str] = set()
        mentioned: set[str] = set()
        for triples, before in ((old, True), (new, False)):
            for t in triples:
                subject = t.subject
                subjects.add(str(subject) if isinstance(subject, ox.BlankNode)
                             else subject.value)
                if isinstance(t.object, ox.NamedNode):
                    objects.add(t.object.value)
                    if before and t.predicate.value == _TA_IDENT_REF:
                        mentioned.add(t.object.value)
        return cls(frozenset(subjects), frozenset(objects), frozenset(mentioned))

    @classmethod
    def of_ntriples(cls, old: Iterable[str], new: Iterable[str]) -> Changed:
        """:meth:`of_triples` of N-Triples lines, as a line diff of two sorted N-Triples
        files gives them (all the lines of each subject whose lines differ)."""

        def parse(lines: Iterable[str]):
            text = "\n".join(line.rstrip("\n") for line in lines) + "\n"
            return ox.parse(text, format=ox.RdfFormat.N_TRIPLES)

        return cls.of_triples(parse(old), parse(new))


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
    with _without_gc():
        store = as_store(source)
        if memo is not None and changed is not None and _usable(memo, changed, max_nodes):
            try:
                return _project_again(store, memo, changed)
            except _ReadAll:
                pass
        return _project(store, max_nodes)


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
                if type(objects) is str:
                    if objects in entities and s != objects:
                        yield s, objects
                else:
                    yield from ((s, o) for o in objects if o in entities and s != o)
    for partnership in facts.partnerships:
        partners = sorted(entities.intersection(
            _many(facts.links.get("partner", _NONE).get(partnership, ()))))
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
    kept, total_edges = _most_connected(facts, entities, entity_set, max_nodes)
    try:
        read = _read_part(store, facts, kept, {})
    except _ReadAll:
        facts = _read(store)
        return Part(_assemble(facts, kept, entity_set), len(entities), total_edges, True)
    if facts.blank:
        return Part(_assemble(facts, kept, entity_set), len(entities), total_edges, True)
    memo = Memo(facts, read, max_nodes)
    G = _assemble(facts, kept, entity_set)
    memo.prune()
    return Part(G, len(entities), total_edges, True, memo)


def _most_connected(facts: _Facts, entities: list[str], entity_set: set[str],
                    max_nodes: int) -> tuple[list[str], int]:
    """The ``max_nodes`` entities of highest degree (sorted), and the number of edges."""
    ends = [end for edge in _edge_ends(facts, entity_set) for end in edge]
    degree = Counter(ends)
    # Highest degree first, ties by IRI: entities are sorted, and the sort is stable
    # (reverse=True keeps equal keys in their order).
    ranked = sorted(entities, key=lambda n: degree.get(n, 0), reverse=True)
    return sorted(ranked[:max_nodes]), len(ends) // 2


def _usable(memo: Memo, changed: Changed, max_nodes: int | None) -> bool:
    """Whether the memo can be brought up to date: made for the same cut, with no blank
    node in it or among the changed subjects."""
    return (memo.max_nodes == max_nodes and not memo.facts.blank
            and len(_nameable(set(changed.subjects))) == len(changed.subjects))


def _project_again(store: ox.Store, memo: Memo, changed: Changed) -> Part:
    """:func:`_project` from a memo: the structure of the changed subjects read again, the
    facts the change may have touched forgotten, and only the missing facts read."""
    facts, read = memo.facts, memo.read
    subjects = set(changed.subjects)
    for table in (facts.types, *facts.links.values()):
        for s in [s for s in subjects if s in table]:
            del table[s]
    facts.partnerships = [p for p in facts.partnerships if p not in subjects]
    _read_structure(store, facts, subjects)
    # The facts of a key k are read from triples whose subject is k; the mentions and
    # their sentences from triples whose object is k (?article rkg:mentions k, ?mention
    # itsrdf:taIdentRef k); the geometries also from those of k's geometry nodes.
    referred = subjects | changed.objects
    stale = dict.fromkeys(_TABLES, subjects)
    stale["mentions"] = stale["mention_sentences"] = referred
    if changed.mentioned_before is not None:  # the others gain the new mentions' sentences
        stale["mention_sentences"] = set(changed.mentioned_before)
    stale["geometries"] = subjects | {k for k, geometries in facts.geometries.items()
                                      if not subjects.isdisjoint(geometries)}
    for name in _TABLES:
        table = getattr(facts, name)
        for k in [k for k in stale[name] if k in table]:
            del table[k]
        read[name] = read.get(name, set()) - stale[name]
    if changed.mentioned_before is not None:
        known, sentences = read["mention_sentences"], facts.mention_sentences
        for target, sentence in _rows(store, _SENTENCES_OF_MENTIONS, subjects):
            if target.value in known:
                sentences.setdefault(target.value, set()).add(_key(sentence))
    entities = sorted(n for n, cls in facts.types.items() if _node_type(cls))
    entity_set = set(entities)
    if len(entities) <= memo.max_nodes:  # now the whole projection: read it all
        raise _ReadAll
    kept, total_edges = _most_connected(facts, entities, entity_set, memo.max_nodes)
    memo.read = _read_part(store, facts, kept, read)
    # Forget what this cut no longer needs: the facts become those a fresh projection
    # reads, and the memo does not grow from build to build.
    memo.prune()
    G = _assemble(facts, kept, entity_set)
    memo.prune()
    return Part(G, len(entities), total_edges, True, memo)


def _assemble(facts: _Facts, entities: list[str],
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
            "code": _text(reader.value(node, "adminCode")),
            "mentions": facts.mentions.get(node, 0),
        }
        evidence = set(reader.item_evidence(node)) | mentions.get(node, set())
        attrs["evidence"] = sorted(evidence, key=_EVIDENCE_ORDER)
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
            attrs["count"] = int(_rdflib_literal(count)) if type(count) is tuple \
                else int(_value(count))
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
            for o in _many(objects):
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
    for partnership in reader.facts.partnerships:
        partners = sorted(p for p in reader.linked("partner", partnership) if p in entities)
        if len(partners) < 2:  # no edge here (and its facts were not read)
            continue
        helpers = {h for h in reader.linked("helper", partnership) if h in entities}
        kind_node = reader.value(partnership, "kind")
        kind, kind_en = ("", "")
        if kind_node is not None:
            kind, kind_en, _ = reader.labels(_value(kind_node))
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


__all__ = ["NODE_TYPES", "RELATIONS", "SUBTYPES", "Changed", "Evidence", "Memo", "Part",
           "as_store", "load_memo", "load_rdf", "project", "project_most_connected",
           "save_memo"]
