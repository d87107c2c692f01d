"""What the projection reads of the RDF graph, kept as plain data (:class:`Facts`).

Why a module of its own: the facts are read from a Store (kg.graph.read), assembled
into a network (kg.graph.project) and kept from build to build in a memo
(kg.graph.memo), which pickles them at every build. All three agree on the shape
defined here: IRIs as strings, literals as tuples, tables as dicts, sets and tuples,
and the digests that keep of a span's or a key's labels only what the projection shows.

Literals read as rdflib's ``str()`` reads them (see :func:`term_text` for decimals), so
the network is the same, attribute for attribute, whether the graph came from a Store
or from an rdflib Graph.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import Literal as RdfLiteral
from rdflib.namespace import RDF, XSD

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

# The tables of Facts read per key for the kept nodes (the rest is the structure).
TABLES = ("labels", "values", "item_evidence", "mention_sentences", "mentions",
          "geometries", "spans")

# Literals whose lexical form rdflib never rewrites; the others go through rdflib.Literal.
_AS_WRITTEN = {str(XSD.string), str(RDF.langString)}
_DECIMAL = str(XSD.decimal)


# A term as the facts keep it: an IRI as its text (a str), a literal as a tuple (lexical
# form, datatype IRI, language or None), a blank node as pyoxigraph's BlankNode. Why not
# pyoxigraph's objects: a Memo is saved at every build and loaded at the next, and a
# pyoxigraph term pickles through Python calls (its class, its datatype, ...): the
# literals of a 20,000-article memo took 0.5 s to save and 0.3 s to load, ten times as
# long as strings and tuples.
Term = Any
# One str object per datatype and language: a pickle writes each once.
_SHARED: dict[str, str] = {}


def compact(term: Any) -> Term:
    """The term as the facts keep it (see Term)."""
    cls = type(term)
    if cls is ox.NamedNode:
        return term.value
    if cls is ox.Literal:
        datatype, language = term.datatype.value, term.language
        return (term.value, _SHARED.setdefault(datatype, datatype),
                None if language is None else _SHARED.setdefault(language, language))
    return term


def term_text(term: Term) -> str:
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


def term_value(term: Term) -> str:
    """The IRI, the lexical form of a literal, the id of a blank node (pyoxigraph's
    ``.value``)."""
    cls = type(term)
    return term if cls is str else term[0] if cls is tuple else term.value


def rdflib_literal(term: tuple) -> RdfLiteral:
    return RdfLiteral(term[0], datatype=term[1])


def truthy(term: Term) -> bool:
    """Python truth of the rdflib term (an empty literal is false), for ``a or b``."""
    if term is None:
        return False
    if type(term) is tuple:
        return bool(rdflib_literal(term)) if term[2] is None else bool(term[0])
    return True


# zh label, en label, alt labels (see labels_digest) and the text of the rdfs:label
# that names an article in its evidence (None if it has none: the headline then).
Labels = tuple[str, str, tuple[str, ...], str | None]
NO_LABELS: Labels = ("", "", (), None)


# The objects of a link property for one subject: the IRI itself when there is one (most
# subjects: a set for each of 115,000 took three times as long to pickle), else a tuple.
Objects = str | tuple[str, ...]


def many(objects: Objects) -> tuple[str, ...]:
    return (objects,) if type(objects) is str else objects


_NONE: dict = {}


@dataclass
class Facts:
    """Everything the projection reads, keyed by the terms' text (IRI or literal form)
    and by the short property names of kg.graph.read.

    Plain dicts, sets, lists, tuples and strings only (terms as Term says), so that a
    Memo's facts pickle and load fast. Why some tables hold what the projection uses of
    a key's facts rather than its terms (a digest): a memo of 20,000 articles holds the
    facts of 34,000 keys and 54,000 spans, and a dict of lists of terms for each was
    half of its objects, and of the time to save and load it. So ``labels`` holds
    Labels (see labels_digest), ``values`` the one value of each property (first),
    ``spans`` what the evidence needs (span_digest), and ``links`` an object IRI or a
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

    def value(self, node: str, name: str) -> Term:
        return self.values.get(node, _NONE).get(name)

    def linked(self, name: str, node: str) -> tuple[str, ...]:
        return many(self.links.get(name, _NONE).get(node, ()))

    def province_chain(self, node: str) -> list[str]:
        """Parents by rkg:partOf, nearest first; stops at a loop or a missing parent."""
        chain: list[str] = []
        seen = {node}
        current = node
        while True:
            parents = sorted(self.linked("partOf", current))
            if not parents or parents[0] in seen:
                return chain
            current = parents[0]
            seen.add(current)
            chain.append(current)
            if "ProvinceLevelUnit" in self.types.get(current, set()):
                return chain


def first(terms: list[Term] | None) -> Term:
    """One value of a single-valued property; the smallest text if the data has several."""
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else min(terms, key=term_text)


def span_digest(props: dict[str, list[Term]]) -> tuple:
    """What the projection uses of a span's facts: ``(quote, article)`` and, unless they
    are just ``(article,)``, the keys of its context and derivation (``refs``: whose
    labels tell the titles; None if one is a blank node). ``article`` is the text of the
    span's context (else of what it was derived from), None if it has neither.

    Why not the terms: a 20,000-article page shows 54,000 spans, and a dict of lists of
    literals for each made a third of its Memo, and of the time to save and load it."""
    contexts, derived = props.get("context", ()), props.get("derived", ())
    article = first(contexts) if contexts else first(derived)
    quote = term_text(first(props.get("anchor")))
    text = None if article is None else term_text(article)
    refs: tuple[str, ...] | None = ()
    for term in (*contexts, *derived):
        if isinstance(term, ox.BlankNode):
            refs = None
            break
        refs += (term_value(term),)
    if text is not None and refs == (text,):
        return quote, text
    return quote, text, refs


def labels_digest(props: dict[str, list[Term]]) -> Labels:
    """A key's Labels from its label terms. A missing zh label falls back to any label."""
    zh = en = other = ""
    for prop in ("label", "prefLabel"):
        for lit in sorted(props.get(prop, ()), key=term_text):
            if type(lit) is not tuple:  # an IRI or a blank node
                continue
            lang = (lit[2] or "").lower()
            if lang.startswith("zh") and not zh:
                zh = term_text(lit)
            elif lang.startswith("en") and not en:
                en = term_text(lit)
            elif not lang and not other:
                other = term_text(lit)
    alts = sorted({term_text(o) for o in props.get("altLabel", ())} - {zh})
    label = first(props.get("label"))
    return zh or other or en, en, tuple(alts), term_text(label) if truthy(label) else None


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cycle collector: reading the facts makes hundreds of thousands of
    small objects and frees none before the projection ends (nor a memo's before it is
    saved), so each collection would only re-scan them (a third of the time at 20,000
    nodes). Reference counting still frees as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
