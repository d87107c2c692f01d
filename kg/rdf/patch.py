"""Reading and replacing a few subjects' lines in a large sorted N-Triples file.

Why: after articles are added to a corpus of millions of triples, only the subjects that
the new articles touch change, yet re-merging every line costs a pass of Python over
all of them (16 s at 20,000 articles). In a sorted N-Triples file (the merged graph of
:mod:`kg.rdf.merge`) the lines of one subject are contiguous and the subjects are in
byte order — a subject is ``<…>`` and ``>`` never occurs inside an IRI, so no subject is
a prefix of another — so a subject's block is found by binary search over the bytes,
and a new file is the old one's byte ranges copied by the kernel around the replaced
blocks.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from kg.rdf.merge import split_lines


class SortedLines:
    """A sorted N-Triples file opened for look-ups by subject (use as a context manager)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fh = open(self.path, "rb")
        self.size = os.fstat(self._fh.fileno()).st_size
        self._mm = (mmap.mmap(self._fh.fileno(), 0, access=mmap.ACCESS_READ)
                    if self.size else b"")

    def __enter__(self) -> SortedLines:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if isinstance(self._mm, mmap.mmap):
            self._mm.close()
        self._fh.close()

    def _line_start(self, pos: int) -> int:
        """The start of the line that holds byte ``pos``."""
        return self._mm.rfind(b"\n", 0, pos) + 1 if pos else 0

    def _subject_at(self, start: int) -> bytes:
        return self._mm[start:self._mm.find(b" ", start)]

    def lower_bound(self, subject: str) -> int:
        """The offset of the first line whose subject is not below ``subject``."""
        key = subject.encode("utf-8")
        lo, hi = 0, self.size  # line starts: lines before lo are below key, from hi not
        while lo < hi:
            mid = self._line_start((lo + hi) // 2)  # in [lo, hi): lo is a line start
            if self._subject_at(mid) < key:
                lo = self._mm.find(b"\n", mid) + 1 or self.size
            else:
                hi = mid
        return lo

    def block(self, subject: str) -> tuple[int, int]:
        """The byte range of ``subject``'s lines (empty where it would be inserted)."""
        start = self.lower_bound(subject)
        end, key = start, subject.encode("utf-8") + b" "
        while end < self.size and self._mm[end:end + len(key)] == key:
            end = self._mm.find(b"\n", end) + 1 or self.size
        return start, end

    def lines(self, start: int, end: int) -> list[str]:
        return split_lines(self._mm[start:end].decode("utf-8"))


def copy_range(src: int, dst: int, start: int, end: int) -> None:
    """Copy bytes ``start:end`` of file descriptor ``src`` to the position of ``dst``."""
    while start < end:
        try:
            n = os.copy_file_range(src, dst, end - start, start)
        except (AttributeError, OSError):  # not Linux, or a file system without it
            n = os.write(dst, os.pread(src, min(end - start, 1 << 24), start))
        if n <= 0:
            raise OSError(f"could not copy bytes {start}:{end}")
        start += n


def replace_blocks(old: SortedLines, blocks: Mapping[str, Iterable[str]], out: Path) -> None:
    """Write ``old`` to ``out`` with each subject of ``blocks`` given those lines (sorted;
    an empty list deletes the subject, a new subject is inserted in order)."""
    with open(old.path, "rb") as src, open(out, "wb") as dst:
        pos = 0
        for subject in sorted(blocks):
            start, end = old.block(subject)
            copy_range(src.fileno(), dst.fileno(), pos, start)
            dst.write("".join(blocks[subject]).encode("utf-8"))
            dst.flush()
            pos = end
        copy_range(src.fileno(), dst.fileno(), pos, old.size)


__all__ = ["SortedLines", "copy_range", "replace_blocks"]
