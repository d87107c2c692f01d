"""Small builders shared by the tests."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from kg.extract.doc import Doc
from kg.extract.regions import extract_regions
from kg.extract.strategies import extract_strategies
from kg.model import Article, Mention, Region


def doc_with_regions(text: str, title: str = "测试", date: str | None = None) -> Doc:
    """A Doc whose regions and strategies are already extracted."""
    doc = Doc(Article(title=title, text=text, date=date, source="inline.txt"))
    doc.ex.regions = extract_regions(doc)
    doc.ex.strategies = extract_strategies(doc)
    return doc


def labels(items) -> list[str]:
    return [x.label for x in items]


def doc_with_marked_regions(text: str, regions: dict[str, str] | None = None) -> Doc:
    """A Doc whose regions (surface → kind) are marked by hand wherever they occur.

    For testing a later stage on its own, without the region extractor's decisions.
    """
    doc = Doc(Article(title="测试", text=text))
    for surface, kind in (regions or {}).items():
        doc.ex.regions.append(Region(label=surface, kind=kind, mentions=mentions_of(doc, surface)))
    return doc


def mentions_of(doc: Doc, surface: str) -> list[Mention]:
    """Every occurrence of ``surface`` in the doc's text, as mentions."""
    out = []
    i = doc.text.find(surface)
    while i >= 0:
        out.append(Mention(surface, i, i + len(surface), doc.sents.at(i)))
        i = doc.text.find(surface, i + 1)
    return out


def as_nobody(fn: Callable[[], str]) -> str:
    """``fn()`` run by the unprivileged user ``nobody`` (when the tests run as root, which
    reads any file), in a forked child; its string, or ``error: …`` if it raised.

    A fork and not a subprocess: the interpreter may live where ``nobody`` cannot enter,
    so everything the child needs must be imported by this process beforehand.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: drop privileges, run, report, exit without cleanup
        try:
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            message = fn()
        except BaseException as exc:  # report anything to the parent
            message = f"error: {exc!r}"
        os.write(write_end, message.encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    with os.fdopen(read_end, encoding="utf-8") as fh:
        return fh.read()


def generated_articles(root: Path, batches: Iterable[tuple[str, int, int]]) -> dict[str, Path]:
    """Folders of articles from benchmarks/corpus.py, one per (name, articles, seed):
    name → ``root/name/articles``. Separate seeds give separate batches of a corpus."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import corpus  # a script folder, not a package

    out = {}
    for name, n, seed in batches:
        corpus.write_corpus(n, root / name, seed=seed)
        out[name] = root / name / "articles"
    return out


# Two made-up paragraphs set in a 12-cell column (first lines indented by two cells),
# one blank line after every line, the way the seed page was extracted. Column breaks
# fall inside a number (1 / 2家) and inside a book title (《云 / 川…》).
COLUMN_SPACED = """\
近日，云川市与青溪县

签署了产业协作框架协议，

双方自2023年起共建农产品

加工园区，并联合编制《云

川—青溪产业协作规划》。

园区目前已入驻企业1

2家，带动当地群众就业300

余人。
"""
