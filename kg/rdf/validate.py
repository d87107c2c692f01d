"""SHACL validation of a built graph against ontology/shapes.ttl (pySHACL).

Classes are materialised in the data, so no inference is run: the shapes check
exactly the triples other tools will import.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import Graph
from rdflib.namespace import SH

from kg.rdf.ns import bind
from kg.resources import read_text

_NAMES = bind(Graph()).namespace_manager


@cache
def shapes() -> Graph:
    g = Graph()
    g.parse(data=read_text("ontology", "shapes.ttl"), format="turtle")
    return g


@dataclass
class Violation:
    focus: str
    path: str
    message: str
    value: str | None

    def __str__(self) -> str:
        value = f" (value {self.value})" if self.value else ""
        return f"{self.focus} {self.path}: {self.message}{value}"


@dataclass
class Report:
    conforms: bool
    violations: list[Violation]


def validate(graph: Graph) -> Report:
    import pyshacl  # imported only when used: 0.1 s, which corpus builds never need

    conforms, results, _ = pyshacl.validate(graph, shacl_graph=shapes(), inference="none",
                                            allow_warnings=True)
    violations = []
    for result in sorted(results.subjects(SH.focusNode, None)):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        violations.append(Violation(
            str(focus), _NAMES.normalizeUri(path) if path else "",
            str(message or "violation"), str(value) if value is not None else None))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return Report(bool(conforms), violations)
