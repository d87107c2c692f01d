"""GraphML and GEXF files that desktop tools read: labels and types as scalar attributes."""

import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from click.testing import CliRunner
from graph_data import SEED_TTL, node_by_label, seed_projection

from kg.cli import main
from kg.graph.export import export, flat_graph, gexf_text, graphml_text


def test_flat_graph_has_only_scalar_attributes():
    flat = flat_graph(seed_projection())
    scalars = (str, int, float, bool)
    for _, d in flat.nodes(data=True):
        assert all(isinstance(v, scalars) for v in d.values()), d
    for *_, d in flat.edges(data=True):
        assert all(isinstance(v, scalars) for v in d.values()), d


def test_graphml_round_trip_keeps_labels_types_and_counts(tmp_path):
    G = seed_projection()
    path = tmp_path / "regionkg.graphml"
    assert export(G, path) == "graphml"
    ET.parse(path)  # well-formed XML
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_nodes() == G.number_of_nodes()
    assert back.number_of_edges() == G.number_of_edges()
    wucheng = back.nodes[node_by_label(G, "婺城区")]
    assert wucheng["label"] == "婺城区" and wucheng["type"] == "Region"
    assert wucheng["parent_chain"] == "金华市 | 浙江省" and wucheng["class"] == "County"
    assert "对口支援" in wucheng["evidence"]
    kinds = {d.get("kind") for *_, d in back.edges(data=True) if d["relation"] == "partner"}
    assert kinds == {"对口支援", "协同"}


def test_gexf_round_trip_with_colours_and_no_date(tmp_path):
    G = seed_projection()
    path = tmp_path / "regionkg.gexf"
    export(G, path)
    text = path.read_text(encoding="utf-8")
    assert "lastmodifieddate" not in text
    back = nx.read_gexf(path)
    assert back.number_of_nodes() == G.number_of_nodes()
    assert back.number_of_edges() == G.number_of_edges()
    daofu = back.nodes[node_by_label(G, "道孚县")]
    assert daofu["label"] == "道孚县" and daofu["type"] == "Region"
    assert daofu["viz"]["color"]["b"] > 0


def test_exports_are_deterministic():
    G = seed_projection()
    assert graphml_text(G) == graphml_text(seed_projection())
    assert gexf_text(G) == gexf_text(seed_projection())


def test_unknown_extension_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match=r"graph\.csv: unknown graph format"):
        export(seed_projection(), tmp_path / "graph.csv")


def test_kg_export_graph(tmp_path):
    out = tmp_path / "g.gexf"
    result = CliRunner().invoke(main, ["export-graph", "--graph", str(SEED_TTL), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "167 nodes, 190 edges" in result.output and out.exists()
    bad = CliRunner().invoke(main, ["export-graph", "--graph", str(SEED_TTL), "-o",
                                    str(tmp_path / "g.txt")])
    assert bad.exit_code == 1 and "unknown graph format" in bad.output
