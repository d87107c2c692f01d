"""Deterministic serialisation, written atomically.

Turtle uses rdflib's ``longturtle`` serializer, which sorts subjects and
predicates and so gives byte-identical files for equal graphs (the graph has no
blank nodes). Files are written to a temporary file in the same folder and moved
into place, so a crash never leaves a half-written export behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import Graph

from kg.rdf.merge import sort_lines

FORMATS = {"turtle": ("longturtle", ".ttl"), "nt": ("nt", ".nt"), "jsonld": ("json-ld", ".jsonld")}


def serialise(graph: Graph, fmt: str = "turtle") -> str:
    rdflib_format, _ = FORMATS[fmt]
    if fmt == "nt":
        return sort_lines(graph.serialize(format="nt"))
    if fmt == "jsonld":
        return graph.serialize(format="json-ld", sort_keys=True, indent=1, ensure_ascii=False)
    return graph.serialize(format=rdflib_format)


def replace_directory(new: Path, directory: Path) -> None:
    """Move a finished folder into place; the previous one is removed only afterwards."""
    old = None
    if directory.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{directory.name}.old-", dir=directory.parent))
        os.replace(directory, old / directory.name)
    os.replace(new, directory)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(path: Path, durable: bool = True) -> Iterator[Path]:
    """A temporary path beside ``path`` to write; moved over ``path`` when the block ends
    (and removed if it fails). ``durable`` flushes it to disk first, so that even a power
    cut leaves the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if durable:
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str | Iterable[str], durable: bool = True) -> None:
    """Write ``text`` (a string, or chunks of one streamed from a generator) atomically.

    ``durable``: see :func:`atomic_path`. Cache entries skip it (an fsync per input file
    cost more than extracting the file): a killed process still never leaves half an entry.
    """
    with atomic_path(path, durable) as tmp, open(tmp, "w", encoding="utf-8",
                                                 newline="\n") as fh:
        if isinstance(text, str):
            fh.write(text)
        else:
            fh.writelines(text)
