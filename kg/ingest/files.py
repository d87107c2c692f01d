"""Which files to read: expanding the paths a user gave into a sorted list of inputs.

The order must not depend on the file system (``os.scandir`` order differs between
machines), so everything found is sorted by path, component by component. Folders are
read recursively; inside them only article files (``.txt``, ``.md``, ``.markdown``,
``.jsonl``) are taken and hidden entries (``.git``, ``.DS_Store``) are skipped. A file
named explicitly is always taken, and a wrong type is reported rather than ignored.

Symbolic links are followed, but every directory is entered once, by its resolved
path, so a link pointing back up the tree cannot make the walk loop. A file reached
twice (say through a link) is read once.

Nothing here raises for a bad path: missing paths, broken links and unreadable
folders become :class:`~kg.model.Problem` records in the same sorted stream.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

from kg.model import Problem

__all__ = ["SUFFIXES", "InputFile", "collect_inputs"]

#: File name endings read as articles (compared case-insensitively).
SUFFIXES = (".txt", ".md", ".markdown", ".jsonl")


@dataclass(frozen=True, slots=True)
class InputFile:
    """A file to read: ``source`` is the path as the user will recognise it."""

    source: str
    path: Path

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()


def _sort_key(source: str) -> tuple[str, ...]:
    return PurePath(source).parts


def _supported(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def _walk(root: Path, source: str) -> Iterator[InputFile | Problem]:
    """Every article file below ``root``; ``source`` is how ``root`` was written."""
    seen_dirs: set[str] = set()
    stack: list[tuple[Path, str]] = [(root, source)]
    while stack:
        folder, folder_source = stack.pop()
        real = os.path.realpath(folder)
        if real in seen_dirs:
            yield Problem(folder_source, "symbolic link to a folder already read (loop?), skipped")
            continue
        seen_dirs.add(real)
        try:
            with os.scandir(folder) as entries:
                listing = sorted(entries, key=lambda e: e.name)
        except PermissionError:
            yield Problem(folder_source, "permission denied")
            continue
        except OSError as exc:
            yield Problem(folder_source, f"cannot read folder: {exc.strerror or exc}")
            continue
        subfolders: list[tuple[Path, str]] = []
        for entry in listing:
            if entry.name.startswith("."):
                continue
            entry_source = os.path.join(folder_source, entry.name)
            try:
                is_dir = entry.is_dir()  # follows symbolic links
                is_file = not is_dir and entry.is_file()
            except OSError as exc:
                yield Problem(entry_source, f"cannot read: {exc.strerror or exc}")
                continue
            if is_dir:
                subfolders.append((Path(entry.path), entry_source))
            elif is_file:
                if _supported(entry.name):
                    yield InputFile(entry_source, Path(entry.path))
            elif entry.is_symlink() and _supported(entry.name):
                yield Problem(entry_source, "broken symbolic link")
        stack.extend(reversed(subfolders))  # depth first, in name order: real paths first


def _expand(raw: str | os.PathLike[str]) -> Iterator[InputFile | Problem]:
    source = os.fspath(raw)
    path = Path(source)
    try:
        if path.is_dir():
            yield from _walk(path, source)
        elif path.is_file():
            if _supported(path.name):
                yield InputFile(source, path)
            else:
                expected = ", ".join(SUFFIXES)
                yield Problem(source, f"unsupported file type (expected {expected})")
        elif path.is_symlink():
            yield Problem(source, "broken symbolic link")
        elif path.exists():
            yield Problem(source, "not a regular file or folder")
        else:
            yield Problem(source, "no such file or directory")
    except OSError as exc:  # e.g. a path component without search permission
        yield Problem(source, f"cannot access: {exc.strerror or exc}")


def collect_inputs(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
) -> list[InputFile | Problem]:
    """All inputs and path problems below ``paths``, sorted by path, files deduplicated."""
    if isinstance(paths, str | os.PathLike):
        paths = [paths]  # a single path is a common slip; treat it as one path, not chars
    found: list[InputFile | Problem] = []
    for raw in paths:
        found.extend(_expand(raw))

    def key(item: InputFile | Problem) -> tuple[str, ...]:
        return _sort_key(item.source if isinstance(item, InputFile) else item.path)

    found.sort(key=key)
    unique: list[InputFile | Problem] = []
    seen_files: set[tuple[int, int]] = set()
    for item in found:
        if isinstance(item, InputFile):
            try:  # the file itself, however it was reached (one stat, not a realpath)
                st = os.stat(item.path)
                real = (st.st_dev, st.st_ino)
            except OSError:
                real = None  # reading it will say why
            if real in seen_files:
                continue
            if real is not None:
                seen_files.add(real)
        unique.append(item)
    return unique
