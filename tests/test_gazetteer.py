from kg.gazetteer import load, short_form


def test_codes_coordinates_and_parents():
    gaz = load()
    wucheng = gaz.places["330702"]
    assert (wucheng.name, wucheng.kind) == ("婺城区", "district")
    assert wucheng.lon and wucheng.lat
    assert gaz.lineage("330702") == ("330700", "330000")
    # counties administered directly by a province have the province as parent
    assert gaz.lineage("469028") == ("460000",)


def test_kinds():
    gaz = load()
    assert gaz.places["500000"].kind == "municipality"
    assert gaz.places["510000"].kind == "province"
    assert gaz.places["513300"].kind == "prefecture"
    assert gaz.places["513326"].kind == "county"


def test_renamed_units_use_current_codes():
    gaz = load()
    assert gaz.places["130881"].name == "平泉市"
    assert "130823" not in gaz.places
    assert gaz.places["540600"].name == "那曲市"


def test_short_forms_are_derived():
    ethnic = ("藏族", "苗族", "侗族", "壮族", "黎族")
    assert short_form("婺城区", ethnic) == "婺城"
    assert short_form("甘孜藏族自治州", ethnic) == "甘孜"
    assert short_form("黔东南苗族侗族自治州", ethnic) == "黔东南"
    assert short_form("广西壮族自治区", ethnic) == "广西"
    assert short_form("浦东新区", ethnic) == "浦东"
    assert short_form("城区", ethnic) is None  # too short to stand alone


def test_ambiguous_short_forms_keep_every_candidate():
    gaz = load()
    names = {gaz.places[k].name for k in gaz.short["甘孜"]}
    assert names == {"甘孜藏族自治州", "甘孜县"}
    assert {gaz.places[k].name for k in gaz.short["海南"]} >= {"海南省", "海南藏族自治州"}


def test_groupings_from_data_file():
    gaz = load()
    jjj = gaz.by_name("京津冀")
    assert jjj is not None and jjj.kind == "macro-region"
    assert set(jjj.members) == {"110000", "120000", "130000"}
    assert gaz.by_name("长江三角洲").name == "长三角"
    assert gaz.by_name("雄安新区").parent == "130000"
