"""What a ``kg build`` leaves for the next one: the merged graph and marks of its outputs.

Why: the cache (:mod:`kg.buildrun`) saves extracting unchanged files, but at 20,000
articles extraction is a small part of a build; merging, Turtle, the store and the
page go over all 4.2 million triples again (a minute). When a build only *adds* input
files to the previous one — the usual case for a growing corpus — the graph changes
only in the subjects the new files touch, so the previous outputs can be patched
(:mod:`kg.buildpatch`). That needs to know exactly what the previous build was:

* the keys of its input files (content hash, path, rules: :func:`kg.buildrun.unit_key`),
  so additions are told from any other change (a removed or edited file goes the full
  way, since reconciling is only monotone under additions);
* its merged graph (sorted N-Triples, ``graph.nt``), to read the touched subjects' lines;
* marks (size and modification time) of the outputs it wrote, the Turtle's chunks
  (:func:`kg.rdf.turtle.write_turtle`) and the state of the store's RocksDB manifest,
  so that an output changed by anyone else since is rewritten rather than patched;
* what its page read (``page.memo``, :class:`kg.graph.memo.Memo`) and, for graphs too
  big for a store in memory, the page's own store (``store/``).

The state lives in ``OUT/.regionkg/`` beside the outputs it describes. It is removed
before any output changes and written again last, so a build killed half way leaves
no state and the next build is a full one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

#: The state's folder inside the output folder.
STATE_DIR = ".regionkg"
_VERSION = 1


@cache
def code_fingerprint() -> str:
    """The cache key's rules (:func:`kg.buildrun.fingerprint`) and all of this package's
    code: the page and the memo depend on kg.graph too, which per-file graphs do not, so
    any upgrade means a full build rather than a patch made by other code."""
    from kg.buildrun import fingerprint, hash_tree

    h = hashlib.sha256(fingerprint().encode())
    hash_tree(h, Path(__file__).resolve().parent, "kg")
    return h.hexdigest()


def state_dir(out_dir: Path) -> Path:
    return Path(out_dir) / STATE_DIR


def file_mark(path: Path) -> list[int] | None:
    """Size and modification time of a file (None if it is missing)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def store_mark(directory: Path) -> list[Any] | None:
    """The current RocksDB manifest of a store and its mark: any write to the store (even
    opening it read-write) starts a new manifest, read-only use leaves it as it was."""
    try:
        current = (Path(directory) / "CURRENT").read_text(encoding="ascii").strip()
    except OSError:
        return None
    mark = file_mark(Path(directory) / current)
    return None if mark is None else [current, *mark]


@dataclass
class State:
    """The previous build (see the module doc)."""

    fingerprint: str  # code_fingerprint()
    validate: bool
    units: dict[str, str]  # cache key -> source path, for every input file with triples
    triples: int
    classes: dict[str, int]
    graph: list[int] | None = None  # mark of graph.nt
    turtle: list[int] | None = None  # mark of OUT/regionkg.ttl
    chunks: list[list[Any]] = field(default_factory=list)  # [first subject, bytes]
    store: str | None = None  # the --store folder, relative to OUT
    store_mark: list[Any] | None = None
    page_store: list[Any] | None = None  # mark of the page's own store (STATE/store)
    version: int = _VERSION


def load(out_dir: Path) -> State | None:
    """The state of the last build into ``out_dir``, or None (none, unreadable, other
    version, or its graph changed since)."""
    folder = state_dir(out_dir)
    try:
        data = json.loads((folder / "state.json").read_text(encoding="utf-8"))
        state = State(**data)
    except (OSError, ValueError, TypeError):
        return None
    if state.version != _VERSION or state.graph != file_mark(folder / "graph.nt"):
        return None
    return state


def forget(out_dir: Path) -> None:
    """Drop the state before outputs change (a killed build then leaves none)."""
    (state_dir(out_dir) / "state.json").unlink(missing_ok=True)


def clear(out_dir: Path) -> None:
    """Remove the whole state folder (a full build starts it afresh)."""
    shutil.rmtree(state_dir(out_dir), ignore_errors=True)


def save(out_dir: Path, state: State) -> None:
    from kg.rdf.export import write_atomic

    state.graph = file_mark(state_dir(out_dir) / "graph.nt")
    write_atomic(state_dir(out_dir) / "state.json",
                 json.dumps(asdict(state), ensure_ascii=False), durable=False)


def relative(path: Path | None, out_dir: Path) -> str | None:
    """``path`` relative to the output folder (so a copied build folder keeps its state)."""
    return None if path is None else os.path.relpath(Path(path).resolve(),
                                                     Path(out_dir).resolve())


__all__ = ["STATE_DIR", "State", "clear", "code_fingerprint", "file_mark", "forget", "load",
           "relative", "save", "state_dir", "store_mark"]
