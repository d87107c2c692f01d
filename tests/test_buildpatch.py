"""Incremental builds (kg/buildpatch.py, kg/buildstate.py, kg/rdf/patch.py and the Turtle
and store patches): a build that adds files patches the previous outputs, and every
output is byte for byte what a build from scratch writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from helpers import generated_articles

from kg import buildout
from kg.buildout import build_corpus
from kg.graph import viz
from kg.graph.project import project_most_connected
from kg.rdf import turtle
from kg.rdf.patch import SortedLines, replace_blocks

OUTPUTS = ("regionkg.ttl", "regionkg.nt", "regionkg.html")


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict[str, Path]:
    """A base corpus and two small batches of new articles (other seeds)."""
    return generated_articles(tmp_path_factory.mktemp("corpora"),
                              (("base", 40, 3), ("more", 4, 4), ("again", 3, 5)))


@pytest.fixture
def large(monkeypatch):
    """Make the small corpora take the large-graph path (the one that is patched), with
    Turtle chunks of a few subjects, the page's store on disk, and a page of the most
    connected nodes (the one drawn from a memo)."""
    monkeypatch.setattr(buildout, "SHACL_LIMIT", 10)
    monkeypatch.setattr(buildout, "MEMORY_STORE_LIMIT", 10)
    monkeypatch.setattr(turtle, "CHUNK_LINES", 40)
    monkeypatch.setattr(viz, "DEFAULT_MAX_NODES", 60)


def _build(paths, out: Path, store: Path | None = None, **options):
    return build_corpus([str(p) for p in paths], out, formats=("turtle", "nt"),
                        store_dir=store, cache_dir=out.parent / "cache", **options)


def _store_lines(directory: Path) -> list[bytes]:
    store = ox.Store.read_only(str(directory))
    return sorted(ox.serialize(store, format=ox.RdfFormat.N_QUADS).splitlines())


def _same_outputs(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_adding_files_patches_and_gives_the_bytes_of_a_full_build(corpora, tmp_path, large,
                                                                  monkeypatch):
    memos = []  # whether each page was drawn from the previous page's memo

    def spy(source, max_nodes, memo=None, changed=None):
        memos.append(memo is not None and changed is not None)
        return project_most_connected(source, max_nodes, memo, changed)

    monkeypatch.setattr(viz, "project_most_connected", spy)
    out, store = tmp_path / "out", tmp_path / "store"
    first = _build([corpora["base"]], out, store)
    assert first.patched is None and first.conforms
    assert (out / ".regionkg" / "page.memo").is_file()  # the page showed 60 nodes of more
    second = _build([corpora["base"], corpora["more"]], out, store)
    assert second.patched and second.conforms, second.violations[:3]
    assert second.stats.built == len(list(corpora["more"].iterdir()))
    third = _build([corpora["base"], corpora["more"], corpora["again"]], out, store)
    assert third.patched

    fresh = _build([corpora["base"], corpora["more"], corpora["again"]], tmp_path / "fresh",
                   tmp_path / "fresh-store")
    assert fresh.patched is None
    assert memos == [False, True, True, False]
    _same_outputs(out, tmp_path / "fresh")
    assert (third.triples, third.classes) == (fresh.triples, fresh.classes)
    assert third.triples == len((out / "regionkg.nt").read_text(encoding="utf-8").splitlines())
    assert _store_lines(store) == _store_lines(tmp_path / "fresh-store")


def test_the_page_store_is_patched_without_a_store_folder(corpora, tmp_path, large):
    out = tmp_path / "out"
    _build([corpora["base"]], out)
    assert (out / ".regionkg" / "store" / "CURRENT").is_file()
    assert _build([corpora["base"], corpora["more"]], out).patched
    _build([corpora["base"], corpora["more"]], tmp_path / "fresh")
    _same_outputs(out, tmp_path / "fresh")
    assert _store_lines(out / ".regionkg" / "store") == _store_lines(
        tmp_path / "fresh" / ".regionkg" / "store")


def test_a_removed_or_edited_file_means_a_full_build(corpora, tmp_path, large):
    src = tmp_path / "src"
    shutil.copytree(corpora["base"], src)
    out = tmp_path / "out"
    _build([src], out)
    first, second = sorted(src.iterdir())[:2]
    first.write_text(first.read_text(encoding="utf-8").replace("。", "。\n\n", 1),
                     encoding="utf-8")
    assert _build([src], out).patched is None
    second.unlink()
    assert _build([src], out).patched is None
    _build([src], tmp_path / "fresh")
    _same_outputs(out, tmp_path / "fresh")


def test_outputs_changed_by_hand_are_rewritten_not_patched(corpora, tmp_path, large):
    out, store = tmp_path / "out", tmp_path / "store"
    _build([corpora["base"]], out, store)
    (out / "regionkg.ttl").write_text("# edited\n", encoding="utf-8")
    writable = ox.Store(str(store))  # a write elsewhere: the store is not the one we left
    writable.add(ox.Quad(ox.NamedNode("http://example.org/x"),
                         ox.NamedNode("http://example.org/p"), ox.Literal("x")))
    del writable
    assert _build([corpora["base"], corpora["more"]], out, store).patched
    _build([corpora["base"], corpora["more"]], tmp_path / "fresh", tmp_path / "fresh-store")
    _same_outputs(out, tmp_path / "fresh")
    assert _store_lines(store) == _store_lines(tmp_path / "fresh-store")


def test_other_options_code_or_a_killed_build_mean_a_full_build(corpora, tmp_path, large,
                                                                monkeypatch):
    out = tmp_path / "out"
    _build([corpora["base"]], out)
    assert _build([corpora["base"], corpora["more"]], out, validate=False).patched is None
    with monkeypatch.context() as m:  # as after an upgrade of any of kg's code
        m.setattr(buildout, "code_fingerprint", lambda: "other code")
        assert _build([corpora["base"]], out, validate=False).patched is None
    (out / ".regionkg" / "state.json").unlink()  # as a build killed half way leaves it
    assert _build([corpora["base"], corpora["more"], corpora["again"]], out,
                  validate=False).patched is None


def test_small_graphs_are_built_whole(corpora, tmp_path):
    """Below SHACL_LIMIT the whole graph goes through pySHACL, so nothing is patched."""
    out = tmp_path / "out"
    _build([corpora["more"]], out)
    outcome = _build([corpora["more"], corpora["again"]], out)
    assert outcome.patched is None and outcome.validated.startswith("SHACL (pySHACL")


# --- kg.rdf.patch ------------------------------------------------------------------------------

LINES = sorted(f"<http://ex/{s}> <http://ex/p> \"{o}\" .\n"
               for s in ("a", "ab", "b", "c", "c/d", "中") for o in (1, "x\u2028y\x85z\x0c"))


def test_blocks_are_found_by_subject(tmp_path):
    path = tmp_path / "g.nt"
    path.write_text("".join(LINES), encoding="utf-8")
    with SortedLines(path) as g:
        for s in ("a", "ab", "b", "c", "c/d", "中"):
            assert g.lines(*g.block(f"<http://ex/{s}>")) == [
                line for line in LINES if line.startswith(f"<http://ex/{s}> ")]
        for missing in ("<http://ex/>", "<http://ex/aa>", "<http://ex/z>", "<http://a>"):
            start, end = g.block(missing)
            assert start == end
            assert all(line < missing for line in g.lines(0, start))


def test_replace_blocks_edits_inserts_and_deletes(tmp_path):
    path, out = tmp_path / "g.nt", tmp_path / "new.nt"
    path.write_text("".join(LINES), encoding="utf-8")
    new = {"<http://ex/aa>": ['<http://ex/aa> <http://ex/p> "x" .\n'],
           "<http://ex/c>": [], "<http://ex/中>": ['<http://ex/中> <http://ex/q> "y" .\n']}
    with SortedLines(path) as g:
        replace_blocks(g, new, out)
    expected = sorted([line for line in LINES
                       if not line.startswith(("<http://ex/c> ", "<http://ex/中> "))]
                      + [line for lines in new.values() for line in lines])
    assert out.read_text(encoding="utf-8") == "".join(expected)


def test_an_empty_graph_file(tmp_path):
    path = tmp_path / "empty.nt"
    path.write_bytes(b"")
    with SortedLines(path) as g:
        assert g.block("<http://ex/a>") == (0, 0)


def test_an_output_left_out_of_one_build_is_not_patched_later(corpora, tmp_path, large):
    """A build without the Turtle, the store or the page leaves those files behind from an
    older graph; the next build that asks for them must not patch those stale files."""
    out, store = tmp_path / "out", tmp_path / "store"
    _build([corpora["base"]], out, store)
    lean = build_corpus([str(corpora["base"]), str(corpora["more"])], out, formats=("nt",),
                        cache_dir=tmp_path / "cache", page=False)
    assert lean.patched
    assert _build([corpora["base"], corpora["more"], corpora["again"]], out, store).patched
    _build([corpora["base"], corpora["more"], corpora["again"]], tmp_path / "fresh",
           tmp_path / "fresh-store")
    _same_outputs(out, tmp_path / "fresh")
    assert _store_lines(store) == _store_lines(tmp_path / "fresh-store")
    # and the page's own store, when a build drew the page from --store instead
    _build([corpora["base"]], tmp_path / "o2")
    _build([corpora["base"], corpora["more"]], tmp_path / "o2", tmp_path / "s2")
    assert not (tmp_path / "o2" / ".regionkg" / "store").exists()
    assert _build([corpora["base"], corpora["more"], corpora["again"]], tmp_path / "o2").patched
    _same_outputs(tmp_path / "o2", tmp_path / "fresh")


def test_a_changed_or_missing_state_means_a_full_build(corpora, tmp_path, large):
    out = tmp_path / "out"
    _build([corpora["base"]], out)
    graph = out / ".regionkg" / "graph.nt"
    graph.unlink()  # the hard link of regionkg.nt: write a new file, not into that one
    graph.write_text("<http://example.org/a> <http://example.org/p> \"x\" .\n",
                     encoding="utf-8")
    assert _build([corpora["base"], corpora["more"]], out).patched is None
    (out / ".regionkg" / "state.json").write_text("{", encoding="utf-8")
    assert _build([corpora["base"], corpora["more"], corpora["again"]], out).patched is None
    _build([corpora["base"], corpora["more"], corpora["again"]], tmp_path / "fresh")
    _same_outputs(out, tmp_path / "fresh")


def test_bulk_load_in_slices_cut_at_line_ends_loads_every_triple(tmp_path, monkeypatch):
    """_bulk_load reads slices as blocks of bytes completed to a line end: however the
    blocks fall (here a few lines each, lines of different lengths), no triple is cut."""
    lines = [f'<urn:x:s{i}> <urn:x:p> "{"长" * (i % 7)}{i}" .\n' for i in range(50)]
    lines.append("<urn:x:last> <urn:x:p> <urn:x:o> .")  # no newline at the end of the file
    graph = tmp_path / "graph.nt"
    graph.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr(buildout, "BULK_LINES", 1)  # 175-byte slices: a few lines each
    store = ox.Store()
    buildout._bulk_load(store, graph)
    whole = ox.Store()
    whole.bulk_load(path=str(graph), format=ox.RdfFormat.N_TRIPLES)
    assert len(store) == 51
    assert set(store) == set(whole)
