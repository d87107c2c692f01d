"""Reading the projection's facts from a pyoxigraph Store, a handful of SELECT queries.

Why a pyoxigraph Store and SPARQL rather than rdflib's Graph API: a build of a
few hundred articles has ~70k triples and one of 20,000 articles over a million.
Parsing them into rdflib only to read them took seconds (3.6 s for 70k), and
reading node by node through ``Graph.value`` and ``Graph.objects`` took more.
``kg build`` loads the merged graph into a Store (in memory up to a million
triples, on disk above), so the projection reads it there with a handful of SELECT
queries (types, labels, single-valued facts, evidence spans, mentions, links,
geometries), each returning every row it needs at once, and files the rows in plain
dicts (kg.graph.facts) from which kg.graph.project assembles nodes and edges (no
query per node). The Store's iteration order is not defined, so every list is sorted
exactly as the rdflib version sorted it.

Each query has a restricted form that reads only the subjects it names (a VALUES
clause): the structure (types, links, partnerships) says which nodes are the most
connected, and only theirs are read (:func:`read_part`); a memo reads again only what
changed (kg.graph.memo).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.graph.facts import (
    EDGE_PROPERTIES,
    NO_LABELS,
    NODE_TYPES,
    SUBTYPES,
    Facts,
    Term,
    compact,
    first,
    labels_digest,
    span_digest,
    term_text,
    term_value,
)
from kg.rdf.ns import GEO, ITSRDF, NIF, RKG, SCHEMA

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


class ReadAll(Exception):
    """A part of the graph needs a blank node as a subject: read everything instead."""


def _span_refs(digest: tuple) -> tuple[str, ...]:
    """The keys whose labels the span's evidence may need (see span_digest)."""
    if len(digest) == 2:
        return (digest[1],)
    if digest[2] is None:
        raise ReadAll
    return digest[2]


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
        raise ReadAll
    return term.value


# The class names of _QUERIES' types, each one str object.
_CLASS_NAMES = {name: name for name in (*NODE_TYPES, *SUBTYPES)}


def read_structure(store: ox.Store, facts: Facts, only: set[str] | None = None) -> None:
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


def _read_properties(store: ox.Store, facts: Facts, only: dict[str, set[str]] | None) -> None:
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
                                                      else [term_text(compact(wkt))])


def _file(rows: Iterable[Any], one: dict[str, str]) -> dict[str, dict[str, list[Term]]]:
    """The (subject, property, object) rows by subject and short property name."""
    table: dict[str, dict[str, list[Term]]] = {}
    for s, p, o in rows:
        key = s.value
        props = table.get(key)
        if props is None:
            props = table[one.setdefault(key, key)] = {}
        props.setdefault(_NAME[p.value], []).append(compact(o))
    return table


def _file_labels(facts: Facts, rows: Iterable[Any]) -> None:
    for key, props in _file(rows, facts.strings).items():
        facts.labels[key] = labels_digest(props)


def _file_values(facts: Facts, rows: Iterable[Any]) -> None:
    """The values, but not the headline of a key whose rdfs:label names it (the title,
    see kg.graph.project's _Reader.title): 20,000 articles' headlines were a tenth of a
    Memo, never used. Exact because a key's values are read with or after its labels (the
    keys whose values are read are among those whose labels are), and forgotten with them."""
    labels = facts.labels
    for key, props in _file(rows, facts.strings).items():
        values = {name: first(terms) for name, terms in props.items()
                  if name != "headline" or labels.get(key, NO_LABELS)[3] is None}
        if values:
            facts.values[key] = values


def _read_spans(store: ox.Store, facts: Facts, only: set[str] | None) -> None:
    if only is None:
        rows = _rows(store, _QUERIES["spans"])
    elif len(only) < _FEW_SPANS:
        rows = _rows(store, _SPANS_OF_FEW, only)
    else:
        rows = _rows(store, _PART_QUERIES["spans"], only, len(only))
    one = facts.strings
    for span, props in _file(rows, one).items():
        digest = span_digest(props)
        article = digest[1]
        if article is not None:  # one str per article, as the other tables hold it
            digest = (digest[0], one.setdefault(article, article), *digest[2:])
        facts.spans[span] = digest


def read_rest(store: ox.Store, facts: Facts) -> None:
    """What :func:`read_structure` does not read, of every subject: labels, values,
    evidence, mentions, geometries and the evidence spans."""
    _read_properties(store, facts, None)
    _read_spans(store, facts, None)


def read_all(store: ox.Store) -> Facts:
    """Run each query once over the whole graph and file its rows by subject (and property)."""
    facts = Facts()
    read_structure(store, facts)
    read_rest(store, facts)
    return facts


def nameable(keys: set[str]) -> set[str]:
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


def read_part(store: ox.Store, facts: Facts, kept: list[str],
              read: dict[str, set[str]]) -> dict[str, set[str]]:
    """Read, besides the structure, only what the nodes ``kept`` and their edges show:
    their own facts, those of the partnerships between them, the labels of their partOf
    chains and of the partnership kinds, and the spans and articles of their evidence.

    Keys that ``read`` names for a table (a Memo's, still valid) are not read again.
    Returns the keys each table needs (all read now), by table name (facts.TABLES).
    Raises ReadAll if one of those is a blank node."""
    kept_set = set(kept)
    partnerships = {p for p in facts.partnerships
                    if len(kept_set.intersection(facts.linked("partner", p))) > 1}
    chains = {p for n in kept if "Region" in facts.types[n]
              for p in facts.province_chain(n)}
    items = kept_set | partnerships
    if items & facts.blank:
        raise ReadAll
    needed = {"labels": items | chains, "values": items, "item_evidence": items,
              "mention_sentences": kept_set, "mentions": kept_set, "geometries": kept_set}
    _read_properties(store, facts, _unread(needed, read))
    spans: set[str] = set()
    for table, keys in ((facts.item_evidence, items), (facts.mention_sentences, kept_set)):
        spans.update(*(table[k] for k in keys if k in table))
    known = spans & read.get("spans", set())
    needed["spans"] = known | nameable(spans - known)
    _read_spans(store, facts, needed["spans"] - known)
    more: set[str] = set()
    for span in needed["spans"]:
        digest = facts.spans.get(span)
        if digest is not None:
            more.update(_span_refs(digest))
    for p in partnerships:
        kind = facts.value(p, "kind")
        if kind is not None:
            if isinstance(kind, ox.BlankNode):
                raise ReadAll
            more.add(term_value(kind))
    more = nameable(more - items - chains)
    for name, file in (("labels", _file_labels), ("values", _file_values)):
        file(facts, _rows(store, _PART_QUERIES[name], more - read.get(name, set())))
        needed[name] = needed[name] | more
    return needed


def _unread(needed: dict[str, set[str]], read: dict[str, set[str]]) -> dict[str, set[str]]:
    return {name: keys - read.get(name, set()) for name, keys in needed.items()}


def read_sentences_of_mentions(store: ox.Store, facts: Facts, mentions: set[str],
                               known: set[str]) -> None:
    """Add the sentences of the ``mentions`` named to those of the entities they mention,
    for the entities ``known`` (whose sentences were read before)."""
    sentences = facts.mention_sentences
    for target, sentence in _rows(store, _SENTENCES_OF_MENTIONS, mentions):
        if target.value in known:
            sentences.setdefault(target.value, set()).add(_key(sentence))
