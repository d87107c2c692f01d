"""The embedded Oxigraph store: `kg build --store`, same answers as rdflib, safe replacement."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from seed import SEED, seed_graph, seed_store, seed_ttl

from kg import query as q
from kg import store as st
from kg.cli import main

LIB = q.library()


def test_store_holds_the_graph():
    assert st.is_store(seed_store())
    assert st.triple_count(seed_store()) == len(seed_graph())


@pytest.mark.parametrize("name", sorted(LIB))
def test_store_gives_the_same_answers_as_rdflib(name):
    query = LIB[name]
    from_graph = q.run(query, seed_graph())
    from_store = q.run(query, st.open_store(seed_store()))
    assert from_graph.variables == from_store.variables
    assert q.result_set(from_store) == q.result_set(from_graph)
    assert from_store.rows, name


@pytest.mark.parametrize("name, params", [
    ("partners-of-region", {"region": "浙江省"}),
    ("partners-of-region", {"region": "四川省"}),
    ("strategies-of-region", {"region": "道孚县"}),
    ("program-measures", {"program": "川渝"}),
    ("programs-by-year", {"year": "2025"}),
    ("indicators", {"subject": "浦东新区"}),
])
def test_store_and_rdflib_agree_with_parameters(name, params):
    query = LIB[name]
    from_graph = q.run(query, seed_graph(), params)
    from_store = q.run(query, st.open_store(seed_store()), params)
    assert q.result_set(from_store) == q.result_set(from_graph) != set()


def test_injection_through_a_parameter_changes_nothing():
    before = st.triple_count(seed_store())
    store = st.open_store(seed_store())
    for name in ("partners-of-region", "admin-chain", "entity-overview"):
        query = LIB[name]
        (param,) = query.params
        assert q.run(query, store, {param.name: 'x" } ; DROP ALL ; #'}).rows == []
    del store
    assert st.triple_count(seed_store()) == before


def test_build_writes_a_store_and_replaces_it(tmp_path):
    store = tmp_path / "store"
    args = ["build", str(SEED), "-o", str(tmp_path / "out"), "--store", str(store),
            "--no-validate"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f"wrote {store} (Oxigraph store)" in result.output
    assert st.triple_count(store) == len(seed_graph())
    # a second build replaces the store rather than adding to it
    assert CliRunner().invoke(main, args).exit_code == 0
    assert st.triple_count(store) == len(seed_graph())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "store"]  # no leftovers


def test_a_failed_load_leaves_the_previous_store(tmp_path):
    store = tmp_path / "store"
    assert st.save_file(store, seed_ttl()) == len(seed_graph())
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://e.org/a> <http://e.org/b> .\n", encoding="utf-8")
    with pytest.raises(st.StoreError, match=r"bad.ttl: not valid Turtle: .*line 1"):
        st.save_file(store, bad)
    assert st.triple_count(store) == len(seed_graph())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl", "store"]


def test_refuses_to_replace_a_folder_that_is_not_a_store(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "regionkg.ttl").write_text("keep me", encoding="utf-8")
    with pytest.raises(st.StoreError, match="not an Oxigraph store and not empty"):
        st.save_file(tmp_path / "out", seed_ttl())
    assert (tmp_path / "out" / "regionkg.ttl").read_text(encoding="utf-8") == "keep me"
    result = CliRunner().invoke(main, ["build", str(SEED), "-o", str(tmp_path / "o2"),
                                       "--store", str(tmp_path / "out"), "--no-validate"])
    assert result.exit_code != 0 and "not an Oxigraph store" in result.output


def test_clear_errors_for_missing_stores_and_unknown_formats(tmp_path):
    with pytest.raises(st.StoreError, match="no such store directory"):
        st.open_store(tmp_path / "nowhere")
    with pytest.raises(st.StoreError, match="not an Oxigraph store"):
        st.open_store(tmp_path)
    odd = tmp_path / "graph.xyz"
    odd.write_text("", encoding="utf-8")
    with pytest.raises(st.StoreError, match=r"graph\.xyz: unknown RDF format"):
        st.save_file(tmp_path / "s", odd)
