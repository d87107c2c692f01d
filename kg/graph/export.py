"""GraphML and GEXF files for desktop tools (Gephi, Cytoscape, yEd).

Both formats only hold scalar attributes, so lists are flattened: alternative
labels and parents joined with " | ", evidence written as "quote 〔title〕" lines
plus a count. Missing values are left out rather than written as empty strings
of the wrong type. GEXF gets a colour and size per node so Gephi shows the
classes at once; networkx's GEXF writer stamps today's date, which is removed so
the same graph always gives the same file.
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx

from kg.graph.style import class_of, colour_of
from kg.rdf.export import write_atomic

FORMATS = {".graphml": "graphml", ".gexf": "gexf"}
SEPARATOR = " | "


def _scalar(value):
    """A value GraphML/GEXF can store, or None to leave the attribute out."""
    if value is None:
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = [_evidence_line(v) if hasattr(v, "quote") else str(v) for v in value]
        return ("\n" if any(hasattr(v, "quote") for v in value) else SEPARATOR).join(items)
    return str(value)


def _evidence_line(ev) -> str:
    return f"{ev.quote} 〔{ev.title}〕" if ev.title else ev.quote


def flat_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the projection whose attributes are all strings, numbers or booleans."""
    out = nx.MultiDiGraph()
    for node, d in G.nodes(data=True):
        attrs = {k: _scalar(v) for k, v in d.items()}
        attrs["evidence_count"] = len(d.get("evidence") or ())
        attrs["class"] = class_of(d)
        out.add_node(node, **{k: v for k, v in attrs.items() if v is not None})
    for u, v, key, d in G.edges(keys=True, data=True):
        attrs = {k: _scalar(val) for k, val in d.items()}
        attrs["evidence_count"] = len(d.get("evidence") or ())
        attrs["label"] = d.get("kind") or d.get("relation", "")
        out.add_edge(u, v, key=key, **{k: val for k, val in attrs.items() if val is not None})
    return out


def graphml_text(G: nx.MultiDiGraph) -> str:
    return "\n".join(nx.generate_graphml(flat_graph(G), encoding="utf-8")) + "\n"


def gexf_text(G: nx.MultiDiGraph) -> str:
    flat = flat_graph(G)
    for node, d in flat.nodes(data=True):
        r, g, b = (int(colour_of(class_of(G.nodes[node]))[i:i + 2], 16) for i in (1, 3, 5))
        d["viz"] = {"color": {"r": r, "g": g, "b": b, "a": 1.0},
                    "size": 4.0 + min(flat.degree(node), 40) / 2}
    text = "\n".join(nx.generate_gexf(flat, encoding="utf-8")) + "\n"
    return re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)


def export(G: nx.MultiDiGraph, path: str | Path, fmt: str | None = None) -> str:
    """Write ``G`` to ``path`` as GraphML or GEXF (from the extension unless ``fmt``).

    Returns the format written; raises ValueError for an unknown extension.
    """
    path = Path(path)
    fmt = fmt or FORMATS.get(path.suffix.lower())
    if fmt not in ("graphml", "gexf"):
        raise ValueError(f"{path}: unknown graph format (use a .graphml or .gexf file name,"
                         " or --format)")
    text = graphml_text(G) if fmt == "graphml" else gexf_text(G)
    write_atomic(path, text)
    return fmt


__all__ = ["FORMATS", "export", "flat_graph", "gexf_text", "graphml_text"]
