"""Partnerships: regions a sentence presents as acting together.

The genre writes cooperation in a few shapes, all within one sentence:

* a list of places joined by 与/和/同/、/携手 (浙江省金华市婺城区与四川省…道孚县两地…,
  三亚、陵水、乐东、保亭和五指山等市县联合出台…) in a sentence with a cooperation verb;
* a directed verb between two places (A对口支援B, A帮扶B, A援建B);
* a compound of provincial abbreviations (川渝, 沪滇) with a cooperation verb.

The verb decides the kind, strongest first: 对口支援 and 结对 are directed (the first
place is the helper), 协同 (joint acts), 联动, 合作. A sentence with places but no such
verb (provinces listed in one statistic, places a river passes) gives nothing.
Administrative chains (浙江省金华市婺城区) count as their most specific place.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import pairwise

from kg.extract.doc import Doc
from kg.gazetteer import MACRO, OTHER
from kg.gazetteer import load as load_gazetteer
from kg.model import Evidence, Partnership, Region

# Trigger words by kind, in order of precedence.
KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "对口支援",
        (
            "对口支援",
            "对口帮扶",
            "对口援助",
            "援建",
            "援派",
            "援助",
            "帮扶",
            "支援",
            "援藏",
            "援疆",
            "援彝",
            "捐赠",
            "捐建",
        ),
    ),
    ("结对", ("结对帮扶", "结对", "东西部协作", "劳务协作", "协作")),
    (
        "协同",
        (
            "联合出台",
            "共同出台",
            "联合发布",
            "共同发布",
            "联合印发",
            "共同印发",
            "联合编制",
            "共同编制",
            "联合制定",
            "共同制定",
            "协同",
            "联合",
            "共同",
        ),
    ),
    ("联动", ("联动",)),
    ("合作", ("合作", "共建", "携手", "联手", "牵手", "签约", "签署", "签订", "互访")),
)
DIRECTED = {"对口支援", "结对"}
_PRECEDENCE = {kind: i for i, (kind, _) in enumerate(KINDS)}
_TRIGGER = re.compile("|".join(sorted((w for _, ws in KINDS for w in ws), key=len, reverse=True)))
_KIND_OF = {w: kind for kind, ws in KINDS for w in ws}
# Verbs that carry direction when written between two places: A对口支援B.
_DIRECTED_VERB = re.compile(r"对口支援|对口帮扶|帮扶|援建|援派|援助|支援|结对帮扶|结对")
# What may stand between two listed places: a connector, possibly after a short filler
# (婺城区10所学校、4所医院与道孚县…).
_CONNECTOR = re.compile(r"^(?:、|和|与|同|及|以及|携手|联手|牵手)$")
_FILLER = re.compile(r"^[^，。；：！？]{0,16}?(?:与|和|同|携手|联手|牵手)$")
# Written after a list, these make the listed places one acting subject, so a verb
# anywhere in the sentence is theirs: 婺城区与道孚县两地…, 三亚、陵水…等市县联合出台.
_COLLECTIVE = re.compile(
    r"(?:双方|多地|各方|等市县|等地|等省市?|等城市|等县市|共同|携手|联合"
    r"|(?:[两二三四五六七八九十]|\d+)(?:省区市|省市|省区|省|地|市|县|方)(?:一市)?)"
)
# A list followed by an aid verb names helpers: 福建、广东接力援藏; 湖南援建的…
_AID_AFTER = re.compile(
    r"(?:接力|对口|持续|继续|先后|累计)?(?P<verb>援建|援藏|援疆|援青|援派|支援|帮扶|捐建)")
# A government body between two places makes the body, not the place, the actor:
# 广东省商务厅会同深圳…管理局 is two agencies meeting.
_AGENCY = re.compile(r"厅|局|委|办|政府|部门")
_ORIGIN = re.compile(r"来自|源自|来源于")
_IMPLIED_RECIPIENT = {"援藏": "540000", "援疆": "650000", "援青": "630000"}
# What a collective subject does together without a cooperation verb: 川渝两地…发布.
_JOINT_ACT = re.compile(r"发布|出台|印发|签署|签订|编制|建立|召开|举办|启动|设立")
_CLAUSE_END = re.compile(r"[，；：。！？]")
#: Every partnership needs one of these in its sentence: a trigger word (the directed
#: verbs are among them), a joint act, or an aid verb after a list of helpers. A
#: sentence without any is passed over.
_CUE = re.compile(
    f"{_TRIGGER.pattern}|{_JOINT_ACT.pattern}|援建|援藏|援疆|援青|援派|支援|帮扶|捐建")
_SINCE = re.compile(r"自?(?P<year>(?:19|20)\d{2})年(?:以来|起|开始)")


@dataclass(slots=True)
class _Place:
    start: int
    end: int
    regions: tuple[Region, ...]  # more than one for a compound (川渝)


def _is_ancestor(a: Region, b: Region) -> bool:
    if a.adcode and b.adcode:
        return a.adcode in load_gazetteer().lineage(b.adcode)
    return b.parent == a.label


def _mentions_by_sentence(doc: Doc) -> dict[int, list[tuple[int, int, Region]]]:
    """Mentions of places (not groupings) by the start of the sentence they start in.

    Grouped once per article, in the order of the regions and their mentions, so that
    each sentence reads its own mentions instead of every mention of the article.
    """
    spans = doc.sents.spans
    starts = [s.start for s in spans]
    out: dict[int, list[tuple[int, int, Region]]] = {}
    for region in doc.ex.regions:
        if region.kind in (MACRO, OTHER):
            continue
        for m in region.mentions:
            i = bisect.bisect_right(starts, m.start) - 1
            if i >= 0 and m.start < spans[i].end:
                out.setdefault(spans[i].start, []).append((m.start, m.end, region))
    return out


def _places_in(
    doc: Doc, sentence: Evidence, mentions: list[tuple[int, int, Region]]
) -> list[_Place]:
    """Places named in the sentence, administrative chains collapsed to their last unit.

    ``mentions`` are the sentence's, from :func:`_mentions_by_sentence`.
    """
    if len(mentions) == 1:  # most sentences name one place: nothing to group or collapse
        start, end, region = mentions[0]
        return [_Place(start, end, (region,))]
    by_span: dict[tuple[int, int], list[Region]] = {}
    for start, end, region in mentions:
        by_span.setdefault((start, end), []).append(region)
    places: list[_Place] = []
    # the outer of two nested mentions comes first and wins (四川自贸试验区 over 四川)
    for (start, end), regions in sorted(by_span.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        if len(regions) > 1:  # a compound keeps its written order: 苏陕 → 江苏省, 陕西省
            regions = sorted(regions, key=lambda r: _written_at(doc.text[start:end], r))
        if places and places[-1].end > start:
            continue  # nested in a longer mention
        if (
            places
            and places[-1].end == start
            and len(places[-1].regions) == 1
            and len(regions) == 1
            and _is_ancestor(places[-1].regions[0], regions[0])
        ):
            places[-1] = _Place(places[-1].start, end, tuple(regions))
            continue
        places.append(_Place(start, end, tuple(regions)))
    return places


def _written_at(surface: str, region: Region) -> int:
    """Where a compound names the region: the position of its abbreviation (苏 in 苏陕)."""
    abbrs = load_gazetteer().abbreviations
    positions = [i for i, ch in enumerate(surface) if abbrs.get(ch) == region.adcode]
    return positions[0] if positions else len(surface)


def _kind(text: str, start: int = 0, end: int | None = None, at: int = 0) -> str | None:
    """The kind named by the trigger nearest after ``at`` in text[start:end] (else before).

    The nearest verb is the one the places govern: 江苏省与陕西省深化东西部协作，…消费帮扶
    is 结对, not the 对口支援 of a later 帮扶.
    """
    end = len(text) if end is None else end
    triggers = [(m.start(), _KIND_OF[m.group()]) for m in _TRIGGER.finditer(text, start, end)]
    if not triggers:
        return None
    after = [t for t in triggers if t[0] >= at]
    return after[0][1] if after else triggers[-1][1]


def _groups(text: str, places: list[_Place]) -> list[list[_Place]]:
    """Runs of places joined by connectors."""
    groups: list[list[_Place]] = []
    for place in places:
        if groups:
            gap = text[groups[-1][-1].end : place.start]
            if _CONNECTOR.match(gap) or (_FILLER.match(gap) and not _AGENCY.search(gap)):
                groups[-1].append(place)
                continue
        groups.append([place])
    return groups


def _members(group: list[_Place]) -> list[Region]:
    members: list[Region] = []
    for place in group:
        for region in place.regions:
            # ``region not in members``, with the labels compared before whole regions
            if not any(r is region or (r.label == region.label and r == region)
                       for r in members):
                members.append(region)
    # drop a place whose child is also a member (浙江省 … 婺城区)
    return [r for r in members if not any(_is_ancestor(r, o) for o in members if o is not r)]


def extract_partnerships(doc: Doc) -> list[Partnership]:
    text = doc.text
    found: dict[frozenset[str], Partnership] = {}

    def add(labels: list[str], kind: str, sentence: Evidence) -> None:
        labels = list(dict.fromkeys(labels))
        if len(labels) < 2:
            return
        key = frozenset(labels)
        since = _since(sentence.quote)
        old = found.get(key)
        if old is None or _PRECEDENCE[kind] < _PRECEDENCE[old.kind]:
            found[key] = Partnership(members=labels, kind=kind, evidence=sentence,
                                     since=since or (old.since if old else None))
        elif old.since is None and since:
            old.since = since

    mentions = _mentions_by_sentence(doc)
    for sentence in doc.sents:
        if sentence.start not in mentions:
            continue  # no place named
        if not _CUE.search(text, sentence.start, sentence.end):
            continue  # nothing said to be done together or for another
        places = _places_in(doc, sentence, mentions[sentence.start])
        if not places:
            continue
        for place in places:  # a compound acting together: 川渝两地共建…, 川渝两地…发布
            if len(place.regions) > 1:
                kind = _kind(text, sentence.start, sentence.end, place.start)
                joint = kind or (_JOINT_ACT.search(sentence.quote) and "协同")
                if joint:
                    add([r.label for r in place.regions], joint, sentence)
        for a, b in pairwise(places):  # A对口支援B
            gap = text[a.end : b.start]
            verb = _DIRECTED_VERB.search(gap)
            if verb and len(gap) <= 12 and not re.search(r"[，。；：]", gap):
                add(_labels(a, b), _KIND_OF.get(verb.group(), "对口支援"), sentence)
        recipient = _locative(text, sentence, places)
        for group in _groups(text, places):
            if _ORIGIN.search(text, max(sentence.start, group[0].start - 3), group[0].start):
                continue  # 来自江苏、山东等地的企业: where guests come from, not partners
            aid = _AID_AFTER.match(text, group[-1].end)
            if aid:  # 在X县，福建、广东接力援藏: helpers of the place, not partners
                target = recipient or _implied_recipient(aid.group("verb"))
                for helper in _members(group):
                    if target and target != helper.label:
                        add([helper.label, target], "对口支援", sentence)
                continue
            if len(group) == 1 and len(group[0].regions) == 1:
                continue  # one place on its own
            members = _members(group)
            if len(members) < 2:
                continue
            if _COLLECTIVE.match(text, group[-1].end):
                group_kind = _kind(text, sentence.start, sentence.end, group[-1].end) or (
                    _JOINT_ACT.search(sentence.quote) and "协同")
            else:
                left, right = _clause(text, group[0].start, group[-1].end, sentence)
                group_kind = _kind(text, left, right, group[-1].end)
            if group_kind:
                add([r.label for r in members], group_kind, sentence)
    return sorted(found.values(), key=lambda p: (p.evidence.start, p.members))


def _labels(*places: _Place) -> list[str]:
    return [r.label for place in places for r in place.regions]


def _locative(text: str, sentence: Evidence, places: list[_Place]) -> str | None:
    """在林芝市巴宜区，… : the place a sentence opens on is where the aid goes."""
    if not text.startswith("在", sentence.start) or not places:
        return None
    first = places[0]
    if first.start != sentence.start + 1 or len(first.regions) != 1:
        return None
    return first.regions[0].label


def _implied_recipient(verb: str) -> str | None:
    """援藏 goes to 西藏, 援疆 to 新疆: the verb names the recipient."""
    code = _IMPLIED_RECIPIENT.get(verb)
    return load_gazetteer().places[code].name if code else None


def _clause(text: str, start: int, end: int, sentence: Evidence) -> tuple[int, int]:
    """The clause around a span: from the comma before it to the comma after it."""
    left = max(
        (m.end() for m in _CLAUSE_END.finditer(text, sentence.start, start)), default=sentence.start
    )
    right = _CLAUSE_END.search(text, end, sentence.end)
    return left, right.start() if right else sentence.end


def _since(sentence: str) -> int | None:
    m = _SINCE.search(sentence)
    return int(m.group("year")) if m else None


__all__ = ["DIRECTED", "KINDS", "extract_partnerships"]
