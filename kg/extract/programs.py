"""Programs: titled documents, named projects, platforms, mechanisms and events.

Two kinds of evidence name a program in this genre:

* a 《title》: policy documents, plans and agreements are always cited with
  book-title marks, and the head word at the end of the title says what they are
  (…方案 is a plan, …协议 an agreement, …意见 a policy document).  Later in the
  same article the writer refers back with a bare 《方案》 or 《实施方案》; that
  is the same document, so it becomes a mention, never a new program;
* a noun phrase ending in a head noun for projects and the like (…建设项目,
  …产业园, …平台, …机制, …系列活动).  Chinese has no spaces, so the left edge
  of such a phrase is found by scanning back from the head noun until a
  function word, a verb that takes programs as objects, a numeral with its
  classifier or punctuation; the word lists are about the genre, never about
  particular names.

Zones (自贸试验区, 新区, 示范区 …) look like names too but are regions: a span
that a region mention covers is skipped, and so is a phrase whose only modifier
is a region name or a generic word (重点项目, 联动发展区项目).
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from kg.extract.doc import Doc
from kg.model import Mention, Program

__all__ = ["extract_programs", "title_kind"]

# --- titled documents ----------------------------------------------------------------------

#: Head words of titled documents and the program kind they stand for.
_TITLE_HEADS: dict[str, str] = {
    "方案": "plan",
    "规划": "plan",
    "计划": "plan",
    "纲要": "plan",
    "要点": "plan",
    "清单": "plan",
    "协议": "agreement",
    "协定": "agreement",
    "备忘录": "agreement",
    "意见": "policy-document",
    "措施": "policy-document",
    "办法": "policy-document",
    "通知": "policy-document",
    "决定": "policy-document",
    "条例": "policy-document",
    "法规": "policy-document",
    "规定": "policy-document",
    "细则": "policy-document",
    "指导意见": "policy-document",
}
_HEADS_BY_LENGTH = sorted(_TITLE_HEADS, key=len, reverse=True)
_TITLE_HEAD_WORDS = tuple(_TITLE_HEADS)

_TITLE = re.compile(r"《([^《》\n]{2,120})》")
_TRAILING_BRACKETS = re.compile(r"(?:[（(][^（）()]*[）)])+$")

#: A bare title that only names the head word (《方案》, 《实施方案》, 《若干措施》) is a
#: back-reference to a document cited earlier in full.
_BACKREF = re.compile(
    r"^(?:实施|行动|工作|总体|专项|若干|三年行动|[一二三四五六七八九十]+年行动|发展|建设)?"
    r"(?:方案|规划|计划|纲要|要点|清单|意见|措施|办法|通知|决定|条例|协议|协定|备忘录|规定|细则)$"
)

#: 签订了《框架协议》以及教育、人才等协议: the items of the list are agreements too.
_ENUM_AGREEMENTS = re.compile(
    r"(?:签订|签署|签约)[^。；;\n]{0,80}?(?:以及|和|及|、)([^。；;\n《》，,]{2,80}?)等(协议|协定|备忘录)"
)


def title_kind(title: str) -> str | None:
    """The program kind of a document title from its head word, or None."""
    core = _TRAILING_BRACKETS.sub("", title).strip()
    for head in _HEADS_BY_LENGTH:
        if core.endswith(head):
            return _TITLE_HEADS[head]
    return None


# --- named programs without title marks ------------------------------------------------------

#: Head nouns of untitled program names, longest first within the alternation.
_HEAD_NOUNS: dict[str, str] = {
    "建设项目": "project",
    "示范项目": "project",
    "项目": "project",
    "工程": "project",
    "产业园区": "project",
    "产业园": "project",
    "园区": "project",
    "幼儿园": "project",
    "学校": "project",
    "小学": "project",
    "中学": "project",
    "医院": "project",
    "卫生院": "project",
    "示范村": "project",
    "城际铁路": "project",
    "铁路": "project",
    "高速公路": "project",
    "公路": "project",
    "运河": "project",
    "班列": "project",
    "通道": "project",
    "基地": "project",
    "长廊": "project",
    "行动": "project",
    "公共服务平台": "platform",
    "平台": "platform",
    "创新中心": "platform",
    "转移中心": "platform",
    "实训中心": "platform",
    "培训中心": "platform",
    "服务中心": "platform",
    "孵化中心": "platform",
    "研发中心": "platform",
    "集结中心": "platform",
    "物流中心": "platform",
    "交易中心": "platform",
    "机制": "mechanism",
    "模式": "mechanism",
    "系列活动": "event",
    "活动": "event",
    "论坛": "event",
    "博览会": "event",
    "交易会": "event",
    "座谈会": "event",
    "洽谈会": "event",
    "推介会": "event",
    "对接会": "event",
    "大会": "event",
    "峰会": "event",
    "长制": "mechanism",
}
#: A bracketed note after a head noun: 项目（一期）.
_HEAD_NOTE = re.compile(r"[（(].*$")
_HEAD_RE = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, _HEAD_NOUNS), key=len, reverse=True)) + ")”?"
    r"(?:[（(][^（）()，。]{1,8}[）)])?"
)
#: Heads whose names may be two characters before the head (甲乙铁路); others need three
#: unless the name is quoted, so 航空通道 or 设计论坛 stay out.
_SHORT_OK = set(("长制 城际铁路 铁路 高速公路 公路 运河 班列 幼儿园 小学 中学 示范村").split())
#: Heads that are too common as plain nouns: the phrase must be quoted (“…”模式).
_QUOTED_ONLY = {"模式"}
#: Mechanisms count only when the text says they were set up (建立…机制), not for
#: every 沟通机制 or 合作机制 that is to be improved.
_MECHANISM_VERBS = tuple(("建立了 建立起 建立 健全和落实 健全 落实 形成了 形成").split())

#: Words that end a name on its left: function words, then verbs that take programs as
#: objects.  Scanning stops before them.  Kept general: no names.
_FUNCTION_WORDS = set(
    (
        "的 是 在 于 与 和 及 以及 或 等 从 对 为 将 把 被 由 向 让 使 "
        "了 着 过 并 还 也 又 都 就 即 这 那 该 此 其 各 每 这个 这一 "
        "这些 那些 一批 一个 一项 一系列 多个 多项 一些 首批 其中 包括 例如 "
        "比如 如 以 按照 根据 经过 通过 依托 围绕 借助 利用 作为 成为 属于 "
        "位于 像 用 整个 帮助 投入 经由 已"
    ).split()
)
#: Verbs that take a program as their object.
_VERBS = set(
    (
        "建设 建成 建立 建起 援建 共建 新建 兴建 修建 打造 推进 推动 实施 "
        "开展 启动 落实 设立 搭建 举办 举行 召开 出席 参加 参与 完成 开通 "
        "开工 安排 引入 引进 深化 健全 完善 构建 加快 加强 做优 做强 做大 "
        "拓展 谋划 支持 融入 发布 出台 印发 签订 签署 入驻 成立 组建 形成 "
        "联合 携手 投资 承办 主办 纳入 列入 上线 运营 建好 用好 办好 抓好 "
        "抓住 对接 助力 带动 服务于 聚焦 发挥 提供 申报 获批 入选 开设 部署 "
        "探索 启用 投用 投运 贯通 连接 联通 开行 试点 持续 深入 积极 全面 "
        "大力 着力 加速 不断 进一步 全力 努力 正在 已经 目前 如今 现在 今年 "
        "同时 此外 另外 近日 日前 促进 提升 落地 签约"
    ).split()
)
_STOP_WORDS = sorted(_FUNCTION_WORDS | _VERBS, key=len, reverse=True)
#: Characters that start a word in which a one-character stop word is not a stop
#: (对口支援, 对外开放, 自由贸易, 横向): checked with the character after and before it.
_PROTECTED = set(
    (
        "对口 对外 向西 向东 向南 向北 和平 和谐 在线 其他 为民 以上 用地 "
        "用水 用电 使用 由此 各族 等级 等奖 自由 经由 横向 面向 方向 双向 "
        "走向 导向 定向 针对 面对 相对 作为 成为 行为 位于 关于 对于 由于 "
        "等于 尤其 首都 成都 可以 所以 利用 应用 作用 通过 经过 普及 以及 "
        "成就 大使 因此 如此 彼此 共和 总和 高等 平等 中等 同等 对等 "
        "食用 药用 实用 专用 通用 公用 民用 商用 农用 家用 军用 共用 信用 适用 运用 采用 "
        "启用 投用 试用 费用 备用 两用 多用"
    ).split()
)
_PUNCT_STOP = set("，。、；：！？,.;:!?()（）[]【】<>〈〉 \t\n\u3000/|·・…")
_NUM_CLASSIFIER = re.compile(
    r"(?:[0-9０-９.]+|[一二两三四五六七八九十百千万几数多]+)(?:多|余)?"
    r"[个场家所条项批名座栋处届次期类种]$"
)
_ORDINAL = re.compile(r"(?:首|第[0-9一二三四五六七八九十百]+)届$")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}年?$")
_MONTH = re.compile(r"[0-9一二三四五六七八九十]月$")
_AMOUNT = re.compile(r"[0-9.]+(?:多|余)?(?:万|亿)?(?:元|人次|人|户|亩|公里|米|吨)$")
#: Suffixes of zone names: a head noun followed by one is part of a region name.
_ZONE_AFTER = re.compile(r"^(?:示范区|先行区|试验区|新区|片区|合作区|实验区|功能区|开发区|经济圈)")
_MAX_NAME = 32
#: A count right after the head (签约项目28个, 基础设施项目34个) makes the phrase a figure.
_COUNT_AFTER = re.compile(
    r"(?:[0-9０-９]+|[一二两三四五六七八九十百千]+)(?:多|余)?[个项家所座条处]"
)
#: …except a category of aid projects (产业援助项目N个): the genre names the category.
_AID_CATEGORY = re.compile(r"援[助建藏疆青滇黔彝]|帮扶|扶贫")
#: Heads of routes: a route named by its two ends (甲至乙高速公路) is a name even when
#: both ends are region names.
_ROUTE_HEADS = set(("城际铁路 铁路 高速公路 公路 运河 通道").split())
_ROUTE_LINK = re.compile(r"[至到—－-]+")
_PART_WORDS = tuple(("骨干 配套 重点 重大 主体 一期 二期 三期 首期 先导 核心").split())
#: Minimum length of the distinctive part of a modifier (路长制 needs only 路).
_MIN_REST = {"长制": 1}
#: Schools and hospitals are programs only when the text says they were built or aided.
_INSTITUTIONS = set(("幼儿园 学校 小学 中学 医院 卫生院").split())
_BUILT = re.compile(r"援建|新建|修建|兴建|捐建|建设|建成|竣工|投资|投用|落成")

#: Modifiers that say nothing about which program is meant: 重点项目, 相关工程.
#: Longest first, then in code-point order: _strip_generic strips in this order, and
#: words of one length in set order made its result differ between runs (重大标志性重大建设).
_GENERIC = sorted(
    set(
        (
            "重点 重大 相关 有关 各类 各项 一批 新 全部 其他 主要 一系列 系列 "
            "建设 合作 协作 对接 交流 这些 本次 此次 该 工作 产业 示范 新型 大型 小型 "
            "综合 公共 服务 配套 援建 支援 帮扶 对口 本地 当地 全国 全省 全市 "
            "全县 省级 市级 县级 国家级 新开工 在建 已建 续建 首批 重要 大 小 好 "
            "优质 特色 骨干 标志性 多 各 等 这 那 本 一 个"
        ).split()
    ),
    key=lambda w: (-len(w), w),
)


@functools.lru_cache(maxsize=4096)
def _norm(s: str) -> str:
    """The scorer's normal form: NFKC, no white space, no quote or title marks."""
    s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"\s+", "", s)
    s = re.sub("[《》〈〉“”‘’\"'「」『』·・]", "", s)
    return s.replace("（", "(").replace("）", ")")


def _clean_label(span: str) -> str:
    """A label from a text span: quotes dropped, spacing kept as written."""
    return span.replace("“", "").replace("”", "").strip()


@dataclass
class _Candidate:
    label: str
    kind: str
    start: int
    end: int
    surface: str
    titled: bool = False
    needs_context: bool = False  # an institution named without saying it was built


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


@functools.lru_cache(maxsize=4096)
def _strip_generic(s: str) -> str:
    """Drop generic words from a modifier until none is left at either end.

    Only the generic words inside ``s`` can ever match (``s`` only gets shorter), so
    the passes go over those alone, in list order.
    """
    words = [w for w in _GENERIC if w in s]
    changed = True
    while s and changed:
        changed = False
        for w in words:
            if s.startswith(w):
                s = s[len(w) :]
                changed = True
            if s.endswith(w):
                s = s[: -len(w)]
                changed = True
    return s


def _strip_part(s: str) -> str:
    """Drop words that make a phrase a part of the thing before it (骨干工程, 配套项目)."""
    for w in _PART_WORDS:
        s = s.replace(w, "")
    return s


#: Last characters of what _NUM_CLASSIFIER, _ORDINAL, _YEAR, _MONTH and _AMOUNT match:
#: the scan tries those patterns only after one of these.
_NUMBER_ENDS = frozenset("个场家所条项批名座栋处届次期类种" "0123456789年月" "元次人户亩里米吨")
_STOP_SET = frozenset(_STOP_WORDS)
_STOP_LENGTHS = sorted({len(w) for w in _STOP_WORDS}, reverse=True)
_STOP_LAST = frozenset(w[-1] for w in _STOP_WORDS)
#: Every character the scan checks before the stop words: one lookup rules them all out.
_MARKS = frozenset("“”》—") | _PUNCT_STOP | _NUMBER_ENDS


def _left_edge(text: str, head_start: int, head: str, inside: set[int]) -> int | None:
    """Scan left from ``head_start`` to where the name begins (see module doc).

    ``inside`` holds the offsets strictly inside a region name (see :func:`_inside`).
    Returns None when the phrase is a counted or ordered generic thing (60个…项目,
    第一条…铁路): such phrases are measures or statistics, not names.

    The scan runs for every head noun of an article, so each step costs a few set
    lookups: stop words are looked up by the text that ends at the step, longest
    first, and the number patterns run only after a character they can end with.
    """
    if head_start and text[head_start - 1] == "”":  # “…”项目: the quotes delimit the name
        k = text.rfind("“", max(0, head_start - _MAX_NAME), head_start - 1)
        return k if k >= 0 else None
    j = head_start
    limit = max(0, head_start - _MAX_NAME)
    while j > limit:
        if j in inside:  # never cut a region name in two
            j -= 1
            continue
        ch = text[j - 1]
        if ch in _MARKS:  # quotes, title marks, punctuation, number ends: few characters
            if ch == "“":
                return j - 1  # an opening quote is the left edge of a quoted name
            if ch == "”":  # a quoted phrase inside the name (“一对一”…机制) is not cut
                k = text.rfind("“", limit, j - 1)
                return k if k >= 0 else j
            if ch == "》":  # a cited title inside the name: 《公约》集结中心
                k = text.rfind("《", limit, j)
                if k < 0:
                    return j
                j = k
                continue
            if ch in _PUNCT_STOP or (ch == "—" and j >= 2 and text[j - 2] == "—"):
                return j
            if ch in _NUMBER_ENDS:
                before = text[limit:j]
                if _NUM_CLASSIFIER.search(before):
                    return None
                if _ORDINAL.search(before):
                    k = _ORDINAL.search(before).start() + limit
                    return text.rfind("《", limit, k) if text[k - 1 : k] == "》" else j
                if _YEAR.search(before) or _MONTH.search(before) or _AMOUNT.search(before):
                    return j
        # apposition: 铁路甲乙铁路 (the text can only end with the head where its last
        # character stands)
        if ch == head[-1] and j < head_start and text.endswith(head, limit, j):
            return j
        if ch not in _STOP_LAST:  # no stop word ends here
            j -= 1
            continue
        nxt = text[j : j + 1]
        for length in _STOP_LENGTHS:  # the stop word ending here, longest first
            w = text[j - length : j]
            if length > j - limit or w not in _STOP_SET:
                continue
            if len(w) == 1 and ((w + nxt) in _PROTECTED or text[j - 2 : j] in _PROTECTED):
                continue
            # the first character of a verb that is part of the name (…对接机制)
            if len(w) == 1 and (w + nxt) in _VERBS:
                continue
            # a verb right before the head is part of the name (提升行动, 治理工程)
            if w in _VERBS and j > head_start - 2:
                continue
            return j
        j -= 1
    return j


def _inside(spans: list[tuple[int, int]]) -> set[int]:
    """The offsets strictly inside the spans, where a name must not be cut."""
    return {k for s, e in spans for k in range(s + 1, e)}


def _region_spans(doc: Doc) -> list[tuple[int, int, str]]:
    """(start, end, label) of every region mention; made once per article (three steps
    read it), so callers must not change the list."""
    spans = doc.memo.setdefault("programs", {}).get("region_spans")
    if spans is None:
        spans = [(m.start, m.end, r.label) for r in doc.ex.regions for m in r.mentions]
        doc.memo["programs"]["region_spans"] = spans
    return spans


def _titled(doc: Doc) -> tuple[list[_Candidate], list[tuple[int, int, str]]]:
    """Full 《titles》 with a known head word, and bare back-references."""
    out: list[_Candidate] = []
    backrefs: list[tuple[int, int, str]] = []
    for m in _TITLE.finditer(doc.text):
        inner = m.group(1)
        start, end = m.start(1), m.end(1)
        if _BACKREF.match(_TRAILING_BRACKETS.sub("", inner).strip()):
            backrefs.append((start, end, inner))
            continue
        kind = title_kind(inner)
        if kind is None:
            continue
        out.append(_Candidate(inner.strip(), kind, start, end, inner, titled=True))
    return out, backrefs


def _enumerated_agreements(doc: Doc) -> list[_Candidate]:
    """签订了《A协议》以及B、C等协议 → B协议, C协议."""
    out = []
    for m in _ENUM_AGREEMENTS.finditer(doc.text):
        items_start = m.start(1)
        head = m.group(2)
        pos = items_start
        for piece in re.split(r"(、|以及|和|及)", m.group(1)):
            if piece in ("、", "以及", "和", "及") or not piece:
                pos += len(piece)
                continue
            item = piece.strip()
            if 2 <= len(item) <= 12 and not re.search(r"[0-9]", item):
                label = item if item.endswith(head) else item + head
                out.append(_Candidate(label, "agreement", pos, pos + len(piece), piece))
            pos += len(piece)
    return out


def _named(doc: Doc, titles: list[tuple[int, int]]) -> list[_Candidate]:
    """Noun phrases that end in a program head noun (see module doc)."""
    text = doc.text
    heads = list(_HEAD_RE.finditer(text))
    if not heads:
        return []  # (and the region lookups below need not be built)
    regions = _region_spans(doc)
    region_spans = [(s, e) for s, e, _ in regions]
    strategy_words = sorted(
        {w for s in doc.ex.strategies for w in (s.label, *s.alt_labels) if w},
        key=len,
        reverse=True,
    )
    inside = _inside(region_spans)
    # the mentions longest first (rank), looked up by where they start
    longest_first = sorted(regions, key=lambda x: x[0] - x[1])
    ranked = sorted(enumerate(longest_first), key=lambda r: r[1][0])
    ranked_starts = [r[1][0] for r in ranked]
    by_start = sorted(region_spans)
    starts = [s for s, _ in by_start]
    longest = max((e - s for s, e in by_start), default=0)
    found: list[tuple[_Candidate, int]] = []  # candidate and where its head starts
    for m in heads:
        head_start, end = m.start(), m.end()
        head = _HEAD_NOTE.sub("", m.group(0)).rstrip("”")
        if head not in _HEAD_NOUNS or _overlaps(titles, head_start, end):
            continue
        after = text[end : end + 4]
        # part of a zone's name (…行动示范区) or of a region mention that covers the head
        # (only a mention starting within the longest mention's length before it can)
        near = by_start[
            bisect.bisect_right(starts, head_start - longest) : bisect.bisect_left(starts, end)
        ]
        if _ZONE_AFTER.match(after) or any(
            s < end and head_start < e and e >= head_start + len(head) for s, e in near
        ):
            continue
        if _HEAD_NOUNS[head] == "event" and after.startswith(("精神", "会议精神")):
            continue  # 传达…座谈会会议精神: the meeting is cited, not reported
        if after.startswith(_TITLE_HEAD_WORDS):
            continue  # 发布行动方案 without title marks: a document, not an action
        if head == "项目" and after.startswith(("合作", "资金")):
            continue  # 项目合作: the head is a modifier here
        counted = bool(_COUNT_AFTER.match(text, end))
        start = _left_edge(text, head_start, head, inside)
        if start is None:
            continue
        span = text[start:end]
        modifier = text[start:head_start]
        if span.count("“") != span.count("”"):
            continue  # a head inside a quoted slogan (“一基地三区”)
        quoted = "“" in span
        bare = _norm(modifier)
        if not bare:
            continue
        # modifier made only of region names (联动发展区项目) or generic words (重点项目)
        rest = modifier
        within = ranked[
            bisect.bisect_left(ranked_starts, start) : bisect.bisect_left(ranked_starts, head_start)
        ]
        for _, (s, e, _) in sorted(r for r in within if r[1][1] <= head_start):
            rest = rest.replace(text[s:e], "")
        had_region = rest != modifier
        rest = _norm(rest)
        route = head in _ROUTE_HEADS and had_region and bool(_ROUTE_LINK.fullmatch(rest))
        if head in ("项目", "工程", "建设项目", "示范项目"):
            # 对口支援(工作)项目 names no project; 产业援助项目 does
            for w in strategy_words:
                if rest.startswith(w) and not _strip_generic(rest[len(w) :]):
                    rest, had_region = "", False
                    break
        stripped = _strip_generic(rest)
        generic = bool(rest) and not stripped
        rest = stripped
        # 成渝地区双城经济圈重大项目: a region's set of projects is named by region + 重大
        region_only = had_region and generic
        if len(rest) < _MIN_REST.get(head, 2) and not (quoted or region_only or route):
            continue
        if not quoted and head not in _SHORT_OK and len(bare) < 3:
            continue
        if head in _QUOTED_ONLY and not (quoted and text[head_start - 1] == "”"):
            continue
        if head == "机制":
            before = text[max(0, start - 6) : start]
            if len(bare) < 4 or not before.endswith(_MECHANISM_VERBS):
                continue
        if counted and not _AID_CATEGORY.search(modifier):
            continue  # 签约项目28个: a head noun with its count is a statistic, not a name
        cand = _Candidate(_clean_label(span), _HEAD_NOUNS[head], start, end, span)
        if head in _INSTITUTIONS:
            sent = doc.sents.at(start)
            cand.needs_context = not _BUILT.search(sent.quote)
        found.append((cand, head_start))

    # nested heads: 示范村建设项目 is one name, 新通道骨干工程 is a part of 新通道
    drop: set[int] = set()
    for i, (inner, _) in enumerate(found):
        for k, (outer, outer_head) in enumerate(found):
            if k == i or not (outer.start <= inner.start and inner.end <= outer_head):
                continue
            between = _norm(text[inner.end : outer_head])
            if between and not _strip_part(between):
                drop.add(k)
            else:
                drop.add(i)
    return [c for i, (c, _) in enumerate(found) if i not in drop]


#: “组团式”援藏: a named mode of aid, the quoted …式 and an aid noun.
_AID_MODE = re.compile(r"“[^“”，。]{1,8}式”(?:援藏|援疆|援青|援助|帮扶|支援|扶贫|援建)")


def _modes_and_blocs(doc: Doc) -> list[_Candidate]:
    """Aid modes (“组团式”帮扶) and bloc co-operation (a two-province bloc + 协作).

    A bloc abbreviation is one short span that the region extractor resolved to two
    or more regions (粤黔, 沪滇); followed by 协作 it names the standing co-operation
    between them, which the genre treats as a program of its own.
    """
    text = doc.text
    out = [
        _Candidate(_clean_label(m.group(0)), "mechanism", m.start(), m.end(), m.group(0))
        for m in _AID_MODE.finditer(text)
    ]
    by_span: dict[tuple[int, int], set[str]] = {}
    for s, e, label in _region_spans(doc):
        if 2 <= e - s <= 4 and text[e : e + 2] in ("协作", "合作"):  # what a bloc looks like
            by_span.setdefault((s, e), set()).add(label)
    for (s, e), labels in sorted(by_span.items()):
        if len(labels) >= 2:
            if _ZONE_AFTER.match(text[e + 2 : e + 6]):
                continue
            out.append(_Candidate(text[s : e + 2], "mechanism", s, e + 2, text[s : e + 2]))
    return out


_SAME_RATIO = 0.88


def _same_program(a: str, b: str) -> bool:
    """Two labels name one program: equal, one a tail of the other, or nearly equal."""
    na, nb = _norm(a), _norm(b)
    if na == nb:
        return True
    short, long_ = sorted((na, nb), key=len)
    if len(short) >= 3 and long_.endswith(short):
        return True
    # Every candidate is compared with every program, so the bounds of ratio() come
    # first, computed as SequenceMatcher computes them but without building one: by the
    # lengths alone (real_quick_ratio), then by the characters in common (quick_ratio).
    length = len(short) + len(long_)
    if 2.0 * len(short) / length < _SAME_RATIO:
        return False
    common = sum((_char_counts(na) & _char_counts(nb)).values())
    if 2.0 * common / length < _SAME_RATIO:
        return False
    return difflib.SequenceMatcher(None, na, nb).ratio() >= _SAME_RATIO


@functools.lru_cache(maxsize=4096)
def _char_counts(s: str) -> Counter[str]:
    return Counter(s)


def _mention(doc: Doc, c: _Candidate) -> Mention:
    return Mention(c.surface, c.start, c.end, doc.sents.at(c.start))


def _regions_in(spans: list[tuple[int, int, str]], start: int, end: int) -> list[str]:
    """Labels of the regions named inside [start, end); ``spans`` sorted, from _region_spans."""
    found: list[str] = []
    lo = bisect.bisect_left(spans, start, key=_span_start)
    hi = bisect.bisect_right(spans, end, key=_span_start)
    for s, e, label in spans[lo:hi]:
        if start <= s and e <= end and label not in found:
            found.append(label)
    return found


_JOINT_ACT = re.compile(r"共同|联合|携手|签订|签署|出台|发布|印发|制定|编制|会同")


def _span_start(span: tuple[int, int, str]) -> int:
    return span[0]


def _document_regions(doc: Doc, spans: list[tuple[int, int, str]], m: Mention) -> list[str]:
    """Regions that issue or sign a document: named before it in a joint-act sentence."""
    sent = m.sentence
    head = doc.text[sent.start : m.start]
    if not _JOINT_ACT.search(head):
        return []
    return _regions_in(spans, sent.start, m.start)


def _strategies_in(doc: Doc, program: Program) -> list[str]:
    found: list[str] = []
    spans = [(m.start, m.end) for m in program.mentions]
    for s in doc.ex.strategies:
        names = [s.label, *s.alt_labels]
        hit = any(n and n in program.label for n in names) or any(
            _covered(spans, m.start, m.end) for m in s.mentions
        )
        if hit and s.label not in found:
            found.append(s.label)
    return found


def extract_programs(doc: Doc) -> list[Program]:
    """Find the programs an article names, each with all its mentions.

    Runs after regions and strategies: region mentions keep zones out and give each
    program its places; strategy mentions give ``implements``.
    """
    titled, backrefs = _titled(doc)
    title_spans = [(m.start(), m.end()) for m in _TITLE.finditer(doc.text)]
    candidates = titled + _enumerated_agreements(doc) + _named(doc, title_spans)
    candidates += _modes_and_blocs(doc)
    candidates.sort(key=lambda c: c.start)

    programs: list[Program] = []
    for c in candidates:
        target = next((p for p in programs if _same_program(p.label, c.label)), None)
        if target is None and c.needs_context:
            continue
        if target is None:
            programs.append(Program(label=c.label, kind=c.kind, mentions=[_mention(doc, c)]))
            continue
        target.mentions.append(_mention(doc, c))
        if len(_norm(c.label)) > len(_norm(target.label)) and c.kind == target.kind:
            if target.label not in target.alt_labels:
                target.alt_labels.append(target.label)
            target.label = c.label
        elif c.label != target.label and c.label not in target.alt_labels:
            target.alt_labels.append(c.label)

    # back-references: the last (then longest) document cited before with that head word
    for start, end, inner in backrefs:
        core = _TRAILING_BRACKETS.sub("", inner).strip()
        docs = [p for p in programs if p.kind in ("plan", "agreement", "policy-document")]

        def ends(p: Program, suffix: str) -> bool:
            return _TRAILING_BRACKETS.sub("", p.label).endswith(suffix)

        head = next((h for h in _HEADS_BY_LENGTH if core.endswith(h)), core)
        pool = [p for p in docs if ends(p, core)] or [p for p in docs if ends(p, head)]
        if not pool:
            continue
        before = [p for p in pool if p.mentions and p.mentions[0].start < start]
        pick = max(
            before or pool, key=lambda p: (p.mentions[0].start if before else 0, len(p.label))
        )
        pick.mentions.append(Mention(inner, start, end, doc.sents.at(start)))

    region_spans = sorted(_region_spans(doc))
    for p in programs:
        p.mentions.sort(key=lambda m: m.start)
        spans_regions: list[str] = []
        for m in p.mentions:
            for r in _regions_in(region_spans, m.start, m.end):
                if r not in spans_regions:
                    spans_regions.append(r)
        if not spans_regions and p.kind in ("plan", "agreement", "policy-document"):
            spans_regions = _document_regions(doc, region_spans, p.mentions[0])
        p.regions = spans_regions
        p.implements = _strategies_in(doc, p)
    return programs
