"""Measures: the concrete actions and tasks an article reports.

News in this genre states many things in a verb-object shape, most of them
goals or evaluations (推动…更加闪亮, 激发…活力).  A clause is taken as a measure
only when something makes it concrete:

* it belongs to a program's list of tasks (《方案》在A、B和C三个方面…;
  根据《行动方案》…在开展A、完善B等方面开展合作): each item is a measure of that
  program;
* it is an item of an enumerated reform (探索实施A、B等…改革; 围绕A、B等一系列试点);
* it is a counted total of tasks (推出24条举措, 谋划了17项重点任务): one measure
  with ``total`` set, linked to the program of the sentence or of the article;
* it is an action clause whose object is a named project, platform or mechanism
  (共建…服务平台, 落实路长制) or a counted quantity (选派15名医务人员…,
  制定了9项…标准), or a pairing with counts (3个乡镇结对…3个乡镇).

Words are the genre's: verbs, adverbs, classifiers and frame words, never names.
"""

from __future__ import annotations

import re

from kg.extract.doc import Doc
from kg.model import Evidence, Measure, Program

__all__ = ["extract_measures"]

_DOC_KINDS = ("plan", "agreement", "policy-document")

# --- counted totals ----------------------------------------------------------------------------

_TOTAL = re.compile(
    r"(?:推出|提出|谋划了?|出台|制定了?|部署了?|明确了?|梳理出?|包括|涵盖|共有|含|共)"
    r"(?P<n>[0-9]+)(?P<cl>[项条个])"
    r"(?P<noun>重点任务|任务举措|改革举措|政策措施|具体措施|具体举措|重点举措|支持举措|举措|措施|任务|政策"
    r"|制度创新成果|重点项目)"
)
#: A total with no verb: 《方案》提出的30项任务 / 《实施方案》450项任务.
_TOTAL_AFTER_TITLE = re.compile(
    r"》(?:中)?(?:提出的|明确的|部署的)?(?P<n>[0-9]+)(?P<cl>[项条个])(?P<noun>重点任务|任务举措|举措|措施|任务)"
)

# --- frames of enumerations --------------------------------------------------------------------

#: 在A、B和C4个方面 / 在A、B等方面 (开展合作, 谋划了…任务); 围绕A、B等方面，提出…;
#: 明确了A、B等方面共N项任务.
_ASPECT = re.compile(
    r"(?P<intro>在|围绕|明确了?)(?P<list>[^。；;！？]{4,240}?)(?:[0-9一二三四五六七八九十两]+个|等)(?P<area>方面|领域)"
)
#: 探索实施A、B等新一批…改革 / 推出A“B”等创新性改革 / 围绕A、B等一系列试点.
_REFORM = re.compile(
    r"(?:探索实施|探索推行|推出|推行|试点|实施|围绕|开展)"
    r"(?P<list>[^。；;，,]{4,200}?)等(?:新一批|一系列|一批|多项)?[^。；;，,等]{0,10}?"
    r"(?:改革|试点|制度)(?![^。；;，,]{0,2}[方领])"
)
#: 通过推进A、推动B、完善C，助力D: the verb phrases before the purpose are the measures.
_BY_MEANS = re.compile(
    r"通过(?P<list>[^。；;，,]{6,260}?)(?:[，,](?:助力|推动|实现|促进|加快)"
    r"|(?P<etc>等(?:一系列|多项)?(?:举措|措施|方式|手段)))"
)

#: Light verbs dropped from the front of an item (开展通关模式协同创新 → the task).
_LIGHT = ("开展", "进行", "实行", "加强")

# --- action clauses ----------------------------------------------------------------------------

_ACTION_VERBS = sorted(
    set(
        (
            "选派 派出 派遣 发动 组织 动员 投入 安排 争取到 争取 筹集 捐赠 援建 "
            "捐建 建设 建成 新建 修建 改造 打造 搭建 设立 成立 组建 建立 健全 "
            "完善 落实 实施 推进 推出 推行 开展 启动 举办 制定了 制定 引入 引进 "
            "培训 培育 培养 帮助 资助 开设 开通 开行 共建 升级 试点 深化 加强 "
            "优化 淘汰 关改搬转 严抓 整治 完成 梳理出 导入 承接 设置 接收 "
            "采购 结对 养殖 种植 鼓励 填补 构建 拓展 畅通 疏解  新建了 "
            "建成了 完成了 投资 援助 联动开展 选拔 输送 转移 吸纳 招引 签约"
        ).split()
    ),
    key=len,
    reverse=True,
)
_ADVERBS = sorted(
    set(
        (
            "累计 积极 持续 不断 进一步 大力 全力 着力 深入 加快 全面 共同 联合 "
            "合力 联手 先后 已 已经 正 正在 将 还 也 就 都 率先 逐步 稳步 扎实 "
            "切实 高标准 主动 接续 继续 陆续 先后 重点 要 今后将 未来将 计划 拟 "
            "专门 分批 集中 统筹 精准 首次 当年 同时 并 又 再"
        ).split()
    ),
    key=len,
    reverse=True,
)
#: Subjects dropped from the front of a clause when the region extractor has not marked them.
_SUBJECT_WORDS = tuple(
    (
        "他们 她们 我们 他 她 两地 双方 三地 我国 各地 当地 全国 该县 该市 "
        "该区 全省 全市 全县 全区 各方 沿线 目前 如今 今年 近年来 两年来 "
        "三年来 五年来 十年来 多年来 此外 其中 同时"
    ).split()
)
#: 两省, 三地, 三省一市: a counted group of places as the subject.
_COUNTED_SUBJECT = re.compile(
    r"^[两三四五六七八九十几多]+(?:省|市|县|区|地|方)(?:[一二三四五]市)?(?=\S)"
)
#: 从A、B等方面 / 在A等三个领域: a frame of fields before the verb.
_FRAME = re.compile(
    r"^(?:从|在)[^，。；“”]{2,40}?等(?:[0-9一二三四五六七八九十两]+[大个]?)?(?:方面|领域)"
)
_NUM_OBJECT = re.compile(
    r"[0-9][0-9.]*(?:多|余)?(?:万|亿)?(?:名|人|人次|个(?!月)|家|所|项|条|批|座|栋|株|亩|公里|千米|米"
    r"|户|套|台|场|期|次|吨|元)"
)
_MONEY = re.compile(r"[0-9][0-9.]*(?:多|余)?(?:万|亿|千)?元")
#: Verbs that make a money amount an input (a measure) rather than an output (a figure).
_MONEY_VERBS = tuple(("投入 安排 争取 筹集 捐赠 援助 资助 帮助").split())
_PAIRING = re.compile(r"结对|结成对子|手拉手")
_CLAUSE_RUN = re.compile(r"[^，,；;：:。！？!?…]+")
_MAX_CLAUSE = 48
#: Modifier before a counted object that the genre's summaries drop: 选派[…符合要求的]15名人才.
_LONG_MODIFIER = re.compile(r"^(?P<verb>[\u4e00-\u9fff]{2,4}?)(?P<mod>[^0-9]{8,}的)(?=[0-9])")


def _evidence(doc: Doc, start: int) -> Evidence:
    return doc.sents.at(start)


def _strip_quotes(s: str) -> str:
    return s.replace("“", "").replace("”", "").strip()


_OPENERS = "“（(《"
_CLOSERS = "”）)》"
#: Brackets and separators, read left to right; 以及 before 及 so that it is one separator.
_ITEM_MARKS = re.compile(r"[“（(《”）)》]|以及|和|及|、")
_ITEM_MARKS_NO_CONJ = re.compile(r"[“（(《”）)》]|、")


def _split_items(s: str, base: int, conj: bool = True) -> list[tuple[str, int]]:
    """Split an enumeration on 、 (and 和/及/以及 when ``conj``), never inside quotes or brackets.

    Returns (item, offset) pairs with offsets into the article text.  Only the marks
    (brackets and separators) are visited, with one regex: this runs on every clause
    of every article, and a loop over each character was a tenth of the extraction time.
    """
    items: list[tuple[str, int]] = []
    depth = 0
    cur_start = 0
    for m in (_ITEM_MARKS if conj else _ITEM_MARKS_NO_CONJ).finditer(s):
        mark = m.group()
        if mark in _OPENERS:
            depth += 1
        elif mark in _CLOSERS:
            depth = max(0, depth - 1)
        elif depth == 0:
            items.append((s[cur_start : m.start()], base + cur_start))
            cur_start = m.end()
    items.append((s[cur_start:], base + cur_start))
    out = []
    for text, off in items:
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        if text:
            out.append((text, off + lead))
    return out


def _program_at(doc: Doc, start: int, end: int) -> Program | None:
    """The program with a mention inside [start, end)."""
    best = None
    for p in doc.ex.programs:
        for m in p.mentions:
            if start <= m.start and m.end <= end:
                if best is None or m.start < best[0]:
                    best = (m.start, p)
    return best[1] if best else None


def _sentence_program(doc: Doc, pos: int, docs_only: bool = True) -> Program | None:
    """The program of the sentence at ``pos``, else of the sentence before it."""
    sent = doc.sents.at(pos)
    ranges = [(sent.start, sent.end)]
    if sent.start > 0:
        prev = doc.sents.at(sent.start - 1)
        ranges.append((prev.start, prev.end))
    for a, b in ranges:
        cands = [
            (m.start, p)
            for p in doc.ex.programs
            for m in p.mentions
            if a <= m.start < b and (not docs_only or p.kind in _DOC_KINDS)
        ]
        if cands:
            before = [c for c in cands if c[0] <= pos] or cands
            return max(before, key=lambda c: c[0])[1]
    return None


def _article_program(doc: Doc) -> Program | None:
    """The document an article is about: the most mentioned titled document."""
    docs = [p for p in doc.ex.programs if p.kind in _DOC_KINDS]
    if not docs:
        return None
    return max(docs, key=lambda p: (len(p.mentions), -p.mentions[0].start))


class _Collector:
    """Measures found so far; a span already covered by an earlier rule is not added twice."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.items: list[Measure] = []
        self.spans: list[tuple[int, int]] = []

    def taken(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.spans)

    def add(
        self,
        label: str,
        start: int,
        end: int,
        program: Program | None,
        total: int | None = None,
    ) -> None:
        label = _strip_quotes(label)
        if len(label) < 4 or self.taken(start, end) or any(m.label == label for m in self.items):
            return
        self.spans.append((start, end))
        self.items.append(
            Measure(
                label=label,
                program=program.label if program else None,
                evidence=_evidence(self.doc, start),
                total=total,
            )
        )


def _strip_light(item: str, off: int) -> tuple[str, int]:
    for v in _LIGHT:
        if item.startswith(v) and len(item) - len(v) >= 4:
            return item[len(v) :], off + len(v)
    return item, off


def _aspects(doc: Doc, out: _Collector) -> None:
    """Task lists of a program: 在A、B和C N个方面 / 在开展A、完善B等方面."""
    if "方面" not in doc.text and "领域" not in doc.text:
        return  # the pattern's long lazy list is costly to try at every 在
    for m in _ASPECT.finditer(doc.text):
        program = _program_at(doc, doc.sents.at(m.start()).start, m.start())
        if m.group("area") == "领域" and m.group("intro") != "在":
            continue  # 围绕A、B等领域: fields of focus, not a list of tasks
        if program is not None and program.kind not in _DOC_KINDS:
            continue  # 共建…平台，在A、B等方面提供服务: what a platform offers, not tasks
        program = program or _sentence_program(doc, m.start())
        if program is None:
            continue
        body = m.group("list")
        base = m.start("list")
        items = _split_items(body, base, conj=True)
        if len(items) < 2:
            continue
        for item, off in items:
            item, off = _strip_light(item, off)
            if 4 <= len(item) <= 30:
                out.add(item, off, off + len(item), program)


def _reforms(doc: Doc, out: _Collector) -> None:
    """Items of an enumerated reform or pilot list, and a lone quoted pilot between them."""
    for m in _REFORM.finditer(doc.text):
        items = _split_items(m.group("list"), m.start("list"), conj=False)
        program = _sentence_program(doc, m.start())
        for item, off in items:
            if 4 <= len(_strip_quotes(item)) <= 24:
                out.add(item, off, off + len(item), program)
        # 试点“一照多址”: a quoted pilot named alone in the clause before the next list
        tail = doc.text[m.end() : m.end() + 40]
        q = re.match(r"[^，,。；]{0,4}[，,](?:试点|推行|探索|实施)“([^“”]{3,12})”[，,]", tail)
        if q:
            s = m.end() + q.start(1)
            out.add(q.group(1), s, s + len(q.group(1)), program)


def _by_means(doc: Doc, out: _Collector) -> None:
    """通过推进A、推动B，助力C: each verb phrase of the means list."""
    for m in _BY_MEANS.finditer(doc.text):
        items = _split_items(m.group("list"), m.start("list"), conj=False)
        if len(items) < 2 and not m.group("etc"):
            continue
        program = _sentence_program(doc, m.start())
        for item, off in items:
            found = _VERB.match(item)
            verb = found.group() if found else None
            if verb is None:
                if m.group("etc") and 4 <= len(item) <= 16:
                    out.add(item, off, off + len(item), program)  # 全域道路保洁等一系列举措
                continue
            obj = item[len(verb) :]
            if m.group("etc"):  # 落实路长制: the verb makes the measure
                obj, off, verb = item, off, ""
            if 3 <= len(obj) <= 24:
                out.add(
                    obj,
                    off + len(verb),
                    off + len(item),
                    _program_at(doc, off, off + len(item)) or program,
                )


def _totals(doc: Doc, out: _Collector) -> None:
    """Counted totals: 推出24条举措 → Measure(label='24条举措', total=24)."""
    for rx in (_TOTAL, _TOTAL_AFTER_TITLE):
        for m in rx.finditer(doc.text):
            start = m.start("n")
            label = m.group("n") + m.group("cl") + m.group("noun")
            program = _sentence_program(doc, start) or _article_program(doc)
            if out.taken(start, m.end()):
                continue
            out.add(label, start, m.end(), program, total=int(m.group("n")))


def _region_ends(regions: list[tuple[int, int]]) -> dict[int, list[int]]:
    """Ends of the region mentions by start, shortest first.

    A clause's subject is the region starting where the clause starts: a lookup here
    keeps :func:`_strip_subject` linear in the article's length (it used to sort all
    of the article's regions for every clause).
    """
    ends: dict[int, list[int]] = {}
    for s, e in sorted(set(regions)):
        ends.setdefault(s, []).append(e)
    return ends


def _strip_subject(clause: str, off: int, region_ends: dict[int, list[int]]) -> tuple[str, int]:
    """Drop a leading subject (regions, 两地, time words) and keep adverbs and the verb.

    ``region_ends`` comes from :func:`_region_ends`.
    """
    changed = True
    while changed and clause:
        changed = False
        for e in reversed(region_ends.get(off, ())):  # the longest region that leaves a rest
            if e - off < len(clause):
                clause, off = clause[e - off :], e
                changed = True
                break
        w = _SUBJECT_WORD.match(clause) if clause[:1] in _SUBJECT_FIRST else None
        if w:
            clause, off = clause[w.end() :], off + w.end()
            changed = True
        # 在乙县举办…: a place where the action happens is not part of the measure
        if clause.startswith("在"):
            for e in region_ends.get(off + 1, ()):
                if e - off < len(clause) and _verb_at(clause[e - off :]):
                    clause, off = clause[e - off :], e
                    changed = True
                    break
        # 从A、B等方面深化…: the fields frame the action, they are not part of it
        f = _FRAME.match(clause) if clause[:1] in "从在" else None
        if f and _verb_at(clause[f.end() :]):
            clause, off = clause[f.end() :], off + f.end()
            changed = True
        n = _COUNTED_SUBJECT.match(clause) if clause[:1] in _COUNT_FIRST else None
        if n and n.end() < len(clause):
            clause, off = clause[n.end() :], off + n.end()
            changed = True
        if clause[:1] in "的和与及、" and changed:
            clause, off = clause[1:], off + 1
    return clause, off


def _verb_at(clause: str) -> tuple[int, int, str] | None:
    """Where the measure starts, where its action verb starts, and the verb.

    The measure starts at the adverbs before the verb (累计发动…).  When no verb
    follows directly, an unmarked subject may come first (12个援助省市安排…,
    其中一个重点就是推进…); it is left out of the measure.
    """
    i = 0
    for _ in range(4):
        first = clause[i : i + 1]
        v = _VERB.match(clause, i) if first in _VERB_FIRST else None
        if v is not None:
            return 0, i, v.group()
        a = _ADVERB.match(clause, i) if first in _ADVERB_FIRST else None
        if a is None:
            break
        i = a.end()
    m = _SUBJECT_PREFIX.match(clause)
    if m and m.end() < len(clause):
        found = _verb_at(clause[m.end() :])
        if found is not None:
            return m.end(), m.end() + found[1], found[2]
    return None


#: Objects that are evaluations or goals, not actions: 加快…步伐, 激发…活力, 绘就…新画卷.
_ABSTRACT_END = re.compile(
    r"(?:能力|活力|作用|步伐|格局|成效|局面|氛围|意识|理念|精神|篇章|画卷|积极性|主动性|赞歌|好评|风貌"
    r"|状况|问题|优势|动能|动力|信心|热情|合力|潜力|底线|要求|责任|任务|使命|方向|目标|道路|路子"
    r"|发展|建设|工作|态势|成果|成就|进展|突破|增长|提升|闪亮|更好|布局|体制|新生态|协调|方式|环境"
    r"|战略|开发|更加\S*|向\S{1,10}(?:拓展|延伸|迈进|转变)"
    r"|制度化|规范化|常态化|长效化|机制化|便利化|一体化|同城化|现代化|高质量|走深走实|走实|见效"
    r"|自由流动|(?:合作|友好|伙伴)关系)$"
)
#: Objects that are a measurement of the thing, not an action on it: 建设工期N个月.
_STAT_OBJECT = re.compile(r"^(?:工期|周期|规模|面积|总投资|投资额|全长|里程|年限|期限)")
#: Plans, not reports: 下一步，…; 今后，…; …将持续深化….
_FUTURE = re.compile(r"^(?:下一步|下阶段|今后|未来|接下来|明年)")
#: Exhortation and purpose: 要…, 必须…, 为实现… are not reported actions.
_NOT_ACTION = re.compile(
    r"^(?:要|需要|需|必须|应当|应|为了|为|以|使|让|把握|坚持|围绕|按照|根据|通过)"
)
#: Verbs that start a plain action clause even without a counted or named object.
_PLAIN_VERBS = sorted(
    set(
        (
            "淘汰 严抓 抓好 启动 完成 打造 构建 引入 引进 新建 新建了 编制 "
            "组织编制 争取 养殖 种植 鼓励 填补 实施 开展 推进 落实 建立 设立 搭建 "
            "升级 探索建立 导入 培育 发展 建设 共建 优化 深化 加强 强化 推动 促进 "
            "提升 帮助 引导 组织 选派 派出 捐赠 援建 整治 修复 治理 共筑 筑牢 "
            "开设 开通 制定 制订  引到 投入 承接 疏解"
        ).split()
    ),
    key=len,
    reverse=True,
)
PLAIN = True
#: A sentence opened by a purpose clause (为实现…，…) lists intentions, not actions.
_PURPOSE = re.compile(r"^(?:为了?|为进一步)[^，,。]{2,30}[，,]")
#: Similes (像…一样) describe, they do not act.
_FIGURATIVE = re.compile(r"像[^，。]{1,20}一样|如同")
#: Particles dropped from the front of a measure (还将共建… → 共建…); adverbs with content stay.
_PARTICLES = tuple(("今后将 未来将 还将 也将 已经 正在 同时 还 也 并 将 又 就 都 已 正").split())
_ALL_VERBS = sorted(set(_ACTION_VERBS) | set(_PLAIN_VERBS), key=len, reverse=True)
#: The word lists as regexes, longest word first (what a scan of the sorted list finds),
#: because they are tried at the start of every clause.
_VERB = re.compile("|".join(map(re.escape, _ALL_VERBS)))
_ADVERB = re.compile("|".join(map(re.escape, _ADVERBS)))
#: The first subject word, in list order, that leaves something after it.
_SUBJECT_WORD = re.compile("(?:" + "|".join(map(re.escape, _SUBJECT_WORDS)) + r")(?=[\s\S])")
#: First characters of the words above, of the counted subjects (_COUNTED_SUBJECT)
#: and of the frames (_FRAME: 从, 在). These regexes are tried at the start of every
#: clause; a lookup of its first character spares most of the tries.
_VERB_FIRST = frozenset(w[0] for w in _ALL_VERBS)
_ADVERB_FIRST = frozenset(w[0] for w in _ADVERBS)
_SUBJECT_FIRST = frozenset(w[0] for w in _SUBJECT_WORDS)
_COUNT_FIRST = frozenset("两三四五六七八九十几多")
#: 将 as the future (将持续…, 将共建…), not as the object marker (将山泉水引到…).
_WILL = re.compile(r"将(?:" + "|".join(map(re.escape, _ADVERBS + _ALL_VERBS)) + r"|$)")
#: Unmarked subjects before a verb: 12个援助省市…, 其中一个重点就是….
_SUBJECT_PREFIX = re.compile(
    r"^(?:[0-9]+个[\u4e00-\u9fff]{0,6}?(?:省市|省份|城市|地区|部门|单位|县|市)|[^，。]{0,8}?就是"
    r"|[\u4e00-\u9fff]{1,4}?(?=就|先后|累计|相继|陆续))"
)
#: A modal earlier in the sentence (…，要…) makes the clauses exhortations.
_MODAL = re.compile(r"(?<![重主需纲概摘提首])(?:要|需|必须|应当)(?![素求点闻件事])")


#: What ends a sentence that is not a heading.
_SENTENCE_ENDS = tuple(("。 ！ ？ ” ） ! ?").split())


def _clauses(doc: Doc, out: _Collector) -> None:
    """Action clauses with a concrete object: a named program or a counted quantity."""
    text = doc.text
    regions = _region_ends([(m.start, m.end) for r in doc.ex.regions for m in r.mentions])
    prog_spans = [
        (m.start, m.end, p) for p in doc.ex.programs if p.kind not in _DOC_KINDS for m in p.mentions
    ]
    strategy_spans = [(m.start, m.end) for st in doc.ex.strategies for m in st.mentions]
    doc_spans = [
        (m.start, m.end) for p in doc.ex.programs if p.kind in _DOC_KINDS for m in p.mentions
    ]
    for sent in doc.sents:
        heading = not sent.quote.endswith(_SENTENCE_ENDS)
        if heading:
            continue
        pairing = _PAIRING.search(sent.quote) is not None
        if not (pairing or _VERB.search(sent.quote)):
            continue  # every measure below needs an action verb or a pairing in its clause
        # what the sentence lacks, none of its clauses has: one search per sentence
        figurative = _FIGURATIVE.search(sent.quote) is not None
        for clause, off in _clause_spans(sent.quote, sent.start, regions):
            if figurative and _FIGURATIVE.search(clause):
                continue
            if pairing and _PAIRING.search(clause) and len(_NUM_OBJECT.findall(clause)) >= 2:
                c, o = _strip_subject(clause, off, regions)
                if len(c) <= _MAX_CLAUSE:
                    out.add(c, o, o + len(c), _program_at(doc, o, o + len(c)))
                continue
            if not _VERB.search(clause):
                continue  # no action verb anywhere: one search spares the steps below
            c, o = _strip_subject(clause, off, regions)
            found = _verb_at(c)
            if found is None:
                continue
            lpos, vpos, verb = found
            c, o, vpos = c[lpos:], o + lpos, vpos - lpos
            if "”的" in c and "“" not in c:  # 推动X”的工作重点: the quoted item ends at ”
                c = c[: c.index("”的")]
            obj_start = o + vpos + len(verb)
            end = o + len(c)
            obj = text[obj_start:end]
            if len(c) > _MAX_CLAUSE or len(obj) < 2:
                continue  # too long for a measure, or no object
            if obj.startswith(("的", "了的")):
                continue  # 援建的…基地: a relative clause, the action is elsewhere
            if any(obj_start <= s and e <= end for s, e in doc_spans):
                continue  # 编制《规划》: the document is the program, not a task
            prog = next((p for s, e, p in prog_spans if obj_start <= s and e <= end), None)
            num = _NUM_OBJECT.search(obj)
            if _MONEY.search(obj) and not verb.startswith(_MONEY_VERBS):
                continue  # 完成投资…亿元 is a figure, not an action
            if any(obj_start <= s and end - 2 <= e <= end for s, e in strategy_spans):
                continue  # 实施…战略: carrying out a strategy is not a concrete task
            if prog is not None and prog.kind == "mechanism" and verb.startswith("建立"):
                continue  # 建立…机制: the mechanism is the item (a program), not a task
            if _STAT_OBJECT.match(obj):
                continue  # 建设工期27个月: a figure about a project
            if prog is None and num is None:
                if not PLAIN or not _plain_ok(c, vpos, verb, obj):
                    continue
                if _MODAL.search(text[sent.start : off]) or _PURPOSE.match(sent.quote):
                    continue
                if _FUTURE.match(sent.quote) or _WILL.search(text[sent.start : o + vpos]):
                    continue  # 下一步，两地将持续深化…: an intention, not a reported action
            lead = next((p for p in _PARTICLES if c.startswith(p) and len(p) <= vpos), "")
            label = c[len(lead) :]
            vpos -= len(lead)
            lm = _LONG_MODIFIER.match(label[vpos:])
            if lm and num is not None:
                label = label[: vpos + len(lm.group("verb"))] + label[vpos + lm.end() :]
            out.add(label, o + len(lead), end, prog)


def _clause_spans(
    quote: str, base: int, regions: dict[int, list[int]]
) -> list[tuple[str, int]]:
    """The clauses of a sentence with their offsets; a list of verb phrases is split.

    升级A功能、探索建立B……: when every item of a 、-list starts with an action verb (the
    first after its subject) and none is a noun phrase with 的,
    each item is a clause of its own.  An ellipsis ends a clause like a comma.
    """
    out: list[tuple[str, int]] = []
    for m in _CLAUSE_RUN.finditer(quote):
        run = m.group()
        clause = run.strip()
        if not clause:
            continue
        off = base + m.start() + len(run) - len(run.lstrip())
        # a list of verb phrases needs a verb: a clause without one is not split (nothing
        # in it or its items can be a measure then, see _clauses)
        items = _split_items(clause, off, conj=False) \
            if "、" in clause and _VERB.search(clause) else []
        if len(items) >= 2 and _verb_phrases(items, regions):
            out.extend(items)
        else:
            out.append((clause, off))
    return out


def _verb_phrases(items: list[tuple[str, int]], regions: dict[int, list[int]]) -> bool:
    """Every item starts with an action verb and none is a noun phrase with 的."""
    if not all("的" not in it and _starts_with_verb(it) for it, _ in items[1:]):
        return False
    # the first item may still carry the clause's subject (甲省升级A、探索B)
    first = _strip_subject(items[0][0], items[0][1], regions)[0]
    return "的" not in first and _starts_with_verb(first)


def _starts_with_verb(item: str) -> bool:
    found = _verb_at(item)
    return found is not None and found[0] == 0


def _plain_ok(clause: str, vpos: int, verb: str, obj: str) -> bool:
    """A plain action clause: concrete verb, a short concrete object, no goal wording."""
    if verb not in _PLAIN_VERBS or _NOT_ACTION.match(clause):
        return False
    if not 3 <= len(obj) <= 28 or _ABSTRACT_END.search(obj):
        return False
    return not re.search(r"[要需]", clause[:vpos])


def extract_measures(doc: Doc) -> list[Measure]:
    """Find the measures of an article; runs after programs (``doc.ex.programs``)."""
    out = _Collector(doc)
    _aspects(doc, out)
    _reforms(doc, out)
    _totals(doc, out)
    _by_means(doc, out)
    _clauses(doc, out)
    out.items.sort(key=lambda m: m.evidence.start)
    return out.items
