"""``kg viz``, ``kg stats``, ``kg path`` and ``kg export-graph``: the network view of the graph.

Thin wrappers over :mod:`kg.graph`; registered on the main group by kg/cli.py.
Each command reads a built graph (``--graph``, default out/regionkg.ttl), so the
expensive extraction is never repeated to look at the result.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

DEFAULT_GRAPH = "out/regionkg.ttl"
#: kg.graph.viz.DEFAULT_MAX_NODES (tests/test_viz.py keeps them equal), written out here so
#: that `kg --help` does not import NetworkX and NumPy.
PAGE_MAX_NODES = 3000

graph_option = click.option(
    "--graph", "graph_file", default=DEFAULT_GRAPH, show_default=True,
    type=click.Path(dir_okay=False),
    help="The built graph (Turtle, N-Triples or JSON-LD, from `kg build`).")


def _projection(graph_file: str):
    from kg.graph.project import load_rdf, project

    try:
        return project(load_rdf(graph_file))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


def _split_types(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [t.strip() for t in value.split(",") if t.strip()]


@click.command()
@graph_option
@click.option("-o", "--out", "out_file", type=click.Path(dir_okay=False),
              help="HTML file to write [default: the graph's name with .html].")
@click.option("--layout", default="force", show_default=True, type=click.Choice(["force", "geo"]),
              help="Initial layout (the page can switch).")
@click.option("--focus", help="Show only the neighbourhood of this entity (name, code or IRI).")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 10),
              help="How many relations away from --focus to show.")
@click.option("--types", help="Comma-separated types to show: Region,Strategy,Program,"
                              "Measure,Indicator.")
@click.option("--max-nodes", default=PAGE_MAX_NODES, show_default=True,
              type=click.IntRange(1, None),
              help="Above this many nodes the page shows the most connected ones.")
def viz(graph_file: str, out_file: str | None, layout: str, focus: str | None, depth: int,
        types: str | None, max_nodes: int) -> None:
    """Write the interactive page: one self-contained HTML file that works offline."""
    from kg.graph.viz import write_page

    G = _projection(graph_file)
    target = Path(out_file) if out_file else Path(graph_file).with_suffix(".html")
    try:
        write_page(G, target, layout=layout, focus=focus, depth=depth,
                   types=_split_types(types), max_nodes=max_nodes)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {target}")


@click.command()
@graph_option
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, None),
              help="How many regions to rank.")
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "json"]))
def stats(graph_file: str, top: int, fmt: str) -> None:
    """Entity counts, most connected regions, partnership communities, components."""
    from kg.graph import analyse

    G = _projection(graph_file)
    entities = analyse.entity_counts(G)
    relations = analyse.relation_counts(G)
    by_degree, by_between = analyse.top_regions(G, top)
    communities = analyse.partnership_communities(G)
    comps = analyse.components(G)
    name = lambda n: analyse.label(G, n)  # noqa: E731
    if fmt == "json":
        click.echo(json.dumps({
            "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
            "entities": entities, "relations": relations,
            "regions_by_degree": [{"label": r.label, "iri": r.node, "degree": r.degree}
                                  for r in by_degree],
            "regions_by_betweenness": [{"label": r.label, "iri": r.node,
                                        "betweenness": r.betweenness} for r in by_between],
            "partnership_communities": [[name(n) for n in c] for c in communities],
            "components": {"count": len(comps), "sizes": [len(c) for c in comps]},
        }, ensure_ascii=False, indent=1))
        return
    click.echo(f"nodes: {G.number_of_nodes()}  edges: {G.number_of_edges()}")
    click.echo("entities: " + ", ".join(f"{k} {v}" for k, v in entities.items()))
    click.echo("relations: " + ", ".join(f"{k} {v}" for k, v in relations.items()))
    click.echo(f"\nmost connected regions (degree, top {top}):")
    for i, r in enumerate(by_degree, 1):
        click.echo(f"  {i:>2}. {r.label}  {r.degree}")
    click.echo(f"\nbridging regions (betweenness, top {top}):")
    for i, r in enumerate(by_between, 1):
        click.echo(f"  {i:>2}. {r.label}  {r.betweenness:.4f}")
    click.echo(f"\npartnership communities (Louvain): {len(communities)}")
    for i, c in enumerate(communities, 1):
        click.echo(f"  {i:>2}. " + "、".join(name(n) for n in c))
    sizes = [len(c) for c in comps]
    lone = sizes.count(1)
    click.echo(f"\nconnected components: {len(comps)} (largest {sizes[0] if sizes else 0},"
               f" {lone} isolated)")
    for i, c in enumerate(comps[:5], 1):
        if len(c) < 2:
            break
        hubs = sorted(c, key=lambda n: (-G.degree(n), name(n), n))
        sample = "、".join(name(n) for n in hubs[:6])
        click.echo(f"  {i:>2}. {len(c)} nodes: {sample}{' …' if len(c) > 6 else ''}")


@click.command()
@click.argument("source")
@click.argument("target")
@graph_option
def path(source: str, target: str, graph_file: str) -> None:
    """The shortest chain of relations between two named entities (e.g. 婺城区 乡村振兴)."""
    from kg.graph import analyse

    G = _projection(graph_file)
    try:
        a, b = analyse.find_node(G, source), analyse.find_node(G, target)
        steps = analyse.shortest_path(G, a, b)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    if not steps:
        click.echo(f"{analyse.label(G, a)} (the same entity)")
        return
    click.echo(analyse.format_path(G, steps))
    click.echo(f"{len(steps)} relation{'s' if len(steps) != 1 else ''}")


@click.command(name="export-graph")
@graph_option
@click.option("-o", "--out", "out_file", required=True, type=click.Path(dir_okay=False),
              help="File to write: .graphml or .gexf.")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf"]),
              help="Format [default: from the file extension].")
def export_graph(graph_file: str, out_file: str, fmt: str | None) -> None:
    """Write the network as GraphML or GEXF for Gephi, Cytoscape or yEd."""
    from kg.graph.export import export

    G = _projection(graph_file)
    try:
        written = export(G, out_file, fmt)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {out_file} ({written}: {G.number_of_nodes()} nodes,"
               f" {G.number_of_edges()} edges)")


def register(group: click.Group) -> None:
    """Add the graph commands to the ``kg`` group."""
    for command in (viz, stats, path, export_graph):
        group.add_command(command)


__all__ = ["register"]
