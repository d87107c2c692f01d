"""Counts, rankings, communities, components and paths; `kg stats` and `kg path`."""

import json

import networkx as nx
import pytest
from click.testing import CliRunner
from graph_data import SEED_TTL, node_by_label, seed_projection

from kg.cli import main
from kg.graph import analyse


def labels(G, nodes):
    return [G.nodes[n]["label"] for n in nodes]


def test_entity_and_relation_counts():
    G = seed_projection()
    assert analyse.entity_counts(G) == {"Region": 66, "Strategy": 13, "Program": 22,
                                        "Measure": 38, "Indicator": 28}
    rel = analyse.relation_counts(G)
    assert rel["partner"] == 12 and sum(rel.values()) == G.number_of_edges()


def test_most_connected_regions_by_degree_and_betweenness():
    G = seed_projection()
    by_degree, by_between = analyse.top_regions(G, 5)
    assert by_degree[0].label == "广东省"
    assert by_degree[0].degree == G.degree(node_by_label(G, "广东省"))
    assert all(G.nodes[r.node]["type"] == "Region" for r in by_degree + by_between)
    assert by_between == sorted(by_between, key=lambda r: -r.betweenness)
    assert analyse.top_regions(G, 5) == (by_degree, by_between)


def test_partnership_communities_are_louvain_and_deterministic():
    G = seed_projection()
    groups = [labels(G, c) for c in analyse.partnership_communities(G)]
    assert groups == [
        ["三亚市", "乐东黎族自治县", "五指山市", "保亭黎族苗族自治县", "陵水黎族自治县"],
        ["四川省", "重庆市"],
        ["婺城区", "道孚县"],
    ]
    assert [labels(G, c) for c in analyse.partnership_communities(G)] == groups


def test_components_largest_first():
    G = seed_projection()
    comps = analyse.components(G)
    assert len(comps) == nx.number_weakly_connected_components(G)
    assert sum(len(c) for c in comps) == G.number_of_nodes()
    assert [len(c) for c in comps] == sorted((len(c) for c in comps), reverse=True)


def test_find_node_by_label_alt_label_code_and_iri():
    G = seed_projection()
    wucheng = node_by_label(G, "婺城区")
    assert analyse.find_node(G, "婺城区") == wucheng
    assert analyse.find_node(G, "婺城") == wucheng
    assert analyse.find_node(G, "330702") == wucheng
    assert analyse.find_node(G, wucheng) == wucheng
    with pytest.raises(analyse.EntityNameError, match="no entity called '不存在'"):
        analyse.find_node(G, "不存在")


def test_an_ambiguous_name_lists_the_candidates():
    G = nx.MultiDiGraph()
    G.add_node("a", label="新区", type="Region")
    G.add_node("b", label="新区", type="Program")
    with pytest.raises(analyse.EntityNameError, match=r"several entities.*Region.*Program"):
        analyse.find_node(G, "新区")


def test_shortest_chain_of_relations():
    G = seed_projection()
    steps = analyse.shortest_path(G, analyse.find_node(G, "婺城区"),
                                  analyse.find_node(G, "乡村振兴"))
    assert analyse.format_path(G, steps) == (
        "婺城区 —partner→ 道孚县 ←involves— 道孚县乡村振兴先行示范村建设项目"
        " —implements→ 乡村振兴")


def test_no_path_is_a_clear_error():
    G = seed_projection()
    with pytest.raises(analyse.NoPathError, match="no chain of relations links 婺城区 and"):
        analyse.shortest_path(G, node_by_label(G, "婺城区"), node_by_label(G, "黑龙江省"))


def run(*args):
    return CliRunner().invoke(main, [*args, "--graph", str(SEED_TTL)])


def test_kg_stats_prints_counts_rankings_communities_components():
    result = run("stats")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "nodes: 167  edges: 190" in out
    assert "entities: Region 66, Strategy 13, Program 22, Measure 38, Indicator 28" in out
    assert "1. 广东省  15" in out
    assert "婺城区、道孚县" in out and "partnership communities (Louvain): 3" in out
    assert "connected components:" in out
    data = json.loads(run("stats", "--format", "json").output)
    assert data["nodes"] == 167 and data["components"]["count"] == len(data["components"]["sizes"])


def test_kg_path_prints_the_chain_and_fails_clearly():
    result = run("path", "婺城区", "乡村振兴")
    assert result.exit_code == 0
    assert result.output.startswith("婺城区 —partner→ 道孚县")
    missing = run("path", "婺城区", "火星")
    assert missing.exit_code == 1 and "no entity called '火星'" in missing.output
    apart = run("path", "婺城区", "黑龙江省")
    assert apart.exit_code == 1 and "no chain of relations" in apart.output
