"""The shapes' checks for graphs too big for pySHACL: validation at scale.

Why: pySHACL evaluates constraints focus node by focus node in rdflib; measured here it
takes about a minute for 20,000 triples, so a corpus graph of millions of triples cannot
be validated with it, and even as whole-graph SPARQL on Oxigraph the shapes took about
two minutes for a 20,000-article corpus (4.2 million triples). So the checks are read
from ``ontology/shapes.ttl`` itself and run where they are cheapest:

* cardinalities — ``sh:minCount`` / ``sh:maxCount`` of every property shape with an IRI
  path on the shape's target classes, and ``sh:qualifiedMinCount`` /
  ``sh:qualifiedMaxCount`` with ``sh:languageIn`` (one ``rdfs:label@zh`` per entity) —
  are what merging per-file graphs can break (two files giving one node two values of a
  functional property). A subject's triples are contiguous in the sorted merged
  N-Triples, so :class:`SubjectChecks` checks them one subject at a time during the
  merge, in the memory of one subject;
* every SHACL-SPARQL constraint (``sh:sparql``: a span's IRI and text match its
  article, evidence lies in a source article, a helper is a partner) relates a node only
  to triples built from the same article, and a union of graphs keeps such a constraint
  true. So :func:`constraint_checks` run on each input file's own small graph, in the
  worker that builds it, and the result is cached with it.

:func:`run_checks` runs all of them as SPARQL on any Oxigraph store. Datatypes, patterns
and value classes are not re-checked: they are fixed by the code that builds every
per-file graph, which the seed build validates with full SHACL.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import SH

from kg.rdf.merge import RDF_TYPE, object_text
from kg.rdf.validate import shapes

MAX_ROWS = 20


@dataclass(frozen=True)
class Check:
    name: str
    query: str  # SELECT ?this ?n, one row per violating node


@dataclass(frozen=True)
class CountRule:
    """One cardinality bound of a property shape."""

    name: str
    targets: tuple[str, ...]  # class IRIs
    path: str  # property IRI
    langs: tuple[str, ...]  # only values in these languages count (sh:languageIn)
    kind: str  # "min" or "max"
    bound: int

    def sparql(self) -> str:
        typed = f"VALUES ?cls {{ {' '.join(f'<{c}>' for c in self.targets)} }} ?this a ?cls ."
        filt = (f"FILTER (LANG(?o) IN ({', '.join(repr(x) for x in self.langs)}))"
                if self.langs else "")
        if self.kind == "max":
            return (f"SELECT ?this (COUNT(DISTINCT ?o) AS ?n) WHERE {{ {typed} "
                    f"?this <{self.path}> ?o . {filt} }} GROUP BY ?this "
                    f"HAVING (COUNT(DISTINCT ?o) > {self.bound})")
        return (f"SELECT DISTINCT ?this (0 AS ?n) WHERE {{ {typed} "
                f"FILTER NOT EXISTS {{ ?this <{self.path}> ?o . {filt} }} }}")


def _prefixes(g: Graph, node) -> str:
    lines = []
    for decl in g.objects(node, SH.declare):
        prefix, namespace = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
        if prefix is not None and namespace is not None:
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(lines)) + "\n"


def _targets(g: Graph, shape) -> tuple[str, ...]:
    return tuple(str(c) for c in sorted(g.objects(shape, SH.targetClass)))


def count_rules(g: Graph | None = None) -> list[CountRule]:
    """The cardinality bounds of the shapes graph (``ontology/shapes.ttl`` by default)."""
    g = g if g is not None else shapes()
    names = g.namespace_manager
    rules: list[CountRule] = []
    for shape in sorted(set(g.subjects(SH.targetClass, None))):
        for prop in sorted(g.objects(shape, SH.property)):
            path = g.value(prop, SH.path)
            if not isinstance(path, URIRef):
                continue
            langs: tuple[str, ...] = ()
            qshape = g.value(prop, SH.qualifiedValueShape)
            if qshape is not None and g.value(qshape, SH.languageIn) is not None:
                langs = tuple(str(x) for x in g.items(g.value(qshape, SH.languageIn)))
            bounds = [("min", g.value(prop, SH.minCount)), ("max", g.value(prop, SH.maxCount))]
            if langs:
                bounds += [("min", g.value(prop, SH.qualifiedMinCount)),
                           ("max", g.value(prop, SH.qualifiedMaxCount))]
            for kind, bound in bounds:
                if bound is None or (kind == "min" and int(bound) == 0):
                    continue
                name = (f"{names.normalizeUri(shape)} {names.normalizeUri(path)} "
                        f"{kind}Count {int(bound)}" + (" @" + ",".join(langs) if langs else ""))
                rules.append(CountRule(name, _targets(g, shape), str(path), langs, kind,
                                       int(bound)))
    return rules


def constraint_checks(g: Graph | None = None) -> list[Check]:
    """Every SHACL-SPARQL constraint, its SELECT as a sub-query over the typed instances."""
    g = g if g is not None else shapes()
    checks: list[Check] = []
    for shape in sorted(set(g.subjects(SH.targetClass, None))):
        values = " ".join(f"<{c}>" for c in _targets(g, shape))
        for constraint in sorted(g.objects(shape, SH.sparql)):
            select = g.value(constraint, SH.select)
            if select is None:
                continue
            body = str(select).replace("$this", "?this")
            prefixes = "".join(_prefixes(g, p) for p in g.objects(constraint, SH.prefixes))
            q = (f"{prefixes}SELECT DISTINCT ?this (1 AS ?n) WHERE {{ "
                 f"VALUES ?cls {{ {values} }} ?this a ?cls . {{ {body} }} }}")
            message = g.value(constraint, SH.message)
            checks.append(Check(f"{g.namespace_manager.normalizeUri(shape)} sparql: "
                                f"{str(message)[:60] if message else ''}", q))
    return checks


@cache
def _default_constraints() -> tuple[Check, ...]:
    return tuple(constraint_checks())


def shape_checks(g: Graph | None = None) -> list[Check]:
    """All the checks as SPARQL: the cardinalities, then the constraints."""
    rules = count_rules(g)
    return [Check(r.name, r.sparql()) for r in rules] + constraint_checks(g)


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


def file_violations(ntriples: str) -> list[str]:
    """The SHACL-SPARQL constraints on one input file's graph (see the module doc)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(ntriples.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return list(run_checks(store, list(_default_constraints())))


def _language(obj: str) -> str | None:
    """The language tag of an N-Triples object (lower case), or None."""
    if not obj.startswith('"'):
        return None
    end = obj.rfind('"')
    return obj[end + 2:].lower() if obj.startswith("@", end + 1) else None


def _in_languages(obj: str, langs: tuple[str, ...]) -> bool:
    """sh:languageIn: the tag is one of ``langs`` or a sub-tag of one (zh-CN for zh)."""
    lang = _language(obj)
    return lang is not None and any(lang == x or lang.startswith(x + "-") for x in langs)


class SubjectChecks:
    """The cardinality rules, checked on the sorted merged lines one subject at a time.

    It sees every line of the merged graph, so the per-line work is kept to one split
    and one dictionary update; the rules of a class are found from the whole rest of an
    ``rdf:type`` line (``"<class> .\\n"``), without parsing it."""

    def __init__(self, rules: list[CountRule] | None = None) -> None:
        self.rules = rules if rules is not None else count_rules()
        self.paths = [f"<{rule.path}>" for rule in self.rules]
        by_type: dict[str, list[int]] = defaultdict(list)
        for i, rule in enumerate(self.rules):
            for cls in rule.targets:
                by_type[f"<{cls}> .\n"].append(i)
        self.by_type = {k: tuple(v) for k, v in by_type.items()}
        self.lang_paths = {f"<{rule.path}>" for rule in self.rules if rule.langs}
        self.found: Counter[str] = Counter()
        self.violations: list[str] = []

    def subject(self, lines: list[str]) -> None:
        """Check one subject's unique lines (all of them, as in the merged graph)."""
        rules: dict[int, None] = {}
        counts: dict[str, int] = {}
        objects: dict[str, list[str]] = {}  # of the paths whose rules count languages
        by_type, lang_paths = self.by_type, self.lang_paths
        for line in lines:
            _, p, rest = line.split(" ", 2)
            counts[p] = counts.get(p, 0) + 1
            if p == RDF_TYPE:
                if rest in by_type:
                    rules.update(dict.fromkeys(by_type[rest]))
            elif p in lang_paths:
                objects.setdefault(p, []).append(object_text(rest))
        if not rules:
            return
        subject = lines[0].split(" ", 1)[0][1:-1]
        for i in rules:
            rule, path = self.rules[i], self.paths[i]
            n = counts.get(path, 0)
            if rule.langs and n:
                n = sum(1 for o in objects.get(path, ()) if _in_languages(o, rule.langs))
            if (n < rule.bound) if rule.kind == "min" else (n > rule.bound):
                self.found[rule.name] += 1
                if self.found[rule.name] <= MAX_ROWS:
                    self.violations.append(f"{subject} {rule.name} (found {n})")
                elif self.found[rule.name] == MAX_ROWS + 1:
                    self.violations.append(f"{rule.name}: more violations not shown")


__all__ = ["Check", "CountRule", "SubjectChecks", "constraint_checks", "count_rules",
           "file_violations", "run_checks", "shape_checks"]
