"""The RDF graph as a NetworkX MultiDiGraph: nodes, attributes, typed edges with evidence."""

from collections import Counter

import pyoxigraph as ox
import pytest
from graph_data import SEED_TTL, node_by_label, seed_projection, seed_rdf, seed_store
from rdflib import Graph
from rdflib.namespace import RDF

from kg.graph.project import (
    NODE_TYPES,
    RELATIONS,
    as_store,
    load_rdf,
    project,
    project_most_connected,
)
from kg.rdf.ns import RKG


def test_every_entity_of_the_seed_graph_is_a_node_of_its_type():
    g = seed_rdf()
    G = seed_projection()
    types = Counter(d["type"] for _, d in G.nodes(data=True))
    for t in NODE_TYPES:
        assert types[t] == len(set(g.subjects(RDF.type, RKG[t]))), t
    assert G.number_of_nodes() == sum(types.values()) == 167
    # partnerships, articles and spans are not nodes
    assert not [n for n in G if "/partnership/" in n or "/article/" in n]


def test_region_attributes_labels_code_province_coordinates_mentions():
    G = seed_projection()
    wucheng = G.nodes[node_by_label(G, "婺城区")]
    assert wucheng["subtype"] == "District" and wucheng["code"] == "330702"
    assert wucheng["alt_labels"] == ["婺城"]
    assert wucheng["parent_chain"] == ["金华市", "浙江省"]
    assert wucheng["province"] == "浙江省"
    assert wucheng["lon"] == pytest.approx(119.571728) and wucheng["lat"] == pytest.approx(29.0872)
    assert wucheng["mentions"] == 1
    assert any("婺城区" in e.quote for e in wucheng["evidence"])
    assert G.nodes[node_by_label(G, "浙江省")]["province"] == "浙江省"
    assert G.nodes[node_by_label(G, "三亚经济圈")]["province"] == ""


def test_edges_are_typed_and_counted_like_the_rdf_triples():
    g = seed_rdf()
    G = seed_projection()
    relations = Counter(d["relation"] for *_, d in G.edges(data=True))
    assert set(relations) <= set(RELATIONS)
    for name in ("partOf", "memberOf", "covers", "implements", "involves", "hasMeasure",
                 "about"):
        assert relations[name] == len(set(g.subject_objects(RKG[name]))), name
    # three partnerships: a pair, a pair and five regions (every pair: 10 edges)
    assert relations["partner"] == 1 + 1 + 10


def test_partner_edge_carries_kind_since_direction_and_evidence():
    G = seed_projection()
    wucheng, daofu = node_by_label(G, "婺城区"), node_by_label(G, "道孚县")
    (edge,) = G.get_edge_data(wucheng, daofu).values()  # helper → helped
    assert not G.has_edge(daofu, wucheng)
    assert edge["relation"] == "partner" and edge["directed"] is True
    assert edge["kind"] == "对口支援" and edge["kind_en"] == "paired assistance"
    assert edge["since"] == "2021"
    (ev,) = edge["evidence"]
    assert "对口支援" in ev.quote and ev.title == "跨越山海 婺城携手道孚织密“同心结”"


def test_other_edges_carry_the_items_own_evidence_or_shared_sentences():
    G = seed_projection()
    about = [d for *_, d in G.edges(data=True) if d["relation"] == "about"]
    assert about and all(d["evidence"] for d in about)
    program = node_by_label(G, "道孚县农特产品加工园区")
    involves = G.get_edge_data(program, node_by_label(G, "道孚县"))["involves"]
    assert all("道孚县" in e.quote for e in involves["evidence"])


def test_projection_is_deterministic():
    a, b = project(seed_store()), project(seed_store())
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    assert list(a.nodes) == sorted(a.nodes)


def test_an_rdflib_graph_and_a_store_of_the_same_triples_project_alike():
    g = seed_rdf()
    store = ox.Store()
    store.bulk_load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    a, b = project(g), project(store)
    # the same nodes, attributes, edges, keys and order (the Store's own order is not defined)
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    assert list(a.nodes(data=True)) == list(seed_projection().nodes(data=True))
    assert len(as_store(g)) == len(g) and as_store(store) is store


def test_literals_read_as_rdflib_reads_them():
    data = """
        @prefix rkg: <https://w3id.org/regionkg/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <urn:x:i> a rkg:Indicator ; rdfs:label "指标"@zh ; rkg:value 17.0 ; rkg:unit "项" .
        <urn:x:j> a rkg:Indicator ; rdfs:label "比例"@zh ; rkg:value 0.25 .
        <urn:x:m> a rkg:Measure ; rdfs:label "措施"@zh ; rkg:count "012"^^xsd:integer ;
            rkg:adminCode "330702" .
        """
    store = ox.Store()
    store.bulk_load(data.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    G = project(store)  # the Store itself keeps 17.0 as the number 17
    assert G.nodes["urn:x:i"]["value"] == "17.0" and G.nodes["urn:x:i"]["unit"] == "项"
    assert G.nodes["urn:x:j"]["value"] == "0.25"
    assert G.nodes["urn:x:m"]["count"] == 12 and G.nodes["urn:x:m"]["code"] == "330702"
    g = Graph().parse(data=data, format="turtle")
    assert list(project(g).nodes(data=True)) == list(G.nodes(data=True))


def test_small_inline_graph_english_labels_and_province_through_parents():
    g = Graph()
    g.parse(data="""
        @prefix rkg: <https://w3id.org/regionkg/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @base <https://w3id.org/regionkg/id/> .
        <region/1> a rkg:Region, rkg:ProvinceLevelUnit ; rdfs:label "甲省"@zh .
        <region/2> a rkg:Region, rkg:PrefectureLevelUnit ; rdfs:label "乙市"@zh ;
            rkg:partOf <region/1> .
        <region/3> a rkg:Region, rkg:LocalUnit ; rdfs:label "丙镇"@zh ; rkg:partOf <region/2> .
        <strategy/s> a rkg:Strategy ; rdfs:label "乡村振兴"@zh , "Rural revitalisation"@en ;
            rkg:covers <region/3> .
        """, format="turtle")
    G = project(g)
    town = G.nodes["https://w3id.org/regionkg/id/region/3"]
    assert town["province"] == "甲省" and town["parent_chain"] == ["乙市", "甲省"]
    assert G.nodes["https://w3id.org/regionkg/id/strategy/s"]["label_en"] == "Rural revitalisation"
    assert G.number_of_edges() == 3  # partOf, partOf, covers


def test_load_rdf_names_the_file_and_the_problem(tmp_path):
    with pytest.raises(ValueError, match=r"nowhere\.ttl: no such file"):
        load_rdf(str(tmp_path / "nowhere.ttl"))
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.ttl: not valid turtle: .*line 1"):
        load_rdf(str(bad))
    with pytest.raises(ValueError, match=r"is a folder"):
        load_rdf(str(tmp_path))
    bad_json = tmp_path / "bad.jsonld"
    bad_json.write_text('{"@id": ', encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.jsonld: not valid json-ld"):
        load_rdf(str(bad_json))
    store = load_rdf(str(SEED_TTL))
    assert isinstance(store, ox.Store) and len(store) == len(seed_rdf())


def _as_selected(G, max_nodes):
    from kg.graph.viz import select

    sel = select(G, max_nodes=max_nodes)
    return sel.graph, sel.total_nodes, sel.total_edges, sel.truncated


def _part(source, max_nodes):
    part = project_most_connected(source, max_nodes)
    return part.graph, part.total_nodes, part.total_edges, part.truncated


def _same(a, b):
    assert a[1:] == b[1:]
    assert list(a[0].nodes(data=True)) == list(b[0].nodes(data=True))
    assert list(a[0].edges(keys=True, data=True)) == list(b[0].edges(keys=True, data=True))


@pytest.mark.parametrize("max_nodes", [0, 1, 20, 60, 166, 167, None])
def test_the_most_connected_part_is_that_of_the_whole_projection(max_nodes):
    """Read from the links first and then only for the kept nodes, the part equals the
    whole projection cut by kg.graph.viz.select, attribute for attribute."""
    _same(_part(seed_store(), max_nodes), _as_selected(seed_projection(), max_nodes))


def test_a_part_whose_partnership_is_a_blank_node_is_read_in_full():
    """A query cannot name a blank node, so such a part falls back to reading everything."""
    store = seed_store()
    partnership = min(q.subject for q in store.quads_for_pattern(
        None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(RKG.Partnership))))
    blank = ox.BlankNode("p1")
    for q in list(store.quads_for_pattern(partnership, None, None)):
        store.remove(q)
        store.add(ox.Quad(blank, q.predicate, q.object, q.graph_name))
    for q in list(store.quads_for_pattern(None, None, partnership)):
        store.remove(q)
        store.add(ox.Quad(q.subject, q.predicate, blank, q.graph_name))
    G = project(store)
    assert any(k.startswith("partner:") and not k.startswith("partner:http")
               for _, _, k in G.edges(keys=True))
    _same(_part(store, 40), _as_selected(G, 40))
