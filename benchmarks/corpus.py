"""A synthetic corpus of regional-development news, with the gold annotation of what it says.

``python benchmarks/corpus.py N [-o DIR] [--seed S] [--pages FRACTION] [--jsonl FRACTION]``
writes N articles to ``DIR/articles/`` and one gold file per article file to ``DIR/gold/``,
so that ``kg build DIR/articles`` can be timed on a corpus of any size and
``kg eval --gold DIR/gold DIR/articles`` can score extraction on it.

Why synthetic: the benchmarks need tens of thousands of articles, and real news is
third-party copyright that must not enter the repository. The text is written here,
sentence pattern by sentence pattern, in the genre of Chinese regional-development
news (paired assistance, east–west cooperation, jointly issued plans, provincial
blocs such as 川渝, statistics), from real data only: administrative units and their
parents from the gazetteer (``kg.gazetteer.load()``), groupings and zones from
``data/regions.ttl``, strategies from the SKOS vocabulary (``kg.extract.strategies``).

Why the gold can be trusted: every pattern records exactly what it states, as it
writes it, with the canonical names the extractor is meant to produce (the gazetteer's
full official names, the vocabulary's labels), so the gold is not a copy of any
extractor's rules. The one look at the finished text is for strategy names, a closed
list of literal words: one that occurs only inside a 《title》 or a program name is
made optional. What a careful reader would accept either way (a dateline's place,
counts inside a pairing list, a helper's province paired with the recipient, a vague
action such as 深化劳务协作) is marked optional, as in the hand-made gold files.
Ordinary words that happen to contain a place name (示范县 holds 范县, 教育资源 holds
资源) are left in on purpose: a reader does not take them for places, and neither
should the extractor.

Files, as a user's corpus would have them:

* ``.txt`` newspaper pages (``--pages``, share of the articles): several articles
  set in narrow columns with a blank line after every column line, a page date and
  section header, one- or two-line headlines, bylines (``□ 本报记者 张三``) or
  datelines (``本报讯``), sign-offs (``（李四 王五）``), subheadings. Gold in the seed
  shape (an ``articles`` list with ``first_words``/``last_words``), aligned by title.
* ``.md`` single articles with YAML front matter; gold in the dev shape.
* ``.jsonl`` files of a few articles each (``--jsonl``, share of the non-page
  articles); gold in the seed shape.

Deterministic: the same N, seed and fractions give byte-identical files. Each file
draws from its own ``random.Random(f"{seed}:{index}")``, inputs are sorted, and no
set or hash order reaches the output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.extract.strategies import vocabulary
from kg.gazetteer import load as load_gazetteer

TYPES = ("regions", "strategies", "programs", "measures", "partnerships", "indicators")
ARTICLE_EXTS = (".md", ".txt", ".jsonl")

# --- vocabulary written for the generator (genre words, no names) -----------------------------

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英玉萍鹏辉玲建宇浩凯鑫晨博文斌嘉琳佳雪慧颖婷倩瑶"
    "亮飞俊峰欣悦"
)
OUTLETS = ("区域经济导报", "城乡发展报", "发展改革周刊", "协作通讯", "经济观察周报")
SECTIONS = ("区域动态", "区域经济", "协作交流", "地方观察", "东西协作", "发展改革")
PRODUCTS = (
    "茶叶", "牦牛肉", "青稞", "核桃", "花椒", "中药材", "食用菌", "苹果", "柑橘", "马铃薯",
    "蜂蜜", "红枣", "猕猴桃", "高原蔬菜", "黑山羊", "竹笋", "魔芋", "菜籽油", "藜麦", "咖啡",
)  # fmt: skip
FLOWERS = ("格桑花", "石榴籽", "雪莲花", "春蕾", "启明星", "同心", "向阳花", "蒲公英")
VILLAGE_WORKS = (
    "乡村振兴先行示范村建设项目", "红色文化传承地建设项目", "高标准农田建设项目",
    "易地搬迁安置点配套建设项目", "农村饮水安全巩固提升工程", "特色产业示范村建设项目",
)  # fmt: skip
PERSONNEL = ("专技人才", "骨干教师", "医疗专家", "农业技术人员", "党政干部", "规划设计人员")
PERSONNEL_DEST = ("赴{r}开展帮扶", "组成工作队援派{r}", "到{r}挂职锻炼")
TRAINING = ("乡村振兴", "农村电商", "乡村旅游", "基层治理", "畜牧养殖")
MECHANISMS = (
    "“双向挂职”干部交流机制", "党政联席会议机制", "“一对一”产业协作对接机制",
    "“点单式”人才交流机制",
)  # fmt: skip
EVENTS = ("特色农产品产销对接会", "招商引资推介会", "文化旅游推介会", "劳务协作对接会")
ASPECT_DOMAINS = (
    "政务服务", "要素市场", "监管执法", "改革经验", "交通设施", "产业协作", "生态环境",
    "公共服务", "科技创新", "人才资源", "医疗卫生", "教育资源", "文化旅游", "社会保障",
    "市场准入", "数据资源", "应急管理",
)  # fmt: skip
ASPECT_ACTIONS = (
    "同城化联办", "一体化共建", "跨区域共治", "常态化共享", "互联互通", "联防联治",
    "共建共享", "互认互通", "便利化改革", "标准化对接",
)  # fmt: skip
PLAN_TOPICS = (
    "区域协同推进营商环境建设", "公共服务共建共享", "生态环境联防联治", "交通基础设施互联互通",
    "产业协同发展", "科技创新协同发展", "文化旅游一体化发展", "人才一体化发展", "毗邻地区合作",
)  # fmt: skip
REFORMS = (
    "企业开办全程网办", "工程建设项目审批告知承诺制", "跨区域社保关系转移接续",
    "异地就医直接结算", "电子证照互认共享", "企业信用报告互认", "市场主体登记确认制",
    "涉企经营许可告知承诺", "不动产登记跨域通办", "住房公积金异地互认互贷",
)  # fmt: skip
MEANS = (
    ("推进", "涉税服务事项跨域联办"), ("推动", "高频政务服务事项跨省通办"),
    ("完善", "信用信息共享应用"), ("推进", "政务数据共享赋能"),
    ("推行", "社保卡居民服务一卡通"), ("深化", "跨区域执法协作"),
    ("推动", "检验检测结果互认"), ("推进", "人才评价结果互认"),
)  # fmt: skip
PLATFORMS = (
    "放心游公共服务平台", "农产品公共品牌服务平台", "科技成果转化服务平台", "人才招聘服务平台",
)  # fmt: skip
SUBHEADINGS = (
    "携手共进谱新篇", "产业帮扶结硕果", "人才交流添动力", "民生改善见实效", "山海情深 同心同行",
    "优势互补 共建共享",
)  # fmt: skip
FILLER_MOOD = (
    "干部群众的获得感、幸福感不断增强。",
    "一幅山海相连、携手发展的美好画卷正徐徐展开。",
    "帮扶工作赢得了当地干部群众的一致好评。",
    "交往交流交融更加紧密，情谊愈加深厚。",
)
FILLER_NEXT = (
    "下一步，两地将持续深化产业协作，推动帮扶工作走深走实。",
    "下一步，双方将继续发挥各自优势，在更宽领域、更深层次开展交流。",
    "接下来，两地还将聚焦产业、就业、消费等重点领域，不断拓展协作内涵。",
)
FILLER_PLAN = (
    "共同打造法治化、国际化、便利化的区域营商环境，更好激发区域内市场主体活力。",
    "进一步打破行政壁垒，推动区域内资源要素自由流动。",
    "为区域高质量发展提供有力支撑。",
    "着力破解跨区域协作中的难点堵点问题。",
    "让企业和群众办事更便捷、更省心。",
)
PLATFORM_TAILS = (
    "在信息发布、资源对接等方面提供同城服务。",
    "实现信息互通、资源共享。",
    "为企业和群众提供一站式服务。",
)

# Helper provinces and the provinces they help (东西部协作 and 对口支援 pairings).
EAST_WEST = {
    "110000": ("150000", "130000"),
    "120000": ("620000",),
    "310000": ("530000",),
    "320000": ("610000", "630000"),
    "330000": ("510000",),
    "350000": ("640000",),
    "370000": ("500000", "620000"),
    "440000": ("450000", "520000"),
}
TIBET, XINJIANG = "540000", "650000"
EXCLUDED = ("350527",)  # 金门县: in the table, but not a place mainland news writes about
# Provincial blocs written as abbreviation compounds: (compound, member codes, relation).
BLOCS = (
    ("川渝", ("510000", "500000"), "合作"),
    ("沪滇", ("310000", "530000"), "协作"),
    ("苏陕", ("320000", "610000"), "协作"),
    ("粤桂", ("440000", "450000"), "协作"),
    ("粤黔", ("440000", "520000"), "协作"),
    ("鲁渝", ("370000", "500000"), "协作"),
    ("京津", ("110000", "120000"), "合作"),
    ("闽宁", ("350000", "640000"), "协作"),
    ("京蒙", ("110000", "150000"), "协作"),
    ("津甘", ("120000", "620000"), "协作"),
)
FTZ_PROVINCES = (
    "110000", "120000", "130000", "210000", "230000", "310000", "320000", "330000", "340000",
    "350000", "370000", "410000", "420000", "430000", "440000", "450000", "460000", "500000",
    "510000", "530000", "610000", "650000",
)  # fmt: skip
# Strategies that suit a province or grouping (vocabulary labels).
REGIONAL_STRATEGY = {
    "jingjinji": "京津冀协同发展",
    "changsanjiao": "长三角一体化发展",
    "chengyu": "成渝地区双城经济圈建设",
    "dawanqu": "粤港澳大湾区建设",
    "changjiang-jingjidai": "长江经济带发展",
    "huanghe-liuyu": "黄河流域生态保护和高质量发展",
}
GENERAL_STRATEGIES = (
    "区域协调发展战略", "新型城镇化战略", "乡村振兴", "共同富裕", "主体功能区战略",
)  # fmt: skip
COMPASS = ("east", "west", "central", "northeast")  # compass areas: optional in the gold

# --- the world: places and words the patterns may use ----------------------------------------


@dataclass(frozen=True, slots=True)
class Unit:
    """An administrative unit the patterns may name: unique full name, known parents."""

    code: str
    name: str
    kind: str
    parent: str | None
    short: str | None  # a short form that means only this unit, if there is one


class World:
    """Everything the generator draws from, built once: units, groupings, checked words."""

    def __init__(self) -> None:
        gaz = load_gazetteer()
        self.gaz = gaz
        self.vocab = vocabulary()
        shorts: dict[str, str] = {}
        for s in sorted(gaz.short):
            keys = gaz.short[s]
            if len(keys) == 1 and len(s) >= 2 and s not in gaz.full and s not in gaz.common_words:
                shorts.setdefault(keys[0], s)
        self.units: dict[str, Unit] = {}
        for key in sorted(gaz.places):
            p = gaz.places[key]
            if not p.code or p.code[:2] in ("71", "81", "82") or p.code in EXCLUDED:
                continue
            if "群岛" in p.name or "海域" in p.name:
                continue  # island groups: no roads, no pairings
            if len(gaz.full.get(p.name, [])) != 1 or p.name in gaz.common_words:
                continue
            self.units[p.code] = Unit(p.code, p.name, p.kind, p.parent, shorts.get(p.code))
        self.provinces = sorted(c for c in self.units if c.endswith("0000"))
        self.prefectures: dict[str, list[str]] = {p: [] for p in self.provinces}
        self.counties: dict[str, list[str]] = {p: [] for p in self.provinces}
        for code, u in self.units.items():
            prov = code[:2] + "0000"
            if code == prov or prov not in self.prefectures:
                continue
            if u.kind == "prefecture":
                self.prefectures[prov].append(code)
            elif self._chain_known(code):
                self.counties[prov].append(code)
        self.groupings = {k: p for k, p in sorted(gaz.places.items()) if p.code is None}
        clean = self.clean_words
        self.products = clean(PRODUCTS)
        self.flowers = clean(FLOWERS)
        self.surnames = clean(tuple(SURNAMES))
        self.given = clean(tuple(GIVEN))

    def _chain_known(self, code: str) -> bool:
        u = self.units[code]
        return u.parent is not None and u.parent in self.units

    def clean_words(self, words: Sequence[str]) -> list[str]:
        """Words with no place name, short form, province compound or strategy inside.

        Filler must not name a place by accident: the gold would miss it.
        """
        abbr = self.gaz.abbreviations
        strong = self.gaz.strong_abbreviations
        out = []
        for w in words:
            if any(True for _ in self.gaz.find(w)):
                continue
            if self.vocab.find(w):
                continue
            if any(a in abbr and b in abbr and (a in strong or b in strong)
                   for a, b in itertools.pairwise(w)):
                continue
            out.append(w)
        return out

    def person(self, rng: random.Random) -> str:
        """A person's name that contains no place name (two or three characters)."""
        for _ in range(20):
            name = rng.choice(self.surnames) + "".join(
                rng.choice(self.given) for _ in range(rng.choice((1, 2, 2))))
            if not any(True for _ in self.gaz.find(name)):
                return name
        return rng.choice(self.surnames) + rng.choice(self.given)


# --- the gold of one article ------------------------------------------------------------------


class Gold:
    """What one article states, in the dev gold shape, recorded as it is written."""

    def __init__(self) -> None:
        self.regions: dict[str, dict[str, Any]] = {}
        self.strategies: dict[str, dict[str, Any]] = {}
        self.programs: dict[str, dict[str, Any]] = {}
        self.measures: list[dict[str, Any]] = []
        self.partnerships: list[dict[str, Any]] = []
        self.indicators: list[dict[str, Any]] = []
        self.optional: dict[str, list[Any]] = {t: [] for t in TYPES}

    def region(self, canonical: str, surface: str, adcode: str | None, kind: str,
               optional: bool = False) -> None:
        e = self.regions.get(canonical)
        if e is None:
            self.regions[canonical] = {"surface": surface, "canonical": canonical,
                                       "adcode": adcode, "kind": kind, "aliases": [],
                                       "optional": optional}
            return
        if surface not in (e["surface"], canonical) and surface not in e["aliases"]:
            e["aliases"].append(surface)
        if not optional:
            e["optional"] = False

    def strategy(self, label: str, surface: str, optional: bool = False) -> None:
        e = self.strategies.get(label)
        if e is None:
            self.strategies[label] = {"name": surface, "canonical": label, "aliases": [],
                                      "optional": optional}
            return
        if surface not in (e["name"], label) and surface not in e["aliases"]:
            e["aliases"].append(surface)
        if not optional:
            e["optional"] = False

    def as_dict(self) -> dict[str, Any]:
        opt = {t: list(v) for t, v in self.optional.items()}
        return {
            "regions": list(self.regions.values()),
            "strategies": list(self.strategies.values()),
            "programs": list(self.programs.values()),
            "measures": self.measures,
            "partnerships": self.partnerships,
            "indicators": self.indicators,
            "optional": opt,
        }


# --- numbers as written -----------------------------------------------------------------------

_CN = "零一二三四五六七八九"


def cn_round(n: int) -> str:
    """A round number in Chinese numerals, as the genre writes them (两千, 三百, 二十)."""
    for unit, word in ((1000, "千"), (100, "百"), (10, "十")):
        if n >= unit and n % unit == 0 and n // unit < 10:
            d = n // unit
            head = "两" if d == 2 and unit >= 100 else _CN[d]
            return ("" if unit == 10 and d == 1 else head) + word
    raise ValueError(n)


def qty(q: str, value: float | int, unit: str) -> str:
    """The raw text of a quantity: ``4400余万元``, ``近200人次``, ``超过1070亿元``, ``2亿元``."""
    v = f"{value:g}" if isinstance(value, float) else str(value)
    if q in ("余", "多"):
        return f"{v}{q}{unit}"
    return f"{q}{v}{unit}"


# --- one article ------------------------------------------------------------------------------


@dataclass
class Draft:
    """One article before layout: headline lines, credits, paragraphs and its gold."""

    headline: list[str]
    paragraphs: list[tuple[str, str]]  # ("p", text) or ("h", subheading)
    gold: Gold
    date: dt.date
    kind: str
    bylines: list[str] = field(default_factory=list)  # byline lines, pages only
    dateline: str = ""  # written before the first paragraph
    signoff: str = ""  # （李四 王五）
    authors: list[str] = field(default_factory=list)
    dateline_place: tuple[str, str] | None = None  # (code, surface) named in the dateline

    @property
    def title(self) -> str:
        return " ".join(self.headline)


class Writer:
    """Writes one article sentence by sentence, recording the gold of each sentence."""

    def __init__(self, world: World, rng: random.Random, date: dt.date) -> None:
        self.w = world
        self.r = rng
        self.date = date
        self.year = date.year
        self.gold = Gold()
        self.paras: list[tuple[str, str]] = []
        self.written: list[str] = []  # codes whose full name has been written

    # --- places ---

    def full(self, code: str) -> str:
        u = self.w.units[code]
        self.gold.region(u.name, u.name, u.code, u.kind)
        if code not in self.written:
            self.written.append(code)
        return u.name

    def short(self, code: str) -> str:
        """The unit's short form where it may stand alone, else its full name.

        County-level short forms are used only after the full name (婺城 after 婺城区);
        prefectures and provinces have unambiguous short forms of their own (金华, 浙江).
        """
        u = self.w.units[code]
        county = u.kind in ("county", "district")
        if u.short is None or (county and code not in self.written):
            return self.full(code)
        self.gold.region(u.name, u.short, u.code, u.kind)
        return u.short

    def some(self, code: str) -> str:
        return self.short(code) if self.r.random() < 0.5 else self.full(code)

    def chain(self, code: str) -> str:
        """浙江省金华市婺城区: the unit after its parents, every level a region."""
        parts = []
        u = self.w.units[code]
        while u is not None:
            parts.append(u.code)
            u = self.w.units.get(u.parent) if u.parent else None
        return "".join(self.full(c) for c in reversed(parts))

    def compound(self, abbr: str, codes: Sequence[str]) -> str:
        for c in codes:
            u = self.w.units[c]
            self.gold.region(u.name, abbr, u.code, u.kind)
        return abbr

    def grouping(self, key: str, surface: str | None = None) -> str:
        p = self.w.groupings[key]
        surface = surface or p.name
        self.gold.region(p.name, surface, None, p.kind, optional=key in COMPASS)
        return surface

    def ftz(self, prov: str, official: bool = False) -> str:
        """A pilot free-trade zone: 四川自贸试验区 (names 四川 too) or its official name."""
        u = self.w.units[prov]
        short = u.short or u.name
        canonical = f"中国（{short}）自由贸易试验区"
        written = self.r.choice(("自贸试验区", "自由贸易试验区"))
        surface = canonical if official else f"{short}{written}"
        self.gold.region(canonical, surface, None, "zone")
        self.gold.region(u.name, short, u.code, u.kind)
        return surface

    # --- items ---

    def strategy(self, label: str, surface: str | None = None) -> str:
        surface = surface or label
        self.gold.strategy(label, surface)
        return surface

    def program(self, name: str, kind: str, optional: bool = False) -> str:
        if name not in self.gold.programs:
            self.gold.programs[name] = {"name": name, "kind": kind}
            if optional:
                self.gold.programs[name]["optional"] = True
        return name

    def measure(self, text: str, program: str | None = None) -> str:
        if all(m["text"] != text for m in self.gold.measures):
            self.gold.measures.append({"text": text, "program": program})
        return text

    def partner(self, a: str, b: str, kind: str, evidence: str, since: int | None = None) -> None:
        e: dict[str, Any] = {"a": a, "b": b, "kind": kind, "evidence": evidence}
        if since:
            e["since"] = since
        self.gold.partnerships.append(e)

    def partners(self, names: Sequence[str], kind: str, evidence: str) -> None:
        for i in range(len(names)):
            for j in range(i + 1, len(names)):
                self.partner(names[i], names[j], kind, evidence)

    def indicator(self, subject: str, value: float | int, unit: str, raw: str, what: str,
                  year: int | None = None) -> str:
        self.gold.indicators.append({"subject": subject, "value": value, "unit": unit,
                                     "what": what, "year": year, "raw": raw})
        return raw

    def count(self, subject: str, lo: int, hi: int, unit: str, what: str,
              quals: Sequence[str] = (), year: int | None = None, step: int = 1) -> str:
        """A counted figure, written and recorded: ``500余个`` about ``subject``.

        A qualified figure is a round one (500余个, 近1000万元, never 41余家).
        """
        n = self.r.randrange(lo, hi + 1, step)
        q = self.r.choice((*quals, "")) if quals else ""
        if q:
            n = max(10, n - n % (100 if n >= 1000 else 10))
        return self.indicator(subject, n, unit, qty(q, n, unit), what, year)

    def optional_count(self, lo: int, hi: int, unit: str, noun: str = "") -> str:
        """A count a reader may or may not call a figure (3所学校 in a pairing list)."""
        n = self.r.randint(lo, hi)
        raw = f"{n}{unit}"
        self.gold.optional["indicators"].append({"value": n, "unit": unit, "raw": raw})
        return raw + noun

    def name(self, code: str) -> str:
        return self.w.units[code].name

    # --- text ---

    def para(self, *sentences: str) -> None:
        self.paras.append(("p", "".join(sentences)))

    def subheading(self) -> None:
        self.paras.append(("h", self.r.choice(SUBHEADINGS)))

    def pick(self, seq: Sequence[Any]) -> Any:
        return self.r.choice(seq)

    def md(self) -> tuple[int, int]:
        month = self.r.randint(1, 12)
        return month, self.r.randint(1, 28)


# --- article kinds: each writes headline and paragraphs through a Writer ----------------------


def _county(w: World, rng: random.Random, prov: str) -> str:
    pool = w.counties[prov] or w.prefectures[prov]
    return rng.choice(pool)


def _prefecture_of(w: World, code: str) -> str | None:
    u = w.units[code]
    if u.kind == "prefecture":
        return code
    parent = w.units.get(u.parent) if u.parent else None
    return parent.code if parent is not None and parent.kind == "prefecture" else None


def write_assist(wr: Writer) -> list[str]:
    """Paired assistance or east–west cooperation between a helper and a recipient county."""
    w, r = wr.w, wr.r
    helper_prov = r.choice(sorted(EAST_WEST))
    target = r.random()
    if target < 0.12:
        recip_prov, kindword = TIBET, r.choice(("对口援藏", "对口支援西藏"))
    elif target < 0.2:
        recip_prov, kindword = XINJIANG, r.choice(("对口援疆", "对口支援新疆"))
    else:
        recip_prov = r.choice(EAST_WEST[helper_prov])
        kindword = r.choice(("对口支援", "东西部协作", "对口帮扶", "结对帮扶", "东西部协作"))
    kind = "结对" if kindword in ("东西部协作", "结对帮扶") else "对口支援"
    h = _county(w, r, helper_prov)
    rc = _county(w, r, recip_prov)
    since = r.randint(max(2016, wr.year - 7), wr.year - 1)
    H, R = wr.name(h), wr.name(rc)

    def strat(surface: str) -> str:
        label = w.vocab.by_name.get(surface)
        if label is None:
            return surface
        for code, word in ((TIBET, "西藏"), (XINJIANG, "新疆")):
            if word in surface:  # 对口支援西藏 names the region too
                u = w.units[code]
                wr.gold.region(u.name, word, code, u.kind)
        return wr.strategy(label, surface)

    # opening
    style = r.randint(0, 3)
    if style == 0:
        how = r.choice(("派出干部人才、集中优势资源、实施项目建设",
                        "在产业、人才、教育、医疗等领域持续发力"))
        quote = r.choice(("“东西携手行，浓浓山海情。”", "“山海相隔千里，帮扶情谊绵长。”", ""))
        s = (f"自{since}年以来，{wr.chain(h)}与{wr.chain(rc)}两地"
             f"{r.choice(('同心同德、同向同行', '山海相约、真情相融', '同向发力、共谋发展'))}，"
             f"{wr.short(h)}{r.choice(('真情实意支援', '倾情倾力帮扶', '全力以赴推进帮扶'))}，"
             f"{how}，"
             f"{strat(kindword)}工作结出累累硕果。")
        wr.para(quote, s)
    elif style == 1:
        word = {"对口支援西藏": "对口援藏", "对口支援新疆": "对口援疆"}.get(kindword, kindword)
        s = (f"{since}年，{wr.chain(h)}与{wr.chain(rc)}正式建立{strat(word)}关系。")
        wr.para(s, f"{wr.year - since}年来，两地{r.choice(('携手并进', '守望相助'))}，"
                   f"{r.choice(FILLER_MOOD)}")
    elif style == 3:
        word = {"对口支援西藏": "对口援藏", "对口支援新疆": "对口援疆"}.get(kindword, kindword)
        doing = r.choice(("累计派出各类人才", "持续加大投入"))
        wr.gold.optional["measures"].append(doing)  # an action, but no concrete one
        s = (f"自{since}年{wr.chain(h)}与{wr.chain(rc)}{r.choice(('结成', '建立'))}"
             f"{strat(word)}关系以来，{wr.short(h)}{doing}，"
             f"{r.choice(FILLER_MOOD)}")
        wr.para(s)
    else:
        s = (f"{wr.chain(h)}{'对口支援' if kind == '对口支援' else '结对帮扶'}{wr.chain(rc)}"
             f"{r.choice(('以来', '工作开展以来'))}，两地{r.choice(('携手并进', '守望相助'))}，"
             f"{r.choice(FILLER_MOOD)}")
        if kind == "对口支援":
            wr.strategy("对口支援")
        wr.para(s)
    wr.partner(H, R, kind, s, since if style != 2 else None)
    if recip_prov == TIBET and "援藏" in kindword:
        wr.gold.optional["partnerships"].append([H, w.units[TIBET].name])
    helper_pref, recip_pref = _prefecture_of(w, h), _prefecture_of(w, rc)
    if helper_pref and recip_pref:
        wr.gold.optional["partnerships"].append([wr.name(helper_pref), wr.name(recip_pref)])
    wr.gold.optional["partnerships"].append([wr.name(helper_prov), wr.name(recip_prov)])

    patterns: list[Callable[[], None]] = []

    def personnel() -> None:
        lead, year = r.choice(((f"{r.randint(2, 5)}年来，", None), ("截至目前，", wr.year),
                               ("近年来，", None), ("", None)))
        who = r.choice(PERSONNEL)
        dest = r.choice(PERSONNEL_DEST).format(r=wr.short(rc))
        n = r.randint(8, 160)
        raw = wr.indicator(H, n, "名", f"{n}名", f"选派{who}", year)
        text = wr.measure(f"选派{raw}{who}{dest}")
        wr.para(f"{lead}{wr.short(h)}{r.choice(('累计', '先后', ''))}{text}。",
                r.choice(("", "他们扎根基层、真情帮扶，把先进理念和经验带到了当地。",
                          "援派人员克服生活习惯差异等困难，迅速进入工作角色。")))

    def pairing() -> None:
        a, b = wr.optional_count(3, 15, "所", "学校"), wr.optional_count(2, 6, "所", "医院")
        c, d = wr.optional_count(3, 12, "所", "学校"), wr.optional_count(2, 6, "所", "医院")
        e, f = wr.optional_count(6, 30, "家", "企业"), wr.optional_count(2, 8, "家", "社会组织")
        g = wr.optional_count(5, 40, "个", "村")
        m1 = wr.measure(f"{a}、{b}与{wr.short(rc)}{c}、{d}结对")
        m2 = wr.measure(f"{e}和{f}结对{wr.short(rc)}{g}")
        wr.para(f"{wr.short(h)}{m1}；{m2}，带动两地干部群众共同发展。")

    def funds() -> None:
        year = r.choice((wr.year, wr.year - 1, None))
        lead = "" if year is None else ("今年，" if year == wr.year else f"{year}年，")
        fund = r.choice(("财政帮扶资金", "东西部协作资金", "对口支援资金"))
        if "东西部协作" in fund:
            wr.strategy("东西部协作")
        elif "对口支援" in fund:
            wr.strategy("对口支援")
        x = r.randrange(500, 20000, 50)
        raw = wr.indicator(H, x, "万元", f"{x}万元", fund, year)
        m = wr.measure(f"投入{fund}{raw}")
        if r.random() < 0.5:
            k = r.randint(6, 60)
            kraw = wr.indicator(H, k, "个", f"{k}个", "实施项目", year)
            m2 = wr.measure(f"实施{wr.short(rc)}产业发展和基础设施项目{kraw}")
            wr.para(f"{lead}{wr.short(h)}{m}，{m2}。")
        else:
            wr.para(f"{lead}{wr.short(h)}{m}，重点支持产业发展、就业帮扶和乡村建设。")

    def park() -> None:
        product = r.choice(w.products)
        park_name = wr.program(f"{wr.full(rc)}{product}{r.choice(('加工园区', '产业园'))}",
                               "project")
        s1 = (f"{park_name}是{wr.short(h)}{r.choice(('援建', '投资建设'))}的重点项目，"
              f"{r.choice(('按市场化模式运营', f'主要发展{product}精深加工'))}。")
        y3 = wr.year + r.choice((0, 1))
        k = wr.count(park_name, 3, 30, "家", "入驻企业", year=wr.year)
        x = wr.count(park_name, 800, 9000, "万元", "完成投资", ("余", "超过"), year=wr.year)
        v = r.choice((1.5, 2, 2.6, 3, 4.2, 5))
        vraw = wr.indicator(park_name, v, "亿元", f"{v:g}亿元", "产值", y3)
        j = wr.count(park_name, 100, 900, "名", "带动就业", ("余",), year=wr.year, step=10)
        s2 = (f"目前，该园区已{r.choice(('完成主体工程竣工验收', '建成投用'))}，入驻企业{k}，"
              f"完成投资{x}，{'今' if y3 == wr.year else str(y3)}年产值有望达到{vraw}，"
              f"带动{j}群众就近就业。")
        wr.para(s1, s2)

    def kindergarten() -> None:
        name = wr.program(f"{wr.full(rc)}{r.choice(w.flowers)}{r.choice(('幼儿园', '小学'))}",
                          "project")
        verb = r.choice(("全额投资建设", "援建"))
        n = wr.count(name, 120, 900, "名", "可容纳学生", step=10)
        m = wr.measure(f"{verb}{name}", name) if verb == "援建" else None
        if m:
            wr.para(f"{wr.short(h)}{m}，已顺利竣工，可容纳{n}学生，"
                    f"基本解决了当地教育资源紧缺的问题。")
        else:
            wr.para(f"由{wr.short(h)}{verb}的{name}已顺利竣工，可容纳{n}学生，"
                    f"基本解决了当地教育资源紧缺的问题。")

    def consumption() -> None:
        n = r.choice((0.6, 1.2, 1.8, 2.5, 3.4))
        nraw = wr.indicator(H, n, "万人次", f"{n:g}万人次", "采购人次")
        m = wr.measure(f"发动企事业单位干部职工{nraw}采购{wr.short(rc)}农特产品")
        x = wr.count(H, 300, 3000, "万元", "采购金额", ("近", "超过"), step=10)
        wr.para(f"{wr.short(h)}累计{m}，采购金额合计{x}。")

    def training() -> None:
        topic = r.choice(TRAINING)
        if topic == "乡村振兴":
            wr.strategy("乡村振兴")
        k = r.randint(3, 20)
        m1 = wr.measure(f"举办{topic}培训班{k}期")
        n = wr.count(H, 200, 5000, "人次", "培训人次")
        m2 = wr.measure(f"培训{wr.short(rc)}基层干部和专业技术人员{n}")
        lead = r.choice(("今年以来，", "两年来，", ""))
        wr.para(f"{lead}{wr.short(h)}在{wr.short(rc)}{m1}，{m2}。")

    def labour() -> None:
        dests = [wr.short(helper_prov)]
        if r.random() < 0.4:
            other = r.choice([p for p in sorted(EAST_WEST) if p != helper_prov])
            dests.append(wr.short(other))
        dest = "、".join(dests) + ("等地" if len(dests) > 1 else "")
        n = wr.count(R, 300, 6000, "名", "转移就业", ("余", "多"), step=10)
        m = wr.measure(f"帮助{wr.short(rc)}{n}农村劳动力到{dest}稳定就业")
        how = r.choice(("深化劳务协作", "加强就业帮扶"))
        wr.gold.optional["measures"].append(how)  # an action, but hardly a concrete one
        wr.para(f"两地{how}，累计{m}。")

    def mechanism() -> None:
        name = wr.program(r.choice(MECHANISMS), "mechanism")
        wr.para(f"两地建立了{name}，"
                f"{r.choice(('定期研究解决帮扶工作中的重点问题', '推动帮扶工作制度化、规范化'))}。")

    def group_aid() -> None:
        name = wr.program("“组团式”帮扶", "mechanism")
        n = wr.count(H, 5, 40, "名", "医务人员")
        m = wr.measure(f"选派{n}医务人员")
        wr.para(f"{wr.short(h)}{m}，以{name}方式支援{wr.short(rc)}医疗卫生事业发展。")

    def village_projects() -> None:
        works = r.sample(VILLAGE_WORKS, 2)
        names = [wr.program(f"{wr.full(rc)}{x}", "project") for x in works]
        wr.para(f"{names[0]}、{names[1]}正如火如荼推进中。")

    def event() -> None:
        hp, rp = helper_pref or helper_prov, recip_pref or recip_prov
        month, day = wr.md()
        name = wr.program(f"{wr.short(hp)}·{wr.short(rp)}{r.choice(EVENTS)}", "event")
        k = wr.count(name, 5, 40, "个", "签约项目")
        v = r.choice((3.2, 5.6, 8, 12.5, 21))
        vraw = wr.indicator(name, v, "亿元", f"{v:g}亿元", "签约金额")
        wr.para(f"{month}月{day}日，{name}在{wr.short(hp)}举行，"
                f"现场签约项目{k}，签约金额{vraw}。")
        if r.random() < 0.5:  # where the guests came from is no partnership
            guests = [wr.short(p) for p in r.sample([p for p in sorted(EAST_WEST)
                                                     if p != helper_prov], 2)]
            n = r.randrange(30, 200, 10)
            wr.gold.optional["indicators"].append({"value": n, "unit": "家", "raw": f"{n}家"})
            wr.para(f"来自{guests[0]}、{guests[1]}等地的{n}家企业参加了本次对接活动。")

    patterns += [personnel, pairing, funds, park, kindergarten, consumption, training, labour,
                 mechanism, group_aid, village_projects, event]
    chosen = r.sample(patterns, r.randint(3, 6))
    for i, p in enumerate(chosen):
        if i == 2 and r.random() < 0.3:
            wr.subheading()
        p()

    # closing
    closing = r.randint(0, 2)
    leader = wr.w.person(r)
    if closing == 0:
        hu = w.units[h]
        deputy = ("副区长" if hu.kind == "district" else "副县长" if hu.name.endswith("县")
                  else "副市长")
        s = (f"{wr.short(h)}{deputy}、{wr.short(h)}援派"
             f"{wr.short(rc)}工作队队长{leader}表示，工作队全体队员将坚决扛起政治责任，"
             f"{r.choice(FILLER_NEXT)[4:]}")
        wr.para(s)
    elif closing == 1:
        wr.para(f"{wr.short(rc)}{r.choice(('县委副书记', '副县长'))}{leader}说："
                f"“山海相连，情谊绵长。我们将用好帮扶资源，把各项工作做细做实。”")
    else:
        wr.para(r.choice(FILLER_NEXT))

    hs, rs = w.units[h].short or H, w.units[rc].short or R
    return r.choice((
        [f"跨越山海 {hs}携手{rs}织密“同心结”"],
        [f"{hs}{rs}：山海协作结硕果"],
        [f"{kindword}架起{hs}{rs}连心桥"],
        ["山海携手绘新篇", f"——{hs}{kindword}{rs}工作纪实"],
        [f"{hs}倾情帮扶{rs}", "谱写共同发展新篇章"],
    ))


def _backref(title: str) -> str:
    """How the genre refers back to a document after citing it in full."""
    core = title.split("（")[0]
    for tail, ref in (("工作方案", "方案"), ("行动方案", "行动方案"), ("实施方案", "实施方案"),
                      ("规划", "规划"), ("实施意见", "意见"), ("若干措施", "若干措施"),
                      ("工作要点", "要点")):
        if core.endswith(tail):
            return ref
    return "方案"


def _plan_title(r: random.Random, issuer: str, topic: str, year: int) -> tuple[str, str]:
    """A document title in one of the genre's forms, and its program kind."""
    form = r.randint(0, 5)
    if form == 0:
        return f"{issuer}{topic}{year}年工作方案", "plan"
    if form == 1:
        return f"{issuer}{topic}三年行动方案（{year}—{year + 2}年）", "plan"
    if form == 2:
        return f"{issuer}{topic}实施方案", "plan"
    if form == 3:
        return f"关于推进{issuer}{topic}的实施意见", "policy-document"
    if form == 4:
        return f"{issuer}支持{topic}的若干措施", "policy-document"
    return f"{issuer}{topic}{year}年工作要点", "plan"


def _serving(r: random.Random, label: str) -> str:
    """The verb phrase the genre uses for carrying out a strategy (落实…, 推动共同富裕)."""
    if label == "共同富裕":
        return r.choice(("扎实推动", "促进"))
    if label in ("西部大开发", "东北振兴"):
        return r.choice(("推进", "助力"))
    return r.choice(("深入实施", "落实"))


def _plan_body(wr: Writer, title: str, issuer: str, subject: str) -> None:
    """Tasks of a jointly issued document: aspects, totals, means, reforms, targets.

    ``issuer`` names things (浙江…服务平台), ``subject`` acts in sentences (各地还将…).
    """
    r = wr.r
    ref = _backref(title)
    aspects = [f"{d}{a}" for d, a in zip(r.sample(ASPECT_DOMAINS, 4), r.sample(ASPECT_ACTIONS, 4),
                                          strict=True)]
    n_aspects = r.randint(3, 4)
    items = aspects[:n_aspects]
    for it in items:
        wr.measure(it, title)
    t = r.randint(12, 40)
    form = r.randint(0, 2)
    if form == 0:
        total = wr.measure(f"{t}项重点任务", title)
        wr.indicator(title, t, "项", f"{t}项", "重点任务")
        wr.optional_count(n_aspects, n_aspects, "个")  # 4个方面
        wr.para(f"据悉，《{ref}》在{'、'.join(items[:-1])}和{items[-1]}{n_aspects}个方面谋划了"
                f"{total}。")
    elif form == 1:
        noun = r.choice(("具体举措", "具体措施"))
        total = wr.measure(f"{t}条{noun}", title)
        wr.indicator(title, t, "条", f"{t}条", noun)
        wr.para(f"《{ref}》围绕{'、'.join(items[:-1])}和{items[-1]}等方面，提出{total}。")
    else:
        total = wr.measure(f"{t}项任务", title)
        wr.indicator(title, t, "项", f"{t}项", "任务")
        wr.para(f"《{ref}》明确了{'、'.join(items)}等方面共{total}。")
    chosen = r.sample(("means", "reforms", "target", "platform", "doc"), r.randint(2, 4))
    for c in chosen:
        if c == "means":
            means = r.sample(MEANS, 3)
            for _, obj in means:
                wr.measure(obj, title)
            listed = "、".join(v + o for v, o in means)
            wr.para(f"通过{listed}，助力{items[0]}。")
        elif c == "reforms":
            reforms = r.sample(REFORMS, 3)
            for x in reforms:
                wr.measure(x, title)
            wr.para(f"{subject}还将探索实施{'、'.join(reforms)}等一系列改革。")
        elif c == "target":
            v = r.randrange(100, 500, 10)
            raw = wr.indicator(title, v, "项", f"{v}项", "跨域通办事项（目标）")
            wr.para(f"《{ref}》提出，到{wr.year + 2}年，区域内政务服务跨域通办事项达到{raw}以上，"
                    f"{r.choice(FILLER_PLAN)}")
        elif c == "platform":
            name = wr.program(f"{issuer}{r.choice(PLATFORMS)}", "platform")
            verb = r.choice(("共建", "打造"))
            wr.measure(f"{verb}{name}", name)
            wr.para(f"今后，{subject}将{verb}{name}，{r.choice(PLATFORM_TAILS)}")
        else:
            name = wr.program(f"{issuer}{r.choice(('空间协同', '涉农一体化发展', '综合交通'))}规划",
                              "plan")
            wr.para(f"同时，{subject}还将组织编制《{name}》，统筹区域发展空间。")


def write_plan(wr: Writer) -> list[str]:
    """Several cities of a province (or a grouping) jointly issue a plan, and its tasks."""
    w, r = wr.w, wr.r
    prov = r.choice([p for p in w.provinces if len(w.prefectures[p]) >= 4])
    month, day = wr.md()
    lead = r.choice(("近日，", f"{month}月{day}日，", "日前，"))
    topic = r.choice(PLAN_TOPICS)
    if r.random() < 0.7:
        units = r.sample(w.prefectures[prov], r.randint(2, 4))
        listed = [wr.some(u) for u in units]
        pu = w.units[prov]
        issuer = pu.short or pu.name
        title, kind = _plan_title(r, issuer, topic, wr.year)
        wr.program(title, kind)
        names_list = "、".join(listed[:-1]) + "和" + listed[-1]
        cities = "等市" if all(wr.name(u).endswith("市") for u in units) else "等市州"
        verb = r.choice(("联合出台", "联合印发", "共同出台"))
        s = f"{lead}{wr.full(prov)}{names_list}{cities}{verb}《{title}》，{r.choice(FILLER_PLAN)}"
        wr.gold.region(pu.name, issuer, prov, pu.kind)  # named again inside the title
        wr.partners([wr.name(u) for u in units], "协同", s)
        wr.para(s)
        subject = r.choice(("各地", "几地"))
    else:
        key = r.choice(sorted(REGIONAL_STRATEGY))
        issuer = wr.grouping(key)
        title, kind = _plan_title(r, issuer, topic, wr.year)
        wr.program(title, kind)
        who = r.choice(("有关省市", "各成员单位"))
        verb = r.choice(("联合印发", "共同印发"))
        wr.para(f"{lead}{issuer}{who}{verb}《{title}》，{r.choice(FILLER_PLAN)}")
        subject = issuer
        wr.para(f"这是{r.choice(('深入推进', '加快推动'))}{wr.strategy(REGIONAL_STRATEGY[key])}"
                f"的{r.choice(('重要举措', '具体行动'))}。")
    _plan_body(wr, title, issuer, subject)
    if r.random() < 0.5:
        strat = r.choice(GENERAL_STRATEGIES)
        wr.para(f"据了解，{r.choice(('此举', '这'))}是{_serving(r, strat)}"
                f"{wr.strategy(strat)}的{r.choice(('重要举措', '具体行动'))}。")
    doc = "方案" if kind == "plan" else "政策文件"
    return r.choice((
        [f"{issuer}出台{doc}", f"推进{topic}"],
        [f"{issuer}一体推进{topic}", f"《{_backref(title)}》明确重点任务"],
        [f"{issuer}{r.choice(('多地联手', '协同发力', '同题共答'))} 共绘发展新蓝图"],
    ))


def write_bloc(wr: Writer) -> list[str]:
    """Two provinces written as an abbreviation compound (川渝, 沪滇) acting together."""
    w, r = wr.w, wr.r
    abbr, (a, b), rel = r.choice(BLOCS)
    A, B = wr.name(a), wr.name(b)
    kind = "结对" if rel == "协作" else "合作"
    month, day = wr.md()
    opening = r.randint(0, 1)
    if opening == 0:
        city = r.choice((w.prefectures[a] or w.counties[a]) + (w.prefectures[b] or w.counties[b]))
        what = r.choice(("深化东西部协作", "全面深化合作")) if rel == "协作" else "全面深化合作"
        if "东西部协作" in what:
            wr.strategy("东西部协作")
        title = wr.program(f"{wr.compound(abbr, (a, b))}{what}"
                           f"{r.choice(('框架协议', '备忘录'))}", "agreement")
        s = f"{month}月{day}日，{wr.full(a)}与{wr.full(b)}在{wr.some(city)}签署《{title}》。"
        wr.partner(A, B, kind, s)
        wr.para(s, f"根据协议，双方将在产业、科技、人才、文旅等领域"
                   f"{r.choice(('深化合作', '加强协作'))}。")
    else:
        year = wr.year
        title = wr.program(f"{wr.compound(abbr, (a, b))}{r.choice(PLAN_TOPICS)}行动方案"
                           f"（{year}—{year + 2}年）", "plan")
        t = r.randint(15, 40)
        total = wr.measure(f"{t}条举措", title)
        wr.indicator(title, t, "条", f"{t}条", "举措")
        s = f"近日，{abbr}两地{r.choice(('共同', '联合'))}发布《{title}》，推出{total}，"
        s += r.choice(FILLER_PLAN)
        wr.partner(A, B, "协同", s)
        wr.para(s)
    patterns: list[Callable[[], None]] = []

    def cooperation() -> None:
        name = wr.program(f"{wr.compound(abbr, (a, b))}{rel}", "mechanism")
        s = f"近年来，{name}{r.choice(('不断走深走实', '持续深化'))}，双方互访交流日益频繁。"
        wr.partner(A, B, kind, s)
        wr.para(s)

    def ftz() -> None:
        if a not in FTZ_PROVINCES or b not in FTZ_PROVINCES:
            return
        za, zb = wr.ftz(a), wr.ftz(b)
        then = r.choice(("共同复制推广改革试点经验", "探索建立跨区域协同监管模式"))
        wr.gold.optional["measures"].append(then)
        s = f"{za}与{zb}携手推进制度创新联动，{then}。"
        zna = f"中国（{w.units[a].short or A}）自由贸易试验区"
        znb = f"中国（{w.units[b].short or B}）自由贸易试验区"
        wr.partner(zna, znb, "联动", s)
        wr.gold.optional["partnerships"].append([A, B])
        wr.para(s)

    def joint_park() -> None:
        name = wr.program(f"{wr.compound(abbr, (a, b))}{r.choice(w.products)}产业园", "project")
        k = wr.count(name, 5, 60, "家", "引进企业", ("余",))
        wr.gold.optional["measures"].append(f"引进企业{k}")  # the park's result, or an action
        wr.para(f"双方共建的{name}{r.choice(('已建成投用', '正加快建设'))}，累计引进企业{k}。")

    def trade() -> None:
        y = wr.year - 1
        v = r.choice((120.5, 356, 812.3, 1024, 2310))
        vraw = wr.indicator(A, v, "亿元", f"{v:g}亿元", "两地贸易额", y)
        p = r.choice((5.6, 8.2, 11.4, 13.9))
        praw = wr.indicator(A, p, "%", f"{p:g}%", "贸易额增长", y)
        wr.para(f"{y}年，{abbr}两地贸易额达到{vraw}，同比增长{praw}。")

    def cities() -> None:
        ca = r.choice(w.prefectures[a] or w.counties[a])
        cb = r.choice(w.prefectures[b] or w.counties[b])
        v1 = r.randint(80, 1200)
        v2 = r.randint(80, 1200)
        r1 = wr.indicator(wr.name(ca), v1, "万人", f"{v1}万人", "常住人口")
        r2 = wr.indicator(wr.name(cb), v2, "万人", f"{v2}万人", "常住人口")
        wr.para(f"据统计，{wr.full(ca)}和{wr.full(cb)}的常住人口分别为{r1}和{r2}。")

    def strategy() -> None:
        if abbr == "川渝":
            label = "成渝地区双城经济圈建设"
            wr.grouping("chengyu")
        elif abbr == "京津":
            label = "京津冀协同发展"
            wr.grouping("jingjinji")
        else:
            label = "东西部协作"
        wr.para(f"下一步，{abbr}两地将以{wr.strategy(label)}为牵引，"
                f"{r.choice(('推动更多合作事项落地见效', '不断拓展合作领域'))}。")

    patterns += [cooperation, ftz, joint_park, trade, cities, strategy]
    for p in r.sample(patterns, r.randint(2, 5)):
        p()
    return r.choice((
        [f"{abbr}共同发布行动方案", "加快推进区域协同开放"],
        [f"{abbr}携手 {r.choice(('合作共赢', '协作共进', '共谋发展'))}"],
        [f"{abbr}{rel}再添新动能"],
    ))


def write_economy(wr: Writer) -> list[str]:
    """A region's statistics, with the numbers that are not indicators around them."""
    w, r = wr.w, wr.r
    prov = r.choice([p for p in w.provinces if w.counties[p]])
    x = r.choice(w.prefectures[prov] + w.counties[prov])
    X = wr.name(x)
    first = wr.chain(x) if w.units[x].kind != "province" else wr.full(x)
    y = wr.year - 1
    big = w.units[x].kind == "prefecture"
    gdp = r.choice((876.4, 1520.8, 2360.5, 4088.1) if big else (86.4, 152.3, 312.6, 468.9))
    growth = r.choice((4.8, 5.6, 6.3, 7.1, 8.9))
    g1 = wr.indicator(X, gdp, "亿元", f"{gdp:g}亿元", "地区生产总值", y)
    g2 = wr.indicator(X, growth, "%", f"{growth:g}%", "地区生产总值增长", y)
    wr.para(f"{y}年，{first}实现地区生产总值{g1}，同比增长{g2}，经济运行总体平稳、稳中有进。")
    patterns: list[Callable[[], None]] = []

    def quarter() -> None:
        p = r.choice((6.2, 7.5, 9.8, 12.4))
        praw = wr.indicator(X, p, "%", f"{p:g}%", "规模以上工业增加值增长", wr.year)
        v = r.choice((156.3, 420.7, 988.2))
        vraw = wr.indicator(X, v, "亿元", f"{v:g}亿元", "社会消费品零售总额", wr.year)
        wr.para(f"今年前三季度，{wr.short(x)}规模以上工业增加值同比增长{praw}，"
                f"社会消费品零售总额达到{vraw}。")

    def market() -> None:
        n = r.choice((1.2, 3.6, 8.4, 12.7))
        nraw = wr.indicator(X, n, "万户", f"{n:g}万户", "市场主体", y)
        wr.para(f"截至{y}年底，{wr.short(x)}市场主体总量达{nraw}，"
                f"总量位居全省第{r.randint(2, 9)}位。")

    def income() -> None:
        v = r.randrange(18000, 52000, 10)
        p = r.choice((5.2, 6.4, 7.7))
        q = r.choice((0.6, 1.2, 1.5))
        vraw = wr.indicator(X, v, "元", f"{v}元", "居民人均可支配收入", y)
        praw = wr.indicator(X, p, "%", f"{p:g}%", "收入增长", y)
        qraw = wr.indicator(X, q, "个百分点", f"{q:g}个百分点", "高于全省增速", y)
        whole = {"prefecture": "市", "district": "区"}.get(w.units[x].kind, "县")
        wr.para(f"{y}年，全{whole}居民人均可支配收入"
                f"{vraw}，增长{praw}，增速高于全省平均水平{qraw}。")

    def jobs() -> None:
        n = r.choice((2000, 3000, 5000, 8000))
        raw = f"{cn_round(n)}余个" if n < 10000 else f"{n}个"
        wr.indicator(X, n, "个", raw, "新增就业岗位", wr.year)
        wr.para(f"今年以来，{wr.short(x)}新增就业岗位{raw}，"
                f"{r.choice(('就业形势保持稳定', '城镇调查失业率控制在目标以内'))}。")

    def roll_call() -> None:
        pool = [c for c in w.counties[prov] if c != x]
        if len(pool) < 3:
            return
        listed = [wr.full(c) for c in r.sample(pool, 3)]
        wr.para(f"在近日公布的名单中，{listed[0]}、{listed[1]}和{listed[2]}入选第"
                f"{r.choice(('三', '四', '五'))}批{r.choice(('国家级', '省级'))}"
                f"{r.choice(('生态文明建设示范县', '电子商务进农村综合示范县'))}。")

    def shares() -> None:
        pool = [c for c in w.counties[prov] if c != x]
        if len(pool) < 3:
            return
        picked = r.sample(pool, 3)
        vals = r.sample((3.2, 4.5, 5.8, 6.1, 7.4, 9.3, 2.7, 8.6), 3)
        raws = [wr.indicator(wr.name(c), v, "%", f"{v:g}%", "粮食产量增长", y)
                for c, v in zip(picked, vals, strict=True)]
        wr.para(f"{y}年，{wr.full(picked[0])}、{wr.full(picked[1])}和{wr.full(picked[2])}的"
                f"粮食产量分别增长{raws[0]}、{raws[1]}和{raws[2]}。")

    def road() -> None:
        near = [c for c in w.counties[prov] if c != x and c[:4] == x[:4]]
        other = r.choice(near or [c for c in w.prefectures[prov] if c != x] or [prov])
        xs, os_ = wr.short(x), wr.short(other)
        name = wr.program(f"{xs}至{os_}高速公路", "project")
        km = r.randint(40, 260)
        wr.gold.optional["indicators"].append({"value": km, "unit": "公里", "raw": f"{km}公里"})
        v = r.choice((86.5, 120, 233.8))
        vraw = wr.indicator(name, v, "亿元", f"{v:g}亿元", "总投资")
        month = r.randint(3, 11)
        wr.para(f"{month}月，{name}开工建设，项目全长{km}公里，总投资{vraw}，"
                f"建设工期{r.randint(24, 48)}个月。")

    def strategy() -> None:
        label = r.choice(GENERAL_STRATEGIES)
        macro = {"150000": "west", "450000": "west", "500000": "west", "510000": "west",
                 "520000": "west", "530000": "west", "540000": "west", "610000": "west",
                 "620000": "west", "630000": "west", "640000": "west", "650000": "west",
                 "210000": "northeast", "220000": "northeast", "230000": "northeast"}
        if macro.get(prov) == "west":
            label = r.choice((label, "西部大开发"))
        elif macro.get(prov) == "northeast":
            label = r.choice((label, "东北振兴"))
        if label in ("西部大开发", "东北振兴"):
            verb, tail = "抢抓", "机遇"
        elif label == "共同富裕":
            verb, tail = "扎实推动", ""
        else:
            verb, tail = r.choice(("深入实施", "全面落实")), ""
        wr.para(f"下一步，{wr.short(x)}将{verb}{wr.strategy(label)}{tail}，"
                f"推动经济社会持续健康发展。")

    def people() -> None:
        form = r.randint(0, 3)
        if form == 0:
            n = r.choice((2, 3, 5, 8))
            raw = f"{_CN[n]}万余人"
            wr.indicator(X, n, "万人", raw, "农村劳动力转移就业", y)
        elif form == 1:
            n = r.choice((1200, 1500, 2300))
            raw = f"{_CN[n // 1000]}千{_CN[n // 100 % 10]}百余名"
            wr.indicator(X, n, "名", raw, "农村劳动力转移就业", y)
        elif form == 2:
            n = r.choice((1250, 3680, 12400))
            raw = f"{n // 1000},{n % 1000:03d}人"
            wr.indicator(X, n, "人", raw, "农村劳动力转移就业", y)
        else:
            n = r.choice((10, 20, 30))
            raw = f"近{cn_round(n)}万人次"
            wr.indicator(X, n, "万人次", raw, "培训人次", y)
        did = "完成农民工技能培训" if form == 3 else "转移农村劳动力"
        wr.gold.optional["measures"].append(did + raw)  # a year's result, or an action
        wr.para(f"{y}年，{wr.short(x)}{did}{raw}，"
                f"{r.choice(('就业渠道持续拓宽', '务工收入稳步增加'))}。")

    def noise() -> None:
        """Numbers that are not figures: ranges, ordinals, rates per head, durations."""
        a = r.randint(2, 4)
        form = r.randint(0, 3)
        if form == 0:
            wr.para(f"{wr.short(x)}计划用{a}至{a + 2}年时间，基本建成现代化产业体系。")
        elif form == 1:
            wr.gold.optional["programs"].append("农民丰收节系列活动")  # a festival: either way
            wr.para(f"第{r.randint(3, 12)}届农民丰收节系列活动近日在{wr.short(x)}举行。")
        elif form == 2:
            n = r.randint(20, 40)
            wr.gold.optional["indicators"].append({"value": n, "unit": "人", "raw": f"{n}人"})
            wr.para(f"{wr.short(x)}每万人拥有执业医师数达到{n}人，群众就医更加便利。")
        else:
            wr.para(f"从{wr.short(x)}驱车前往省会仅需{a}小时，区位优势日益凸显。")

    patterns += [quarter, market, income, jobs, roll_call, shares, road, strategy, people, noise]
    for p in r.sample(patterns, r.randint(3, 6)):
        p()
    xs = w.units[x].short or X
    return r.choice((
        [f"{xs}经济运行稳中向好"],
        [f"{xs}：发展质效稳步提升", "多项指标好于预期"],
        [f"稳中有进 {xs}交出发展答卷"],
    ))


def write_zone(wr: Writer) -> list[str]:
    """A national zone or grouping from regions.ttl, with figures and a strategy."""
    w, r = wr.w, wr.r
    key = r.choice(("xiongan", "liangjiang", "tianfu", "beijing-fuzhongxin", "hainan-ziyougang"))
    p = w.groupings[key]
    surface = r.choice((p.name, *p.aliases))
    wr.grouping(key, surface)
    parent = w.units[p.parent] if p.parent else None

    def inner(written: str) -> None:
        """河北雄安新区, 北京城市副中心: the province in a zone's name is named too."""
        if parent is not None and written.startswith(parent.name[:2]):
            wr.gold.region(parent.name, parent.name[:2], parent.code, parent.kind)

    inner(surface)
    inner(p.name)
    n = r.choice((1.6, 2.4, 3.8))
    y = wr.year
    nraw = wr.indicator(p.name, n, "万户", f"{n:g}万户", "新增市场主体", y)
    wr.para(f"今年以来，{surface}新增市场主体{nraw}，"
            f"{r.choice(('一批重大项目加快建设', '营商环境持续优化'))}。")
    v = r.choice((56.2, 180.5, 620))
    vraw = wr.indicator(p.name, v, "亿元", f"{v:g}亿元", "固定资产投资", y)
    wr.para(f"前三季度，{p.name}完成固定资产投资{vraw}，"
            f"同比增长{wr.count(p.name, 5, 19, '%', '固定资产投资增长', year=y)}。")
    if parent is not None and r.random() < 0.6:
        label = r.choice(GENERAL_STRATEGIES)
        wr.para(f"{wr.full(parent.code)}将以{p.name}为{r.choice(('引领', '重要引擎'))}，"
                f"{_serving(r, label)}{wr.strategy(label)}。")
    day = r.randint(1, 27)
    wr.para(f"{r.randint(3, 11)}月{day}日至{day + 1}日，"
            f"{p.name}举办了为期两天的招商活动，"
            f"{r.choice(('吸引了众多企业参与', '一批优质项目达成合作意向'))}。")
    return [f"{surface}{r.choice(('发展势头强劲', '建设提速', '跑出加速度'))}"]


def write_neighbours(wr: Writer) -> list[str]:
    """Two or three neighbouring units of one province working together (合作, 联动, 协同)."""
    w, r = wr.w, wr.r
    prov = r.choice([p for p in w.provinces if len(w.counties[p]) >= 6])
    pool = w.counties[prov]
    a = r.choice(pool)
    near = [c for c in pool if c != a and c[:4] == a[:4]] or [c for c in pool if c != a]
    b = r.choice(near)
    A, B = wr.name(a), wr.name(b)
    since = r.randint(max(2015, wr.year - 8), wr.year - 1)
    s1 = f"{wr.chain(a)}与{wr.full(b)}{r.choice(('山水相连、人缘相亲', '地域相近、产业互补'))}。"
    how = r.choice(("签订区域合作协议", "建立合作关系", "携手推进一体化发展"))
    s2 = (f"自{since}年以来，两地{how}，"
          f"{r.choice(('在基础设施、产业发展、公共服务等方面深度合作', '合作领域不断拓展'))}。")
    wr.partner(A, B, "合作", s2, since)
    wr.para(s1, s2)
    patterns: list[Callable[[], None]] = []

    def joint_patrol() -> None:
        what = r.choice(("跨区域生态环境联合执法", "河湖联合巡查", "森林防火联防联控"))
        k = wr.count(A, 6, 40, "次", "联合行动次数")
        m = wr.measure(f"开展{what}行动{k}", None)
        s = f"今年以来，{wr.short(a)}、{wr.short(b)}两地联动{m}，{r.choice(FILLER_MOOD)}"
        wr.gold.optional["programs"].append(f"{what}行动")
        wr.partner(A, B, "联动", s)
        wr.para(s)

    def cross_service() -> None:
        k = wr.count(A, 20, 160, "项", "跨域通办事项")
        s = f"目前，{wr.short(a)}与{wr.short(b)}已实现{k}政务服务事项“跨域通办”。"
        wr.partner(A, B, "合作", s)
        wr.para(s, "企业和群众办事不再“两头跑”。")

    def enclave() -> None:
        name = wr.program(f"{wr.short(a)}{wr.short(b)}飞地产业园", "project")
        k = wr.count(name, 5, 40, "个", "落地项目")
        v = r.choice((12.6, 28, 45.5))
        vraw = wr.indicator(name, v, "亿元", f"{v:g}亿元", "总投资")
        wr.para(f"两地共建的{name}已落地项目{k}，总投资{vraw}。")

    def traffic() -> None:
        n = r.randrange(3000, 20000, 100)
        raw = wr.indicator(A, n, "辆次", f"{n}余辆次", "日均往来车辆")
        wr.para(f"随着交通路网不断完善，两地间日均往来车辆达{raw}。")

    def three() -> None:
        c = r.choice([x for x in pool if x not in (a, b)])
        C = wr.name(c)
        cs = wr.full(c)
        topic = r.choice(("毗邻地区一体化发展", "文化旅游协同发展"))
        doc = wr.program(f"{wr.short(a)}{wr.short(b)}{wr.short(c)}{topic}合作协议", "agreement")
        s = f"{r.randint(3, 11)}月，{wr.short(a)}、{wr.short(b)}、{cs}三地共同签署《{doc}》。"
        wr.partners([A, B, C], "协同", s)
        wr.para(s)

    def insurance() -> None:
        s = (f"{wr.short(a)}、{wr.short(b)}两地医保部门签订协议，"
             f"参保群众在两地就医可直接结算。")
        wr.partner(A, B, "合作", s)
        wr.para(s)

    patterns += [joint_patrol, cross_service, enclave, traffic, three, insurance]
    for p in r.sample(patterns, r.randint(2, 4)):
        p()
    wr.para(r.choice(FILLER_NEXT))
    sa = w.units[a].short or A
    sb = w.units[b].short or B
    return r.choice((
        [f"{sa}{sb}携手 共建共享"],
        ["毗邻两地一家亲", f"——{sa}与{sb}合作发展见闻"],
        [f"{sa}{sb}：从“邻居”到“家人”"],
    ))


KINDS: tuple[tuple[str, Callable[[Writer], list[str]], int], ...] = (
    ("assist", write_assist, 34),
    ("plan", write_plan, 20),
    ("bloc", write_bloc, 16),
    ("neighbours", write_neighbours, 12),
    ("economy", write_economy, 13),
    ("zone", write_zone, 5),
)


def _credits(w: World, r: random.Random, draft: Draft, page: bool) -> None:
    """Byline, dateline and sign-off in one of the genre's forms; authors collected."""
    people = [w.person(r) for _ in range(3)]
    style = r.randint(0, 4)
    if page and style == 0:
        draft.bylines = [f"□ 本报记者 {people[0]}"]
        draft.authors = [people[0]]
    elif page and style == 1:
        draft.bylines = [f"□ {people[0]}", f"□ 本报记者 {people[1]}"]
        draft.authors = people[:2]
    elif style == 2:
        draft.dateline = f"本报讯（记者 {people[0]}）"
        draft.authors = [people[0]]
    elif style == 3:
        draft.dateline = f"本报讯 {people[0]} {people[1]} 记者{people[2]} 报道 "
        draft.authors = people[:3]
    else:
        draft.dateline = "本报讯 "
        draft.signoff = "（" + " ".join(_pad(p) for p in people[:2]) + "）"
        draft.authors = people[:2]
    if draft.dateline and not page and r.random() < 0.25:
        prov = r.choice(w.provinces)
        city = r.choice(w.prefectures[prov] or [prov])
        u = w.units[city]
        surface = u.short or u.name
        draft.dateline = (f"本报{surface}{draft.date.month}月{draft.date.day}日电"
                          f"（记者 {people[0]}）")
        draft.authors = [people[0]]
        draft.signoff = ""
        draft.dateline_place = (city, surface)


def _pad(name: str) -> str:
    """Two-character names are set in three cells in sign-offs: 刘 佳."""
    return f"{name[0]} {name[1]}" if len(name) == 2 else name


def make_article(w: World, r: random.Random, date: dt.date, page: bool) -> Draft:
    name, fn, _ = r.choices(KINDS, [k[2] for k in KINDS])[0]
    wr = Writer(w, r, date)
    headline = fn(wr)
    draft = Draft(headline, wr.paras, wr.gold, date, name)
    _credits(w, r, draft, page)
    if draft.dateline_place is not None:
        code, surface = draft.dateline_place
        u = w.units[code]
        wr.gold.region(u.name, surface, u.code, u.kind, optional=True)
    _reconcile_strategies(w, draft)
    return draft


def _reconcile_strategies(w: World, draft: Draft) -> None:
    """Strategy names that occur only inside a 《title》 or a program name are optional.

    A document titled 《…东西部协作…协议》 is about that strategy, but whether it
    *names* the strategy is a reading either way; written in the running text it does.
    The vocabulary is a closed list of literal names, so its occurrences are found in
    the finished text (longest first, as printed), not guessed.
    """
    text = "\n".join(t for _, t in draft.paragraphs)
    inside: list[tuple[int, int]] = []
    for name in draft.gold.programs:
        start = text.find(name)
        while start >= 0:
            inside.append((start, start + len(name)))
            start = text.find(name, start + 1)
    spans = sorted(
        w.vocab.find(text),
        key=lambda s: (s[0] - s[1], s[0]))
    taken: list[tuple[int, int, str]] = []
    for span in spans:
        if not any(a < span[1] and span[0] < b for a, b, _ in taken):
            taken.append(span)
    free: dict[str, bool] = {}
    for start, end, n in sorted(taken):
        if text.startswith("成果", end):
            continue  # 脱贫攻坚成果: the results, not the strategy
        label = w.vocab.by_name[n]
        draft.gold.strategy(label, n)
        free[label] = free.get(label, False) or not any(a <= start and end <= b
                                                        for a, b in inside)
    for label, e in draft.gold.strategies.items():
        e["optional"] = not free.get(label, False)


# --- layout: files as a user would have them --------------------------------------------------

_NO_LINE_START = "，。、；：！？）》”’"


def _width(ch: str) -> float:
    return 0.5 if ch.isascii() else 1.0


def wrap(text: str, width: float) -> list[str]:
    """Break a paragraph into column lines of at most ``width`` cells (+1 for a stop)."""
    lines: list[str] = []
    cur, w = "", 0.0
    for ch in text:
        cw = _width(ch)
        if cur and w + cw > width and ch not in _NO_LINE_START:
            lines.append(cur)
            cur, w = "", 0.0
        cur += ch
        w += cw
    if cur:
        lines.append(cur)
    return lines


_WEEKDAYS = "一二三四五六日"


def page_text(drafts: Sequence[Draft], r: random.Random, date: dt.date) -> str:
    """A newspaper page: date line, section, then each article set in narrow columns."""
    width = r.choice((13, 14, 15, 16))
    indent = r.random() < 0.3
    out: list[str] = [f"{date.year}年{date.month}月{date.day}日 星期{_WEEKDAYS[date.weekday()]}",
                      "", f"{' ' if r.random() < 0.5 else ''}{r.choice(SECTIONS)}", ""]
    for d in drafts:
        out += [*d.headline, ""]
        for b in d.bylines:
            out += [b, ""]
        first = True
        for kind, text in d.paragraphs:
            if kind == "h":
                out += [text, ""]
                continue
            body = (d.dateline + text) if first else text
            first = False
            for i, line in enumerate(wrap(body, width)):
                out += [("\u3000\u3000" if indent and i == 0 else "") + line, ""]
        if d.signoff:
            out += [d.signoff, ""]
    if r.random() < 0.5:
        out += [f"责任编辑：{r.choice(SURNAMES)}{r.choice(GIVEN)}", ""]
    return "\n".join(out)


def md_text(d: Draft, outlet: str) -> str:
    meta = [
        "---",
        f"title: {json.dumps(d.title, ensure_ascii=False)}",
        f"date: {json.dumps(d.date.isoformat())}",
        f"source: {json.dumps(outlet, ensure_ascii=False)}",
        f"authors: {json.dumps(d.authors, ensure_ascii=False)}",
        "---",
        "",
    ]
    return "\n".join(meta) + "\n\n".join(_body_lines(d, markdown=True)) + "\n"


def _body_lines(d: Draft, markdown: bool = False) -> list[str]:
    lines = []
    first = True
    for kind, text in d.paragraphs:
        if kind == "h":
            lines.append(f"## {text}" if markdown else text)
            continue
        lines.append((d.dateline + text) if first else text)
        first = False
    if d.signoff:
        lines.append(d.signoff)
    return lines


def jsonl_record(d: Draft, outlet: str) -> str:
    rec = {"title": d.title, "date": d.date.isoformat(), "source": outlet,
           "authors": d.authors, "text": "\n".join(_body_lines(d))}
    return json.dumps(rec, ensure_ascii=False)


# --- gold files -------------------------------------------------------------------------------


def _plain_body(d: Draft, page: bool) -> str:
    """The article text as ingest will give it (dateline removed on pages)."""
    lines = _body_lines(d)
    if page and d.dateline:
        lines[_first_para(d)] = lines[_first_para(d)][len(d.dateline):]
    if page and d.signoff:
        lines = lines[:-1]
    return "\n".join(lines)


def _first_para(d: Draft) -> int:
    return next(i for i, (k, _) in enumerate(d.paragraphs) if k == "p")


def gold_article(d: Draft, page: bool) -> dict[str, Any]:
    body = _plain_body(d, page)
    flat = body.replace("\n", "")
    return {
        "title": d.title,
        "date": d.date.isoformat(),
        "authors": d.authors,
        "first_words": flat[:12],
        "last_words": flat[-12:],
        **d.gold.as_dict(),
    }


# --- the corpus -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FilePlan:
    index: int
    kind: str  # md, txt, jsonl
    count: int


def plan_files(n: int, seed: int, pages: float, jsonl: float) -> list[FilePlan]:
    """Split N articles into files: pages of 2–5, JSON Lines of 3–8, single .md files."""
    r = random.Random(f"{seed}:plan")
    n_page = round(n * pages)
    n_jsonl = round((n - n_page) * jsonl)
    n_md = n - n_page - n_jsonl
    sizes: list[tuple[str, int]] = []
    for kind, total, lo, hi in (("txt", n_page, 2, 5), ("jsonl", n_jsonl, 3, 8)):
        left = total
        while left > 0:
            k = min(left, r.randint(lo, hi))
            sizes.append((kind, k))
            left -= k
    sizes += [("md", 1)] * n_md
    r.shuffle(sizes)
    return [FilePlan(i, kind, k) for i, (kind, k) in enumerate(sizes)]


def _date(r: random.Random) -> dt.date:
    return dt.date(2019, 1, 1) + dt.timedelta(days=r.randrange(0, 7 * 365))


def build_file(w: World, plan: FilePlan, seed: int) -> tuple[str, dict[str, Any]]:
    """The text and the gold of one file, from its own random stream."""
    r = random.Random(f"{seed}:{plan.index}")
    date = _date(r)
    outlet = r.choice(OUTLETS)
    page = plan.kind == "txt"
    drafts: list[Draft] = []
    titles: list[str] = []
    tries = 0
    while len(drafts) < plan.count:
        d = make_article(w, r, date if page else _date(r), page)
        tries += 1
        if d.title in titles and tries < 50:
            continue  # titles align page articles with their gold: keep them distinct
        titles.append(d.title)
        drafts.append(d)
    stem = f"{plan.index:05d}"
    if plan.kind == "md":
        d = drafts[0]
        gold = {"title": d.title, "source": f"{stem}.md", "date": d.date.isoformat(),
                **d.gold.as_dict()}
        return md_text(d, outlet), gold
    if plan.kind == "jsonl":
        text = "\n".join(jsonl_record(d, outlet) for d in drafts) + "\n"
    else:
        text = page_text(drafts, r, date)
    gold = {
        "source": f"{stem}.{plan.kind}",
        "about": "Generated by benchmarks/corpus.py; one entry per article, in file order.",
        "articles": [gold_article(d, page) for d in drafts],
    }
    return text, gold


def write_corpus(n: int, out: Path, seed: int = 0, pages: float = 0.25, jsonl: float = 0.2,
                 force: bool = False) -> dict[str, Any]:
    """Write the corpus and its gold; return the manifest (also written as manifest.json)."""
    if n < 1:
        raise ValueError("N must be at least 1")
    if not 0 <= pages <= 1 or not 0 <= jsonl <= 1:
        raise ValueError("--pages and --jsonl are fractions between 0 and 1")
    art_dir, gold_dir = out / "articles", out / "gold"
    for d in (art_dir, gold_dir):
        if d.exists() and any(d.iterdir()):
            if not force:
                raise FileExistsError(f"{d} is not empty; choose another folder or pass --force")
            shutil.rmtree(d)
        d.mkdir(parents=True, exist_ok=True)
    w = World()
    plans = plan_files(n, seed, pages, jsonl)
    counts = {"md": 0, "txt": 0, "jsonl": 0}
    articles = {"md": 0, "txt": 0, "jsonl": 0}
    for plan in plans:
        text, gold = build_file(w, plan, seed)
        stem = f"{plan.index:05d}"
        (art_dir / f"{stem}.{plan.kind}").write_text(text, encoding="utf-8")
        # compact: 20,000 pretty-printed gold files would outweigh the articles
        (gold_dir / f"{stem}.json").write_text(
            json.dumps(gold, ensure_ascii=False, separators=(",", ":")) + "\n",
            encoding="utf-8")
        counts[plan.kind] += 1
        articles[plan.kind] += plan.count
    manifest = {"n": n, "seed": seed, "pages": pages, "jsonl": jsonl,
                "files": counts, "articles": articles}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("-o", "--out", type=Path, default=Path("corpus"),
                    help="folder for articles/, gold/ and manifest.json (default ./corpus)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pages", type=float, default=0.25,
                    help="share of the articles set on newspaper pages (default 0.25)")
    ap.add_argument("--jsonl", type=float, default=0.2,
                    help="share of the other articles in JSON Lines files (default 0.2)")
    ap.add_argument("--force", action="store_true", help="replace articles/ and gold/ in --out")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    try:
        manifest = write_corpus(args.n, args.out, args.seed, args.pages, args.jsonl, args.force)
    except (ValueError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - start
    files = sum(manifest["files"].values())
    print(f"wrote {args.n} articles in {files} files to {args.out} in {seconds:.1f} s "
          f"({manifest['articles']['txt']} on {manifest['files']['txt']} pages, "
          f"{manifest['articles']['jsonl']} in {manifest['files']['jsonl']} JSON Lines files, "
          f"{manifest['articles']['md']} Markdown)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
