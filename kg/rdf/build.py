"""Extractions → one RDF graph, entities merged across articles.

The mapping is documented in ontology/README.md. Decisions that matter to users:

* one node per thing, whatever the number of articles naming it (IRIs from
  :mod:`kg.rdf.iris`), each article adding its mentions and evidence;
* classes are materialised (a district is also a CountyLevelUnit, an
  AdministrativeUnit and a Region), so queries need no reasoner;
* parents of every administrative unit are added up to the province, with codes
  and coordinates from the gazetteer, so ``rkg:partOf+`` always reaches a province;
* evidence is a NIF span of the article's normalised text, ``{article}#char=s,e``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property

import pyoxigraph as ox
from pyoxigraph import Literal, NamedNode

from kg import gazetteer
from kg.extract.strategies import vocabulary
from kg.model import Evidence, Extraction, Mention, Region
from kg.rdf.iris import (
    article_iri,
    indicator_iri,
    measure_iri,
    partnership_iri,
    program_iri,
    region_iri,
    region_iri_of,
    span_iri,
    strategy_iri,
)
from kg.rdf.terms import (
    DCTERMS,
    GEO,
    ID,
    ITSRDF,
    NIF,
    PROV,
    RDF,
    RDFS,
    RKG,
    SCHEMA,
    SF,
    SKOS,
    XSD,
)
from kg.resources import read_text
from kg.units import canonical_decimal, normalise_unit

REGION_CLASSES = {
    "province": (RKG.Region, RKG.AdministrativeUnit, RKG.ProvinceLevelUnit),
    "municipality": (RKG.Region, RKG.AdministrativeUnit, RKG.ProvinceLevelUnit,
                     RKG.Municipality),
    "prefecture": (RKG.Region, RKG.AdministrativeUnit, RKG.PrefectureLevelUnit),
    "county": (RKG.Region, RKG.AdministrativeUnit, RKG.CountyLevelUnit),
    "district": (RKG.Region, RKG.AdministrativeUnit, RKG.CountyLevelUnit, RKG.District),
    "other": (RKG.Region, RKG.AdministrativeUnit, RKG.LocalUnit),
    "zone": (RKG.Region, RKG.Zone),
    "macro-region": (RKG.Region, RKG.MacroRegion),
}
PROGRAM_CLASSES = {
    "plan": RKG.Plan, "agreement": RKG.Agreement, "policy-document": RKG.PolicyDocument,
    "project": RKG.Project, "platform": RKG.Platform, "mechanism": RKG.Mechanism,
    "event": RKG.Event,
}
KIND_CONCEPTS = {
    "对口支援": ID["kind/duikou-zhiyuan"], "结对": ID["kind/jiedui"], "协同": ID["kind/xietong"],
    "联动": ID["kind/liandong"], "合作": ID["kind/hezuo"],
}
DIRECTED_KINDS = {"对口支援", "结对"}
STRATEGY_SCHEME = ID["scheme/strategies"]


Triple = tuple[NamedNode, NamedNode, NamedNode | Literal]


@dataclass
class BuildResult:
    """The built triples and what could not be placed."""

    triples: set[Triple]
    warnings: list[str] = field(default_factory=list)

    def ntriples(self) -> str:
        """Sorted, unique N-Triples lines: the form the corpus build caches and merges.

        A term's ``str`` is its N-Triples form (pyoxigraph's own writer), and formatting
        the lines directly is about twice as fast as serialising ``Triple`` objects."""
        return "".join(sorted(f"{s} {p} {o} .\n" for s, p, o in self.triples))

    @cached_property
    def graph(self):
        """The triples as an rdflib Graph with the project's prefixes, for small graphs
        (tests, pySHACL, JSON-LD); corpus builds never make it."""
        from rdflib import Graph

        from kg.rdf.ns import bind

        return bind(Graph()).parse(data=self.ntriples(), format="nt")


def strategy_node(label: str) -> NamedNode:
    """Vocabulary strategies keep their IRI from data/strategies.ttl."""
    concept = vocabulary().concepts.get(label)
    if concept is not None:
        return NamedNode(concept.iri)
    return NamedNode(strategy_iri(label))


@cache
def _vocabulary_triples() -> tuple[tuple, ...]:
    """The ontology's partnership kinds and the strategy scheme, parsed once per process
    (every per-file graph of a corpus build carries them)."""
    wanted = {*KIND_CONCEPTS.values(), ID["scheme/partnership-kinds"]}
    onto = ox.parse(read_text("ontology", "regionkg.ttl").encode("utf-8"),
                    format=ox.RdfFormat.TURTLE)
    triples: list[Triple] = [(t.subject, t.predicate, t.object) for t in onto
                             if t.subject in wanted]
    triples += [
        (STRATEGY_SCHEME, RDF.type, SKOS.ConceptScheme),
        (STRATEGY_SCHEME, SKOS.prefLabel, Literal("区域发展战略", language="zh")),
        (STRATEGY_SCHEME, SKOS.prefLabel,
         Literal("Regional development strategies", language="en")),
    ]
    return tuple(triples)


class _Builder:
    def __init__(self) -> None:
        self.triples: set[Triple] = set()
        self.gaz = gazetteer.load()
        self.warnings: list[str] = []
        self.since: dict[NamedNode, set[int]] = defaultdict(set)
        self.alt_labels: dict[NamedNode, set[str]] = defaultdict(set)
        self.labels: dict[NamedNode, str] = {}
        self._copy_vocabularies()

    # --- shared pieces ----------------------------------------------------------------

    def _copy_vocabularies(self) -> None:
        """Partnership kinds and the strategy scheme, so the graph is self-contained."""
        for triple in _vocabulary_triples():
            self.triples.add(triple)

    def label(self, node: NamedNode, label: str) -> None:
        """One rdfs:label@zh per node: the first canonical name wins, others become altLabels."""
        if node not in self.labels:
            self.labels[node] = label
        elif self.labels[node] != label:
            self.alt_labels[node].add(label)

    def span(self, art: NamedNode, key: str, ev: Evidence | Mention, text: str) -> NamedNode:
        start, end = ev.start, ev.end
        node = NamedNode(span_iri(key, start, end))
        add = self.triples.add
        add((node, RDF.type, RKG.TextSpan))
        add((node, RDF.type, NIF.String))
        add((node, NIF.referenceContext, art))
        add((node, NIF.beginIndex, Literal(str(start), datatype=XSD.nonNegativeInteger)))
        add((node, NIF.endIndex, Literal(str(end), datatype=XSD.nonNegativeInteger)))
        add((node, NIF.anchorOf, Literal(text[start:end])))
        return node

    def provenance(self, node: NamedNode, art: NamedNode, key: str, ev: Evidence,
                   text: str) -> None:
        self.triples.add((node, PROV.wasDerivedFrom, art))
        self.triples.add((node, RKG.evidence, self.span(art, key, ev, text)))
        self.triples.add((art, RKG.mentions, node))

    def mentions(self, node: NamedNode, art: NamedNode, key: str, mentions: list[Mention],
                 text: str) -> None:
        """The first mention of each surface form, with its sentence as evidence."""
        seen: set[str] = set()
        for m in mentions:
            if m.surface in seen:
                continue
            seen.add(m.surface)
            span = self.span(art, key, m, text)
            self.triples.add((span, RDF.type, RKG.Mention))
            self.triples.add((span, ITSRDF.taIdentRef, node))
            self.triples.add((span, PROV.wasDerivedFrom, art))
            self.triples.add((span, RKG.evidence, self.span(art, key, m.sentence, text)))
        self.triples.add((art, RKG.mentions, node))

    # --- regions ----------------------------------------------------------------------

    def place(self, place: gazetteer.Place) -> NamedNode:
        """A gazetteer place with its parents (and a grouping's members), from the gazetteer."""
        node = NamedNode(region_iri(place.name, place.code))
        if node in self.labels:
            return node
        self._region_node(node, place.name, place.kind, place.code, place.lon, place.lat)
        if place.parent and place.parent in self.gaz.places:
            self.triples.add((node, RKG.partOf, self.place(self.gaz.places[place.parent])))
        for member in place.members:
            if member in self.gaz.places:
                self.triples.add((self.place(self.gaz.places[member]), RKG.memberOf, node))
        return node

    def _region_node(self, node: NamedNode, label: str, kind: str, code: str | None,
                     lon: float | None, lat: float | None) -> None:
        for cls in REGION_CLASSES[kind]:
            self.triples.add((node, RDF.type, cls))
        self.label(node, label)
        if code and kind != "other":
            self.triples.add((node, RKG.adminCode, Literal(code)))
        if lon is not None and lat is not None:
            geom = NamedNode(f"{node.value}/geometry")
            self.triples.add((node, GEO.hasGeometry, geom))
            self.triples.add((geom, RDF.type, GEO.Geometry))
            self.triples.add((geom, RDF.type, SF.Point))
            wkt = Literal(f"POINT({lon} {lat})", datatype=GEO.wktLiteral)
            self.triples.add((geom, GEO.asWKT, wkt))

    def region(self, r: Region, local: dict[str, NamedNode]) -> NamedNode:
        place = self.gaz.places.get(r.adcode) if r.adcode else self.gaz.by_name(r.label)
        if place is not None and (place.code == r.adcode):
            node = self.place(place)
        else:
            node = NamedNode(region_iri_of(r))
            self._region_node(node, r.label, r.kind, r.adcode, r.lon, r.lat)
            if r.parent:
                parent = local.get(r.parent) or self.resolve_region(r.parent)
                if parent is not None:
                    self.triples.add((node, RKG.partOf, parent))
        for alt in r.alt_labels:
            self.alt_labels[node].add(alt)
        return node

    def resolve_region(self, label: str,
                       local: dict[str, NamedNode] | None = None) -> NamedNode | None:
        if local and label in local:
            return local[label]
        place = self.gaz.by_name(label)
        return self.place(place) if place is not None else None

    # --- one article ------------------------------------------------------------------

    def add(self, ex: Extraction) -> None:
        a = ex.article
        key = a.key
        art = NamedNode(article_iri(key))
        text = a.text
        add = self.triples.add
        for cls in (RKG.Article, SCHEMA.NewsArticle):
            add((art, RDF.type, cls))
        add((art, RDF.type, NIF.Context))
        self.label(art, a.title or "(无标题)")
        add((art, SCHEMA.headline, Literal(a.title or "(无标题)")))
        add((art, NIF.isString, Literal(text)))
        add((art, RKG.sourceFile, Literal(a.source or "")))
        if a.date and _is_date(a.date):
            add((art, SCHEMA.datePublished, Literal(a.date, datatype=XSD.date)))
        for author in a.authors:
            add((art, SCHEMA.author, Literal(author)))
        if a.url:
            add((art, SCHEMA.url, Literal(a.url, datatype=XSD.anyURI)))
        if a.origin:
            add((art, DCTERMS.source, Literal(a.origin)))
        if a.section:
            add((art, RKG.section, Literal(a.section)))

        regions: dict[str, NamedNode] = {}
        for r in ex.regions:
            regions[r.label] = self.region(r, regions)
        for r in ex.regions:  # second pass: members and parents found in this article
            node = regions[r.label]
            self.mentions(node, art, key, r.mentions, text)
            for member in r.members:
                m = regions.get(member) or self.resolve_region(member)
                if m is not None:
                    add((m, RKG.memberOf, node))
            if r.parent and r.parent in regions and not r.adcode:
                add((node, RKG.partOf, regions[r.parent]))

        strategies: dict[str, NamedNode] = {}
        for s in ex.strategies:
            node = strategies[s.label] = strategy_node(s.label)
            add((node, RDF.type, RKG.Strategy))
            add((node, RDF.type, SKOS.Concept))
            add((node, SKOS.inScheme, STRATEGY_SCHEME))
            self.label(node, s.label)
            self.alt_labels[node].update(s.alt_labels)
            for covered in s.covers:
                target = self.resolve_region(covered, regions)
                if target is not None:
                    add((node, RKG.covers, target))
            self.mentions(node, art, key, s.mentions, text)

        programs: dict[str, NamedNode] = {}
        for p in ex.programs:
            node = programs[p.label] = NamedNode(program_iri(p.label))
            add((node, RDF.type, RKG.Program))
            add((node, RDF.type, PROGRAM_CLASSES.get(p.kind, RKG.Project)))
            self.label(node, p.label)
            self.alt_labels[node].update(p.alt_labels)
            for label in p.regions:
                target = self.resolve_region(label, regions)
                if target is not None:
                    add((node, RKG.involves, target))
            for label in p.implements:
                add((node, RKG.implements, strategies.get(label) or strategy_node(label)))
            self.mentions(node, art, key, p.mentions, text)

        for m in ex.measures:
            node = NamedNode(measure_iri(m.label, m.program))
            add((node, RDF.type, RKG.Measure))
            self.label(node, m.label)
            if m.total is not None:
                add((node, RKG["count"], Literal(str(m.total), datatype=XSD.integer)))
            if m.program and m.program in programs:
                add((programs[m.program], RKG.hasMeasure, node))
            self.provenance(node, art, key, m.evidence, text)

        for p in ex.partnerships:
            partners = [self.resolve_region(label, regions) for label in p.members]
            if any(x is None for x in partners) or len(set(partners)) < 2:
                self.warnings.append(f"{a.source}: partnership {p.members} names an unknown region")
                continue
            node = NamedNode(partnership_iri(p.kind, p.members))
            add((node, RDF.type, RKG.Partnership))
            # sorted, so that every article names the partnership the same way
            self.label(node, f"{'—'.join(sorted(p.members))}（{p.kind}）")
            for partner in partners:
                add((node, RKG.partner, partner))
            if p.kind in DIRECTED_KINDS:
                add((node, RKG.helper, partners[0]))
            add((node, RKG.partnershipKind, KIND_CONCEPTS[p.kind]))
            if p.since:
                self.since[node].add(p.since)
            self.provenance(node, art, key, p.evidence, text)

        for i in ex.indicators:
            subject = (regions.get(i.subject) or programs.get(i.subject)
                       or strategies.get(i.subject))
            if subject is None:
                self.warnings.append(f"{a.source}: indicator {i.raw or i.value} has no subject")
                continue
            try:
                value = Decimal(i.value)
            except InvalidOperation:
                self.warnings.append(f"{a.source}: indicator value {i.value!r} is not a number")
                continue
            node = NamedNode(indicator_iri(i.subject, i.what, i.value, i.unit, i.year))
            add((node, RDF.type, RKG.Indicator))
            self.label(node, i.what or i.unit)
            add((node, RKG.about, subject))
            add((node, RKG.value, decimal_literal(value)))
            add((node, RKG.unit, Literal(i.unit)))
            base_value, base_unit = normalise_unit(value, i.unit)
            add((node, RKG.normalizedValue, decimal_literal(base_value)))
            add((node, RKG.baseUnit, Literal(base_unit)))
            if i.year:
                add((node, RKG.refYear, Literal(str(i.year), datatype=XSD.gYear)))
            if i.qualifier:
                add((node, RKG.qualifier, Literal(i.qualifier)))
            self.provenance(node, art, key, i.evidence, text)

    def finish(self) -> set[Triple]:
        for node, label in self.labels.items():
            self.triples.add((node, RDFS.label, Literal(label, language="zh")))
        for node, alts in self.alt_labels.items():
            for alt in alts - {self.labels.get(node)}:
                self.triples.add((node, SKOS.altLabel, Literal(alt, language="zh")))
        for node, years in self.since.items():
            self.triples.add((node, RKG.since, Literal(str(min(years)), datatype=XSD.gYear)))
        return self.triples


def decimal_literal(value: Decimal) -> Literal:
    """xsd:decimal in its canonical lexical form (4400.0, 1.8), which Turtle writers
    print as is, so the value reads back with the same lexical form everywhere."""
    text = format(canonical_decimal(value), "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


def _is_date(text: str) -> bool:
    return len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit()


def build_graph(extractions: Iterable[Extraction]) -> BuildResult:
    """One graph for all articles; warnings name what could not be placed."""
    builder = _Builder()
    first_source: dict[str, str | None] = {}
    for ex in extractions:
        key = ex.article.key
        if key in first_source:  # the same article in two files (a repeated scrape)
            builder.warnings.append(
                f"{ex.article.source}: same article as in {first_source[key]} "
                f"({ex.article.title}); built once")
            continue
        first_source[key] = ex.article.source
        builder.add(ex)
    return BuildResult(builder.finish(), builder.warnings)


__all__ = ["BuildResult", "build_graph", "strategy_node"]
