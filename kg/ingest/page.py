"""Splitting a newspaper page into articles.

A page is a sequence of headings, credits and body paragraphs (classified by
:mod:`kg.ingest.layout`). The rules, for Chinese newspaper pages in general:

* The page's **section** (要闻, 区域经济, 地方观察 …) is a short first line followed by a headline.
* A **headline** is a heading block (one to three lines) that is followed by a byline,
  a dateline, or a body while no article is open. A headline printed over two lines
  becomes one title joined with a space.
* An article **starts** at a headline, at a byline without headline, at a dateline
  (本报讯 …) once the open article already has body text, or at body text after the
  open article was closed.
* An article **ends** at a sign-off (``（张三 李 四）``), an author note
  (``（作者系…）``), or where the next one starts.
* A heading block between body paragraphs of an open article, with no byline or
  dateline after it, is a **subheading** and stays in the text as a line of its own —
  unless it is wider than the column, which only a headline is.
* **Detached headlines.** Pages often print a headline away from its body: when heading
  blocks follow each other, the last one belongs to the article that follows and the
  earlier ones wait for a later article that starts without a headline of its own (a
  bare 本报讯 body). Each such article takes the waiting headline sharing the most
  character bigrams with its opening (the earliest one on a tie). Waiting headlines
  that no article claims are kept as a kicker line in front of the title they preceded.
  Without blank lines the two headlines run into one block of three lines or more; a
  leading part of that block is split off when it matches the headline-less article's
  opening clearly better than the article below the block.
* **Authors** come from bylines, from names in the dateline and from the sign-off, in
  that order, without duplicates. The dateline and sign-off are removed from the
  text; author notes are dropped. Bylines are not part of the text.
* A page **date** printed as furniture (``2023年6月20日 星期二``) dates its articles.
* An article without any headline is titled by its first sentence (at most 40
  characters).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from kg.ingest.chars import is_han
from kg.ingest.credits import match_dateline
from kg.ingest.layout import Kind, Layout, Line, analyse, join_lines, paragraphs
from kg.ingest.normalise import normalise, normalise_title
from kg.model import Article

__all__ = ["split_page", "title_from_text"]

_TITLE_MAX = 40


@dataclass(slots=True)
class _Block:
    """A run of heading lines printed together."""

    lines: list[Line]
    pos: int  # token position, for page order

    @property
    def title(self) -> str:
        return normalise_title("\n".join(line.text for line in self.lines))


@dataclass(slots=True)
class _Draft:
    start: int  # token position
    headline: _Block | None = None
    leads: list[_Block] = field(default_factory=list)  # blocks waiting before the headline
    body: list[Line] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)  # from bylines
    signoff_authors: list[str] = field(default_factory=list)
    closed: bool = False  # a sign-off or note was seen

    @property
    def has_body(self) -> bool:
        return any(line.kind in (Kind.BODY, Kind.DATELINE) for line in self.body)


@dataclass(slots=True)
class _Token:
    kind: Kind
    lines: list[Line]
    pos: int = 0


# --- tokens ------------------------------------------------------------------------------------


def _tokens(layout: Layout) -> list[_Token]:
    """Group heading lines into blocks; every other line is a token of its own."""
    tokens: list[_Token] = []
    for line in layout.lines:
        last = tokens[-1] if tokens else None
        if (
            line.kind is Kind.HEADING
            and last is not None
            and last.kind is Kind.HEADING
            and len(last.lines) < 4
            and (
                (layout.spaced and line.group == last.lines[-1].group)
                or (not layout.spaced and not line.gap_before)
                or line.text.startswith("——")
            )
        ):
            last.lines.append(line)
            continue
        tokens.append(_Token(line.kind, [line]))
    for pos, token in enumerate(tokens):
        token.pos = pos
    return tokens


def _is_section_name(text: str) -> bool:
    return 2 <= len(text) <= 6 and all(is_han(ch) for ch in text)


def _section(tokens: list[_Token]) -> str | None:
    """A page section header: a short Han-only first line above the first headline.

    Either a heading of its own followed by another heading, or the first line of the
    first heading block when that line is set apart (indented or centred) or the block
    has three lines or more (section + two-line headline printed without blank lines).
    """
    content = [t for t in tokens if t.kind is not Kind.FURNITURE]
    if len(content) < 2 or content[0].kind is not Kind.HEADING:
        return None
    first = content[0]
    line = first.lines[0]
    if not _is_section_name(line.text):
        return None
    if len(first.lines) == 1:
        if content[1].kind is not Kind.HEADING:
            return None
        tokens.remove(first)
        return line.text
    if line.lead > 0 or len(first.lines) >= 3:
        first.lines.pop(0)
        return line.text
    return None


_PAGE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _page_date(tokens: Sequence[_Token]) -> str | None:
    for token in tokens:
        if token.kind is Kind.FURNITURE:
            m = _PAGE_DATE.search(token.lines[0].text)
            if m:
                return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
    return None


# --- walking the page --------------------------------------------------------------------------


def _next_kind(tokens: Sequence[_Token], i: int) -> Kind | None:
    for token in tokens[i + 1 :]:
        if token.kind is not Kind.FURNITURE:
            return token.kind
    return None


def _wide(block: _Token) -> bool:
    return any(line.width > line.col + 2.5 for line in block.lines)


def _walk(tokens: list[_Token]) -> tuple[list[_Draft], list[_Block]]:
    drafts: list[_Draft] = []
    orphans: list[_Block] = []  # headline blocks no article took directly
    waiting: list[_Block] = []
    current: _Draft | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            if current.has_body:
                drafts.append(current)
            else:  # a headline (and byline) whose body is not on this page
                orphans.extend(current.leads)
                if current.headline is not None:
                    orphans.append(current.headline)
        current = None

    def start(pos: int, headline: _Block | None = None) -> _Draft:
        nonlocal current, waiting
        close()
        current = _Draft(start=pos, headline=headline, leads=waiting)
        waiting = []
        return current

    for i, token in enumerate(tokens):
        kind = token.kind
        if kind is Kind.FURNITURE:
            continue
        if kind is Kind.HEADING:
            block = _Block(token.lines, token.pos)
            following = _next_kind(tokens, i)
            if following in (Kind.BYLINE, Kind.DATELINE):
                start(token.pos, block)
            elif following is Kind.HEADING:
                waiting.append(block)
            elif following is Kind.BODY:
                # A heading inside an open article is a subheading; so is one right
                # after a headline and byline, before the body (a deck or lead-in).
                open_article = (
                    current is not None
                    and not current.closed
                    and (current.has_body or current.headline is not None)
                )
                if open_article and not _wide(token):
                    for earlier in waiting:  # consecutive subheadings
                        current.body.extend(earlier.lines)
                    waiting = []
                    current.body.extend(token.lines)
                else:
                    start(token.pos, block)
            elif current is not None and not current.closed and current.has_body:
                current.body.extend(token.lines)  # a heading-like last line
            else:
                waiting.append(block)
            continue
        if kind is Kind.BYLINE:
            if current is None or current.closed or current.has_body:
                start(token.pos)
            current.authors.extend(token.lines[0].authors)
        elif kind is Kind.DATELINE:
            if current is None or current.closed or current.has_body:
                start(token.pos)
            current.body.extend(token.lines)
        elif kind is Kind.BODY:
            if current is None or current.closed:
                start(token.pos)
            current.body.extend(token.lines)
        elif kind is Kind.SIGNOFF:
            if current is not None:
                current.signoff_authors.extend(token.lines[0].authors)
                current.closed = True
        elif kind is Kind.NOTE and current is not None:
            current.closed = True
    close()
    orphans.extend(waiting)
    return drafts, orphans


# --- titles ------------------------------------------------------------------------------------


def _bigrams(text: str) -> set[str]:
    pairs = pairwise(text)
    return {a + b for a, b in pairs if is_han(a) and is_han(b)}


def _opening(draft: _Draft) -> set[str]:
    return _bigrams("".join(line.text for line in draft.body)[:400])


def _split_stacked(draft: _Draft, earlier: list[_Draft]) -> _Block | None:
    """Take a detached headline out of an earlier headline block printed on top of it.

    Without blank lines between lines, a detached headline and the next article's own
    headline run together into one block of three lines or more. A leading part of
    such a block is given to ``draft`` if it shares clearly more bigrams with
    ``draft``'s opening than with the body below the block.
    """
    opening = _opening(draft)
    best: tuple[int, _Draft, int] | None = None
    for other in earlier:
        block = other.headline
        if block is None or len(block.lines) < 3:
            continue
        own = _opening(other)
        for k in range(1, len(block.lines)):
            head = _bigrams("".join(line.text for line in block.lines[:k]))
            gain = len(head & opening) - len(head & own)
            if len(head & opening) >= 3 and gain > 0 and (best is None or gain > best[0]):
                best = (gain, other, k)
    if best is None:
        return None
    _, other, k = best
    assert other.headline is not None
    taken = _Block(other.headline.lines[:k], other.headline.pos)
    other.headline = _Block(other.headline.lines[k:], other.headline.pos)
    return taken


def _assign_waiting(drafts: list[_Draft], orphans: list[_Block]) -> None:
    """Give detached headlines to the articles that start without one."""
    pool = sorted([b for d in drafts for b in d.leads] + orphans, key=lambda b: b.pos)
    for n, draft in enumerate(drafts):
        if draft.headline is not None:
            continue
        candidates = [b for b in pool if b.pos < draft.start]
        if not candidates:
            draft.headline = _split_stacked(draft, drafts[:n])
            continue
        opening = _opening(draft)
        best = max(candidates, key=lambda b: (len(_bigrams(b.title) & opening), -b.pos))
        draft.headline = best
        pool.remove(best)
        for other in drafts:
            if best in other.leads:
                other.leads.remove(best)


def title_from_text(text: str) -> str:
    """A stand-in title: the first line's first sentence, at most 40 characters."""
    first = text.strip().split("\n", 1)[0]
    m = re.match(r"[^。！？!?]*[。！？!?]?", first)
    sentence = (m.group() if m else first).rstrip("。！？!?")
    return sentence[:_TITLE_MAX].strip()


# --- bodies ------------------------------------------------------------------------------------


def _strip_dateline(body: list[Line]) -> list[str]:
    """Remove a leading dateline from ``body`` in place; return the names it credits.

    The dateline may run over several column lines (``本报讯（记者 张三 通讯`` / ``员 李四）``),
    so the first lines are joined the way paragraphs are joined before matching.
    """
    first = next((i for i, line in enumerate(body) if line.kind is not Kind.HEADING), None)
    if first is None or body[first].kind is not Kind.DATELINE:
        return []
    window = [line for line in body[first : first + 4] if line.kind is not Kind.HEADING]
    joined = ""
    starts: list[int] = []
    for line in window:
        merged = join_lines(joined, line.raw)
        starts.append(len(merged) - len(line.raw))
        joined = merged
    dateline = match_dateline(joined)
    if dateline is None:
        return []
    for line, begin in zip(window, starts, strict=True):
        cut = dateline.end - begin
        if cut <= 0:
            break
        line.set_raw(line.raw[cut:].lstrip() if cut < len(line.raw) else "")
    return dateline.authors


def _dedupe(names: list[str]) -> list[str]:
    return list(dict.fromkeys(name for name in names if name))


def split_page(text: str) -> list[Article]:
    """Split the raw text of a page into normalised articles, in the page order of bodies.

    ``source`` is left unset (the caller knows the file); ``index`` is the position on
    the page.
    """
    layout = analyse(text)
    tokens = _tokens(layout)
    section = _section(tokens)
    date = _page_date(tokens)
    drafts, orphans = _walk(tokens)
    _assign_waiting(drafts, orphans)

    articles: list[Article] = []
    for draft in drafts:
        dateline_authors = _strip_dateline(draft.body)
        body = normalise("\n".join(paragraphs(draft.body, layout.column, layout.spaced)))
        if not body:
            continue
        titles = [block.title for block in draft.leads]
        if draft.headline is not None:
            titles.append(draft.headline.title)
        title = " ".join(t for t in titles if t) or title_from_text(body)
        authors = _dedupe(draft.authors + dateline_authors + draft.signoff_authors)
        articles.append(
            Article(
                title=title,
                text=body,
                date=date,
                authors=authors,
                section=section,
                index=len(articles),
            )
        )
    return articles
