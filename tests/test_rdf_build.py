"""The graph built from extractions: classes, merging, provenance, SHACL, determinism."""

from decimal import Decimal

import pyoxigraph
import pytest
import rdflib.namespace as ns
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.extract.pipeline import extract
from kg.model import Article
from kg.rdf.build import BuildResult, build_graph
from kg.rdf.export import serialise
from kg.rdf.ns import ID, ITSRDF, NIF, PROV, RKG
from kg.rdf.validate import validate

A1 = Article(title="婺城携手道孚", source="a.txt", date="2023-07-01", text=(
    "自2021年以来，浙江省金华市婺城区与四川省甘孜藏族自治州道孚县两地同心同德，对口支援工作结出硕果。\n"
    "道孚县农特产品加工园区完成投资额4400余万元。"))
A2 = Article(title="婺城区再送教育", source="b.txt", text="婺城区向道孚县选派教师。")


@pytest.fixture(scope="module")
def graph() -> Graph:
    result = build_graph([extract(A1), extract(A2)])
    return result.graph


def test_shapes_conform(graph):
    report = validate(graph)
    assert report.conforms, [str(v) for v in report.violations]


def test_regions_materialised_with_parents(graph):
    wucheng = ID["region/330702"]
    types = set(graph.objects(wucheng, RDF.type))
    assert {RKG.Region, RKG.AdministrativeUnit, RKG.CountyLevelUnit, RKG.District} <= types
    assert graph.value(wucheng, RKG.adminCode) == Literal("330702")
    assert (wucheng, RKG.partOf, ID["region/330700"]) in graph
    assert (ID["region/330700"], RKG.partOf, ID["region/330000"]) in graph
    labels = list(graph.objects(wucheng, RDFS.label))
    assert labels == [Literal("婺城区", lang="zh")]


def test_entities_merged_across_articles(graph):
    wucheng = ID["region/330702"]
    articles = set(graph.subjects(RKG.mentions, wucheng))
    assert len(articles) == 2


def test_partnership_with_provenance(graph):
    (p,) = graph.subjects(RDF.type, RKG.Partnership)
    assert set(graph.objects(p, RKG.partner)) == {ID["region/330702"], ID["region/513326"]}
    assert graph.value(p, RKG.helper) == ID["region/330702"]
    assert graph.value(p, RKG.since) == Literal("2021", datatype=ns.XSD.gYear)
    ev = graph.value(p, RKG.evidence)
    art = graph.value(p, PROV.wasDerivedFrom)
    text = str(graph.value(art, NIF.isString))
    begin, end = int(graph.value(ev, NIF.beginIndex)), int(graph.value(ev, NIF.endIndex))
    assert text[begin:end] == str(graph.value(ev, NIF.anchorOf))
    assert str(ev) == f"{art}#char={begin},{end}"


def test_indicator_normalised(graph):
    (ind,) = graph.subjects(RDF.type, RKG.Indicator)
    assert graph.value(ind, RKG.value).toPython() == Decimal("4400")
    assert graph.value(ind, RKG.unit) == Literal("万元")
    assert graph.value(ind, RKG.normalizedValue).toPython() == Decimal("44000000")
    assert str(graph.value(ind, RKG.baseUnit)) == "元"


def test_mentions_point_to_entities(graph):
    for span in graph.subjects(RDF.type, RKG.Mention):
        assert graph.value(span, ITSRDF.taIdentRef) is not None
        assert graph.value(span, PROV.wasDerivedFrom) is not None


def test_turtle_parses_in_rdflib_and_pyoxigraph(graph):
    ttl = serialise(graph)
    again = Graph().parse(data=ttl, format="turtle")
    assert len(again) == len(graph)
    store = pyoxigraph.Store()
    store.load(ttl.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(graph)


def test_deterministic_bytes():
    one = serialise(build_graph([extract(A1), extract(A2)]).graph)
    two = serialise(build_graph([extract(A2), extract(A1)]).graph)
    assert one == two


def test_broken_graph_does_not_conform(graph):
    broken = Graph()
    for t in graph:
        broken.add(t)
    (p,) = broken.subjects(RDF.type, RKG.Partnership)
    for partner in list(broken.objects(p, RKG.partner))[1:]:
        broken.remove((p, RKG.partner, partner))
    broken.add((URIRef(ID["region/330702"]), RKG.adminCode, Literal("33070")))
    report = validate(broken)
    assert not report.conforms
    paths = {v.path for v in report.violations}
    assert "rkg:partner" in paths and "rkg:adminCode" in paths


def test_villages_of_the_same_name_stay_apart():
    a = Article(title="甲", source="a.txt", text="贵州省雷山县西江镇白沙村发展民宿。")
    b = Article(title="乙", source="b.txt", text="云南省勐海县勐混镇白沙村种植茶叶。")
    g = build_graph([extract(a), extract(b)]).graph
    villages = {s for s in g.subjects(RDFS.label, Literal("白沙村", lang="zh"))}
    assert len(villages) == 2
    parents = {g.value(v, RKG.partOf) for v in villages}
    assert len(parents) == 2


def test_outputs_are_readable_like_any_new_file(tmp_path):
    import os

    from kg.rdf.export import write_atomic

    path = tmp_path / "out.ttl"
    write_atomic(path, "x")
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize("odd", ["\u2028", "\u0085", "\x0c", "\x1c"])
def test_line_breaks_inside_literals_do_not_split_n_triples_lines(odd):
    """pyoxigraph writes U+2028 and U+0085 inside literals as they are, rdflib also form
    feeds and other separators; str.splitlines would cut such a line in two."""
    a, b, p = (pyoxigraph.NamedNode(f"http://ex/{x}") for x in "abp")
    triples = {(a, p, pyoxigraph.Literal(f"上{odd}下")), (b, p, pyoxigraph.Literal("z"))}
    nt = BuildResult(triples).ntriples()
    assert len(list(pyoxigraph.parse(nt.encode("utf-8"),
                                     format=pyoxigraph.RdfFormat.N_TRIPLES))) == 2
    g = Graph()
    g.add((URIRef("http://ex/a"), URIRef("http://ex/p"), Literal(f"上{odd}下")))
    g.add((URIRef("http://ex/b"), URIRef("http://ex/p"), Literal("z")))
    assert len(Graph().parse(data=serialise(g, "nt"), format="nt")) == 2


def test_ntriples_lines_are_pyoxigraph_n_triples():
    """BuildResult.ntriples formats lines from the terms' own N-Triples form: the result is
    byte for byte what pyoxigraph's N-Triples writer gives, sorted."""
    ox = pyoxigraph
    s, p = ox.NamedNode("http://ex/s"), ox.NamedNode("http://ex/p")
    odd = ['引号"与\\反斜杠', "换行\n回车\r制表\t", "\u2028\u0085\x0c\x1c\x00", "𠀀非基本平面",
           "  空格  "]
    triples = {(s, p, ox.Literal(x)) for x in odd}
    triples |= {(s, p, ox.Literal(x, language="zh")) for x in odd}
    triples |= {(s, p, ox.Literal("4400.0", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#decimal"))), (s, p, ox.NamedNode("http://ex/o#x=1,2"))}
    written = ox.serialize((ox.Triple(*t) for t in triples), format=ox.RdfFormat.N_TRIPLES)
    expected = sorted(written.decode("utf-8").split("\n")[:-1])
    assert BuildResult(triples).ntriples() == "".join(line + "\n" for line in expected)
