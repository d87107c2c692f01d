"""Regions: gazetteer names resolved by context, province compounds, zones by pattern.

Three sources of mentions, merged by span (the longest span wins):

1. gazetteer names (full names, short forms, grouping labels) found with one
   Aho-Corasick pass;
2. compounds of provincial abbreviations (川渝, 沪滇, 沪苏浙皖): one mention per member;
3. zones and groupings named by pattern (…经济圈, …示范区, …自贸试验区, …新区), which
   must start with a place name so that ordinary phrases (两地自贸区) are not taken.

A short form is ambiguous (甘孜: 甘孜藏族自治州 or 甘孜县; 海南: 海南省, 海南区 or
海南藏族自治州) and may be an ordinary word (朝阳, 合作). It is resolved against what
the article names unambiguously: the place whose full name, parent or child the
article names wins; without such support higher levels win, and county-level short
forms and common words are dropped.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

from kg.extract.doc import Doc
from kg.gazetteer import COUNTY, DISTRICT, LEVEL, MACRO, OTHER, ZONE, Gazetteer, Place, load
from kg.model import Mention, Region

# Suffixes of designated zones and groupings; 经济圈 … are groupings (macro-regions).
_ZONE_SUFFIX = re.compile(
    r"(?:自由贸易试验区|自贸试验区|自由贸易区|自贸区|自由贸易港|自贸港)(?:[\u4e00-\u9fff]{2,4}片区)?"
    r"|经济圈|都市圈|城市群|经济带|经济区|示范区|先行区|试验区|合作区|新区|高新区|开发区|科技城|科学城"
    r"|城市副中心|片区"
)
_GROUPING_SUFFIXES = ("经济圈", "都市圈", "城市群", "经济带", "经济区")
_FTZ = re.compile(
    r"^(?:中国（(?P<a>[\u4e00-\u9fff]{2,4})）|(?P<b>[\u4e00-\u9fff]{2,4}?))"
    r"(?:自由贸易试验区|自贸试验区|自由贸易区|自贸区)(?P<piece>[\u4e00-\u9fff]{2,4}片区)?$"
)
_ZONE_WINDOW = 24
# Characters a zone name cannot contain (clause punctuation and function words).
_ZONE_STOP = re.compile(
    r"[，。；：！？、“”‘’《》\s（）()—]|[的在和与及对将把被为了向从至]"
    r"|举办|举行|召开|会同|推动|推进|建设|打造|支持|加快|提速|助推|深化|设立|位于|落户|成立|批复|获批"
    r"|发布|出台|印发|实施|参观|考察|签约|签署|围绕|依托|聚焦|联合|共同|携手|融入|辐射|带动"
)
# Long and short written forms of zone names; labels use the long one.
_ZONE_LONG = (("自贸试验区", "自由贸易试验区"), ("自贸区", "自由贸易试验区"))
# Townships and villages written right after their county: 雷山县西江镇白沙村.
_LOCAL = re.compile(
    r"(?P<town>[\u4e00-\u9fff]{2,3}?(?:乡|镇|街道))?(?P<village>[\u4e00-\u9fff]{2,3}?村)?"
)
#: What _LOCAL needs within its longest reach (3 + 街道, then 3 + 村: nine characters).
_LOCAL_MARK = re.compile("[乡镇街村]")
_NOT_LOCAL = ("乡村", "城乡", "村镇", "乡镇", "农村", "城镇")
# A township or village name does not start with a verb or function word (转移农村, 和桐乡).
_NOT_LOCAL_START = re.compile(
    r"^(?:[和与及在对向把被将援建举办转推开实带帮共等到赴去来由从为以是有让使给经])")
# Characters that end an administrative name: 省 市 州 县 区 盟 旗, after which a
# two-character county name (范县) may follow directly (山东省范县).
_UNIT_ENDS = frozenset("省市州县区盟旗")
# Characters that start a connector rather than a name: 泉州和龙岩 is 泉州, 龙岩 (not 和龙).
_CONNECTOR_START = frozenset("和与及同或")
# What follows a compound of abbreviations that name places (京蒙协作, 闽宁两地).
_COMPOUND_FOLLOW = re.compile(
    r"协作|合作|两地|两省|三地|三省|对口|帮扶|共建|携手|联合|共同|一体化|协同|联动|结对")
# A short form followed by one of these names a mountain, river or street, not the unit:
# 长白山, 东辽河, 赤水河, 兴安岭.
_FEATURE_HEADS = frozenset("山河江湖海岭峰水路街道桥港湾岛峡溪")


@dataclass(slots=True)
class Hit:
    """A candidate mention: span, surface and the place keys it may mean."""

    start: int
    end: int
    surface: str
    keys: tuple[str, ...]
    short: bool = False  # a derived short form, needs resolving
    zone: bool = False  # a zone or grouping found by pattern (no keys)

    @property
    def length(self) -> int:
        return self.end - self.start


def _select(hits: list[Hit]) -> list[Hit]:
    """Keep non-overlapping hits, longest first, then not starting with 和/与, then leftmost."""
    ordered = sorted(hits, key=_span)
    if all(a.end <= b.start for a, b in pairwise(ordered)):
        # nothing overlaps (the usual case once the first pass has chosen): every hit
        # is kept, and the ranking below would only reorder them before sorting back
        return ordered
    taken: list[Hit] = []
    used = bytearray(max((h.end for h in hits), default=0))
    for hit in sorted(hits, key=lambda h: (h.start - h.end, h.surface[0] in _CONNECTOR_START,
                                           h.start)):
        if used.find(1, hit.start, hit.end) >= 0:
            continue
        used[hit.start : hit.end] = b"\1" * (hit.end - hit.start)
        taken.append(hit)
    return sorted(taken, key=_span)


def _span(hit: Hit) -> tuple[int, int]:
    return hit.start, hit.end


def _gazetteer_hits(gaz: Gazetteer, text: str) -> list[Hit]:
    found = gaz.find(text)
    starts = {start for start, _, _ in found}
    hits = []
    keys_by_name = gaz.keys_by_name
    for start, end, surface in found:
        keys, full = keys_by_name[surface]
        if full and len(surface) == 2 and start > 0 and _is_cjk(text[start - 1]) \
                and text[start - 1] not in _UNIT_ENDS:
            hits.append(Hit(start, end, surface, ()))  # 示范县 is not 范县
        elif full:
            hits.append(Hit(start, end, surface, keys))
        elif end < len(text) and text[end] in _FEATURE_HEADS and end not in starts:
            # 长白山, 东辽河 name a feature; 浙江湖州 names two places
            hits.append(Hit(start, end, surface, ()))  # blocks overlapping names, means nothing
        else:
            hits.append(Hit(start, end, surface, keys, True))  # a short form
    return hits


def _compound_hits(gaz: Gazetteer, text: str, covered: list[Hit]) -> list[Hit]:
    """川渝 → 四川省 + 重庆市: runs of two or more provincial abbreviations.

    A run is a maximal stretch of abbreviation characters that no covered hit masks.
    Runs are found with one regex over the text: most characters are not
    abbreviations, and visiting each of them in Python was a tenth of the extraction time.
    """
    assert gaz.abbreviation_run is not None
    # a compound takes two characters: single abbreviation characters (新, 云, 青 …
    # are common) are passed over, and without a longer run there is nothing to mask
    runs = [m for m in gaz.abbreviation_run.finditer(text) if m.end() - m.start() >= 2]
    hits: list[Hit] = []
    if not runs:
        return hits
    mask = bytearray(len(text))
    for h in covered:
        mask[h.start : h.end] = b"\1" * h.length
    for m in runs:
        start = m.start()
        for k in range(m.start(), m.end() + 1):
            if k == m.end() or mask[k]:
                if k > start:
                    hit = _compound_at(gaz, text, start, k)
                    if hit is not None:
                        hits.append(hit)
                start = k + 1
    return hits


def _compound_at(gaz: Gazetteer, text: str, i: int, j: int) -> Hit | None:
    """The compound in the run text[i:j] of unmasked abbreviations, if it is one."""
    run = text[i:j]
    codes = [gaz.abbreviations[c] for c in run]
    # a common character at the edge belongs to the word around it (创新川渝 → 川渝)
    if run[0] not in gaz.strong_abbreviations and i > 0 and _is_cjk(text[i - 1]):
        run, codes, i = run[1:], codes[1:], i + 1
    if (run and run[-1] not in gaz.strong_abbreviations and j < len(text)
            and _is_cjk(text[j]) and not _COMPOUND_FOLLOW.match(text, j)):
        run, codes, j = run[:-1], codes[:-1], j - 1  # …但京蒙协作 keeps 蒙
    if (
        len(run) >= 2
        and len(set(codes)) == len(codes)
        and (any(c in gaz.strong_abbreviations for c in run) or run == "港澳")
    ):
        return Hit(i, j, run, tuple(codes))
    return None


def _zone_hits(gaz: Gazetteer, text: str, anchors: list[Hit]) -> list[Hit]:
    """…经济圈, …示范区, …自贸试验区 starting at a place name within a short window.

    The name starts at the first place name after the last clause boundary or verb
    before the suffix (广东省深圳市前海举办广东自由贸易试验区 → 广东自由贸易试验区).
    A suffix that ends a gazetteer name (浦东新区) is that unit, not a zone.
    """
    starts = sorted({h.start for h in anchors})
    ends = {h.end for h in anchors}
    hits: list[Hit] = []
    for m in _ZONE_SUFFIX.finditer(text):
        end = m.end()
        if end in ends:
            continue
        lo = max(0, m.start() - _ZONE_WINDOW)
        window = text[lo : m.start()]
        stops = [k.end() for k in _ZONE_STOP.finditer(window)]
        floor = lo + (stops[-1] if stops else 0)
        candidates = [s for s in starts if floor <= s < m.start()]
        if not candidates:
            continue
        start = candidates[0]
        name = text[start:end]
        if name in gaz.full:  # a known grouping: the gazetteer hit covers it
            continue
        hits.append(Hit(start, end, name, (), zone=True))
    return hits


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


class _Confirmed:
    """The places an article names for certain, with their parents and provinces.

    The parents and provinces grow with the places, so scoring a candidate is a few
    set lookups instead of a pass over everything confirmed so far.
    """

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.keys: set[str] = set()
        self.parents: set[str] = set()
        self.provinces: set[str] = set()

    def add(self, key: str) -> None:
        if key in self.keys:
            return
        place = self.gaz.places[key]
        self.keys.add(key)
        if place.parent:
            self.parents.add(place.parent)
        province = place.province
        if province:
            self.provinces.add(province)

    def score(self, place: Place) -> float:
        """Support from the article: 3 its full name, 2 its parent or a child, 1 its province."""
        score = 0.0
        if place.key in self.keys:
            score += 3
        if place.parent in self.keys:
            score += 2
        elif not self.keys.isdisjoint(self.gaz.lineage(place.key)[1:]):
            score += 1
        if place.key in self.parents:
            score += 2
        province = place.province
        if province and province in self.provinces:
            score += 1
        return score


def _follows_ancestor(
    gaz: Gazetteer, hits: list[Hit], i: int, resolved: dict[int, tuple[str, ...]], key: str
) -> bool:
    """True when the name is written right after one of its ancestors (安徽太湖, 凉山会理)."""
    if i == 0 or hits[i - 1].end != hits[i].start or i - 1 not in resolved:
        return False
    return not set(resolved[i - 1]).isdisjoint(gaz.lineage(key))


def _resolve(gaz: Gazetteer, hits: list[Hit]) -> dict[int, tuple[str, ...]]:
    """Map each hit (by index) to the place keys it means; drop the unresolvable."""
    resolved: dict[int, tuple[str, ...]] = {}
    confirmed = _Confirmed(gaz)
    places = gaz.places
    # 1. unambiguous full names and compounds
    for i, h in enumerate(hits):
        keys = h.keys
        if not keys or h.short:
            continue
        if len(keys) == 1:
            if h.surface in gaz.common_words:
                continue
            resolved[i] = keys
            confirmed.add(keys[0])
        elif len(h.surface) <= 4 and all(
            places[k].code and places[k].code.endswith("0000") for k in keys
        ):
            resolved[i] = keys  # a compound of provinces
            for key in keys:
                confirmed.add(key)
    named = set(confirmed.keys)
    # 2. ambiguous names and short forms, higher levels first so that they support lower ones
    pending = [i for i, h in enumerate(hits) if h.keys and i not in resolved]
    pending.sort(key=lambda i: min(LEVEL[places[k].kind] for k in hits[i].keys))
    for i in pending:
        h = hits[i]
        scored = []
        for k in h.keys:
            candidate = places[k]
            scored.append((confirmed.score(candidate), -LEVEL[candidate.kind], k))
        scored.sort(reverse=True)
        best_score, neg_level, key = scored[0]
        place = places[key]
        supported = best_score >= 1
        chained = _follows_ancestor(gaz, hits, i, resolved, key)
        if h.surface in gaz.common_words and not (key in named or chained):
            continue  # 白山黑水, 入海口: a word, unless the article names the unit in full
        if h.short and place.kind in (COUNTY, DISTRICT) and not (best_score >= 3 or chained):
            continue
        if len(scored) > 1 and not supported and scored[1][1] == neg_level:
            continue  # two places of the same level and no clue: leave it out
        resolved[i] = (key,)
        confirmed.add(key)
    return resolved


def _ftz_label(name: str, gaz: Gazetteer) -> str:
    """Official name of a free-trade zone: 广东自贸区 → 中国（广东）自由贸易试验区."""
    m = _FTZ.match(name)
    if not m:
        return name
    where = m.group("a") or m.group("b")
    place = gaz.by_name(where)
    keys = [place.key] if place else gaz.short.get(where, [])
    if not any(gaz.places[k].code and gaz.places[k].code.endswith("0000") for k in keys):
        return name
    short = (
        where
        if place is None
        else (gaz.places[place.key].name[:-1] if where.endswith("省") else where)
    )
    return f"中国（{short}）自由贸易试验区{m.group('piece') or ''}"


def _local_hits(
    text: str, hits: list[Hit], resolved: dict[int, tuple[str, ...]], gaz: Gazetteer
) -> list[tuple[int, int, str, str]]:
    """Townships and villages written right after a county: (start, end, name, county key)."""
    out = []
    for i, keys in resolved.items():
        if len(keys) != 1 or gaz.places[keys[0]].kind not in (COUNTY, DISTRICT):
            continue
        pos = hits[i].end
        if not _LOCAL_MARK.search(text, pos, pos + 9):
            continue  # no 乡镇街村 where a town or village name would end: none follows
        m = _LOCAL.match(text, pos)
        if not m or m.end() == pos:
            continue
        parent = keys[0]
        for group in ("town", "village"):
            name = m.group(group)
            if not name:
                continue
            after = text[m.end(group) : m.end(group) + 1]
            if name.endswith("乡") and after in ("村", "镇"):
                break  # 推进乡村振兴
            if not any(w in name for w in _NOT_LOCAL) and name[0] not in "乡镇村" \
                    and not _NOT_LOCAL_START.match(name):
                out.append((m.start(group), m.end(group), name, parent))
    return out


def extract_regions(doc: Doc) -> list[Region]:
    """All places the article names, one Region per place, with every mention."""
    gaz = load()
    text = doc.text
    raw = _gazetteer_hits(gaz, text)
    if _DATELINE.search(text):  # without a dateline in the text, none is near a hit
        stamps = [m.end() for m in _DATELINE_END.finditer(text)]
        raw = [h for h in raw if not (_stamp_after(stamps, h) and _in_dateline(text, h))]
    base = _select(raw)
    first = _resolve(gaz, base)
    # names that resolved, and blockers; an unresolved short form (渝中 in 鲁渝中药材)
    # must not hide a compound
    kept_at = [i for i, h in enumerate(base) if i in first or not h.keys]
    kept = [base[i] for i in kept_at]
    compounds = _compound_hits(gaz, text, kept)
    if compounds:
        hits = _select(kept + compounds)
        resolved = _resolve(gaz, hits)
    else:
        # The kept hits alone resolve as they did among all of them: a dropped hit had
        # resolved to nothing, so it supported nothing and followed nothing. Renumbering
        # the first answer (in its order) spares resolving again.
        hits = kept
        position = {old: new for new, old in enumerate(kept_at)}
        resolved = {position[i]: keys for i, keys in first.items()}
    pre_hits, pre_resolved = hits, resolved
    anchors = [hits[i] for i in resolved]
    anchor_at = {hits[i].start: (hits[i], resolved[i]) for i in resolved}
    zones = _zone_hits(gaz, text, anchors)
    if zones:
        hits = _select(hits + zones)
        resolved = _resolve(gaz, hits)

    regions: dict[str, Region] = {}
    order: list[str] = []

    def add(
        key: str,
        label: str,
        kind: str,
        surface: str,
        start: int,
        end: int,
        place: Place | None = None,
        alts: list[str] | tuple[str, ...] = (),
    ) -> Region:
        region = regions.get(key)
        if region is None:
            region = Region(label=label, kind=kind)
            if place is not None:
                region.adcode = place.code
                region.lon, region.lat = place.lon, place.lat
                if place.parent and place.parent in gaz.places:
                    region.parent = gaz.places[place.parent].name
                region.members = [gaz.places[m].name for m in place.members if m in gaz.places]
            regions[key] = region
            order.append(key)
        for alt in (surface, *alts):
            if alt != region.label and alt not in region.alt_labels:
                region.alt_labels.append(alt)
        region.mentions.append(Mention(surface, start, end, doc.sents.at(start)))
        return region

    for i, h in enumerate(hits):
        if h.zone:
            label, alts = h.surface, []
            for short, long in _ZONE_LONG:
                if short in label and long not in label:
                    label = label.replace(short, long)
            label = _ftz_label(label, gaz)
            anchor, anchor_keys = anchor_at.get(h.start, (None, ()))
            single = len(anchor_keys) == 1 and gaz.places[anchor_keys[0]].code is not None
            rest = h.surface[anchor.length :] if anchor is not None and single else ""
            if rest and _ZONE_SUFFIX.fullmatch(rest) is None:
                alts = [*alts, rest]  # 深圳前海深港…合作区 is also 前海深港…合作区
            kind = MACRO if h.surface.endswith(_GROUPING_SUFFIXES) else ZONE
            region = add("zone:" + label, label, kind, h.surface, h.start, h.end, alts=alts)
            # a zone named after one unit is part of it: 深圳前海…合作区 → 深圳市
            if len(anchor_keys) == 1 and region.parent is None and kind == ZONE:
                anchor_place = gaz.places[anchor_keys[0]]
                if anchor_place.code:
                    region.parent = anchor_place.name
            # places inside a zone's name are named too: 湖北自贸区武汉片区 → 湖北, 武汉
            for j, inner in enumerate(pre_hits):
                if j in pre_resolved and h.start <= inner.start and inner.end <= h.end:
                    for key in pre_resolved[j]:
                        place = gaz.places[key]
                        add(
                            key,
                            place.name,
                            place.kind,
                            inner.surface,
                            inner.start,
                            inner.end,
                            place=place,
                        )
            continue
        for key in resolved.get(i, ()):
            place = gaz.places[key]
            add(key, place.name, place.kind, h.surface, h.start, h.end, place=place)
            if place.code is None:  # a known zone or grouping: 重庆两江新区 names 重庆 too
                for inner, keys in _inner_places(gaz, raw, h):
                    for inner_key in keys:
                        if inner_key != key:
                            p = gaz.places[inner_key]
                            add(inner_key, p.name, p.kind, inner.surface, inner.start,
                                inner.end, place=p)

    for start, end, name, county in _local_hits(text, hits, resolved, gaz):
        region = add("local:" + county + name, name, OTHER, name, start, end)
        region.parent = gaz.places[county].name
    _members_from_context(doc, regions, order)
    return [regions[k] for k in order]


def _inner_places(gaz: Gazetteer, raw: list[Hit], outer: Hit) -> list[tuple[Hit, tuple[str, ...]]]:
    """Places named inside a longer name, resolved on their own (full names, clear short forms)."""
    inner = [h for h in raw if outer.start <= h.start and h.end <= outer.end and h != outer
             and h.length < outer.length]
    chosen = _select(inner)
    resolved = _resolve(gaz, chosen)
    return [(chosen[i], keys) for i, keys in sorted(resolved.items())]


# 本报北京3月17日电, 新华社成都5月2日电: the place a report was filed from is not its subject.
_DATELINE = re.compile(
    r"(?:本报|新华社|中新社|人民网|新华网|央视网|记者)[\u4e00-\u9fff]{0,8}?"
    r"\d{1,2}月\d{1,2}日(?:电|讯)")


#: How a dateline ends (…3月17日电): a hit is in a dateline only if one ends soon after it.
_DATELINE_END = re.compile(r"日[电讯]")


def _stamp_after(stamps: list[int], hit: Hit) -> bool:
    """True when a dateline end in ``stamps`` (sorted) lies where :func:`_in_dateline` looks.

    Most hits are far from any dateline: this bisect spares them the regex search.
    """
    i = bisect.bisect_left(stamps, hit.end)
    return i < len(stamps) and stamps[i] <= hit.end + 12


def _in_dateline(text: str, hit: Hit) -> bool:
    lo = max(0, hit.start - 12)
    return any(m.start() <= hit.start and hit.end <= m.end()
               for m in _DATELINE.finditer(text, lo, min(len(text), hit.end + 12)))


_LIST_GAP = re.compile(r"^(?:、|和|与|及|以及|，)?$")


def _members_from_context(doc: Doc, regions: dict[str, Region], order: list[str]) -> None:
    """A grouping found by pattern takes as members the places listed in its sentence.

    海南省三亚、陵水、乐东、保亭和五指山等市县联合出台《三亚经济圈…》: the listed
    cities and counties are the members of 三亚经济圈. The parent written before the
    list (海南省) is not a member.
    """
    by_sentence: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for key in order:
        for m in regions[key].mentions:
            by_sentence[m.sentence.start].append((m.start, m.end, key))
    for key in order:
        region = regions[key]
        if region.kind != MACRO or region.members or not key.startswith("zone:"):
            continue
        for mention in region.mentions:
            spans = sorted(by_sentence[mention.sentence.start])
            listed = _longest_list(doc.text, [s for s in spans if s[2] != key], regions)
            if len(listed) >= 2:
                region.members = [regions[k].label for k in listed]
                break


def _longest_list(
    text: str, spans: list[tuple[int, int, str]], regions: dict[str, Region]
) -> list[str]:
    """The longest run of administrative places joined by 、和与及 in ``spans``."""
    best: list[str] = []
    run: list[str] = []
    prev_end = None
    for start, end, key in spans:
        if regions[key].adcode is None:
            run, prev_end = [], None
            continue
        if prev_end is not None and _LIST_GAP.match(text[prev_end:start]):
            if text[prev_end:start] == "" and regions[key].parent == regions[run[-1]].label:
                run[-1] = key  # 海南省三亚: the parent written first is not a member
            else:
                run.append(key)
        else:
            run = [key]
        prev_end = end
        if len(run) > len(best):
            best = list(run)
    return list(dict.fromkeys(best))


__all__ = ["extract_regions"]
