"""The shapes' checks as whole-graph SPARQL on an Oxigraph store: validation at scale.

Why: pySHACL evaluates constraints focus node by focus node in rdflib; measured here it
takes about a minute for 20,000 triples, so a corpus graph of a million triples cannot be
validated with it. What can go wrong when per-file graphs are merged is cardinality (two
files giving one node two values of a functional property) and the cross-property rules;
those are read from ``ontology/shapes.ttl`` itself and run as one SPARQL query each over
the merged store, which Oxigraph answers in well under a second:

* ``sh:minCount`` / ``sh:maxCount`` of every property shape with an IRI path, on the
  shape's target classes;
* ``sh:qualifiedMinCount`` / ``sh:qualifiedMaxCount`` with ``sh:languageIn`` (one
  ``rdfs:label@zh`` per entity);
* every SHACL-SPARQL constraint (``sh:sparql``), with ``$this`` bound to the instances
  of the target classes.

Datatypes, patterns and value classes are not re-checked here: they are fixed by the
code that builds every per-file graph, which the seed build validates with full SHACL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from kg.rdf.validate import shapes

MAX_ROWS = 20


@dataclass(frozen=True)
class Check:
    name: str
    query: str  # SELECT ?this ?n, one row per violating node


def _prefixes(g: Graph, node) -> str:
    lines = []
    for decl in g.objects(node, SH.declare):
        prefix, namespace = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
        if prefix is not None and namespace is not None:
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(lines)) + "\n"


def shape_checks(g: Graph | None = None) -> list[Check]:
    """The checks of :mod:`this module <kg.rdf.checks>`, derived from the shapes graph."""
    g = g if g is not None else shapes()
    checks: list[Check] = []
    for shape in sorted(set(g.subjects(SH.targetClass, None))):
        targets = sorted(g.objects(shape, SH.targetClass))
        values = " ".join(f"<{c}>" for c in targets)
        typed = f"VALUES ?cls {{ {values} }} ?this a ?cls ."
        for prop in sorted(g.objects(shape, SH.property)):
            path = g.value(prop, SH.path)
            if not isinstance(path, URIRef):
                continue
            names = g.namespace_manager
            label = f"{names.normalizeUri(shape)} {names.normalizeUri(path)}"
            lang = None
            qshape = g.value(prop, SH.qualifiedValueShape)
            if qshape is not None:
                langs = g.value(qshape, SH.languageIn)
                if langs is not None:
                    lang = [str(x) for x in g.items(langs)]
            bounds = [("min", g.value(prop, SH.minCount)), ("max", g.value(prop, SH.maxCount))]
            if lang:
                bounds += [("min", g.value(prop, SH.qualifiedMinCount)),
                           ("max", g.value(prop, SH.qualifiedMaxCount))]
            filt = (f"FILTER (LANG(?o) IN ({', '.join(repr(x) for x in lang)}))"
                    if lang else "")
            for kind, bound in bounds:
                if bound is None:
                    continue
                n = int(bound)
                if kind == "max":
                    q = (f"SELECT ?this (COUNT(DISTINCT ?o) AS ?n) WHERE {{ {typed} "
                         f"?this <{path}> ?o . {filt} }} GROUP BY ?this "
                         f"HAVING (COUNT(DISTINCT ?o) > {n})")
                elif n > 0:
                    q = (f"SELECT DISTINCT ?this (0 AS ?n) WHERE {{ {typed} "
                         f"FILTER NOT EXISTS {{ ?this <{path}> ?o . {filt} }} }}")
                else:
                    continue
                checks.append(Check(f"{label} {kind}Count {n}" + (" @" + ",".join(lang)
                                                                   if lang else ""), q))
        for constraint in sorted(g.objects(shape, SH.sparql)):
            select = g.value(constraint, SH.select)
            if select is None:
                continue
            body = str(select).replace("$this", "?this")
            prefixes = "".join(_prefixes(g, p) for p in g.objects(constraint, SH.prefixes))
            # the constraint's own SELECT becomes a sub-query over the typed instances
            q = (f"{prefixes}SELECT DISTINCT ?this (1 AS ?n) WHERE {{ {typed} "
                 f"{{ {body} }} }}")
            message = g.value(constraint, SH.message)
            checks.append(Check(f"{g.namespace_manager.normalizeUri(shape)} sparql: "
                                f"{str(message)[:60] if message else ''}", q))
    return checks


def run_checks(store: Any, checks: list[Check] | None = None) -> Iterator[str]:
    """Violations, one line each (at most :data:`MAX_ROWS` per check), on a pyoxigraph store."""
    for check in checks if checks is not None else shape_checks():
        rows = 0
        for row in store.query(check.query):
            rows += 1
            if rows > MAX_ROWS:
                yield f"{check.name}: more violations not shown"
                break
            yield f"{row['this'].value} {check.name} (found {row['n'].value})"


__all__ = ["Check", "run_checks", "shape_checks"]
