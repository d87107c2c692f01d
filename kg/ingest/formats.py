"""From decoded file text to articles, by file kind.

* ``.jsonl`` — one JSON object per line with ``title``, ``text``, ``date``, ``source``,
  ``url`` and optionally ``authors`` and ``section``. A line that is not JSON, not an
  object, or has no usable ``text`` is a Problem naming its line and is skipped; a
  non-string title is a Problem too, but the article is kept with a title taken from
  its text (nothing that can be read is thrown away). ``index`` is the 0-based line
  number, so it stays stable when other lines are broken.
* ``.txt`` / ``.md`` / ``.markdown`` **with YAML front matter** (between ``---`` lines)
  — exactly one article: the front matter gives title, date, url and authors; the body
  is the text, bylines and ``——记…`` subtitles included. Invalid YAML is a Problem
  naming the line, and the body is still read, titled from its first line.
* ``.txt`` **without** front matter — a newspaper page, split by
  :func:`kg.ingest.page.split_page` (a page may hold a single article).
* ``.md`` / ``.markdown`` **without** front matter — one article; its title is the
  first ``#`` heading, else the first line if it reads as a heading.

Markdown syntax is reduced to plain text (headings, emphasis, links, images, HTML
tags, block quotes and bullets); a line that is only a "查看原文"-style link is dropped
and its address becomes the article's ``url`` when none is given.

The front matter's and the JSON record's ``source`` field (the publication) is kept
as ``Article.origin``: ``Article.source`` is always the file the article came from.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from kg.ingest.chars import display_width, ends_sentence
from kg.ingest.normalise import normalise, normalise_title
from kg.ingest.page import split_page, title_from_text
from kg.model import Article, Problem

__all__ = ["FrontMatter", "read_document", "read_jsonl", "split_front_matter"]

Item = Article | Problem


# --- front matter ------------------------------------------------------------------------------


@dataclass(slots=True)
class FrontMatter:
    """The parts of a text with front matter; ``error`` is set when the YAML is unusable."""

    meta: dict[str, Any]
    body: str
    error: str | None = None
    closed: bool = True


# libyaml's safe loader where PyYAML was built with it: the pure-Python one took a
# millisecond per article, as long as extracting it.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FENCE_OPEN = "---"
_FENCE_CLOSE = ("---", "...")


def split_front_matter(text: str) -> FrontMatter | None:
    """Split YAML front matter from ``text``; None when the text has none."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    if not lines or lines[0].strip() != _FENCE_OPEN:
        return None
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in _FENCE_CLOSE), None)
    if close is None:
        return FrontMatter(
            {},
            "\n".join(lines[1:]),
            error="front matter opened by '---' on line 1 is never closed; read as plain text",
            closed=False,
        )
    yaml_text = "\n".join(lines[1:close])
    body = "\n".join(lines[close + 1 :])
    try:
        meta = yaml.load(yaml_text, Loader=_YAML_LOADER) if yaml_text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        context = getattr(exc, "context_mark", None)
        if mark is not None and context is not None and context.line != mark.line:
            where += f" (in the value started on line {context.line + 2})"
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return FrontMatter({}, body, error=f"invalid YAML front matter{where}: {reason}")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return FrontMatter({}, body, error="front matter is not a mapping of fields")
    return FrontMatter({str(k).lower(): v for k, v in meta.items()}, body)


# --- markdown ----------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_MD_RULE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_MD_BULLET = re.compile(r"^(\s*)[-*+]\s+")
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*")
_MD_CODE = re.compile(r"`([^`]*)`")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])")
_HTML_BREAK = re.compile(r"<br\s*/?>|</p\s*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_SOURCE_LINK_TEXT = re.compile(r"^(?:查看原文|阅读原文|原文链接|原文|来源|source|original)$", re.I)


@dataclass(slots=True)
class _Markdown:
    text: str
    heading: str | None = None  # the first line, when it is a markdown heading
    url: str | None = None  # from a lone "查看原文" link


def _unmark(line: str) -> str:
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(lambda m: m.group(1), line)
    line = _MD_CODE.sub(lambda m: m.group(1), line)
    line = _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", line)
    return _MD_ESCAPE.sub(r"\1", line)


# Every line rule above needs one of these characters; a line without any is plain text.
_MD_SYNTAX = re.compile(r"[\[#>*_+\-`\\]")


def markdown_to_text(body: str) -> _Markdown:
    """Reduce markdown to plain lines, keeping the line structure."""
    body = _HTML_BREAK.sub("\n", body)
    body = html.unescape(_HTML_TAG.sub("", body))
    out: list[str] = []
    result = _Markdown("")
    for line in body.split("\n"):
        if _MD_SYNTAX.search(line) is None:  # most lines of an article: nothing to undo
            out.append(line)
            continue
        link = _MD_LINK.fullmatch(line.strip())
        if link and _SOURCE_LINK_TEXT.match(link.group(1).strip()):
            result.url = result.url or link.group(2) or None
            continue
        if _MD_RULE.match(line):
            out.append("")
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            line = heading.group(2)
            if result.heading is None and not any(prev.strip() for prev in out):
                result.heading = _unmark(line).strip()
                continue
        line = _MD_BULLET.sub(r"\1", _MD_QUOTE.sub("", line))
        out.append(_unmark(line))
    result.text = "\n".join(out)
    return result


# --- single articles ---------------------------------------------------------------------------


def _as_text(value: Any) -> str | None:
    """A front-matter/JSON scalar as a string (dates in ISO form); None if absent."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


_AUTHOR_SPLIT = re.compile(r"\s*[、,，;；/]\s*")


def _authors(value: Any) -> list[str] | None:
    """Authors from a list or a delimited string; None when the value is unusable."""
    if value is None:
        return []
    if isinstance(value, str):
        parts = _AUTHOR_SPLIT.split(value.strip())
        if len(parts) == 1 and re.fullmatch(r"[\u4e00-\u9fff]+(?:\s+[\u4e00-\u9fff]+)+", parts[0]):
            parts = parts[0].split()
        return [p for p in (normalise_title(p) for p in parts) if p]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [p for p in (normalise_title(v) for v in value) if p]
    return None


def _heading_like(line: str) -> bool:
    return (
        bool(line)
        and not ends_sentence(line)
        and display_width(line) <= 40
        and not re.search(r"[。！？]", line)
    )


def _title_and_text(text: str) -> tuple[str, str]:
    """Title from the first line when it reads as a heading, else from the first sentence."""
    first, _, rest = text.partition("\n")
    if _heading_like(first) and rest.strip():
        return normalise_title(first), normalise(rest)
    return title_from_text(text), text


def _single_article(source: str, meta: dict[str, Any], body: str, markdown: bool) -> Iterator[Item]:
    url_from_body = None
    heading = None
    if markdown:
        md = markdown_to_text(body)
        body, heading, url_from_body = md.text, md.heading, md.url
    text = normalise(body)
    raw_title = meta.get("title")
    title = None
    if raw_title is not None:
        title = normalise_title(_as_text(raw_title) or "") or None
        if title is None and not isinstance(raw_title, str):
            yield Problem(source, "front matter 'title' is not text; title taken from the body")
    if heading is not None:
        if title is None:
            title = normalise_title(heading)
        elif normalise_title(heading) != title:
            text = normalise(f"{heading}\n{text}")  # a different heading is body text
    if title is None and text:
        title, text = _title_and_text(text)
    if not text:
        yield Problem(source, "no article text (empty body)")
        return
    authors = _authors(meta.get("authors", meta.get("author")))
    if authors is None:
        yield Problem(source, "front matter 'authors' is not a list of names; ignored")
        authors = []
    yield Article(
        title=title or title_from_text(text),
        text=text,
        date=_as_text(meta.get("date")),
        source=source,
        url=_as_text(meta.get("url")) or url_from_body,
        origin=_as_text(meta.get("source")),
        authors=authors,
        section=_as_text(meta.get("section")),
        index=0,
    )


_CLAUSE = re.compile(r"[，；]")


def _page(source: str, text: str) -> Iterator[Item]:
    articles = split_page(text)
    if not articles:
        whole = normalise(text)
        first, _, rest = whole.partition("\n")
        if rest and any(_CLAUSE.search(line) for line in rest.split("\n")):
            # Headlines have no clauses: a line with a comma after the first is a
            # sentence that lost its stop (a cut-off download), not another headline.
            # Read the file as one article rather than lose it.
            yield Article(title=normalise_title(first), text=rest, source=source, index=0)
            return
        yield Problem(source, "no article text found (only headings or credits)")
    for article in articles:
        article.source = source
        yield article


def _text_document(source: str, text: str, markdown: bool) -> Iterator[Item]:
    front = split_front_matter(text)
    if front is None:
        if markdown:
            yield from _single_article(source, {}, text, markdown=True)
        else:
            yield from _page(source, text)
        return
    if front.error:
        yield Problem(source, front.error)
    if not front.closed:  # not front matter after all: read the rest as if it had none
        yield from _text_document(source, front.body, markdown)
        return
    yield from _single_article(source, front.meta, front.body, markdown)


# --- jsonl -------------------------------------------------------------------------------------


def _record(source: str, lineno: int, line: str) -> Iterator[Item]:
    where = f"line {lineno}"
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        yield Problem(source, f"{where}: invalid JSON ({exc.msg} at column {exc.colno})")
        return
    if not isinstance(obj, dict):
        yield Problem(source, f"{where}: expected a JSON object, got {type(obj).__name__}")
        return
    raw_text = obj.get("text")
    if raw_text is None:
        yield Problem(source, f"{where}: no 'text' field; line skipped")
        return
    if not isinstance(raw_text, str):
        yield Problem(source, f"{where}: 'text' is not a string; line skipped")
        return
    text = normalise(raw_text)
    if not text:
        yield Problem(source, f"{where}: empty 'text'; line skipped")
        return
    raw_title = obj.get("title")
    title = normalise_title(raw_title) if isinstance(raw_title, str) else ""
    if raw_title is not None and not isinstance(raw_title, str):
        kind = type(raw_title).__name__
        yield Problem(
            source, f"{where}: 'title' is not a string ({kind}); title taken from the text"
        )
    if not title:
        title, text = _title_and_text(text) if raw_title is None else (title_from_text(text), text)
    fields: dict[str, str | None] = {}
    for name in ("date", "url", "source"):
        value = obj.get(name)
        fields[name] = _as_text(value)
        if value is not None and fields[name] is None and not (isinstance(value, str)):
            yield Problem(source, f"{where}: '{name}' is not a string; ignored")
    authors = _authors(obj.get("authors", obj.get("author")))
    if authors is None:
        yield Problem(source, f"{where}: 'authors' is not a list of names; ignored")
        authors = []
    yield Article(
        title=title or title_from_text(text),
        text=text,
        date=fields["date"],
        source=source,
        url=fields["url"],
        origin=fields["source"],
        authors=authors,
        section=_as_text(obj.get("section")),
        index=lineno - 1,
    )


def read_jsonl(source: str, text: str) -> Iterator[Item]:
    """Articles of a JSON Lines file; each bad line is a Problem and the rest is read."""
    empty = True
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        empty = False
        yield from _record(source, lineno, line.strip().lstrip("\ufeff"))
    if empty:
        yield Problem(source, "empty file")


def read_document(source: str, text: str, suffix: str) -> Iterator[Item]:
    """Articles and problems of one decoded file; ``suffix`` picks the format."""
    suffix = suffix.lower()
    if suffix == ".jsonl":
        yield from read_jsonl(source, text)
    else:
        yield from _text_document(source, text, markdown=suffix in (".md", ".markdown"))
