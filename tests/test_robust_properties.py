"""Properties of the loader and the extractor for any Unicode text (hypothesis).

Texts are drawn from all of Unicode and, more often, from the characters the
extractors care about (place names, units, numbers, Chinese punctuation, line breaks,
Traditional characters), so that the examples actually produce entities.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract.pipeline import extract
from kg.ingest import normalise, split_page
from kg.ingest.formats import read_document
from kg.ingest.simplified import to_simplified
from kg.model import Article, Problem
from kg.rdf.build import build_graph
from kg.rdf.validate import validate

PIECES = [
    "浙江省",
    "金华市",
    "婺城区",
    "四川省",
    "道孚县",
    "道孚縣",
    "婺城區",
    "对口支援",
    "對口支援",
    "乡村振兴",
    "长江经济带",
    "《三亚经济圈发展规划》",
    "2023年",
    "4400万元",
    "1.8亿元",
    "24条举措",
    "签署",
    "合作",
    "协议",
    "，",
    "。",
    "、",
    "：",
    "\n",
    "\n\n",
    " ",
    "□ 本报记者 张三",
    "（李四）",
    "本报讯",
    "---",
    "title: x",
    '"',
    "\\",
    "<script>",
    "\u200b",
    "\ufeff",
    "\x00",
    "\r",
]
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=40).map("".join),
)
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXT)
def test_normalise_is_total_and_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


@FAST
@given(TEXT)
def test_simplified_copy_has_the_same_length(text):
    assert len(to_simplified(text)) == len(text)


@FAST
@given(TEXT, st.sampled_from([".txt", ".md", ".jsonl"]))
def test_the_loader_returns_articles_or_problems(text, suffix):
    for item in read_document("x" + suffix, text, suffix):
        assert isinstance(item, Article | Problem)
        if isinstance(item, Article):
            assert item.text and normalise(item.text) == item.text


def _offsets_hold(article: Article) -> None:
    ex = extract(article)
    text = article.text
    for entity in (*ex.regions, *ex.strategies, *ex.programs):
        for m in entity.mentions:
            assert 0 <= m.start <= m.end <= len(text)
            q = m.sentence
            assert text[q.start : q.end] == q.quote
            assert q.start <= m.start and m.end <= q.end
    for item in (*ex.measures, *ex.partnerships, *ex.indicators):
        q = item.evidence
        assert text[q.start : q.end] == q.quote


@FAST
@given(TEXT)
def test_every_offset_slices_the_normalised_text_to_its_quote(text):
    for article in split_page(text):
        _offsets_hold(article)
    body = normalise(text)
    if body:
        _offsets_hold(Article(title="t", text=body))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT, min_size=1, max_size=3))
def test_the_build_of_any_text_validates(texts):
    articles = [
        Article(title=normalise(t)[:20] or "t", text=normalise(t) or "空。", source=f"{i}")
        for i, t in enumerate(texts)
    ]
    graph = build_graph([extract(a) for a in articles]).graph
    report = validate(graph)
    assert report.conforms, [str(v) for v in report.violations]
