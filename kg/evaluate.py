"""Score an extraction report against a hand-made gold file.

The rules are those of ``SCORING.md`` (kept next to the seed gold file): articles
are aligned by title (or by the gold ``first_words``), items are matched per type
(regions by adcode or name, strategies/programs/measures by fuzzy name,
partnerships as unordered pairs of regions, indicators by value scaled to a base
unit), each gold item is used at most once, greedily by best similarity, and
the result is precision/recall/F1 per type plus an overall micro F1.

Two gold shapes exist and are both accepted:

* the *seed* shape: one file, many articles, items flagged ``"optional": true``,
  partnerships as member lists (n members stand for all their pairs);
* the *dev* shape: one article per file, regions with ``surface``/``aliases``,
  strategies with ``canonical``/``aliases``, partnerships as ``a``/``b`` pairs and
  a file-level ``optional`` object listing defensible names per type.

:func:`load_gold` / :func:`normalise_gold` turn both into one internal shape, so
the matching code never has to know which shape it was given.

Interpretation choices where ``SCORING.md`` is silent (all deliberate):

* **Dedupe.** Within one scoring unit (a gold article with everything aligned to
  it, or one dev file), identical predictions of a type are counted once:
  regions by normalised label or equal 6-digit adcode, names by normalised
  label, partnerships by their unordered pair of (resolved) members, indicators
  by subject, scaled value, base unit, ``what`` and year. An extractor that names
  婺城区 in two split-up parts of an article has made one claim, not two.
  Gold lists are deduped the same way, so a report built from the gold scores 1.
* **Optional items.** Gold items flagged optional take part in the greedy
  one-to-one matching like any other (so an exact optional match is not credited
  to a merely similar required item). A prediction left over after that, which
  matches any optional item (flagged, or listed in the dev ``optional`` object),
  is ignored: optional items absorb any number of predictions.
* **Aliases.** A region matching only through a gold ``surface``/``alias`` (not
  the canonical name) is rejected when both sides carry different valid adcodes:
  bloc aliases such as 沪滇 sit on several regions and must not let 上海市 count as
  云南省. A canonical-name match stands even with differing codes (renamed places
  such as 平泉县 → 平泉市 keep their name match).
* **Alignment.** Several predicted articles may align to one gold article (an
  article split in two); their items are united. Ties in title similarity are
  broken by ``first_words``, then by gold order.
* **Empty ratios.** A ratio with a zero denominator is 1.0 when the type had no
  gold and no predictions at all (nothing to find, nothing claimed), else 0.0.
* Kinds, years, ``what`` and partnership direction are not scored (the rules do
  not mention them); indicator subjects only break ties between equal values.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TYPES: tuple[str, ...] = (
    "regions",
    "strategies",
    "programs",
    "measures",
    "partnerships",
    "indicators",
)
NAME_TYPES: tuple[str, ...] = ("strategies", "programs", "measures")

TITLE_THRESHOLD = 0.6
RATIO_THRESHOLD = 0.75
CONTAINMENT_THRESHOLD = 0.6
VALUE_TOLERANCE = 0.005
_EPS = 1e-9  # SequenceMatcher ratios are exact fractions; guard the ≥ boundaries anyway

# --- names -----------------------------------------------------------------------------------

_DROP = set("《》〈〉“”‘’\"'「」『』·・")
_BRACKETS = str.maketrans({"（": "(", "）": ")"})
_ADCODE = re.compile(r"\d{6}")


def normalise_name(name: Any) -> str:
    """NFKC, drop white space and quote-like marks, full-width brackets → ``()``.

    Quotes and 《》 are typography, not part of a name, so a report that keeps them
    and a gold file that drops them (or vice versa) must still agree.
    """
    if name is None:
        return ""
    s = unicodedata.normalize("NFKC", str(name)).translate(_BRACKETS)
    return "".join(ch for ch in s if ch not in _DROP and not ch.isspace())


def name_similarity(a: str, b: str) -> float:
    """Similarity of two *normalised* names if they match under the rules, else 0.

    They match when ``SequenceMatcher(None, a, b).ratio() ≥ 0.75`` or the shorter is
    contained in the longer and is at least 60 % of its length. The returned value
    (the ratio, at least a tiny positive number) orders candidates for the greedy
    assignment.
    """
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    if ratio >= RATIO_THRESHOLD - _EPS:
        return ratio
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if short in long and len(short) >= CONTAINMENT_THRESHOLD * len(long) - _EPS:
        return max(ratio, _EPS)
    return 0.0


def _valid_adcode(code: Any) -> str | None:
    """The adcode as a 6-digit string, or None (null, empty, or a malformed code)."""
    if code is None:
        return None
    s = str(code).strip()
    return s if _ADCODE.fullmatch(s) else None


# --- numbers ---------------------------------------------------------------------------------

_PREFIXES = {"万": 1e4, "亿": 1e8, "千": 1e3, "百": 1e2}
_NOT_PREFIXED = ("百分",)  # 百分点 / 百分比 are units, not "100 × 分点"
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")


def parse_value(value: Any) -> float | None:
    """A number from an int/float or a numeric string ("4400", "1.8", "4,400").

    A string with trailing text ("4400余") gives its leading number; anything else
    gives None, which matches nothing.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        return None
    s = unicodedata.normalize("NFKC", value).replace(",", "").strip()
    m = _NUMBER.match(s)
    return float(m.group()) if m else None


def split_unit(unit: Any) -> tuple[float, str]:
    """Split a unit into its scale and base unit: 万亿元 → (1e12, 元), 万人次 → (1e4, 人次).

    Prefixes stack (万亿 = 10⁴ × 10⁸); the bare prefix 万 is a valid unit with an
    empty base, as in "超过9000万".
    """
    u = normalise_name(unit)
    scale = 1.0
    while u and u[0] in _PREFIXES and not u.startswith(_NOT_PREFIXED):
        scale *= _PREFIXES[u[0]]
        u = u[1:]
    return scale, u


def scaled_value(value: Any, unit: Any) -> tuple[float, str] | None:
    """(value in base unit, base unit), or None when the value is not a number."""
    v = parse_value(value)
    if v is None:
        return None
    scale, base = split_unit(unit)
    return v * scale, base


def values_agree(a: tuple[float, str] | None, b: tuple[float, str] | None) -> bool:
    """Same base unit and values within 0.5 % of the larger one."""
    if a is None or b is None or a[1] != b[1]:
        return False
    return abs(a[0] - b[0]) <= VALUE_TOLERANCE * max(abs(a[0]), abs(b[0])) + 1e-12


def _fmt_number(v: Any) -> str:
    f = parse_value(v)
    if f is None:
        return str(v)
    return str(int(f)) if f == int(f) else f"{f:g}"


# --- matchable records -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PredRegion:
    """A predicted region: normalised label, every normalised name, adcode."""

    label: str
    names: frozenset[str]
    adcode: str | None
    display: str


@dataclass(frozen=True, slots=True)
class GoldRegion:
    """A gold region: canonical name apart from its other names (surface, aliases)."""

    canonical: str
    others: frozenset[str]
    adcode: str | None
    display: str


def region_score(p: PredRegion, g: GoldRegion) -> float:
    """How well a predicted region matches a gold one (0 = no match).

    Tiers make the greedy assignment prefer code-and-name agreement over a bare
    code, a canonical name over an alias, so shared bloc aliases (沪苏浙皖 on four
    provinces) never steal a region from its exact counterpart.
    """
    code_equal = p.adcode is not None and p.adcode == g.adcode
    code_conflict = p.adcode is not None and g.adcode is not None and p.adcode != g.adcode
    if code_equal:
        return 4.0 if g.canonical == p.label else 3.0
    if g.canonical and g.canonical == p.label:
        return 2.5
    if g.canonical and g.canonical in p.names:
        return 2.0
    if not code_conflict and g.others & p.names:
        return 1.0
    return 0.0


@dataclass(frozen=True, slots=True)
class PredName:
    """A predicted strategy, program or measure (normalised label)."""

    name: str
    display: str


@dataclass(frozen=True, slots=True)
class GoldName:
    """A gold strategy, program or measure with all its normalised names."""

    names: tuple[str, ...]
    display: str


def name_score(p: PredName, g: GoldName) -> float:
    """Best similarity of the prediction to any of the gold item's names."""
    return max((name_similarity(p.name, n) for n in g.names), default=0.0)


@dataclass(frozen=True, slots=True)
class PredPair:
    """One unordered pair of a predicted partnership, ends resolved to regions."""

    a: PredRegion
    b: PredRegion
    display: str


@dataclass(frozen=True, slots=True)
class GoldPair:
    """One unordered pair of a gold partnership, ends resolved to gold regions."""

    a: GoldRegion
    b: GoldRegion
    display: str


def pair_score(p: PredPair, g: GoldPair) -> float:
    """Both ends must match as regions, in either orientation."""
    best = 0.0
    for x, y in ((g.a, g.b), (g.b, g.a)):
        s1, s2 = region_score(p.a, x), region_score(p.b, y)
        if s1 > 0 and s2 > 0:
            best = max(best, s1 + s2)
    return best


@dataclass(frozen=True, slots=True)
class PredIndicator:
    subject: str
    value: tuple[float, str] | None
    display: str


@dataclass(frozen=True, slots=True)
class GoldIndicator:
    subjects: tuple[str, ...]
    value: tuple[float, str] | None
    display: str


def indicator_score(p: PredIndicator, g: GoldIndicator) -> float:
    """Match on scaled value and base unit; subject similarity only ranks candidates.

    When a page has several "24 项", the subject decides which gold figure a
    prediction takes, so a right subject is not pushed onto a wrong figure.
    """
    if not values_agree(p.value, g.value):
        return 0.0
    assert p.value is not None and g.value is not None
    subj = max(
        (difflib.SequenceMatcher(None, p.subject, s).ratio() for s in g.subjects if s),
        default=0.0,
    )
    denom = max(abs(p.value[0]), abs(g.value[0])) or 1.0
    closeness = 1.0 - abs(p.value[0] - g.value[0]) / denom
    return 1.0 + subj + closeness * 1e-3


SCORERS: dict[str, Callable[[Any, Any], float]] = {
    "regions": region_score,
    "strategies": name_score,
    "programs": name_score,
    "measures": name_score,
    "partnerships": pair_score,
    "indicators": indicator_score,
}


# --- gold: one internal shape ----------------------------------------------------------------


def _as_list(v: Any) -> list:
    if v is None:
        return []
    return list(v) if isinstance(v, list | tuple) else [v]


def load_gold(path: str | Path) -> dict:
    """Read a gold file of either shape and return it in the internal shape.

    The internal shape (see :func:`normalise_gold`) keeps every name of every item
    and resolves optional flags and the dev ``optional`` object per article, so
    scoring code handles one structure only.
    """
    p = Path(path)
    with p.open(encoding="utf-8") as fh:
        data = json.load(fh)
    return normalise_gold(data, file=str(p))


def normalise_gold(gold: dict, file: str | None = None) -> dict:
    """Turn a seed-shape or dev-shape gold dict into the internal shape.

    Internal shape::

        {"normalised": True, "shape": "seed"|"dev", "file", "source",
         "articles": [{"title", "first_words", "source", "date",
                       "regions": [{"canonical", "names", "adcode", "kind", "optional"}],
                       "strategies"|"programs"|"measures": [{"names", "optional", ...}],
                       "partnerships": [{"pair": [a, b], "kind", "optional"}],
                       "indicators": [{"subject", "value", "unit", "what", "year", "optional"}],
                       "optional": {type: [...]} }]}

    ``names`` lists the display forms (canonical/name first, then surface and
    aliases). Partnerships are already expanded to their unordered pairs. An
    already normalised dict is returned unchanged.
    """
    if gold.get("normalised"):
        return gold
    if "articles" in gold:
        shape = "seed"
        raw_articles = gold["articles"]
    else:
        shape = "dev"
        raw_articles = [gold]
    return {
        "normalised": True,
        "shape": shape,
        "file": file,
        "source": gold.get("source"),
        "articles": [_normalise_article(a, gold) for a in raw_articles],
    }


def _names(*groups: Any) -> list[str]:
    """Non-empty names from scalars and lists, first occurrence order, no duplicates."""
    out: list[str] = []
    seen: set[str] = set()
    for g in groups:
        for n in _as_list(g):
            if n is None or not str(n).strip():
                continue
            key = normalise_name(n)
            if key and key not in seen:
                seen.add(key)
                out.append(str(n))
    return out


def _normalise_article(a: dict, file_level: dict) -> dict:
    regions = [
        {
            "canonical": r.get("canonical") or r.get("label") or r.get("surface") or "",
            "names": _names(
                r.get("canonical") or r.get("label"), r.get("surface"), r.get("aliases")
            ),
            "adcode": _valid_adcode(r.get("adcode")),
            "kind": r.get("kind"),
            "optional": bool(r.get("optional")),
        }
        for r in a.get("regions", [])
    ]
    strategies = [
        {
            "names": _names(s.get("name"), s.get("canonical"), s.get("aliases")),
            "optional": bool(s.get("optional")),
        }
        for s in a.get("strategies", [])
    ]
    programs = [
        {
            "names": _names(p.get("name"), p.get("canonical"), p.get("aliases")),
            "kind": p.get("kind"),
            "optional": bool(p.get("optional")),
        }
        for p in a.get("programs", [])
    ]
    measures = [
        {
            "names": _names(m.get("text"), m.get("aliases")),
            "program": m.get("program"),
            "optional": bool(m.get("optional")),
        }
        for m in a.get("measures", [])
    ]
    partnerships = []
    for p in a.get("partnerships", []):
        members = p["members"] if "members" in p else [p.get("a"), p.get("b")]
        members = [m for m in members if m]
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                partnerships.append(
                    {
                        "pair": [members[i], members[j]],
                        "kind": p.get("kind"),
                        "optional": bool(p.get("optional")),
                    }
                )
    indicators = [
        {
            "subject": i.get("subject"),
            "value": i.get("value"),
            "unit": i.get("unit"),
            "what": i.get("what"),
            "year": i.get("year"),
            "optional": bool(i.get("optional")),
        }
        for i in a.get("indicators", [])
    ]
    raw_opt = a.get("optional") if isinstance(a.get("optional"), dict) else {}
    optional = {
        "regions": [str(x) for x in raw_opt.get("regions", [])],
        "strategies": [str(x) for x in raw_opt.get("strategies", [])],
        "programs": [str(x) for x in raw_opt.get("programs", [])],
        "measures": [str(x) for x in raw_opt.get("measures", [])],
        "partnerships": [list(x) for x in raw_opt.get("partnerships", []) if len(x) >= 2],
        "indicators": [
            {"value": x.get("value"), "unit": x.get("unit"), "raw": x.get("raw")}
            for x in raw_opt.get("indicators", [])
        ],
    }
    return {
        "title": a.get("title") or "",
        "first_words": a.get("first_words"),
        "source": a.get("source") or file_level.get("source"),
        "date": a.get("date"),
        "regions": regions,
        "strategies": strategies,
        "programs": programs,
        "measures": measures,
        "partnerships": partnerships,
        "indicators": indicators,
        "optional": optional,
    }


# --- building the matchable lists for one scoring unit ---------------------------------------


@dataclass(slots=True)
class _Item:
    """A matchable record with its dedupe key and (for gold) its optional flag."""

    key: Any
    rec: Any
    optional: bool = False


def _dedupe(items: Iterable[_Item]) -> list[_Item]:
    """Keep the first item per key; a duplicate's required flag wins over optional."""
    out: dict[Any, _Item] = {}
    for it in items:
        if it.key in out:
            if not it.optional:
                out[it.key].optional = False
        else:
            out[it.key] = it
    return list(out.values())


def _region_display(label: str, adcode: str | None) -> str:
    return f"{label} [{adcode}]" if adcode else label


def _pred_regions(articles: Sequence[dict]) -> list[PredRegion]:
    """Predicted regions of a unit, deduped by equal adcode or by normalised label.

    Equal labels with two different valid codes stay apart. Merged entries pool
    their alternative labels: both spellings were claimed for the same place.
    """
    groups: list[dict] = []
    by_label: dict[str, list[int]] = {}
    by_code: dict[str, int] = {}
    for art in articles:
        for r in art.get("regions") or []:
            label = normalise_name(r.get("label"))
            names = {normalise_name(n) for n in _as_list(r.get("alt_labels"))} | {label}
            names.discard("")
            code = _valid_adcode(r.get("adcode"))
            if not label and not names and code is None:
                continue
            idx = by_code.get(code) if code is not None else None
            if idx is None and label:
                # same label, but two different valid codes are two places (bloc
                # surfaces such as 沪苏浙皖 may label several records)
                same = by_label.get(label, [])
                idx = next(
                    (i for i in same if code is None or groups[i]["adcode"] in (None, code)),
                    None,
                )
            if idx is None:
                idx = len(groups)
                groups.append(
                    {"label": label, "names": set(), "adcode": code, "show": r.get("label")}
                )
            g = groups[idx]
            g["names"] |= names
            if g["adcode"] is None:
                g["adcode"] = code
            if label and idx not in by_label.setdefault(label, []):
                by_label[label].append(idx)
            if code is not None:
                by_code.setdefault(code, idx)
    return [
        PredRegion(
            g["label"],
            frozenset(g["names"]),
            g["adcode"],
            _region_display(str(g["show"] or g["label"]), g["adcode"]),
        )
        for g in groups
    ]


def _resolve_pred_member(name: Any, regions: Sequence[PredRegion]) -> PredRegion:
    """A partnership member label → the unit's predicted region carrying that name."""
    n = normalise_name(name)
    for r in regions:
        if r.label == n:
            return r
    for r in regions:
        if n in r.names:
            return r
    return PredRegion(n, frozenset({n} - {""}), None, str(name))


def _resolve_gold_member(name: Any, regions: Sequence[GoldRegion]) -> GoldRegion:
    """A gold partnership member (canonical name) → the gold region record."""
    n = normalise_name(name)
    for r in regions:
        if r.canonical == n:
            return r
    for r in regions:
        if n in r.others:
            return r
    return GoldRegion(n, frozenset(), None, str(name))


def _pair_key(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def _predictions(articles: Sequence[dict]) -> dict[str, list[_Item]]:
    """All predictions of a scoring unit per type, deduped, as matchable records."""
    out: dict[str, list[_Item]] = {}
    regions = _pred_regions(articles)
    out["regions"] = [_Item(r.label or r.adcode, r) for r in regions]
    for t in NAME_TYPES:
        items = []
        for art in articles:
            for x in art.get(t) or []:
                raw = x.get("label") if "label" in x else x.get("name", x.get("text"))
                n = normalise_name(raw)
                if n:
                    items.append(_Item(n, PredName(n, str(raw))))
        out[t] = _dedupe(items)
    pairs = []
    for art in articles:
        for p in art.get("partnerships") or []:
            members = [m for m in _as_list(p.get("members")) if normalise_name(m)]
            resolved = [_resolve_pred_member(m, regions) for m in members]
            for i in range(len(resolved)):
                for j in range(i + 1, len(resolved)):
                    a, b = resolved[i], resolved[j]
                    if a.label == b.label:
                        continue
                    shown = f"{members[i]}–{members[j]}"
                    pairs.append(_Item(_pair_key(a.label, b.label), PredPair(a, b, shown)))
    out["partnerships"] = _dedupe(pairs)
    inds = []
    for art in articles:
        for x in art.get("indicators") or []:
            sv = scaled_value(x.get("value"), x.get("unit"))
            subj = normalise_name(x.get("subject"))
            shown = f"{x.get('subject')}: {_fmt_number(x.get('value'))} {x.get('unit') or ''}"
            key = (
                subj,
                round(sv[0], 6) if sv else str(x.get("value")),
                sv[1] if sv else normalise_name(x.get("unit")),
                normalise_name(x.get("what")),
                x.get("year"),
            )
            inds.append(_Item(key, PredIndicator(subj, sv, shown.strip())))
    out["indicators"] = _dedupe(inds)
    return out


def _gold_items(art: dict) -> tuple[dict[str, list[_Item]], dict[str, list[Any]]]:
    """Gold items of one internal-shape article per type, and its optional-object records."""
    gold: dict[str, list[_Item]] = {}
    regions: list[_Item] = []
    for r in art["regions"]:
        names = [normalise_name(n) for n in r["names"]]
        canonical = normalise_name(r["canonical"])
        rec = GoldRegion(
            canonical,
            frozenset(n for n in names if n and n != canonical),
            r["adcode"],
            _region_display(r["canonical"], r["adcode"]),
        )
        regions.append(_Item(canonical or r["adcode"], rec, r["optional"]))
    regions = _merge_gold_regions(regions)
    gold["regions"] = regions
    region_recs = [it.rec for it in regions]
    for t in NAME_TYPES:
        items = []
        for x in art[t]:
            names = tuple(n for n in (normalise_name(s) for s in x["names"]) if n)
            if names:
                items.append(_Item(names[0], GoldName(names, x["names"][0]), x["optional"]))
        gold[t] = _dedupe(items)
    pairs = []
    for p in art["partnerships"]:
        a = _resolve_gold_member(p["pair"][0], region_recs)
        b = _resolve_gold_member(p["pair"][1], region_recs)
        if a.canonical == b.canonical:
            continue
        shown = f"{p['pair'][0]}–{p['pair'][1]}"
        key = _pair_key(a.canonical, b.canonical)
        pairs.append(_Item(key, GoldPair(a, b, shown), p["optional"]))
    gold["partnerships"] = _dedupe(pairs)
    inds = []
    for x in art["indicators"]:
        sv = scaled_value(x["value"], x["unit"])
        subj = normalise_name(x["subject"])
        shown = f"{x['subject']}: {_fmt_number(x['value'])} {x['unit'] or ''}".strip()
        key = (
            subj,
            round(sv[0], 6) if sv else str(x["value"]),
            sv[1] if sv else normalise_name(x["unit"]),
            normalise_name(x["what"]),
            x["year"],
        )
        inds.append(_Item(key, GoldIndicator((subj,), sv, shown), x["optional"]))
    gold["indicators"] = _dedupe(inds)

    opt = art["optional"]
    extra: dict[str, list[Any]] = {t: [] for t in TYPES}
    for s in opt["regions"]:
        n = normalise_name(s)
        if n:
            extra["regions"].append(GoldRegion(n, frozenset(), None, s))
    for t in NAME_TYPES:
        for s in opt[t]:
            n = normalise_name(s)
            if n:
                extra[t].append(GoldName((n,), s))
    for a_name, b_name, *_ in opt["partnerships"]:
        a = _resolve_gold_member(a_name, region_recs)
        b = _resolve_gold_member(b_name, region_recs)
        extra["partnerships"].append(GoldPair(a, b, f"{a_name}–{b_name}"))
    for x in opt["indicators"]:
        shown = x.get("raw") or f"{_fmt_number(x['value'])} {x['unit'] or ''}".strip()
        extra["indicators"].append(
            GoldIndicator((), scaled_value(x["value"], x["unit"]), str(shown))
        )
    return gold, extra


def _merge_gold_regions(items: list[_Item]) -> list[_Item]:
    """Dedupe gold regions by canonical name, pooling their other names."""
    out: dict[Any, _Item] = {}
    for it in items:
        if it.key in out:
            old = out[it.key]
            rec = old.rec
            old.rec = GoldRegion(
                rec.canonical, rec.others | it.rec.others, rec.adcode or it.rec.adcode, rec.display
            )
            old.optional = old.optional and it.optional
        else:
            out[it.key] = it
    return list(out.values())


# --- counting --------------------------------------------------------------------------------


def _ratio(num: int, den: int, all_zero: bool) -> float:
    if den:
        return num / den
    return 1.0 if all_zero else 0.0


@dataclass(slots=True)
class Counts:
    """True positives, false positives and false negatives of one type (or overall)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def _empty(self) -> bool:
        return self.tp == self.fp == self.fn == 0

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 1.0 when nothing was expected and nothing claimed, else 0.0."""
        return _ratio(self.tp, self.tp + self.fp, self._empty)

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 1.0 when nothing was expected and nothing claimed, else 0.0."""
        return _ratio(self.tp, self.tp + self.fn, self._empty)

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (0.0 when both are 0)."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True, slots=True)
class Record:
    """One scoring decision, kept for debugging the extractor.

    ``outcome`` is ``tp`` (prediction matched a gold item), ``fp`` (prediction
    matched nothing), ``fn`` (gold item not predicted) or ``ignored`` (prediction
    matched an optional item). ``unit`` names the article or file it belongs to.
    """

    type: str
    outcome: str
    unit: str
    predicted: str | None
    gold: str | None


@dataclass(slots=True)
class Scores:
    """Counts per type, the overall micro counts, and every decision made."""

    per_type: dict[str, Counts] = field(default_factory=lambda: {t: Counts() for t in TYPES})
    records: list[Record] = field(default_factory=list)

    @property
    def overall(self) -> Counts:
        """Micro counts: TP, FP and FN summed over all types."""
        total = Counts()
        for c in self.per_type.values():
            total = total + c
        return total

    def __add__(self, other: Scores) -> Scores:
        return Scores(
            {t: self.per_type[t] + other.per_type[t] for t in TYPES},
            self.records + other.records,
        )

    def details(self) -> dict[str, dict[str, list[tuple[str, str]]]]:
        """Misses and false positives per type: ``{type: {"fn": [(unit, gold)], "fp": [...]}}``."""
        out: dict[str, dict[str, list[tuple[str, str]]]] = {t: {"fn": [], "fp": []} for t in TYPES}
        for r in self.records:
            if r.outcome == "fn":
                out[r.type]["fn"].append((r.unit, r.gold or ""))
            elif r.outcome == "fp":
                out[r.type]["fp"].append((r.unit, r.predicted or ""))
        return out

    def as_dict(self, details: bool = False) -> dict:
        """JSON-ready figures; with ``details`` also the FN/FP lists per type."""
        d: dict[str, Any] = {
            "per_type": {t: self.per_type[t].as_dict() for t in TYPES},
            "overall": self.overall.as_dict(),
        }
        if details:
            d["details"] = {
                t: {k: [list(x) for x in v] for k, v in dd.items()}
                for t, dd in self.details().items()
            }
        return d


def _match_type(
    t: str,
    unit: str,
    preds: Sequence[_Item],
    golds: Sequence[_Item],
    extra: Sequence[Any],
    scores: Scores,
) -> None:
    """Greedy one-to-one matching of one type in one unit; updates ``scores``.

    All candidate (prediction, gold) pairs with a positive score are taken in
    order of decreasing score; each gold item and each prediction at most once.
    Left-over predictions matching an optional item are ignored, the rest are
    false; left-over required gold items are missed.
    """
    scorer = SCORERS[t]
    cands = []
    for pi, p in enumerate(preds):
        for gi, g in enumerate(golds):
            s = scorer(p.rec, g.rec)
            if s > 0:
                cands.append((-s, pi, gi))
    cands.sort()
    p_used: dict[int, int] = {}
    g_used: set[int] = set()
    for _, pi, gi in cands:
        if pi in p_used or gi in g_used:
            continue
        p_used[pi] = gi
        g_used.add(gi)
    c = scores.per_type[t]
    optional_recs = [g.rec for g in golds if g.optional] + list(extra)
    for pi, p in enumerate(preds):
        if pi in p_used:
            g = golds[p_used[pi]]
            outcome = "ignored" if g.optional else "tp"
            if not g.optional:
                c.tp += 1
            scores.records.append(Record(t, outcome, unit, p.rec.display, g.rec.display))
            continue
        hit = next((o for o in optional_recs if scorer(p.rec, o) > 0), None)
        if hit is not None:
            scores.records.append(Record(t, "ignored", unit, p.rec.display, hit.display))
        else:
            c.fp += 1
            scores.records.append(Record(t, "fp", unit, p.rec.display, None))
    for gi, g in enumerate(golds):
        if gi not in g_used and not g.optional:
            c.fn += 1
            scores.records.append(Record(t, "fn", unit, None, g.rec.display))


def _score_unit(unit: str, pred_articles: Sequence[dict], gold_article: dict | None) -> Scores:
    """Score everything predicted for one unit against one gold article (or none)."""
    scores = Scores()
    preds = _predictions(pred_articles)
    if gold_article is None:
        gold: dict[str, list[_Item]] = {t: [] for t in TYPES}
        extra: dict[str, list[Any]] = {t: [] for t in TYPES}
    else:
        gold, extra = _gold_items(gold_article)
    for t in TYPES:
        _match_type(t, unit, preds[t], gold[t], extra[t], scores)
    return scores


# --- alignment and entry points --------------------------------------------------------------


def align(pred_articles: Sequence[dict], gold_articles: Sequence[dict]) -> list[int | None]:
    """For each predicted article, the index of its gold article (or None).

    Best normalised-title similarity ≥ 0.6 wins (ties broken by ``first_words``,
    then gold order); failing that, the first gold article whose ``first_words``
    occur in the predicted text.
    """
    gold_titles = [normalise_name(g.get("title")) for g in gold_articles]
    gold_first = [normalise_name(g.get("first_words")) for g in gold_articles]
    out: list[int | None] = []
    for p in pred_articles:
        title = normalise_name(p.get("title"))
        text = normalise_name(p.get("text"))

        def has_first(gi: int, text: str = text) -> bool:
            return bool(gold_first[gi]) and gold_first[gi] in text

        ratios = [
            difflib.SequenceMatcher(None, title, gt).ratio() if title and gt else 0.0
            for gt in gold_titles
        ]
        top = max(ratios, default=0.0)
        best: list[int] = []
        if top >= TITLE_THRESHOLD - _EPS:
            best = [gi for gi, r in enumerate(ratios) if r >= top - _EPS]
        if best:
            out.append(next((gi for gi in best if has_first(gi)), best[0]))
            continue
        out.append(next((gi for gi in range(len(gold_articles)) if has_first(gi)), None))
    return out


def _unit_name(gold: dict, article: dict | None, fallback: str = "") -> str:
    title = (article or {}).get("title") or fallback
    if gold.get("shape") == "dev" and gold.get("file"):
        return f"{Path(gold['file']).stem}: {title}"
    return title


def score(report: dict, gold: dict) -> Scores:
    """Score a report against a gold file whose articles are aligned by title.

    This is the seed mode: one gold file with many articles. Predicted articles
    aligned to the same gold article are united; unaligned ones count every
    item as false, and gold articles nobody aligned to count every item as missed.
    """
    g = normalise_gold(gold)
    preds = list(report.get("articles", []))
    golds = g["articles"]
    mapping = align(preds, golds)
    total = Scores()
    for gi, ga in enumerate(golds):
        mine = [p for p, m in zip(preds, mapping, strict=True) if m == gi]
        total = total + _score_unit(_unit_name(g, ga), mine, ga)
    for p, m in zip(preds, mapping, strict=True):
        if m is None:
            name = f"(unaligned) {p.get('title') or p.get('source') or ''}"
            total = total + _score_unit(name, [p], None)
    return total


def score_file(report: dict, gold: dict) -> Scores:
    """Score one file: a single-article gold takes everything the report extracted.

    That is the dev rule (a multi-item page split into several predicted articles
    is still one gold article, and repeated titles such as 国内联播快讯 cannot be
    mixed up). A gold with several articles falls back to title alignment.
    """
    g = normalise_gold(gold)
    if len(g["articles"]) == 1:
        ga = g["articles"][0]
        return _score_unit(_unit_name(g, ga), list(report.get("articles", [])), ga)
    return score(report, g)


def score_files(pairs: Iterable[tuple[dict, dict]]) -> Scores:
    """Dev mode: score each (report for that file, gold of that file) on its own, sum."""
    total = Scores()
    for report, gold in pairs:
        total = total + score_file(report, gold)
    return total


def split_report_by_source(report: dict) -> dict[str, dict]:
    """Group a report's articles by the stem of their ``source`` file (``01.md`` → ``01``)."""
    out: dict[str, dict] = {}
    for art in report.get("articles", []):
        stem = Path(str(art.get("source") or "")).stem
        out.setdefault(stem, {"articles": []})["articles"].append(art)
    return out


def score_folder(report: dict, gold_dir: str | Path) -> Scores:
    """Score a report over a folder of single-article gold files, paired by file stem.

    Gold files without predicted articles count as all missed; predicted articles
    from a file with no gold file count as all false.
    """
    by_stem = split_report_by_source(report)
    pairs = []
    for path in sorted(Path(gold_dir).glob("*.json")):
        pairs.append((by_stem.pop(path.stem, {"articles": []}), load_gold(path)))
    total = score_files(pairs)
    for stem, rep in sorted(by_stem.items()):
        total = total + _score_unit(f"(no gold) {stem}", rep["articles"], None)
    return total


def format_table(scores: Scores) -> str:
    """Plain-text table: type, P, R, F1, TP, FP, FN, one row per type plus overall."""
    header = f"{'type':<14}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}"
    lines = [header, "-" * len(header)]
    rows = [(t, scores.per_type[t]) for t in TYPES] + [("overall", scores.overall)]
    for i, (name, c) in enumerate(rows):
        if i == len(rows) - 1:
            lines.append("-" * len(header))
        lines.append(
            f"{name:<14}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}{c.tp:>6}{c.fp:>6}{c.fn:>6}"
        )
    return "\n".join(lines)


def format_details(scores: Scores) -> str:
    """The misses and false positives per type, one per line, for reading by eye."""
    lines = []
    for t, dd in scores.details().items():
        for kind, label in (("fn", "MISS"), ("fp", "FALSE")):
            for unit, item in dd[kind]:
                lines.append(f"{t:<13}{label:<6} {item}    ({unit})")
    return "\n".join(lines)
