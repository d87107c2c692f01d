"""The projection again after a change, from what the last one read (kg.graph.memo.Memo).

The graphs are real builds: generated articles (benchmarks/corpus.py) built by ``kg build``
into N-Triples, a corpus A and then A with a few more articles (B, then C), loaded into
Oxigraph stores. What changed is found as an incremental build finds it, by comparing the
lines of each subject. Every projection from a memo must equal a fresh projection of the
changed store: the same nodes, edges and attributes, and the same page byte for byte.
"""

from __future__ import annotations

import itertools
import pickle
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from helpers import generated_articles

from kg.cli import main
from kg.graph.memo import Changed, Memo, load_memo, save_memo
from kg.graph.project import project_most_connected
from kg.graph.viz import page_data, render_html, render_store_page, select_from_store
from kg.rdf.ns import GEO, ITSRDF, RKG

RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    """regionkg.nt of A (120 articles), A+B (6 more) and A+B+C (4 more)."""
    root = tmp_path_factory.mktemp("memo")
    parts = {name: str(path) for name, path in generated_articles(
        root, (("A", 120, 0), ("B", 6, 1), ("C", 4, 2))).items()}
    out = {}
    for name in ("A", "AB", "ABC"):
        result = CliRunner().invoke(main, [
            "build", *(parts[c] for c in name), "-o", str(root / f"out{name}"),
            "--format", "nt", "--no-page", "--no-validate", "-j", "1"],
            catch_exceptions=False)
        assert result.exit_code == 0, result.output
        out[name] = root / f"out{name}" / "regionkg.nt"
    return out


def store(path: Path) -> ox.Store:
    s = ox.Store()
    s.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    return s


def by_subject(path: Path) -> dict[str, set[str]]:
    lines: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        lines.setdefault(line.split(" ", 1)[0], set()).add(line)
    return lines


def changed_between(old: Path, new: Path) -> Changed:
    """The subjects whose lines differ, with all their old and new lines."""
    a, b = by_subject(old), by_subject(new)
    diff = sorted(s for s in a.keys() | b.keys() if a.get(s) != b.get(s))
    assert diff
    return Changed.of_ntriples([line for s in diff for line in sorted(a.get(s, ()))],
                               [line for s in diff for line in sorted(b.get(s, ()))])


def as_lists(part):
    G = part.graph
    return (part.total_nodes, part.total_edges, part.truncated,
            list(G.nodes(data=True)), list(G.edges(keys=True, data=True)))


def assert_same_as_fresh(part, source, max_nodes):
    fresh = project_most_connected(source, max_nodes)
    assert as_lists(part) == as_lists(fresh)
    # The memo holds what a fresh projection reads, no more (it does not grow).
    assert part.memo is not None and fresh.memo is not None
    assert part.memo.read == fresh.memo.read
    for name in ("labels", "values", "spans", "item_evidence", "mention_sentences", "mentions",
                 "geometries"):
        assert getattr(part.memo.facts, name) == getattr(fresh.memo.facts, name), name


def memo_of(source, max_nodes) -> Memo:
    memo = project_most_connected(source, max_nodes).memo
    assert memo is not None
    return memo


def page_and_memo(source, max_nodes: int, memo: Memo | None = None,
                  changed: Changed | None = None) -> tuple[str, Memo | None]:
    """The page as kg build draws it from a memo, and the memo for the next one."""
    sel = select_from_store(source, max_nodes=max_nodes, memo=memo, changed=changed)
    return render_html(page_data(sel)), sel.memo


@pytest.mark.parametrize("max_nodes", [40, 150])
def test_the_page_from_a_memo_is_the_fresh_page_byte_for_byte(builds, max_nodes):
    old, new = store(builds["A"]), store(builds["AB"])
    _, memo = page_and_memo(old, max_nodes)
    assert memo is not None
    changed = changed_between(builds["A"], builds["AB"])
    page, again = page_and_memo(new, max_nodes, memo, changed)
    assert again is not None and again.facts is memo.facts  # re-used, not read afresh
    fresh = render_store_page(new, max_nodes=max_nodes)
    assert page == fresh
    assert page != render_store_page(old, max_nodes=max_nodes)  # the change shows
    unchanged, _ = page_and_memo(new, max_nodes, again, Changed(frozenset(), frozenset()))
    assert unchanged == fresh


@pytest.mark.parametrize("max_nodes", [40, 150])
def test_a_saved_memo_serves_two_more_steps_and_a_removal(builds, max_nodes, tmp_path):
    """A → A+B → A+B+C → A, the memo saved and loaded between steps (as builds would)."""
    steps = ["A", "AB", "ABC", "A"]
    memo = memo_of(store(builds["A"]), max_nodes)
    for before, after in itertools.pairwise(steps):
        memo = load_memo(save_memo(memo, tmp_path / "page.memo"))
        assert memo is not None
        source = store(builds[after])
        part = project_most_connected(source, max_nodes, memo,
                                      changed_between(builds[before], builds[after]))
        assert part.memo is not None and part.memo.facts is memo.facts
        assert_same_as_fresh(part, source, max_nodes)
        memo = pickle.loads(pickle.dumps(part.memo))


def test_a_stale_memo_would_give_another_graph(builds):
    """With nothing said to have changed, the memo draws the old facts: the invalidation
    is what makes the projection from a memo right."""
    new = store(builds["AB"])
    memo = memo_of(store(builds["A"]), 150)
    wrong = project_most_connected(new, 150, memo, Changed(frozenset(), frozenset()))
    assert as_lists(wrong) != as_lists(project_most_connected(new, 150))


def test_without_the_old_mentions_the_sentences_are_read_again(builds):
    changed = changed_between(builds["A"], builds["AB"])
    unknown = Changed(changed.subjects, changed.objects)  # mentioned_before: None
    new = store(builds["AB"])
    part = project_most_connected(new, 150, memo_of(store(builds["A"]), 150), unknown)
    assert_same_as_fresh(part, new, 150)


def _triples(source: ox.Store, subject: ox.NamedNode) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object)
            for q in source.quads_for_pattern(subject, None, None)]


def _edit(source: ox.Store, subject: ox.NamedNode, edit, *added: ox.Triple) -> Changed:
    """Replace the triples of ``subject`` by ``edit(triple)`` (None drops it) and
    ``added``."""
    old = _triples(source, subject)
    new = [t for t in map(edit, old) if t is not None] + list(added)
    for t in old:
        source.remove(ox.Quad(t.subject, t.predicate, t.object))
    source.extend([ox.Quad(t.subject, t.predicate, t.object) for t in new])
    return Changed.of_triples(old, new)


def test_a_mention_moved_to_another_sentence_is_read_again(builds):
    """An existing mention's sentence changes: its entity's sentences are read again (the
    new sentence is added, the old one may go), which mentioned_before tells."""
    source = store(builds["AB"])
    part = project_most_connected(source, 150)
    counts = part.memo.facts.mention_sentences
    kept = [n for n in part.graph if len(counts.get(n, ())) > 1]
    node = max(kept, key=lambda n: (len(counts[n]), n))
    other = min(s for n in kept if n != node for s in counts[n] if s not in counts[node])
    mention = min((q.subject for q in source.quads_for_pattern(
        None, ox.NamedNode(str(ITSRDF.taIdentRef)), ox.NamedNode(node))), key=str)
    evidence = ox.NamedNode(str(RKG.evidence))
    changed = _edit(source, mention, lambda t: ox.Triple(t.subject, t.predicate,
                                                         ox.NamedNode(other))
                    if t.predicate == evidence else t)
    assert node in changed.mentioned_before
    fresh = project_most_connected(source, 150)
    assert as_lists(fresh) != as_lists(part)
    lied = Changed(changed.subjects, changed.objects, frozenset())
    memo = pickle.dumps(part.memo)
    wrong = project_most_connected(source, 150, pickle.loads(memo), lied)
    assert as_lists(wrong) != as_lists(fresh)
    right = project_most_connected(source, 150, pickle.loads(memo), changed)
    assert_same_as_fresh(right, source, 150)


def test_a_changed_geometry_moves_its_region(builds):
    """The geometry node changes, not the region: the region's point is read again."""
    source = store(builds["AB"])
    part = project_most_connected(source, 150)
    region = min(n for n, d in part.graph.nodes(data=True) if "lon" in d)
    (geometry,) = [q.object for q in source.quads_for_pattern(
        ox.NamedNode(region), ox.NamedNode(str(GEO.hasGeometry)), None)]
    point = ox.Literal("POINT(100.5 30.25)", datatype=ox.NamedNode(str(GEO.wktLiteral)))
    changed = _edit(source, geometry, lambda t: ox.Triple(t.subject, t.predicate, point)
                    if t.predicate.value == str(GEO.asWKT) else t)
    assert region not in changed.subjects
    again = project_most_connected(source, 150, part.memo, changed)
    assert (again.graph.nodes[region]["lon"], again.graph.nodes[region]["lat"]) == (100.5, 30.25)
    assert_same_as_fresh(again, source, 150)


def test_a_retitled_article_retitles_its_evidence(builds):
    """The article changed, not its spans: their evidence shows its new title."""
    source = store(builds["AB"])
    part = project_most_connected(source, 150)
    article = min(e.article for _, d in part.graph.nodes(data=True) for e in d["evidence"])
    changed = _edit(source, ox.NamedNode(article), lambda t: ox.Triple(
        t.subject, t.predicate, ox.Literal("改过的标题", language="zh"))
        if t.predicate == RDFS_LABEL else t)
    again = project_most_connected(source, 150, part.memo, changed)
    titles = {e.title for _, d in again.graph.nodes(data=True) for e in d["evidence"]
              if e.article == article}
    assert titles == {"改过的标题"}
    assert_same_as_fresh(again, source, 150)


def test_an_article_without_a_label_is_titled_by_its_headline(builds, tmp_path):
    """The memo keeps no headline of an article whose label titles it: when the label goes,
    the headline is read again; when it comes back, it titles the evidence again."""
    source = store(builds["AB"])
    part = project_most_connected(source, 150)
    article = min(e.article for _, d in part.graph.nodes(data=True) for e in d["evidence"])
    subject = ox.NamedNode(article)
    (label,) = [t for t in _triples(source, subject) if t.predicate == RDFS_LABEL]
    headline = ox.NamedNode("https://schema.org/headline")

    def unlabelled(t: ox.Triple) -> ox.Triple | None:
        if t.predicate == headline:
            return ox.Triple(t.subject, t.predicate, ox.Literal("只有标题的文章"))
        return None if t == label else t

    def titles(part) -> set[str]:
        return {e.title for _, d in part.graph.nodes(data=True) for e in d["evidence"]
                if e.article == article}

    memo = part.memo
    for edit, added, title in ((unlabelled, (), "只有标题的文章"),
                               (lambda t: t, (label,), label.object.value)):
        changed = _edit(source, subject, edit, *added)
        memo = load_memo(save_memo(memo, tmp_path / "page.memo"))
        again = project_most_connected(source, 150, memo, changed)
        assert again.memo is not None and again.memo.facts is memo.facts
        assert titles(again) == {title}
        assert_same_as_fresh(again, source, 150)
        memo = again.memo


def test_a_saved_memo_loads_as_it_was(builds, tmp_path):
    memo = memo_of(store(builds["AB"]), 150)
    loaded = load_memo(save_memo(memo, tmp_path / "page.memo"))
    assert loaded is not None and loaded is not memo
    assert (loaded.facts, loaded.read, loaded.max_nodes) == (memo.facts, memo.read,
                                                             memo.max_nodes)


def test_what_a_memo_cannot_serve_is_projected_afresh(builds):
    old, new = store(builds["A"]), store(builds["AB"])
    changed = changed_between(builds["A"], builds["AB"])
    fresh = as_lists(project_most_connected(new, 40))
    # another cut
    memo = memo_of(old, 150)
    part = project_most_connected(new, 40, memo, changed)
    assert part.memo.facts is not memo.facts and as_lists(part) == fresh
    # a blank node among the changed subjects
    memo = memo_of(old, 40)
    blank = Changed(changed.subjects | {"_:b0"}, changed.objects, changed.mentioned_before)
    part = project_most_connected(new, 40, memo, blank)
    assert part.memo.facts is not memo.facts and as_lists(part) == fresh
    # no change given: nothing known, so nothing re-used
    memo = memo_of(old, 40)
    part = project_most_connected(new, 40, memo)
    assert part.memo.facts is not memo.facts and as_lists(part) == fresh
    # the whole graph fits: no memo, and none needed
    whole = project_most_connected(new, 10**6, memo_of(old, 40), changed)
    assert not whole.truncated and whole.memo is None


def test_a_memo_file_that_is_missing_broken_or_foreign_loads_as_none(builds, tmp_path):
    assert load_memo(tmp_path / "none.memo") is None
    (tmp_path / "broken.memo").write_bytes(b"not a pickle")
    assert load_memo(tmp_path / "broken.memo") is None
    (tmp_path / "foreign.memo").write_bytes(pickle.dumps((("another", 0), {})))
    assert load_memo(tmp_path / "foreign.memo") is None
    memo = memo_of(store(builds["A"]), 40)
    loaded = load_memo(save_memo(memo, tmp_path / "page.memo"))
    assert isinstance(loaded, Memo) and loaded.read == memo.read
    data = (tmp_path / "page.memo").read_bytes()
    (tmp_path / "truncated.memo").write_bytes(data[:-1])
    assert load_memo(tmp_path / "truncated.memo") is None
    (tmp_path / "damaged.memo").write_bytes(data[:-200] + bytes(200))
    assert load_memo(tmp_path / "damaged.memo") is None
    assert load_memo(tmp_path) is None  # a folder
