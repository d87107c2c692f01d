"""``kg build`` after input files were added: the previous graph patched subject by subject.

Why it gives the same graph as a full build: the merged graph is the union of the
per-file graphs, reconciled subject by subject (:mod:`kg.rdf.merge`), and each rule of
reconciling is a minimum over the subject's values (the smallest label, the earliest
``rkg:since``, the first source path) that keeps the others as alternative labels or
drops them. So reconciling a subject's previous, already reconciled lines together
with its lines from the new files gives what reconciling all its lines from all files
gives. Subjects the new files do not mention keep their lines. What changes is found
with :class:`kg.rdf.patch.SortedLines` (a binary search per subject) and written around
the unchanged bytes, which the kernel copies.

The cardinality checks run on the changed subjects (the unchanged ones passed last
time), and the SHACL-SPARQL rules of the new files ran in their workers as usual. A
patch that would break a shape is not applied: the full build then reports it as usual.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.buildrun import Unit, class_of
from kg.buildstate import State
from kg.rdf.checks import SubjectChecks
from kg.rdf.merge import merge_sorted, reconcile_subject, subject_groups
from kg.rdf.patch import SortedLines, replace_blocks


def added_units(state: State, units: list[Unit]) -> list[Unit] | None:
    """The units that are new since the previous build, or None unless the inputs only
    grew (a file removed or edited changes the key set in another way)."""
    keys = {u.result.key for u in units if u.path is not None and u.result.key}
    if not keys.issuperset(state.units):
        return None
    return [u for u in units if u.path is not None and u.result.key not in state.units]


@dataclass
class GraphPatch:
    """The subjects whose lines changed: their previous and their new lines."""

    old: dict[str, list[str]] = field(default_factory=dict)
    new: dict[str, list[str]] = field(default_factory=dict)

    def counts(self, triples: int, classes: dict[str, int]) -> tuple[int, dict[str, int]]:
        """The triple and class counts of the new graph, from those of the previous one."""
        counter = Counter(classes)
        for sign, table in ((-1, self.old), (1, self.new)):
            for lines in table.values():
                triples += sign * len(lines)
                for line in lines:
                    cls = class_of(line)
                    if cls:
                        counter[cls] += sign
        return triples, {c: counter.get(c, 0) for c in classes}

    def removed(self) -> list[str]:
        return sorted(line for s, lines in self.old.items() for line in
                      set(lines).difference(self.new[s]))

    def added(self) -> list[str]:
        return sorted(line for s, lines in self.new.items() for line in
                      set(lines).difference(self.old[s]))


def patch_graph(graph: Path, added: Iterable[Path], out: Path,
                checks: SubjectChecks | None = None) -> GraphPatch:
    """Write to ``out`` the merged graph ``graph`` with the lines of the sorted N-Triples
    files ``added`` merged in (see the module doc); ``checks`` see each touched subject."""
    patch = GraphPatch()
    paths = sorted(added)
    with SortedLines(graph) as old:
        for group in subject_groups(merge_sorted(paths, out.parent)):
            subject = group[0].split(" ", 1)[0]
            before = old.lines(*old.block(subject))
            after = reconcile_subject(sorted(set(before).union(group)))
            if checks is not None:
                checks.subject(after)
            if after != before:
                patch.old[subject], patch.new[subject] = before, after
        replace_blocks(old, patch.new, out)
    return patch


__all__ = ["GraphPatch", "added_units", "patch_graph"]
