"""What the last projection read, kept for the next one after a change (:class:`Memo`).

Why: an incremental ``kg build`` adds a few articles to a graph of millions of triples
and redraws the page of its most connected nodes. Reading the structure of every entity
and the facts of the kept ones again took ~8 s of the 12 s page at 20,000 articles, for
a change of a few hundred subjects. The memo keeps what the last projection read; given
what changed (:class:`Changed`), :meth:`Memo.update` reads the structure of the changed
subjects again and forgets the facts they may have altered, and the next projection
(kg.graph.project.project_most_connected) reads only those and the ones the new cut
needs; the network is the same as a fresh one. :func:`save_memo` and :func:`load_memo`
keep a memo between builds.
"""

from __future__ import annotations

import os
import pickle
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.graph.facts import TABLES, Facts, paused_gc
from kg.graph.read import nameable, read_sentences_of_mentions, read_structure
from kg.rdf.ns import ITSRDF


@dataclass
class Memo:
    """What a projection of the most connected nodes read, for the next one to re-use
    after the store changed (kg.graph.project.project_most_connected with ``memo`` and
    ``changed``).

    ``facts`` holds the structure (types, links, partnerships) of all entities and the
    facts of the keys ``read`` names per table (TABLES of kg.graph.facts: a key read
    without rows is read all the same); ``max_nodes`` is the cut it was made for.
    """

    facts: Facts
    read: dict[str, set[str]]
    max_nodes: int

    def prune(self) -> None:
        """Forget the facts of keys ``read`` does not name: the memo holds what the last
        projection needed, and does not grow from run to run."""
        for name in TABLES:
            table, keys = getattr(self.facts, name), self.read[name]
            if len(table) > len(keys) or not table.keys() <= keys:
                kept = {k: table[k] for k in keys if k in table}
                table.clear()
                table.update(kept)

    def usable(self, changed: Changed, max_nodes: int | None) -> bool:
        """Whether the memo can be brought up to date: made for the same cut, with no blank
        node in it or among the changed subjects."""
        return (self.max_nodes == max_nodes and not self.facts.blank
                and len(nameable(set(changed.subjects))) == len(changed.subjects))

    def update(self, store: ox.Store, changed: Changed) -> None:
        """Bring the memo up to the ``store`` after the change: the structure of the
        changed subjects read again, and the facts the change may have touched forgotten
        (and dropped from ``read``), for the next projection to read again."""
        facts, read = self.facts, self.read
        subjects = set(changed.subjects)
        for table in (facts.types, *facts.links.values()):
            for s in [s for s in subjects if s in table]:
                del table[s]
        facts.partnerships = [p for p in facts.partnerships if p not in subjects]
        read_structure(store, facts, subjects)
        # The facts of a key k are read from triples whose subject is k; the mentions and
        # their sentences from triples whose object is k (?article rkg:mentions k, ?mention
        # itsrdf:taIdentRef k); the geometries also from those of k's geometry nodes.
        referred = subjects | changed.objects
        stale = dict.fromkeys(TABLES, subjects)
        stale["mentions"] = stale["mention_sentences"] = referred
        if changed.mentioned_before is not None:  # the others gain the new mentions' sentences
            stale["mention_sentences"] = set(changed.mentioned_before)
        stale["geometries"] = subjects | {k for k, geometries in facts.geometries.items()
                                          if not subjects.isdisjoint(geometries)}
        for name in TABLES:
            table = getattr(facts, name)
            for k in [k for k in stale[name] if k in table]:
                del table[k]
            read[name] = read.get(name, set()) - stale[name]
        if changed.mentioned_before is not None:
            read_sentences_of_mentions(store, facts, subjects, read["mention_sentences"])


_TA_IDENT_REF = str(ITSRDF.taIdentRef)


@dataclass(frozen=True)
class Changed:
    """What changed in the store since the Memo's projection (:meth:`of_triples` makes it
    from the old and the new triples of the subjects that changed).

    ``subjects``: the IRIs of the subjects whose triples changed (added, removed or
    replaced). ``objects``: the IRIs in object position of all the triples, old and new,
    of those subjects (not only of the lines that differ: a mention whose sentence
    changed still names its entity in an unchanged line). ``mentioned_before``: the
    objects of itsrdf:taIdentRef among their old triples, or None if not known.

    Why the last: a few new articles mention the hubs of the graph, whose sentences
    (thousands) would otherwise be read again; when no changed subject was a mention of
    an entity before, the entity's sentences are those it had plus the new mentions'.

    A subject that is a blank node (any text that is not an IRI) cannot be named in a
    query: the projection is then made afresh.
    """

    subjects: frozenset[str]
    objects: frozenset[str]
    mentioned_before: frozenset[str] | None = None

    @classmethod
    def of_triples(cls, old: Iterable[ox.Triple | ox.Quad],
                   new: Iterable[ox.Triple | ox.Quad]) -> Changed:
        """The change from the triples ``old`` to ``new``: all the triples, before and
        after, of the subjects that changed (a subject with none before is new)."""
        subjects: set[str] = set()
        objects: set[str] = set()
        mentioned: set[str] = set()
        for triples, before in ((old, True), (new, False)):
            for t in triples:
                subject = t.subject
                subjects.add(str(subject) if isinstance(subject, ox.BlankNode)
                             else subject.value)
                if isinstance(t.object, ox.NamedNode):
                    objects.add(t.object.value)
                    if before and t.predicate.value == _TA_IDENT_REF:
                        mentioned.add(t.object.value)
        return cls(frozenset(subjects), frozenset(objects), frozenset(mentioned))

    @classmethod
    def of_ntriples(cls, old: Iterable[str], new: Iterable[str]) -> Changed:
        """:meth:`of_triples` of N-Triples lines, as a line diff of two sorted N-Triples
        files gives them (all the lines of each subject whose lines differ)."""

        def parse(lines: Iterable[str]):
            text = "\n".join(line.rstrip("\n") for line in lines) + "\n"
            return ox.parse(text, format=ox.RdfFormat.N_TRIPLES)

        return cls.of_triples(parse(old), parse(new))


# A memo file: this line (a memo of another layout is not loaded), the byte lengths of the
# parts (little-endian 64-bit), then the parts: a pickle of each group of Facts' tables,
# the last with max_nodes and the keys read without rows (articles and kept nodes, as
# its tables' keys are). Why groups, each pickled on its own: pickle's memo of the objects
# written grows with each, and one pickle of the whole took a fifth longer. The groups
# keep the tables whose strings are the same objects together (the entities' IRIs in
# types and links, the spans' in spans and the sentence sets), since a string shared
# across pickles is written, and loaded, once in each.
_MEMO_MAGIC = b"regionkg.project.Memo 3\n"
_MEMO_GROUPS = (("types", "links", "partnerships"),
                ("spans", "mention_sentences", "item_evidence"),
                ("labels", "values", "mentions", "geometries", "blank"))
_LENGTHS = struct.Struct(f"<{len(_MEMO_GROUPS)}Q")


def save_memo(memo: Memo, path: str | Path) -> Path:
    """Write the memo to ``path`` (replaced atomically), for the next run's projection.

    What is saved is plain data: the facts' tables (dicts, sets, tuples and strings, see
    Facts) and of ``read`` only the keys that no table holds (keys read without rows);
    the rest of ``read`` is the tables' keys (a memo is pruned). Why: ``kg build`` saves
    the memo at every build and loads it at the next, whose whole page at 20,000
    articles takes ~3 s. Pickled as objects (pyoxigraph terms, the evidence and labels
    made, ``read`` in full), it took 1.3 s to save and 0.5 s to load (61 MB); as plain
    data about 0.12 s each (29 MB). Python's cycle collector is paused meanwhile (it
    tripled the time).
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    facts = memo.facts
    unfiled = {name: memo.read[name] - getattr(facts, name).keys() for name in TABLES}
    groups = [[getattr(facts, name) for name in group] for group in _MEMO_GROUPS]
    groups[-1] += [memo.max_nodes, unfiled]
    with paused_gc():
        parts = [pickle.dumps(tuple(group), protocol=5) for group in groups]
    with tmp.open("wb") as f:
        f.write(_MEMO_MAGIC)
        f.write(_LENGTHS.pack(*map(len, parts)))
        for part in parts:
            f.write(part)
    os.replace(tmp, path)
    return path


def load_memo(path: str | Path) -> Memo | None:
    """The memo :func:`save_memo` wrote to ``path``; None if there is none, or it cannot be
    read or was written by another version of this module (a fresh projection follows).

    A pickle runs code as it loads: load only a memo this program saved, in a folder of
    the user's (as ``kg build`` keeps its cache).
    """
    try:
        data = Path(path).read_bytes()  # at once: pickle.load reads a file in small pieces
    except OSError:
        return None
    start = len(_MEMO_MAGIC) + _LENGTHS.size
    if not data.startswith(_MEMO_MAGIC) or len(data) < start:
        return None
    lengths = _LENGTHS.unpack_from(data, len(_MEMO_MAGIC))
    if start + sum(lengths) != len(data):  # truncated
        return None
    view, parts = memoryview(data), []
    try:
        with paused_gc():
            for length in lengths:
                parts.append(pickle.loads(view[start:start + length]))
                start += length
            *last, max_nodes, unfiled = parts[-1]
            parts[-1] = last
            facts = Facts(**{name: table for group, tables in zip(_MEMO_GROUPS, parts,
                                                                  strict=True)
                             for name, table in zip(group, tables, strict=True)})
            read = {name: set(getattr(facts, name)) for name in TABLES}
            for name, keys in read.items():
                keys.update(unfiled[name])
    except Exception:  # damaged, or pickled by another layout of these classes
        return None
    return Memo(facts, read, max_nodes)
