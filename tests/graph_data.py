"""Graphs for the network, export and page tests.

* ``seed_projection``: the seed page's graph (tests/data/seed.ttl, which
  test_build_seed keeps equal to a fresh build), read into a pyoxigraph Store
  (``seed_store``) and projected once per process; ``seed_rdf`` is the same
  graph in rdflib;
* ``xss_projection``: a graph built by the real pipeline from a small inline
  article whose title and text carry script, onerror and javascript: payloads;
* ``synthetic``: a large graph in the shape of the projection (regions with
  coordinates in a province → prefecture → county tree, strategies, programs,
  partnerships), generated with a fixed seed.
"""

from __future__ import annotations

import functools
import random
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
SEED_TTL = ROOT / "tests" / "data" / "seed.ttl"

PAYLOAD_SCRIPT = "<script>window.__pwned=1</script>"
PAYLOAD_IMG = '<img src=x onerror="window.__pwned=1">'
PAYLOAD_LINK = '<a href="javascript:window.__pwned=1">点此查看</a>'
XSS_TITLE = f"对口支援新闻{PAYLOAD_SCRIPT}"
XSS_TEXT = (f"浙江省与四川省开展对口支援{PAYLOAD_IMG}，详见{PAYLOAD_LINK}。\n"
            f"自2021年以来，浙江省金华市婺城区与四川省甘孜藏族自治州道孚县开展对口支援"
            f"{PAYLOAD_SCRIPT}。")
XSS_LABEL = f"{PAYLOAD_IMG}恶意名称{PAYLOAD_SCRIPT}"


@functools.cache
def seed_rdf():
    """The seed graph as an rdflib Graph (tests count its triples with rdflib)."""
    from rdflib import Graph

    return Graph().parse(SEED_TTL, format="turtle")


def seed_store():
    """The seed graph in an in-memory pyoxigraph Store, as kg viz and kg build read it."""
    from kg.graph.project import load_rdf

    return load_rdf(str(SEED_TTL))


def seed_projection() -> nx.MultiDiGraph:
    """A fresh copy each call, so a test may change it."""
    return _seed_projection().copy()


@functools.cache
def _seed_projection() -> nx.MultiDiGraph:
    from kg.graph.project import project

    return project(seed_store())


def node_by_label(G: nx.MultiDiGraph, label: str) -> str:
    found = [n for n, d in G.nodes(data=True) if d.get("label") == label]
    assert len(found) == 1, (label, found)
    return found[0]


def xss_projection() -> nx.MultiDiGraph:
    """The inline hostile article through extract → build → project, plus a hostile label."""
    from kg.extract.pipeline import extract
    from kg.graph.project import project
    from kg.model import Article
    from kg.rdf.build import build_graph

    article = Article(title=XSS_TITLE, text=XSS_TEXT, source="xss.md")
    G = project(build_graph([extract(article)]).graph)
    zhejiang = node_by_label(G, "浙江省")
    G.add_node("urn:x-test:hostile", iri="urn:x-test:hostile", type="Program", subtype="Project",
               label=XSS_LABEL, label_en="", alt_labels=[PAYLOAD_LINK], code="", mentions=1,
               evidence=list(G.nodes[zhejiang]["evidence"]))
    G.add_edge("urn:x-test:hostile", zhejiang, key="involves", relation="involves", evidence=[])
    return G


def synthetic(n: int = 5000, seed: int = 7) -> nx.MultiDiGraph:
    """n nodes: 31 provinces, 300 prefectures, counties up to 70 %, 40 strategies, programs."""
    rnd = random.Random(seed)
    G = nx.MultiDiGraph()

    def add(i: int, **attrs) -> str:
        node = f"urn:x-test:n{i:05d}"
        G.add_node(node, iri=node, evidence=[], mentions=1, alt_labels=[], **attrs)
        return node

    provinces, prefectures, counties, strategies = [], [], [], []
    i = 0
    for p in range(31):
        provinces.append(add(i, type="Region", subtype="ProvinceLevelUnit", label=f"省{p}",
                             province=f"省{p}", lon=rnd.uniform(80, 125),
                             lat=rnd.uniform(22, 48)))
        i += 1
    for q in range(300):
        parent = G.nodes[provinces[q % 31]]
        node = add(i, type="Region", subtype="PrefectureLevelUnit", label=f"市{q}",
                   province=parent["province"], parent_chain=[parent["label"]],
                   lon=parent["lon"] + rnd.uniform(-3, 3), lat=parent["lat"] + rnd.uniform(-2, 2))
        G.add_edge(node, provinces[q % 31], key="partOf", relation="partOf", evidence=[])
        prefectures.append(node)
        i += 1
    while i < int(n * 0.7):
        pref = prefectures[i % 300]
        parent = G.nodes[pref]
        node = add(i, type="Region", subtype="CountyLevelUnit", label=f"县{i}",
                   province=parent["province"], lon=parent["lon"] + rnd.uniform(-.6, .6),
                   lat=parent["lat"] + rnd.uniform(-.5, .5))
        G.add_edge(node, pref, key="partOf", relation="partOf", evidence=[])
        counties.append(node)
        i += 1
    for s in range(40):
        node = add(i, type="Strategy", subtype="Strategy", label=f"战略{s}")
        for region in rnd.sample(prefectures, 5):
            G.add_edge(node, region, key="covers", relation="covers", evidence=[])
        strategies.append(node)
        i += 1
    while i < n:
        node = add(i, type="Program", subtype="Project", label=f"项目{i}")
        G.add_edge(node, rnd.choice(counties), key="involves", relation="involves", evidence=[])
        if rnd.random() < 0.2:
            G.add_edge(node, rnd.choice(strategies), key="implements", relation="implements",
                       evidence=[])
        i += 1
    for j in range(300):
        a, b = rnd.sample(counties, 2)
        G.add_edge(a, b, key=f"partner:{j}", relation="partner", kind="对口支援",
                   kind_en="paired assistance", since="2021", directed=True, evidence=[])
    return G
