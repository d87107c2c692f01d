"""The gazetteer: every place an article can name, with codes, parents and coordinates.

Administrative divisions come from the table cpca ships (``cpca/resources/adcodes.csv``:
GB/T 2260 codes with longitude and latitude), corrected by
``data/gazetteer/divisions-updates.csv`` for renames made after that table was cut.
Groupings and national zones come from ``data/regions.ttl``. Short forms (婺城 for
婺城区, 甘孜 for 甘孜藏族自治州, 广西 for 广西壮族自治区) are derived here by
stripping the administrative suffix and ethnic names, so no list of short names is kept.

The gazetteer only knows names; deciding which place a name means in an article is
the region extractor's job (:mod:`kg.extract.regions`).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import distribution

import ahocorasick_rs
from rdflib import Graph, Namespace
from rdflib.namespace import RDF, RDFS, SKOS

from kg.resources import read_text

RKG = Namespace("https://w3id.org/regionkg/ontology#")
REGION_NS = "https://w3id.org/regionkg/id/region/"

MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
# Codes of table rows that are bookkeeping, not places: 市辖区, 县, 省直辖县级行政区划.
_PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

# Suffixes stripped to derive a short form, longest first.
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "特区", "新区",
             "省", "市", "州", "县", "区", "盟", "旗")

# Region kinds in the vocabulary of the gold files.
PROVINCE, MUNICIPALITY, PREFECTURE, COUNTY, DISTRICT = (
    "province", "municipality", "prefecture", "county", "district")
ZONE, MACRO, OTHER = "zone", "macro-region", "other"
LEVEL = {PROVINCE: 0, MUNICIPALITY: 0, MACRO: 0, PREFECTURE: 1, ZONE: 2, COUNTY: 2,
         DISTRICT: 2, OTHER: 3}


@dataclass(frozen=True, slots=True)
class Place:
    """One place the gazetteer knows. ``key`` is its adcode or a local name from regions.ttl."""

    key: str
    name: str
    kind: str
    code: str | None = None
    parent: str | None = None
    lon: float | None = None
    lat: float | None = None
    members: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    @property
    def iri(self) -> str:
        return REGION_NS + self.key

    @property
    def province(self) -> str | None:
        return f"{self.code[:2]}0000" if self.code else None


@dataclass
class Gazetteer:
    places: dict[str, Place]
    full: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    short: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    abbreviations: dict[str, str] = field(default_factory=dict)
    strong_abbreviations: frozenset[str] = frozenset()
    common_words: frozenset[str] = frozenset()
    #: Every name and short form, in one Aho-Corasick automaton (see :meth:`find`).
    automaton: ahocorasick_rs.AhoCorasick | None = None
    #: The automaton's patterns, by the index it reports.
    names: tuple[str, ...] = ()
    #: A run of one-character abbreviations (川渝, 沪苏浙皖).
    abbreviation_run: re.Pattern[str] | None = None

    #: For every name :meth:`find` reports: (keys of the full name or label, True), else
    #: (keys of the short form, False). The region extractor looks up every name found.
    keys_by_name: dict[str, tuple[tuple[str, ...], bool]] = field(default_factory=dict)
    #: Answers of :meth:`lineage`, which the extractors ask for the same few hundred
    #: places in every article (the gazetteer never changes once loaded).
    _lineages: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False,
                                                 compare=False)

    def lineage(self, key: str) -> tuple[str, ...]:
        """Parent chain of ``key``, nearest first; computed once per key."""
        chain = self._lineages.get(key)
        if chain is None:
            found: list[str] = []
            place = self.places.get(key)
            while place is not None and place.parent and place.parent not in found:
                found.append(place.parent)
                place = self.places.get(place.parent)
            chain = self._lineages[key] = tuple(found)
        return chain

    def by_name(self, name: str) -> Place | None:
        """The one place with this exact full name or label, if unambiguous."""
        keys = self.full.get(name, [])
        return self.places[keys[0]] if len(keys) == 1 else None

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, surface) for every gazetteer name occurring in ``text``, overlapping
        ones included, by end and then start (longer names first).

        ahocorasick-rs rather than pyahocorasick: pyahocorasick looks a character up
        among a node's children one after the other, and the root has a child for each
        first character of a name (over 900), so it took five times as long here, a
        tenth of the extraction. Offsets are in characters, like Python's.
        """
        assert self.automaton is not None
        names = self.names
        found = [(start, end, names[i]) for i, start, end
                 in self.automaton.find_matches_as_indexes(text, overlapping=True)]
        found.sort(key=_end_then_start)
        return found


def short_form(name: str, ethnic: tuple[str, ...]) -> str | None:
    """婺城区 → 婺城, 甘孜藏族自治州 → 甘孜, 广西壮族自治区 → 广西; None if too short."""
    base = name
    for suffix in _SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            base = base[: -len(suffix)]
            break
    # strip trailing ethnic names (苗族侗族 …), longest names first
    changed = True
    while changed:
        changed = False
        for nation in ethnic:
            if base.endswith(nation) and len(base) - len(nation) >= 2:
                base = base[: -len(nation)]
                changed = True
    if base == name or len(base) < 2:
        return None
    return base


def _kind_of(code: str, name: str) -> str:
    if code.endswith("0000"):
        return MUNICIPALITY if code in MUNICIPALITIES else PROVINCE
    if code.endswith("00"):
        return PREFECTURE
    if name.endswith("区") and not name.endswith(("林区", "特区", "矿区")):
        return DISTRICT
    return COUNTY


def _coord(text: str) -> float | None:
    return float(text) if text else None


def _read_cpca() -> list[tuple[str, str, float | None, float | None]]:
    text = distribution("cpca").locate_file("cpca/resources/adcodes.csv").read_text(
        encoding="utf-8")
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        rows.append((row["adcode"][:6], row["name"], _coord(row["longitude"]),
                     _coord(row["latitude"])))
    return rows


def _ethnic_names() -> tuple[str, ...]:
    text = distribution("cpca").locate_file("cpca/resources/56_nations.csv").read_text(
        encoding="utf-8")
    names = {line.strip() for line in text.splitlines() if line.strip()}
    names |= {n[:-1] for n in names if n.endswith("族") and len(n) > 2}  # 蒙古族 → 蒙古
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def _data_csv(name: str) -> list[dict[str, str]]:
    lines = [ln for ln in read_text("data", "gazetteer", name).splitlines()
             if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines))


def _admin_places() -> dict[str, Place]:
    rows = {code: (name, lon, lat) for code, name, lon, lat in _read_cpca()}
    for upd in _data_csv("divisions-updates.csv"):
        old = rows.pop(upd["old_code"], None)
        if upd["action"] == "rename" and old is not None:
            rows[upd["code"]] = (upd["name"], old[1], old[2])
    places: dict[str, Place] = {}
    for code, (name, lon, lat) in rows.items():
        if name in _PLACEHOLDER_NAMES:
            continue
        places[code] = Place(code, name, _kind_of(code, name), code, None, lon, lat)
    for code, place in list(places.items()):
        parent = None
        if not code.endswith("0000"):
            pref = code[:4] + "00"
            parent = pref if (pref != code and pref in places) else code[:2] + "0000"
            if parent not in places:
                parent = None
        places[code] = Place(code, place.name, place.kind, code, parent, place.lon, place.lat)
    return places


def _grouping_places(places: dict[str, Place]) -> dict[str, Place]:
    g = Graph()
    g.parse(data=read_text("data", "regions.ttl"), format="turtle")
    out: dict[str, Place] = {}
    for node in sorted(set(g.subjects(RDF.type, None))):
        key = str(node).removeprefix(REGION_NS)
        kind = MACRO if (node, RDF.type, RKG.MacroRegion) in g else ZONE
        label = str(g.value(node, RDFS.label))
        aliases = tuple(sorted(str(a) for a in g.objects(node, SKOS.altLabel)))
        members = tuple(sorted(str(m).removeprefix(REGION_NS)
                               for m in g.objects(node, RKG.hasMember)))
        parent_node = g.value(node, RKG.partOf)
        parent = str(parent_node).removeprefix(REGION_NS) if parent_node else None
        lon = lat = None
        if parent and parent in places:
            lon, lat = places[parent].lon, places[parent].lat
        out[key] = Place(key, label, kind, None, parent, lon, lat, members, aliases)
    return out


@cache
def load() -> Gazetteer:
    """Build the gazetteer once per process (about 4,000 places)."""
    places = _admin_places()
    places.update(_grouping_places(places))
    ethnic = _ethnic_names()
    gaz = Gazetteer(places)
    for key in sorted(places):
        place = places[key]
        gaz.full[place.name].append(key)
        for alias in place.aliases:
            gaz.full[alias].append(key)
        if place.code:
            short = short_form(place.name, ethnic)
            if short and short not in places:
                gaz.short[short].append(key)
    for row in _data_csv("province-abbreviations.csv"):
        gaz.abbreviations[row["abbr"]] = row["code"]
    gaz.abbreviation_run = re.compile(
        "[" + re.escape("".join(sorted(a for a in gaz.abbreviations if len(a) == 1))) + "]+")
    gaz.strong_abbreviations = frozenset(
        row["abbr"] for row in _data_csv("province-abbreviations.csv") if row["strong"] == "1")
    gaz.common_words = frozenset(
        ln.strip() for ln in read_text("data", "gazetteer", "common-words.txt").splitlines()
        if ln.strip() and not ln.startswith("#"))
    gaz.names = tuple(sorted(set(gaz.full) | set(gaz.short)))
    for name in gaz.names:
        full = gaz.full.get(name)
        gaz.keys_by_name[name] = (
            (tuple(full), True) if full else (tuple(gaz.short.get(name, ())), False))
    gaz.automaton = ahocorasick_rs.AhoCorasick(gaz.names)
    return gaz


def _end_then_start(match: tuple[int, int, str]) -> tuple[int, int]:
    return match[1], match[0]


