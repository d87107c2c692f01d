"""The ontology and the SHACL shapes.

Both files parse, every regionkg term is labelled in Chinese and English and defined, the
contract's classes, axioms and concept schemes are there, and the shapes accept a small
well-formed graph (without inference, as the build validates) while rejecting broken variants
of it with a result on the violated path.
"""

from __future__ import annotations

import re

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from kg.rdf.ns import GEO, ID, NIF, PROV, RKG, SCHEMA
from kg.resources import read_text

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's XSD warns when pytest probes it

ONTOLOGY_IRI = URIRef("https://w3id.org/regionkg/ontology")
PARTNERSHIP_KINDS = ID["scheme/partnership-kinds"]
STRATEGIES = ID["scheme/strategies"]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(data=read_text("ontology", "regionkg.ttl"), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(data=read_text("ontology", "shapes.ttl"), format="turtle")


def rkg_terms(ontology: Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {
        s
        for kind in kinds
        for s in ontology.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(str(RKG))
    }


def langs(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str | None]:
    return {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}


# --- ontology ---------------------------------------------------------------------------------


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert {"en", "zh"} <= langs(ontology, ONTOLOGY_IRI, DCTERMS.title)
    assert {"en", "zh"} <= langs(ontology, ONTOLOGY_IRI, DCTERMS.description)


SUPERCLASSES = {
    "Region": [GEO.Feature],
    "AdministrativeUnit": [RKG.Region],
    "ProvinceLevelUnit": [RKG.AdministrativeUnit],
    "Municipality": [RKG.ProvinceLevelUnit],
    "PrefectureLevelUnit": [RKG.AdministrativeUnit],
    "CountyLevelUnit": [RKG.AdministrativeUnit],
    "District": [RKG.CountyLevelUnit],
    "LocalUnit": [RKG.AdministrativeUnit],
    "Zone": [RKG.Region],
    "MacroRegion": [RKG.Region],
    "Strategy": [SKOS.Concept],
    "Program": [PROV.Entity],
    "Plan": [RKG.Program],
    "Agreement": [RKG.Program],
    "PolicyDocument": [RKG.Program],
    "Project": [RKG.Program],
    "Platform": [RKG.Program],
    "Mechanism": [RKG.Program],
    "Event": [RKG.Program],
    "Measure": [PROV.Entity],
    "Partnership": [PROV.Entity],
    "Indicator": [PROV.Entity],
    "Article": [SCHEMA.NewsArticle, PROV.Entity, NIF.Context],
    "TextSpan": [NIF.String],
    "Mention": [RKG.TextSpan],
    "PartnershipKind": [SKOS.Concept],
}

OBJECT_PROPERTIES = [
    "partOf", "memberOf", "hasMember",
    "covers", "involves", "implements", "hasMeasure", "partner", "helper",
    "partnershipKind", "about", "evidence", "mentions",
]  # fmt: skip
DATATYPE_PROPERTIES = [
    "adminCode", "count", "since", "value", "unit", "normalizedValue", "baseUnit", "refYear",
    "qualifier", "sourceFile", "section",
]  # fmt: skip


@pytest.mark.parametrize("name", sorted(SUPERCLASSES))
def test_contract_class(ontology: Graph, name: str) -> None:
    cls = RKG[name]
    assert (cls, RDF.type, OWL.Class) in ontology
    for parent in SUPERCLASSES[name]:
        assert (cls, RDFS.subClassOf, parent) in ontology, f"{name} ⊄ {parent}"


def test_contract_properties(ontology: Graph) -> None:
    for name in OBJECT_PROPERTIES:
        assert (RKG[name], RDF.type, OWL.ObjectProperty) in ontology, name
        assert ontology.value(RKG[name], RDFS.domain) is not None, name
        assert ontology.value(RKG[name], RDFS.range) is not None, name
    for name in DATATYPE_PROPERTIES:
        assert (RKG[name], RDF.type, OWL.DatatypeProperty) in ontology, name
        assert ontology.value(RKG[name], RDFS.domain) is not None, name
        assert ontology.value(RKG[name], RDFS.range) is not None, name


def test_property_axioms(ontology: Graph) -> None:
    assert (RKG.partOf, RDF.type, OWL.TransitiveProperty) in ontology
    assert (RKG.helper, RDFS.subPropertyOf, RKG.partner) in ontology
    assert ontology.value(RKG.adminCode, RDFS.range) == XSD.string
    assert ontology.value(RKG.value, RDFS.range) == XSD.decimal
    assert ontology.value(RKG.since, RDFS.range) == XSD.gYear


def test_every_term_is_labelled_and_defined(ontology: Graph) -> None:
    terms = rkg_terms(ontology)
    assert len(terms) == len(SUPERCLASSES) + len(OBJECT_PROPERTIES) + len(DATATYPE_PROPERTIES)
    for term in sorted(terms):
        assert {"zh", "en"} <= langs(ontology, term, RDFS.label), term
        definitions = langs(ontology, term, SKOS.definition) | langs(ontology, term, RDFS.comment)
        assert "en" in definitions, term


PARTNERSHIP_KIND_LABELS = {
    "duikou-zhiyuan": "对口支援",
    "jiedui": "结对",
    "xietong": "协同",
    "liandong": "联动",
    "hezuo": "合作",
}


@pytest.mark.parametrize("slug", sorted(PARTNERSHIP_KIND_LABELS))
def test_partnership_kind_concept(ontology: Graph, slug: str) -> None:
    concept = ID[f"kind/{slug}"]
    assert (concept, RDF.type, RKG.PartnershipKind) in ontology
    assert (concept, SKOS.inScheme, PARTNERSHIP_KINDS) in ontology
    assert (concept, SKOS.topConceptOf, PARTNERSHIP_KINDS) in ontology
    assert (PARTNERSHIP_KINDS, SKOS.hasTopConcept, concept) in ontology
    assert (concept, SKOS.prefLabel, Literal(PARTNERSHIP_KIND_LABELS[slug], lang="zh")) in ontology
    assert "en" in langs(ontology, concept, SKOS.prefLabel)
    assert "en" in langs(ontology, concept, SKOS.definition)


def test_concept_schemes(ontology: Graph) -> None:
    for scheme in (PARTNERSHIP_KINDS, STRATEGIES):
        assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology
        assert {"zh", "en"} <= langs(ontology, scheme, SKOS.prefLabel)
    kinds = set(ontology.subjects(RDF.type, RKG.PartnershipKind))
    assert kinds == {ID[f"kind/{slug}"] for slug in PARTNERSHIP_KIND_LABELS}


# --- shapes -----------------------------------------------------------------------------------


def test_every_shape_has_a_message(shapes: Graph) -> None:
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    for shape in node_shapes | set(shapes.objects(None, SH.property)):
        assert "en" in langs(shapes, shape, SH.message), shape


def test_every_entity_class_is_targeted(shapes: Graph) -> None:
    targets = set(shapes.objects(None, SH.targetClass))
    for name in ("Region", "Strategy", "Program", "Measure", "Partnership", "Indicator",
                 "Article", "TextSpan", "Mention", "ProvinceLevelUnit", "PrefectureLevelUnit",
                 "CountyLevelUnit"):  # fmt: skip
        assert RKG[name] in targets, name


# A small graph as kg/rdf/build.py would produce it: materialised types, the partnership
# kind copied from the ontology, offsets into the article's normalised text (end exclusive).
VALID = """
@base   <https://w3id.org/regionkg/id/> .
@prefix rkg:    <https://w3id.org/regionkg/ontology#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix geo:    <http://www.opengis.net/ont/geosparql#> .
@prefix sf:     <http://www.opengis.net/ont/sf#> .
@prefix nif:    <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix itsrdf: <http://www.w3.org/2005/11/its/rdf#> .

<region/330702> a rkg:District , rkg:CountyLevelUnit , rkg:AdministrativeUnit , rkg:Region ;
    rdfs:label "婺城区"@zh ;
    skos:altLabel "婺城"@zh ;
    rkg:adminCode "330702" ;
    rkg:partOf <region/330700> ;
    geo:hasGeometry <region/330702/geometry> .

<region/330702/geometry> a geo:Geometry , sf:Point ;
    geo:asWKT "POINT(119.571728 29.0872)"^^geo:wktLiteral .

<region/330700> a rkg:PrefectureLevelUnit , rkg:AdministrativeUnit , rkg:Region ;
    rdfs:label "金华市"@zh ;
    rkg:adminCode "330700" .

<region/513326> a rkg:CountyLevelUnit , rkg:AdministrativeUnit , rkg:Region ;
    rdfs:label "道孚县"@zh ;
    rkg:adminCode "513326" .

<article/0123456789abcdef> a rkg:Article ;
    rdfs:label "婺城携手道孚"@zh ;
    schema:headline "婺城携手道孚"@zh ;
    schema:datePublished "2023-06-20"^^xsd:date ;
    schema:author "沈贞海" ;
    rkg:sourceFile "000_889d3301c9009900.txt" ;
    rkg:section "区域动态" ;
    rkg:mentions <region/513326> , <partnership/133153d0a29e> , <indicator/8fb2b41fac88> ;
    nif:isString "自2021年以来，婺城区对口支援道孚县。道孚县完成投资额4400余万元。" .

<article/0123456789abcdef#char=0,20> a rkg:TextSpan ;
    nif:referenceContext <article/0123456789abcdef> ;
    nif:beginIndex "0"^^xsd:nonNegativeInteger ;
    nif:endIndex "20"^^xsd:nonNegativeInteger ;
    nif:anchorOf "自2021年以来，婺城区对口支援道孚县。" .

<article/0123456789abcdef#char=20,36> a rkg:TextSpan ;
    nif:referenceContext <article/0123456789abcdef> ;
    nif:beginIndex "20"^^xsd:nonNegativeInteger ;
    nif:endIndex "36"^^xsd:nonNegativeInteger ;
    nif:anchorOf "道孚县完成投资额4400余万元。" .

<article/0123456789abcdef#char=16,19> a rkg:Mention , rkg:TextSpan ;
    nif:referenceContext <article/0123456789abcdef> ;
    nif:beginIndex "16"^^xsd:nonNegativeInteger ;
    nif:endIndex "19"^^xsd:nonNegativeInteger ;
    nif:anchorOf "道孚县" ;
    itsrdf:taIdentRef <region/513326> ;
    rkg:evidence <article/0123456789abcdef#char=0,20> ;
    prov:wasDerivedFrom <article/0123456789abcdef> .

<partnership/133153d0a29e> a rkg:Partnership ;
    rdfs:label "婺城区—道孚县对口支援"@zh ;
    rkg:partner <region/330702> , <region/513326> ;
    rkg:helper <region/330702> ;
    rkg:partnershipKind <kind/duikou-zhiyuan> ;
    rkg:since "2021"^^xsd:gYear ;
    prov:wasDerivedFrom <article/0123456789abcdef> ;
    rkg:evidence <article/0123456789abcdef#char=0,20> .

<indicator/8fb2b41fac88> a rkg:Indicator ;
    rdfs:label "完成投资额"@zh ;
    rkg:about <region/513326> ;
    rkg:value "4400"^^xsd:decimal ;
    rkg:unit "万元" ;
    rkg:qualifier "余" ;
    rkg:normalizedValue "44000000"^^xsd:decimal ;
    rkg:baseUnit "元" ;
    prov:wasDerivedFrom <article/0123456789abcdef> ;
    rkg:evidence <article/0123456789abcdef#char=20,36> .
"""

SECOND_ARTICLE = """
<article/fedcba9876543210> a rkg:Article ;
    rdfs:label "另一篇报道"@zh ;
    schema:headline "另一篇报道" ;
    rkg:sourceFile "other.txt" ;
    nif:isString "婺城区对口支援道孚县。" .
"""


def data_graph(ontology: Graph, turtle: str = VALID) -> Graph:
    """Parse ``turtle`` and add the partnership-kind concepts, as the build copies them."""
    graph = Graph().parse(data=turtle, format="turtle")
    for concept in ontology.subjects(SKOS.inScheme, PARTNERSHIP_KINDS):
        for triple in ontology.triples((concept, None, None)):
            graph.add(triple)
    return graph


def validate(data: Graph, shapes: Graph, **kwargs) -> tuple[bool, Graph, str]:
    return pyshacl.validate(data, shacl_graph=shapes, inference="none", **kwargs)


def test_valid_graph_conforms(ontology: Graph, shapes: Graph) -> None:
    # meta_shacl=True also checks shapes.ttl itself against the SHACL-SHACL shapes.
    conforms, _, text = validate(data_graph(ontology), shapes, meta_shacl=True)
    assert conforms, text


def test_offsets_in_valid_graph_are_python_slices() -> None:
    text = re.search(r'nif:isString "([^"]*)"', VALID).group(1)
    spans = re.findall(
        r'nif:beginIndex "(\d+)".*?nif:endIndex "(\d+)".*?nif:anchorOf "([^"]*)"', VALID, re.S
    )
    assert len(spans) == 3
    for begin, end, anchor in spans:
        assert text[int(begin) : int(end)] == anchor


BROKEN = [
    # (id, text in VALID, replacement, violated path)
    (
        "partnership-with-one-partner",
        "rkg:partner <region/330702> , <region/513326> ;",
        "rkg:partner <region/330702> ;",
        RKG.partner,
    ),
    (
        "indicator-value-is-a-string",
        'rkg:value "4400"^^xsd:decimal ;',
        'rkg:value "4400" ;',
        RKG.value,
    ),
    (
        "indicator-value-is-an-integer",
        'rkg:value "4400"^^xsd:decimal ;',
        "rkg:value 4400 ;",
        RKG.value,
    ),
    (
        "two-zh-labels",
        'rdfs:label "婺城区"@zh ;',
        'rdfs:label "婺城区"@zh , "婺城"@zh ;',
        RDFS.label,
    ),
    (
        "label-without-language",
        'rdfs:label "道孚县"@zh ;',
        'rdfs:label "道孚县" ;',
        RDFS.label,
    ),
    (
        "admin-code-with-five-digits",
        'rkg:adminCode "330702" ;',
        'rkg:adminCode "33070" ;',
        RKG.adminCode,
    ),
    (
        "county-without-admin-code",
        'rkg:adminCode "513326" .',
        ".",
        RKG.adminCode,
    ),
    (
        "text-span-missing-begin-index",
        'nif:beginIndex "20"^^xsd:nonNegativeInteger ;',
        "",
        NIF.beginIndex,
    ),
    (
        "text-span-anchor-does-not-match-offsets",
        'nif:anchorOf "道孚县" ;',
        'nif:anchorOf "道孚" ;',
        NIF.anchorOf,
    ),
    (
        "text-span-begin-after-end",
        'nif:beginIndex "16"^^xsd:nonNegativeInteger ;',
        'nif:beginIndex "19"^^xsd:nonNegativeInteger ;',
        NIF.beginIndex,
    ),
    (
        "partnership-without-kind",
        "rkg:partnershipKind <kind/duikou-zhiyuan> ;",
        "",
        RKG.partnershipKind,
    ),
    (
        "partnership-kind-outside-scheme",
        "rkg:partnershipKind <kind/duikou-zhiyuan> ;",
        "rkg:partnershipKind <kind/friendship> ;",
        RKG.partnershipKind,
    ),
    (
        "since-is-not-a-year",
        'rkg:since "2021"^^xsd:gYear ;',
        'rkg:since "2021年" ;',
        RKG.since,
    ),
    (
        "helper-is-not-a-partner",
        "rkg:helper <region/330702> ;",
        "rkg:helper <region/330700> ;",
        RKG.helper,
    ),
    (
        "partnership-without-evidence",
        "rkg:evidence <article/0123456789abcdef#char=0,20> .\n\n<indicator",
        ".\n\n<indicator",
        RKG.evidence,
    ),
    (
        "evidence-from-another-article",
        'rkg:since "2021"^^xsd:gYear ;\n    prov:wasDerivedFrom <article/0123456789abcdef> ;',
        'rkg:since "2021"^^xsd:gYear ;\n    prov:wasDerivedFrom <article/fedcba9876543210> ;',
        RKG.evidence,
    ),
    (
        "indicator-about-an-article",
        "rkg:about <region/513326> ;",
        "rkg:about <article/0123456789abcdef> ;",
        RKG.about,
    ),
    (
        "mention-without-entity",
        "itsrdf:taIdentRef <region/513326> ;",
        "",
        URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef"),
    ),
    (
        "article-without-text",
        'nif:isString "自2021年以来，',
        'schema:text "自2021年以来，',
        NIF.isString,
    ),
    (
        "article-date-is-a-string",
        'schema:datePublished "2023-06-20"^^xsd:date ;',
        'schema:datePublished "2023年6月20日" ;',
        SCHEMA.datePublished,
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "path"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_broken_graph_does_not_conform(
    ontology: Graph, shapes: Graph, old: str, new: str, path: URIRef
) -> None:
    assert VALID.count(old) == 1, old
    broken = VALID.replace(old, new) + SECOND_ARTICLE
    conforms, results, text = validate(data_graph(ontology, broken), shapes)
    assert not conforms
    assert path in set(results.objects(None, SH.resultPath)), text
    qname = results.namespace_manager.normalizeUri(path)
    lines = [line for line in text.splitlines() if "Result Path:" in line]
    assert any(qname in line or str(path) in line for line in lines), text


def test_second_article_alone_is_valid(ontology: Graph, shapes: Graph) -> None:
    # Guards the broken variants above: they must fail because of their edit only.
    conforms, _, text = validate(data_graph(ontology, VALID + SECOND_ARTICLE), shapes)
    assert conforms, text


# --- README -----------------------------------------------------------------------------------


def test_readme_documents_every_term(ontology: Graph) -> None:
    readme = read_text("ontology", "README.md")
    for term in rkg_terms(ontology):
        name = f"`rkg:{str(term).removeprefix(str(RKG))}`"
        assert name in readme, name


def test_readme_examples_conform(shapes: Graph) -> None:
    readme = read_text("ontology", "README.md")
    blocks = re.findall(r"```turtle\n(.*?)```", readme, re.S)
    assert len(blocks) > 10
    data = Graph().parse(data="\n".join(blocks), format="turtle")
    conforms, _, text = validate(data, shapes)
    assert conforms, text
    for name in SUPERCLASSES:
        assert (None, RDF.type, RKG[name]) in data, f"README has no example of rkg:{name}"
