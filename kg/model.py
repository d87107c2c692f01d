"""Plain data passed between the pipeline stages: no I/O, no RDF.

Every stage is a pure function over these records, so each can be tested on a
hand-written value and the RDF layer never has to know how text was read.
Offsets are always character offsets into ``Article.text`` (the normalised
text), end exclusive, so ``article.text[e.start:e.end] == e.quote``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Evidence:
    """A quoted span of an article's normalised text (usually the sentence)."""

    quote: str
    start: int
    end: int

    def as_dict(self) -> dict:
        return {"quote": self.quote, "start": self.start, "end": self.end}


@dataclass(slots=True)
class Article:
    """One article after ingest: normalised text plus what the source said about it."""

    title: str
    text: str
    date: str | None = None
    source: str | None = None  # the file it came from (relative path or name)
    url: str | None = None
    origin: str | None = None  # where the text was published, as the input says (front matter)
    authors: list[str] = field(default_factory=list)
    section: str | None = None  # page section header, e.g. 区域动态
    index: int = 0  # position on its page / in its file

    @property
    def key(self) -> str:
        """Content hash: the article's identity, independent of file names and order."""
        h = hashlib.sha1(f"{self.title}\n{self.text}".encode()).hexdigest()
        return h[:16]


@dataclass(frozen=True, slots=True)
class Problem:
    """A reported input problem: which file, what is wrong; the build goes on."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


# --- extracted items ------------------------------------------------------------------------


@dataclass(slots=True)
class Mention:
    """Where an entity is named: the surface form, its span and the sentence around it."""

    surface: str
    start: int
    end: int
    sentence: Evidence


@dataclass(slots=True)
class Region:
    """A place: administrative unit (with adcode), zone or macro-region.

    ``kind`` is one of province, municipality, prefecture, county, district, zone,
    macro-region, other (the gold file's vocabulary).
    """

    label: str
    kind: str
    adcode: str | None = None
    parent: str | None = None  # label of the parent unit, when known
    members: list[str] = field(default_factory=list)  # labels, for groupings
    alt_labels: list[str] = field(default_factory=list)
    lon: float | None = None
    lat: float | None = None
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class Strategy:
    label: str
    alt_labels: list[str] = field(default_factory=list)
    covers: list[str] = field(default_factory=list)  # region labels
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class Program:
    """A plan, agreement, policy document, project, platform or event.

    ``kind``: plan, agreement, policy-document, project, platform, mechanism, event.
    """

    label: str
    kind: str
    regions: list[str] = field(default_factory=list)
    implements: list[str] = field(default_factory=list)  # strategy labels
    alt_labels: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)


@dataclass(slots=True)
class Measure:
    """A concrete task or action; ``total`` is set for counted totals (24条举措)."""

    label: str
    program: str | None
    evidence: Evidence
    total: int | None = None


@dataclass(slots=True)
class Partnership:
    """Two or more regions presented as cooperating.

    ``kind``: 对口支援, 结对, 协同, 联动, 合作. For directed kinds the first member is
    the helper.
    """

    members: list[str]
    kind: str
    evidence: Evidence
    since: int | None = None


@dataclass(slots=True)
class Indicator:
    """A number with its unit, as written, and what it counts."""

    subject: str  # label of a region, program or strategy
    value: str  # decimal as written, e.g. "4400", "1.8"
    unit: str  # as written: 万元, 亿元, %, 人次 ...
    what: str
    evidence: Evidence
    year: int | None = None
    qualifier: str | None = None  # 余, 近, 超过, 多 ...
    raw: str | None = None  # the span as written, e.g. 4400余万元


@dataclass(slots=True)
class Extraction:
    """Everything extracted from one article."""

    article: Article
    regions: list[Region] = field(default_factory=list)
    strategies: list[Strategy] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    partnerships: list[Partnership] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
