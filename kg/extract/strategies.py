"""Strategies: the SKOS vocabulary in data/strategies.ttl, plus two patterns.

Named national strategies are a closed, slowly growing set, so a vocabulary with
their printed variants does most of the work. Two patterns catch what it lacks:
a grouping followed by 协同发展/一体化发展/高质量发展 (a regional strategy of that
grouping), and a name ending in 战略 after a verb of implementing (实施…战略).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import ahocorasick_rs
from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from kg.extract.doc import Doc
from kg.gazetteer import MACRO, RKG
from kg.gazetteer import load as load_gazetteer
from kg.model import Mention, Strategy
from kg.resources import read_text

REGION_NS = "https://w3id.org/regionkg/id/region/"


@dataclass(frozen=True, slots=True)
class Concept:
    iri: str
    label: str
    alt_labels: tuple[str, ...]
    covers: tuple[str, ...]  # region labels


@dataclass(frozen=True)
class Vocabulary:
    concepts: dict[str, Concept]  # by label
    by_name: dict[str, str]  # any printed form → label
    names: tuple[str, ...]  # the printed forms, by the automaton's pattern index
    automaton: ahocorasick_rs.AhoCorasick

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of every printed form in ``text``, overlapping ones too."""
        names = self.names
        return [(start, end, names[i]) for i, start, end
                in self.automaton.find_matches_as_indexes(text, overlapping=True)]


@cache
def vocabulary() -> Vocabulary:
    """Load data/strategies.ttl once per process."""
    g = Graph()
    g.parse(data=read_text("data", "strategies.ttl"), format="turtle")
    gaz = load_gazetteer()
    concepts: dict[str, Concept] = {}
    by_name: dict[str, str] = {}
    for node in sorted(g.subjects(SKOS.prefLabel, None)):
        labels = [lit for lit in g.objects(node, SKOS.prefLabel) if lit.language == "zh"]
        if not labels or (node, RDF.type, RKG.Strategy) not in g:
            continue
        label = str(labels[0])
        alts = tuple(sorted(str(a) for a in g.objects(node, SKOS.altLabel)))
        covers = []
        for region in sorted(g.objects(node, RKG.covers)):
            key = str(region).removeprefix(REGION_NS)
            if key in gaz.places:
                covers.append(gaz.places[key].name)
        concepts[label] = Concept(str(node), label, alts, tuple(covers))
        for name in (label, *alts):
            by_name[name] = label
    names = tuple(sorted(by_name))
    return Vocabulary(concepts, by_name, names, ahocorasick_rs.AhoCorasick(names))


# 三亚经济圈高质量发展, 京津冀协同发展: a grouping's own development strategy.
_GROUPING_STRATEGY = ("协同发展", "一体化发展", "高质量发展", "一体化", "协同开放")
# 实施…战略: a name of 2–12 characters after a verb of implementing, ending in 战略.
_NAMED_STRATEGY = re.compile(
    r"(?:实施|推进|落实|贯彻|深入实施|推动|服务|融入|对接|(?<=战略)(?:、|和|及|以及))"
    r"(?P<name>[\u4e00-\u9fff“”]{3,12}?战略)(?![\u4e00-\u9fff]{0,1}(?:机遇|定位|要求|内涵|意义|地位|支点|布局|性|部署))"
)
# A vocabulary name followed by these is a phrase about the strategy, not the strategy.
_NOT_AFTER = ("成果",)


def extract_strategies(doc: Doc) -> list[Strategy]:
    vocab = vocabulary()
    text = doc.text
    found: dict[str, Strategy] = {}

    def add(label: str, surface: str, start: int, end: int, covers=()) -> None:
        strategy = found.get(label)
        if strategy is None:
            strategy = found[label] = Strategy(label=label, covers=list(covers))
        if surface != label and surface not in strategy.alt_labels:
            strategy.alt_labels.append(surface)
        strategy.mentions.append(Mention(surface, start, end, doc.sents.at(start)))

    taken = _longest(vocab.find(text))
    for start, end, name in taken:
        if text.startswith(_NOT_AFTER, end):
            continue
        concept = vocab.concepts[vocab.by_name[name]]
        add(concept.label, name, start, end, concept.covers)

    occupied = [(s, e) for s, e, _ in taken]
    for region in doc.ex.regions:
        if region.kind != MACRO:
            continue
        for m in region.mentions:
            for suffix in _GROUPING_STRATEGY:
                if text.startswith(suffix, m.end) and not _overlaps(occupied, m.start, m.end):
                    end = m.end + len(suffix)
                    add(text[m.start : end], text[m.start : end], m.start, end, [region.label])
                    break
    for m in _NAMED_STRATEGY.finditer(text) if "战略" in text else ():
        start, end = m.span("name")
        name = m.group("name").strip("“”")
        if not _overlaps(occupied, start, end) and name not in found:
            add(name, m.group("name"), start, end)
    return list(found.values())


def _longest(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    taken: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if not _overlaps([(s, e) for s, e, _ in taken], span[0], span[1]):
            taken.append(span)
    return sorted(taken)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


__all__ = ["extract_strategies", "vocabulary"]
