"""Ingest: files in, normalised :class:`~kg.model.Article` records (and Problems) out.

Public API::

    articles, problems = read_paths(paths)      # lists, for small inputs
    for item in iter_paths(paths): ...          # streaming: Article or Problem, in order
    normalise(text) -> str                      # kg.ingest.normalise
    split_page(text) -> list[Article]           # kg.ingest.page

Order is deterministic: files sorted by path (folders read recursively), articles in
page/file order. ``Article.source`` is the file path as given (joined with the path
inside a given folder); ``Article.index`` is the position within the file.

Nothing here raises on bad input: a missing path, an unreadable or binary file, an
undecodable encoding, broken YAML or JSON — each becomes a :class:`~kg.model.Problem`
naming the file (and line, where there is one), and everything else is still read.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from kg.ingest.encoding import decode_bytes
from kg.ingest.files import InputFile, collect_inputs
from kg.ingest.formats import read_document
from kg.ingest.normalise import normalise
from kg.ingest.page import split_page
from kg.model import Article, Problem

__all__ = ["iter_paths", "normalise", "read_file", "read_paths", "split_page"]

PathLike = str | os.PathLike[str]


#: Files larger than this are refused unread. A newspaper page is well under 1 MB and
#: extraction runs at about 10,000 characters a second, so a bigger file is a dump
#: or a mistake, and reading it whole would hold the build for many minutes.
MAX_FILE_BYTES = 10 * 1024 * 1024


def _too_large(size: int) -> str:
    mb = 1024 * 1024
    return (f"file too large ({size / mb:.1f} MB, the limit is {MAX_FILE_BYTES // mb} MB); "
            "split it into smaller files")


def read_file(item: InputFile) -> Iterator[Article | Problem]:
    """Read, decode and parse one input file."""
    source = item.source
    try:
        size = item.path.stat().st_size
        if size > MAX_FILE_BYTES:
            yield Problem(source, _too_large(size))
            return
        data = item.path.read_bytes()
    except PermissionError:
        yield Problem(source, "permission denied")
        return
    except FileNotFoundError:
        yield Problem(source, "no such file or directory")
        return
    except OSError as exc:
        yield Problem(source, f"cannot read: {exc.strerror or exc}")
        return
    decoded = decode_bytes(data)
    if decoded.text is None:
        yield Problem(source, decoded.error or "cannot decode")
        return
    if decoded.warning:
        yield Problem(source, decoded.warning)
    if not decoded.text.strip():
        yield Problem(source, "empty file" if not data else "empty file (white space only)")
        return
    try:
        yield from read_document(source, decoded.text, item.suffix)
    except Exception as exc:  # a bug on one odd file must not stop the whole build
        yield Problem(source, f"internal error while reading ({type(exc).__name__}: {exc})")


def iter_paths(paths: Iterable[PathLike] | PathLike) -> Iterator[Article | Problem]:
    """Stream articles and problems from files and folders, in deterministic order."""
    for item in collect_inputs(paths):
        if isinstance(item, Problem):
            yield item
        else:
            yield from read_file(item)


def read_paths(paths: Iterable[PathLike] | PathLike) -> tuple[list[Article], list[Problem]]:
    """All articles and all problems from ``paths`` (see :func:`iter_paths`)."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for item in iter_paths(paths):
        (problems if isinstance(item, Problem) else articles).append(item)
    return articles, problems
