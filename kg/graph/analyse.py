"""Questions a student or researcher asks of the network, answered with NetworkX.

Every function takes the projection of :func:`kg.graph.project.project` and
returns plain data (the CLI formats it), and every answer is deterministic:
ties are broken by label and IRI, community detection uses a fixed seed, and
betweenness on large graphs samples a fixed set of pivots.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

import networkx as nx

from kg.graph.project import NODE_TYPES, RELATIONS

SEED = 42
# Exact betweenness costs O(nodes × edges); above this many nodes it is estimated
# from this many pivots (seeded, so the ranking is stable).
BETWEENNESS_EXACT_LIMIT = 2000
BETWEENNESS_PIVOTS = 500
# When two entities are linked by several relations, the path shows the first of these.
_RELATION_RANK = {r: i for i, r in enumerate(RELATIONS)}


class EntityNameError(ValueError):
    """A name that matches no entity, or several."""


class NoPathError(ValueError):
    """Two entities that the graph does not connect."""


def label(G: nx.MultiDiGraph, node: str) -> str:
    return G.nodes[node].get("label") or node


def entity_counts(G: nx.MultiDiGraph) -> dict[str, int]:
    """Nodes per type (in NODE_TYPES order), then any other type."""
    counts = Counter(d.get("type", "") for _, d in G.nodes(data=True))
    out = {t: counts.pop(t, 0) for t in NODE_TYPES}
    out.update(sorted(counts.items()))
    return out


def relation_counts(G: nx.MultiDiGraph) -> dict[str, int]:
    counts = Counter(d.get("relation", "") for *_, d in G.edges(data=True))
    out = {r: counts.pop(r, 0) for r in RELATIONS}
    out.update(sorted(counts.items()))
    return out


def simple_undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """One undirected edge per linked pair: what "connected" means for rankings and paths."""
    H = nx.Graph()
    H.add_nodes_from(G.nodes)
    H.add_edges_from((u, v) for u, v in G.edges() if u != v)
    return H


@dataclass(frozen=True)
class Ranked:
    node: str
    label: str
    degree: int
    betweenness: float


def top_regions(G: nx.MultiDiGraph, n: int = 10) -> tuple[list[Ranked], list[Ranked]]:
    """The regions with most relations (degree) and most bridging position (betweenness).

    Degree counts relations (a pair linked by partner and memberOf counts twice);
    betweenness is computed on the undirected simple graph of all entities, so a
    region that links a strategy to its programs counts as a bridge too.
    """
    H = simple_undirected(G)
    if H.number_of_nodes() > BETWEENNESS_EXACT_LIMIT:
        between = nx.betweenness_centrality(H, k=BETWEENNESS_PIVOTS, seed=SEED)
    else:
        between = nx.betweenness_centrality(H)
    regions = [node for node, d in G.nodes(data=True) if d.get("type") == "Region"]
    rows = [Ranked(r, label(G, r), G.degree(r), round(between.get(r, 0.0), 6)) for r in regions]
    by_degree = sorted(rows, key=lambda x: (-x.degree, -x.betweenness, x.label, x.node))[:n]
    by_between = sorted(rows, key=lambda x: (-x.betweenness, -x.degree, x.label, x.node))[:n]
    return by_degree, by_between


def partnership_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """Regions linked by partner edges, weighted by the number of partnerships."""
    H = nx.Graph()
    for u, v, d in G.edges(data=True):
        if d.get("relation") != "partner" or u == v:
            continue
        if H.has_edge(u, v):
            H[u][v]["weight"] += 1
        else:
            H.add_edge(u, v, weight=1)
    return H


def partnership_communities(G: nx.MultiDiGraph, seed: int = SEED) -> list[list[str]]:
    """Groups of regions that partner mostly among themselves (Louvain, fixed seed).

    Largest first; members sorted by label. Regions without partners are left out.
    """
    H = partnership_graph(G)
    if H.number_of_edges() == 0:
        return []
    # A fresh graph with sorted insertion order: Louvain's result depends on it.
    S = nx.Graph()
    S.add_nodes_from(sorted(H.nodes))
    S.add_edges_from(sorted((min(u, v), max(u, v), d) for u, v, d in H.edges(data=True)))
    found = nx.community.louvain_communities(S, weight="weight", seed=seed)
    groups = [sorted(c, key=lambda x: (label(G, x), x)) for c in found]
    return sorted(groups, key=lambda c: (-len(c), label(G, c[0]), c[0]))


def components(G: nx.MultiDiGraph) -> list[list[str]]:
    """Weakly connected components, largest first, each sorted by label."""
    comps = [sorted(c, key=lambda x: (label(G, x), x)) for c in nx.weakly_connected_components(G)]
    return sorted(comps, key=lambda c: (-len(c), label(G, c[0]), c[0]))


def find_node(G: nx.MultiDiGraph, name: str) -> str:
    """The entity called ``name``: its IRI, code, Chinese or English label, or alt label.

    Exact labels win over alternative labels; raises EntityNameError with the candidates
    when the name is unknown or still ambiguous.
    """
    name = name.strip()
    if name in G:
        return name
    tiers: list[list[str]] = [[], [], []]
    for node, d in G.nodes(data=True):
        if name == d.get("label") or (name and name == d.get("code")):
            tiers[0].append(node)
        elif name == d.get("label_en"):
            tiers[1].append(node)
        elif name in (d.get("alt_labels") or ()):
            tiers[2].append(node)
    for found in tiers:
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = "; ".join(f"{label(G, n)} ({G.nodes[n].get('type')}, {n})"
                               for n in sorted(found))
            raise EntityNameError(f"{name!r} names several entities: {listed};"
                                  " pass the IRI instead")
    close = sorted({d.get("label", "") for _, d in G.nodes(data=True)
                    if name and d.get("label") and (name in d["label"] or d["label"] in name)})
    hint = f" (similar: {'、'.join(close[:8])})" if close else ""
    raise EntityNameError(f"no entity called {name!r} in the graph{hint}")


@dataclass(frozen=True)
class Step:
    source: str
    target: str
    relation: str
    forward: bool  # True when the RDF relation points from source to target


def shortest_path(G: nx.MultiDiGraph, a: str, b: str) -> list[Step]:
    """The shortest chain of relations between two entities, whatever their direction.

    Raises NoPathError when they are in different components.
    """
    H = simple_undirected(G)
    try:
        nodes = nx.shortest_path(H, a, b)
    except nx.NetworkXNoPath as exc:
        raise NoPathError(f"no chain of relations links {label(G, a)} and {label(G, b)}"
                          " (they are in different components)") from exc
    steps = []
    for u, v in itertools.pairwise(nodes):
        options = [(_RELATION_RANK.get(d["relation"], 99), d["relation"], True)
                   for d in G.get_edge_data(u, v, default={}).values()]
        options += [(_RELATION_RANK.get(d["relation"], 99), d["relation"], False)
                    for d in G.get_edge_data(v, u, default={}).values()]
        _, relation, forward = min(options)
        steps.append(Step(u, v, relation, forward))
    return steps


def format_path(G: nx.MultiDiGraph, steps: list[Step]) -> str:
    """婺城区 —partner→ 道孚县 ←involves— 《…》: arrows in the direction of the relation."""
    if not steps:
        return ""
    parts = [label(G, steps[0].source)]
    for s in steps:
        arrow = f" —{s.relation}→ " if s.forward else f" ←{s.relation}— "
        parts.append(arrow + label(G, s.target))
    return "".join(parts)


__all__ = [
    "EntityNameError", "NoPathError", "Ranked", "Step", "components", "entity_counts", "find_node",
    "format_path", "partnership_communities", "relation_counts", "shortest_path",
    "simple_undirected", "top_regions",
]
