"""The embedded triple store: a persistent pyoxigraph (Oxigraph/RocksDB) directory.

rdflib answers the seed graph in well under a second but slows down badly past a few
hundred thousand triples (see RECIPES.md: 27 s for a join that Oxigraph answers in 0.2 s);
a store directory is loaded once by ``kg build --store DIR`` and then queried by
``kg query --store DIR`` or served by ``kg serve --store DIR``.

A store is replaced, never updated in place: the new one is built in a sibling temporary
directory and renamed over the old one, so a failed load leaves the previous store intact.
A store that changes by a few subjects (:func:`patch_store`) is copied first as a RocksDB
checkpoint (hard links to its immutable files: instant), changed, and swapped in the same
way.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.rdf.export import replace_directory

FILE_FORMATS = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".nq": "N_QUADS", ".trig": "TRIG",
                ".jsonld": "JSON_LD", ".rdf": "RDF_XML", ".owl": "RDF_XML", ".n3": "N3"}


class StoreError(Exception):
    """A store directory or input file that cannot be used, worded for the user."""


def is_store(directory: Path) -> bool:
    """True for a directory that holds an Oxigraph (RocksDB) store."""
    return (Path(directory) / "CURRENT").is_file()


def rdf_format(path: Path) -> Any:
    """The pyoxigraph format for a file name, from its extension."""
    import pyoxigraph as ox

    name = FILE_FORMATS.get(Path(path).suffix.lower())
    if name is None:
        raise StoreError(f"{path}: unknown RDF format (use one of "
                         f"{', '.join(sorted(FILE_FORMATS))})")
    return getattr(ox.RdfFormat, name)


def replace_store(directory: Path, fill: Callable[[Any], None]) -> int:
    """Build a new store with ``fill(store)`` and swap it in for ``directory``.

    Returns the number of triples. Refuses to replace a non-empty directory that is not a
    store, so a mistyped ``--store out`` cannot delete the build outputs.
    """
    import pyoxigraph as ox

    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise StoreError(f"{directory}: exists and is not a directory")
    if directory.is_dir() and any(directory.iterdir()) and not is_store(directory):
        raise StoreError(f"{directory}: not an Oxigraph store and not empty; "
                         "refusing to replace it")
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.new-", dir=directory.parent))
    try:
        store = ox.Store(str(tmp))
        fill(store)
        store.flush()
        count = len(store)
        del store  # closes RocksDB before the directory moves
        gc.collect()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    replace_directory(tmp, directory)
    return count


def patch_store(directory: Path, remove: list[str], add: list[str]) -> None:
    """Replace the store at ``directory`` with a copy that lacks the N-Triples lines
    ``remove`` and has the lines ``add``."""
    import pyoxigraph as ox

    def quads(lines: list[str]) -> list[Any]:
        triples = ox.parse("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        return [ox.Quad(t.subject, t.predicate, t.object) for t in triples]

    directory = Path(directory)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.new-", dir=directory.parent))
    try:
        ox.Store.read_only(str(directory)).backup(str(tmp / "store"))
        store = ox.Store(str(tmp / "store"))
        for quad in quads(remove):
            store.remove(quad)
        store.extend(quads(add))
        store.flush()
        del store
        gc.collect()
        replace_directory(tmp / "store", directory)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def save_text(directory: Path, data: str | bytes, fmt: str = "N_TRIPLES") -> int:
    """Replace the store at ``directory`` with the RDF in ``data`` (N-Triples by default)."""
    import pyoxigraph as ox

    payload = data.encode("utf-8") if isinstance(data, str) else data

    def fill(store: Any) -> None:
        store.bulk_load(payload, format=getattr(ox.RdfFormat, fmt))

    return replace_store(directory, fill)


def save_file(directory: Path, file: Path) -> int:
    """Replace the store at ``directory`` with the RDF file ``file`` (format by extension)."""
    file = Path(file)
    if not file.is_file():
        raise StoreError(f"{file}: no such file")
    fmt = rdf_format(file)

    def fill(store: Any) -> None:
        try:
            store.bulk_load(path=str(file), format=fmt)
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"{file}: not valid {fmt.name}: {exc}") from exc

    return replace_store(directory, fill)


def open_store(directory: Path, read_only: bool = True) -> Any:
    """Open a store directory for queries (read-only, so a server may share it)."""
    import pyoxigraph as ox

    directory = Path(directory)
    if not directory.is_dir():
        raise StoreError(f"{directory}: no such store directory "
                         "(create one with `kg build --store DIR`)")
    if not is_store(directory):
        raise StoreError(f"{directory}: not an Oxigraph store")
    try:
        return ox.Store.read_only(str(directory)) if read_only else ox.Store(str(directory))
    except OSError as exc:
        raise StoreError(f"{directory}: cannot open the store: {exc}") from exc


def triple_count(directory: Path) -> int:
    return len(open_store(directory))
