"""The query library on the seed graph: every question, its answer, its parameters, its output."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.plugins.sparql import prepareQuery
from seed import seed_graph

from kg import query as q

LIB = q.library()
INJECTION = 'x" } ; DROP ALL ; #'


def answer(name: str, **params: str) -> list[dict[str, str]]:
    results = q.run(LIB[name], seed_graph(), params)
    return [{v: q.display(t) for v, t in zip(results.variables, row, strict=True)}
            for row in results.rows]


def column(rows, var) -> list[str]:
    return [r[var] for r in rows]


# --- the library itself ------------------------------------------------------------------------

def test_library_has_at_least_fifteen_questions():
    assert len(LIB) >= 15


@pytest.mark.parametrize("name", sorted(LIB))
def test_every_query_parses_and_is_documented(name):
    query = LIB[name]
    prepareQuery(query.text)
    zh, _, en = query.summary.partition(" / ")
    assert any("\u4e00" <= c <= "\u9fff" for c in zh), "summary needs Chinese"
    assert any(c.isascii() and c.isalpha() for c in en), "summary needs English after ' / '"
    assert query.description
    assert q.has_order_by(query.text), "library answers must be ordered"
    for param in query.params:
        assert param.default is not None and param.description


@pytest.mark.parametrize("name", sorted(LIB))
def test_values_block_gives_the_same_answer_as_initial_bindings(name):
    query = LIB[name]
    bindings = q.bind_params(query, {})
    direct = q.run_graph(seed_graph(), query.text, bindings)
    via_values = q.run_graph(seed_graph(), q.with_values(query.text, bindings))
    assert direct.rows == via_values.rows and direct.rows, name


# --- the answers on the seed page --------------------------------------------------------------

def test_partnerships():
    rows = answer("partnerships")
    assert len({r["partnership"] for r in rows}) == 3
    wucheng = [r for r in rows if r["partner"] == "婺城区"]
    assert wucheng == [{"partnership": "婺城区—道孚县（对口支援）", "kind": "对口支援",
                        "since": "2021", "partner": "婺城区", "code": "330702",
                        "role": "helper"}]
    assert {"道孚县", "重庆市", "四川省", "三亚市"} <= set(column(rows, "partner"))


def test_partners_of_a_region_in_either_direction_and_through_sub_units():
    assert column(answer("partners-of-region", region="婺城区"), "partner") == ["道孚县"]
    assert column(answer("partners-of-region", region="婺城"), "partner") == ["道孚县"]
    zhejiang = answer("partners-of-region", region="浙江省")
    assert {"partner": "道孚县", "via": "婺城区", "direction": "gives help"}.items() \
        <= zhejiang[0].items()
    assert column(answer("partners-of-region", region="金华市"), "partner") == ["道孚县"]
    daofu = answer("partners-of-region", region="道孚县")
    assert [(r["partner"], r["direction"]) for r in daofu] == [("婺城区", "receives help")]
    assert set(column(answer("partners-of-region", region="四川省"), "partner")) == \
        {"婺城区", "重庆市"}
    # cooperation inside a province is not a partner of the province
    assert answer("partners-of-region", region="海南省") == []


def test_cross_province_partnerships_grouped_by_province_pair():
    rows = answer("cross-province-partnerships")
    pairs = {frozenset((r["province_a"], r["province_b"])): r for r in rows}
    assert frozenset(("浙江省", "四川省")) in pairs
    assert pairs[frozenset(("浙江省", "四川省"))]["pair"] == "east–west"
    assert pairs[frozenset(("重庆市", "四川省"))]["pair"] == "other"
    assert all(r["province_a"] != r["province_b"] for r in rows)


def test_members_of_a_grouping():
    assert set(column(answer("grouping-members"), "member")) == {
        "三亚市", "陵水黎族自治县", "乐东黎族自治县", "保亭黎族苗族自治县", "五指山市"}
    assert set(column(answer("grouping-members", grouping="京津冀"), "member")) == {
        "北京市", "天津市", "河北省"}


def test_administrative_chain_and_units_under_a_province():
    assert [(r["level"], r["ancestor"]) for r in answer("admin-chain")] == [
        ("1", "金华市"), ("2", "浙江省")]
    assert [r["ancestor"] for r in answer("admin-chain", region="道孚县")] == [
        "甘孜藏族自治州", "四川省"]
    assert set(column(answer("units-under-province"), "unit")) == {"甘孜藏族自治州", "道孚县"}
    assert {"金华市", "婺城区"} <= set(column(answer("units-under-province",
                                                     province="浙江省"), "unit"))


def test_strategies_and_the_regions_they_cover():
    rows = answer("strategies")
    assert {"strategy": "京津冀协同发展", "region": "京津冀", "programs": "0"} in rows
    assert len({r["strategy"] for r in rows}) == 13
    assert "京津冀协同发展" in column(answer("strategies-of-region", region="京津冀"), "strategy")
    assert "京津冀协同发展" in column(answer("strategies-of-region", region="北京市"), "strategy")
    daofu = set(column(answer("strategies-of-region", region="道孚县"), "strategy"))
    assert daofu == {"乡村振兴", "长江经济带发展", "黄河流域生态保护和高质量发展"}


def test_regions_with_the_most_strategies():
    rows = answer("regions-most-strategies")
    assert (rows[0]["region"], rows[0]["strategies"]) == ("道孚县", "3")
    counts = [int(r["strategies"]) for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_programs_implementing_a_strategy():
    assert answer("strategy-programs") == [
        {"program": "道孚县乡村振兴先行示范村建设项目", "kind": "Project", "region": "道孚县"}]
    assert column(answer("strategy-programs", strategy="对口支援"), "program") == [
        "对口支援框架协议"]


def test_measures_of_a_program_with_counted_totals():
    rows = answer("program-measures", program="川渝")
    assert len(rows) == 8
    assert {(r["announced_total"], r["listed_measures"]) for r in rows} == {("24", "8")}
    assert "畅通人才流动渠道" in column(rows, "measure")
    every = answer("program-measures")
    totals = {r["program_name"]: r["announced_total"] for r in every}
    assert totals["浦东新区推进高水平改革开放打造社会主义现代化建设引领区实施方案"] == "450"
    assert totals["三亚经济圈区域协同推进营商环境建设2023年工作方案"] == "17"


def test_indicators_normalised_and_sorted():
    rows = answer("indicators")  # 道孚县 and the programs that involve it
    invest = next(r for r in rows if r["indicator"] == "完成投资额")
    assert (invest["unit"], invest["base_unit"]) == ("万元", "元")
    assert Decimal(invest["value"]) == 4400 and Decimal(invest["normalized"]) == 44_000_000
    assert invest["about"] == "道孚县农特产品加工园区"
    yuan = [Decimal(r["normalized"]) for r in rows if r["base_unit"] == "元"]
    assert yuan == sorted(yuan, reverse=True)
    assert "相关人员先后互访交流" in column(rows, "indicator")


def test_money_by_region_summed():
    rows = {r["region"]: Decimal(r["total_yuan"]) for r in answer("money-by-region")}
    assert rows["婺城区"] == 10_000_000
    assert rows["道孚县"] == 244_000_000  # 2亿元 output + 4400万元 investment of its park
    assert rows["浦东新区"] == 645_500_000_000


def test_articles_mentioning_a_region_with_the_evidence_sentence():
    rows = answer("articles-mentioning-region")
    assert rows and {r["mentioned"] for r in rows} == {"道孚县"}
    assert {r["article"] for r in rows} == {"跨越山海 婺城携手道孚织密“同心结”"}
    assert all("道孚县" in r["sentence"] for r in rows)
    sichuan = answer("articles-mentioning-region", region="四川省")
    assert {"四川省", "道孚县"} <= {r["mentioned"] for r in sichuan}


def test_evidence_of_every_partnership_points_into_the_article_text():
    rows = answer("partnership-evidence")
    assert len(rows) == 3
    g = seed_graph()
    texts = {str(label): str(text) for label, text in g.query(
        "PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?l ?t WHERE { ?a nif:isString ?t ; rdfs:label ?l }")}
    for r in rows:
        assert texts[r["article"]][int(r["start"]):int(r["end"])] == r["quote"]
    assert any("对口支援" in r["quote"] for r in rows)


def test_programs_by_year_or_period():
    assert column(answer("programs-by-year"), "program") == [
        "三亚经济圈区域协同推进营商环境建设2023年工作方案",
        "川渝自贸试验区协同开放示范区深化改革创新行动方案（2023—2025年）"]
    period = answer("programs-by-year", year="2025")
    assert [(r["from"], r["to"]) for r in period] == [("2023", "2025")]
    assert answer("programs-by-year", year="2019") == []


def test_programs_by_year_from_the_article_date():
    g = Graph().parse(format="turtle", data="""
        @prefix rkg: <https://w3id.org/regionkg/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix schema: <https://schema.org/> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <urn:p> a rkg:Program ; rdfs:label "西部陆海新通道"@zh .
        <urn:a> a rkg:Article ; schema:datePublished "2024-03-01"^^xsd:date ;
            rkg:mentions <urn:p> .
    """)
    query = LIB["programs-by-year"]
    rows = q.run(query, g, {"year": "2024"}).rows
    assert [(str(r[0]), str(r[3])) for r in rows] == [("西部陆海新通道", "article date")]
    assert q.run(query, g, {"year": "2023"}).rows == []


def test_co_mentioned_regions():
    rows = answer("co-mentions")
    pairs = {frozenset((r["region_a"], r["region_b"])) for r in rows}
    assert frozenset(("婺城区", "道孚县")) in pairs
    assert frozenset(("婺城区", "金华市")) not in pairs  # containment is not co-mention
    counts = [int(r["articles"]) for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_entity_overview():
    rows = answer("entity-overview")
    facts = {(r["direction"], r["property"], r["value"]) for r in rows}
    assert ("→", "rkg:adminCode", "330702") in facts
    assert ("→", "skos:altLabel", "婺城") in facts
    assert ("←", "rkg:helper", "id:partnership/133153d0a29e") in facts
    assert {"property": "rkg:partOf", "value_label": "金华市"}.items() <= next(
        r for r in rows if r["property"] == "rkg:partOf").items()


# --- parameters --------------------------------------------------------------------------------

def test_parameters_are_terms_so_injection_is_just_a_literal():
    g = seed_graph()
    before = len(g)
    for name in ("partners-of-region", "grouping-members", "indicators"):
        query = LIB[name]
        (param,) = query.params
        assert q.run(query, g, {param.name: INJECTION}).rows == []
        text = q.with_values(query.text, q.bind_params(query, {param.name: INJECTION}))
        assert '"x\\" } ; DROP ALL ; #"@zh' in text
        prepareQuery(text)
        assert q.run_graph(g, text).rows == []
    assert len(g) == before


def test_parameter_types_and_errors():
    query = LIB["programs-by-year"]
    assert q.bind_params(query, {"year": " 2024"}) == {
        "year": Literal("2024", datatype=ns.XSD.integer)}
    with pytest.raises(q.QueryError, match="year: 'x' is not an integer"):
        q.bind_params(query, {"year": "x"})
    with pytest.raises(q.QueryError, match="unknown parameter region"):
        q.bind_params(query, {"region": "x"})
    iri = q.Param("thing", type="iri")
    assert q.to_term(iri, "https://w3id.org/regionkg/id/region/330702") == URIRef(
        "https://w3id.org/regionkg/id/region/330702")
    with pytest.raises(q.QueryError, match="not an absolute IRI"):
        q.to_term(iri, "https://x> } DROP ALL {")
    assert q.to_term(q.Param("n", type="decimal"), "1.50") == Literal(
        "1.50", datatype=ns.XSD.decimal)
    assert q.parse_param_options(["a=b=c", "x="]) == {"a": "b=c", "x": ""}
    with pytest.raises(q.QueryError, match="expected name=value"):
        q.parse_param_options(["novalue"])


def test_a_query_file_with_an_iri_parameter_and_a_required_one(tmp_path):
    rq = tmp_path / "label.rq"
    rq.write_text("""#+ summary: 标签 / label of an entity
#+ params:
#+   - thing: {type: iri, description: "an IRI # not a comment"}
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?label WHERE { ?thing rdfs:label ?label } ORDER BY ?label
""", encoding="utf-8")
    query = q.find_query(str(rq))
    with pytest.raises(q.QueryError, match="thing has no default"):
        q.bind_params(query, {})
    rows = q.run(query, seed_graph(), {"thing": "https://w3id.org/regionkg/id/region/513326"})
    assert [str(r[0]) for r in rows.rows] == ["道孚县"]


@pytest.mark.parametrize("text, problem", [
    ("#+ summary: [unclosed\nSELECT * WHERE {} ORDER BY ?x", "not valid YAML"),
    ("#+ params:\n#+   - x: {type: date}\nSELECT ?x WHERE {} ORDER BY ?x", "type 'date'"),
    ("#+ params:\n#+   - y: {type: int}\nSELECT ?x WHERE {} ORDER BY ?x", r"not used as \?y"),
    ("#+ params:\n#+   - x: {type: int, lang: zh}\nSELECT ?x WHERE {} ORDER BY ?x", "lang"),
    ("#+ params: {x: 1}\nSELECT ?x WHERE {}", "params must be a list"),
])
def test_bad_front_matter_is_reported_with_the_file_name(tmp_path, text, problem):
    rq = tmp_path / "bad.rq"
    rq.write_text(text, encoding="utf-8")
    with pytest.raises(q.QueryError, match=problem) as info:
        q.find_query(str(rq))
    assert str(rq) in str(info.value)


def test_unknown_names_suggest_close_matches():
    with pytest.raises(q.QueryError, match="did you mean partners-of-region"):
        q.find_query("partner-of-region")


def test_values_go_into_the_outer_where_whatever_the_text_around_it():
    text = """PREFIX ex: <http://example.org/a#>
# a comment with WHERE { in it
CONSTRUCT { ?s ex:p "WHERE {" } WHERE { ?s ex:q ?x } ORDER BY ?s"""
    bound = q.with_values(text, {"x": Literal("1")})
    assert bound.index("VALUES (?x)") > bound.index("} WHERE {")
    prepareQuery(bound)
    select = "SELECT * {\n ?s ?p ?x }"
    assert q.with_values(select, {"x": Literal("1")}).startswith(
        'SELECT * {\n  VALUES (?x) { ("1") }')
    with pytest.raises(q.QueryError, match="no WHERE pattern"):
        q.with_values("DESCRIBE <http://example.org/x>", {"x": Literal("1")})


def test_comments_are_stripped_before_a_query_leaves_the_machine():
    text = LIB["partners-of-region"].text
    stripped = q.strip_comments(text)
    assert "#+" not in stripped and "asked" not in stripped
    assert "<https://w3id.org/regionkg/ontology#>" in stripped  # a '#' inside an IRI stays
    prepareQuery(stripped)


# --- output formats ----------------------------------------------------------------------------

def test_json_is_w3c_sparql_results():
    results = q.run(LIB["partners-of-region"], seed_graph())
    data = json.loads(q.format_results(results, "json"))
    assert data["head"]["vars"] == results.variables
    (binding,) = data["results"]["bindings"]
    assert binding["partner"] == {"type": "literal", "value": "道孚县", "xml:lang": "zh"}
    assert binding["since"]["datatype"] == str(ns.XSD.gYear)
    assert "datatype" not in binding["code"]  # a plain string is a simple literal
    assert q.result_set(q.from_json_results(data)) == q.result_set(results)
    ask = q.Results(variables=[], boolean=True)
    assert json.loads(q.format_results(ask, "json")) == {"head": {}, "boolean": True}


def test_csv_and_tsv_follow_the_w3c_formats():
    results = q.run(LIB["admin-chain"], seed_graph())
    text = q.format_results(results, "csv")
    assert text.startswith("level,ancestor,code\r\n")
    assert list(csv.reader(io.StringIO(text))) == [
        ["level", "ancestor", "code"], ["1", "金华市", "330700"], ["2", "浙江省", "330000"]]
    tsv = q.format_results(results, "tsv").splitlines()
    assert tsv[0] == "?level\t?ancestor\t?code"
    assert tsv[1] == f'"1"^^<{ns.XSD.integer}>\t"金华市"@zh\t"330700"'
    tricky = q.Results(["x", "y"], [(Literal('a\tb\n"c"'), URIRef("http://e.org/x")), (None,
                                                                                     None)])
    assert q.to_tsv(tricky).splitlines()[1] == '"a\\tb\\n\\"c\\""\t<http://e.org/x>'
    assert list(csv.reader(io.StringIO(q.to_csv(tricky)))) == [
        ["x", "y"], ['a\tb\n"c"', "http://e.org/x"], ["", ""]]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_tables_align_chinese_text_by_screen_width():
    results = q.run(LIB["partners-of-region"], seed_graph(), {"region": "四川省"})
    lines = q.format_results(results, "table").splitlines()
    assert "道孚县" in lines[2] or "道孚县" in lines[3]
    # every column starts at the same screen column on every line
    header = lines[0]
    starts = [_width(header[:header.index(v)]) for v in results.variables]
    for line, row in zip(lines[2:], results.rows, strict=True):
        at = 0
        for var_start, term in zip(starts, row, strict=True):
            value = q.display(term)
            if not value:
                continue
            index = line.index(value, at)
            assert _width(line[:index]) == var_start, (line, value)
            at = index + len(value)
    table = q.text_table(["名称", "code"], [["道孚县", "513326"], ["x", "1"]])
    assert table.splitlines() == ["名称    code", "------  ------", "道孚县  513326",
                                  "x       1"]


def test_markdown_escapes_pipes():
    table = q.markdown_table(["a"], [["x|y"]])
    assert table == "| a |\n|---|\n| x\\|y |\n"


def test_results_without_order_by_are_sorted():
    g = seed_graph()
    text = ("PREFIX rkg: <https://w3id.org/regionkg/ontology#> "
            "SELECT ?c WHERE { ?r rkg:adminCode ?c }")
    rows = q.run_graph(g, text).rows
    assert rows == sorted(rows, key=lambda r: str(r[0])) and len(rows) > 40


def test_listing_shows_names_summaries_and_defaults():
    listing = q.library_listing(LIB)
    assert "partners-of-region" in listing and "region=婺城区" in listing
    assert json.loads(q.library_listing(LIB, "json"))[0]["name"] == sorted(LIB)[0]


@pytest.mark.parametrize("name", sorted(LIB))
def test_sparqlwrapper_reads_every_library_file_as_the_right_form(name):
    """Researchers send the files as they are; SPARQLWrapper guesses the form from the text.

    Its guess skips only every second comment line and matches keywords inside words, so
    a description saying "asked" or "loaded" would make it send a SELECT as an ASK or an
    update. Keep such words out of the front matter.
    """
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper("http://127.0.0.1:1/query")
    client.setQuery(LIB[name].text)
    assert client.queryType == LIB[name].form


def test_ask_and_construct_print_and_compare_like_rows():
    from seed import seed_store

    from kg.store import open_store

    construct = """PREFIX rkg: <https://w3id.org/regionkg/ontology#>
        CONSTRUCT { ?r rkg:partOf ?p } WHERE { ?r rkg:partOf ?p ; rkg:adminCode ?code }"""
    by_graph = q.run_graph(seed_graph(), construct)
    by_store = q.run_store(open_store(seed_store()), construct)
    assert by_graph.variables == ["subject", "predicate", "object"]
    assert by_graph.rows == by_store.rows and len(by_graph.rows) == 19
    assert "id:region/330702  rkg:partOf" in q.format_results(by_graph)
    ask = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ASK { ?r rdfs:label ?name }"
    bound = {"name": Literal("道孚县", lang="zh")}
    assert q.run_graph(seed_graph(), ask, bound).boolean is True
    assert q.run_store(open_store(seed_store()), ask, bound).boolean is True
    assert q.format_results(q.run_graph(seed_graph(), ask, bound), "csv") == "true\n"
