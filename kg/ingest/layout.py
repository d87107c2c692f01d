"""Reading the printed layout of a text: which lines are column lines, headings or credits.

Text extracted from a newspaper page keeps the page's line breaks: a paragraph is
broken into column lines of 10-20 characters, often mid-word or mid-number, and in
some extractions every line is followed by a blank line. Both :mod:`normalise` (which
joins column lines into paragraphs) and :mod:`page` (which splits a page into
articles) need the same reading of the layout, so it lives here.

The model, from the genre rather than from one page:

* **Column mode.** A text is column-set when many of its lines stop without a sentence
  end and those lines have about the same width (:func:`_column_mode`). Text written one
  paragraph per line (web copy, front-matter articles) is not, and its lines are never
  joined.
* **Spaced layout.** If (nearly) every line is followed by a blank line, blank lines
  carry no meaning, but a *tight group* — lines printed without a blank between them —
  is a multi-line heading.
* **Column width** is measured locally (median of nearby lines, in full-width cells),
  because articles on one page are set in columns of different widths.
* **Headings** stop without a sentence end and stand apart from body lines: in a tight
  group, immediately before a byline or dateline, much shorter than the column (a body
  line only loses the two-cell paragraph indent), or wider than it (a headline spans
  several columns). A line starting a paragraph is one whose predecessor ended a
  sentence or was itself a heading or credit; a line continuing a sentence is never a
  heading, nor is a line ending in a function word (的, 和, 与, 在 …) that must run on.
* **Paragraphs** end after a sentence stop on a line clearly shorter than the column,
  at an indented line, at a blank line (when blank lines are meaningful), and around
  headings and credits. A full-width line ending in 。 is taken to continue: the next
  line would be indented if it started a new paragraph.
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from kg.ingest.chars import clean_chars, display_width, ends_sentence, tidy_spaces
from kg.ingest.credits import (
    byline_names,
    is_furniture,
    note_start,
    signoff_names,
    split_inline_signoff,
    starts_with_dateline,
)

__all__ = ["Kind", "Layout", "Line", "analyse", "join_lines", "paragraphs", "text_paragraphs"]


class Kind(Enum):
    BODY = "body"
    HEADING = "heading"
    BYLINE = "byline"
    DATELINE = "dateline"  # a body line that opens with 本报讯 / …电 / 记者…报道
    SIGNOFF = "signoff"
    NOTE = "note"  # （作者系…）
    FURNITURE = "furniture"  # 责任编辑：…, page numbers and dates


# A tuple, not a set: membership by identity, where a set would call the Python-level
# Enum.__hash__ for every line looked up.
STRUCTURAL = (Kind.BYLINE, Kind.SIGNOFF, Kind.NOTE, Kind.FURNITURE)


class Line:
    """One non-empty source line with what the layout analysis found out about it.

    A plain class with slots rather than a dataclass: tens of thousands are made per
    build, and the width is measured only when asked for (plain text never needs it,
    unless it might be column-set). Lines compare by identity.
    """

    __slots__ = ("_width", "authors", "col", "ends", "gap_before", "group", "indent", "kind",
                 "lead", "no", "raw", "text")  # fmt: skip

    def __init__(
        self,
        raw: str,
        no: int,
        gap_before: bool = False,
        indent: bool = False,
        lead: int = 0,
        group: int = 0,
    ) -> None:
        self.no = no  # 0-based line number in the source text
        self.gap_before = gap_before  # a blank line precedes it
        self.indent = indent  # starts with an indent of two or more spaces
        self.lead = lead  # leading spaces in the source (centred lines have some)
        self.group = group  # lines printed without a blank between them share a group
        self.kind = Kind.BODY
        self.col = 0.0  # local column width in full-width cells
        self.authors: list[str] = []
        self.set_raw(raw)

    def set_raw(self, raw: str) -> None:
        self.raw = raw  # characters cleaned, spaces as in the source (credits need them)
        self.text = tidy_spaces(raw)  # raw with spaces tidied
        self.ends = ends_sentence(self.text)  # asked several times for every line
        self._width: float | None = None

    @property
    def width(self) -> float:
        """The display width of :attr:`text` in full-width cells (measured once)."""
        if self._width is None:
            self._width = display_width(self.text)
        return self._width

    def __repr__(self) -> str:
        return (f"Line({self.raw!r}, no={self.no}, kind={self.kind.name}, group={self.group}, "
                f"gap_before={self.gap_before}, indent={self.indent}, lead={self.lead})")


@dataclass(slots=True)
class Layout:
    lines: list[Line]
    spaced: bool
    column: bool


# --- building lines ----------------------------------------------------------------------------

_INNER_SPACES = re.compile(r" {2,}")


def _make_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    gap = False
    group = 0
    for no, physical in enumerate(clean_chars(text).split("\n")):
        stripped = physical.strip(" ")
        if not stripped:
            gap = True
            continue
        if gap:
            group += 1
        lead = len(physical) - len(physical.lstrip(" "))
        indent = lead >= 2
        raw = _INNER_SPACES.sub(" ", stripped) if "  " in stripped else stripped
        parts = split_inline_signoff(raw)
        if parts is not None:  # '…增长12.5%。 （孙悦）': the sign-off shares the last line
            lines.append(Line(parts[0], no, gap and bool(lines), indent, 0, group))
            raw = parts[1]
            gap, indent = False, False
        lines.append(Line(raw, no, gap and bool(lines), indent, lead, group))
        gap = False
    return lines


def _mark_structure(lines: list[Line]) -> None:
    """Kinds that need no context: furniture, bylines, notes, candidate sign-offs/datelines."""
    in_note = 0
    for line in lines:
        if in_note:
            line.kind = Kind.NOTE
            in_note = 0 if re.search(r"[）)]", line.raw) or in_note >= 4 else in_note + 1
            continue
        if is_furniture(line.raw):
            line.kind = Kind.FURNITURE
        elif note_start(line.raw):
            line.kind = Kind.NOTE
            in_note = 0 if re.search(r"[）)]\s*$", line.raw) else 1
        elif (names := byline_names(line.raw)) is not None:
            line.kind, line.authors = Kind.BYLINE, names
        elif (names := signoff_names(line.raw)) is not None:
            line.kind, line.authors = Kind.SIGNOFF, names
        elif starts_with_dateline(line.raw):
            line.kind = Kind.DATELINE


# --- layout statistics -------------------------------------------------------------------------


def _spaced(lines: Sequence[Line]) -> bool:
    if len(lines) < 4:
        return False
    gaps = sum(line.gap_before for line in lines[1:])
    return gaps >= 0.7 * (len(lines) - 1)


def _column_mode(lines: Sequence[Line]) -> bool:
    """Are these lines column-set (wrapped at a fixed width) rather than one per paragraph?"""
    body = [line for line in lines if line.kind not in STRUCTURAL]
    if len(body) < 4:
        return False
    open_lines = [line for line in body if not line.ends]
    if len(open_lines) < 4 or len(open_lines) < 0.4 * len(body):
        return False
    if statistics.median(line.width for line in body) > 45:
        return False
    typical = statistics.median(line.width for line in open_lines)
    tolerance = max(2.5, 0.15 * typical)
    near = sum(abs(line.width - typical) <= tolerance for line in open_lines)
    # In a column nothing is much wider than the column; one-paragraph-per-line text
    # with short headlines (a news round-up) has open lines of similar width too, but
    # its paragraphs are far wider than them.
    wider = sum(line.width > typical + max(4.0, 0.3 * typical) for line in body)
    return near >= 0.5 * len(open_lines) and wider <= 0.15 * len(body)


def _column_widths(lines: Sequence[Line], window: int = 12) -> None:
    body = [i for i, line in enumerate(lines) if line.kind not in STRUCTURAL]
    if not body:
        return
    overall = statistics.median(lines[i].width for i in body)
    usable = [i for i in body if lines[i].width >= 0.6 * overall]
    widths = [lines[i].width for i in usable]
    medians: dict[tuple[int, int], float] = {}  # neighbouring lines often share a window
    for pos, line in enumerate(lines):
        lo = bisect.bisect_left(usable, pos - window)
        hi = bisect.bisect_right(usable, pos + window)
        if lo == hi:
            line.col = overall
            continue
        col = medians.get((lo, hi))
        if col is None:
            col = medians[lo, hi] = statistics.median(widths[lo:hi])
        line.col = col


# --- headings ----------------------------------------------------------------------------------

_INNER_PUNCT = re.compile(r"[，。；、！？,;]")


def _has_inner_punct(text: str) -> bool:
    return _INNER_PUNCT.search(text[:-1]) is not None


# Function words that cannot end a heading: a line ending in one runs on (区域协作是…的).
_RUNS_ON = frozenset("的地得和与及或在对将把被从向于是而并且之其让使给由为同跟以及等着")


# Words that end in a function character but are whole words: 推进科技创新协同.
_WHOLE_WORD_ENDS = ("协同", "共同", "认同", "合同", "不同", "相同", "大同")


def _runs_on(text: str) -> bool:
    if text.endswith(_WHOLE_WORD_ENDS):
        return False
    return text[-1] in _RUNS_ON or text[-1] in "“《（(【「『"


def _credit_follows(lines: Sequence[Line], i: int) -> bool:
    """Is line ``i`` the start of a heading block that a byline or dateline follows?

    Looks past up to two more heading-like lines (a headline printed over several lines
    with no blank line between them and the body).
    """
    for line in lines[i + 1 : i + 4]:
        if line.kind is Kind.FURNITURE:
            continue
        if line.kind in (Kind.BYLINE, Kind.DATELINE):
            return True
        text = line.text
        if (
            line.kind is not Kind.BODY
            or line.ends
            or _has_inner_punct(text)
            or _runs_on(text)
            or line.width > line.col + 2.5
        ):
            return False
    return False


def _tight_heading_group(members: Sequence[Line]) -> bool:
    """Is this group of lines printed together (no blank between them) a heading?"""
    members = [line for line in members if line.kind is not Kind.FURNITURE]
    return 2 <= len(members) <= 4 and all(
        line.kind in (Kind.BODY, Kind.HEADING)
        and not line.ends
        and not _runs_on(line.text)
        and line.text[-1] not in "，、；：,;:"
        and len(_INNER_PUNCT.findall(line.text)) <= 1
        for line in members
    )


def _is_heading_column(
    lines: Sequence[Line], i: int, spaced: bool, prev: Line | None, group: Sequence[Line]
) -> bool:
    line = lines[i]
    text = line.text
    if line.ends:
        return False
    if spaced and _tight_heading_group(group):
        return True
    prev_heading = prev is not None and prev.kind is Kind.HEADING
    if prev_heading and text.startswith("——"):
        return True  # ——记… subtitle under a headline
    starts_paragraph = prev is None or prev.kind in STRUCTURAL or prev_heading
    starts_paragraph = starts_paragraph or (prev is not None and prev.ends)
    if not starts_paragraph:
        return False
    if _credit_follows(lines, i):
        return True
    if _has_inner_punct(text) or _runs_on(text):
        return False
    if line.width <= 0.6 * line.col:
        return True  # far shorter than the column (centred headings may be indented)
    if line.indent:
        return False  # an indented paragraph start
    if line.width > line.col + 2.5:
        return True
    if not spaced and prev_heading:
        run = 0
        j = i - 1
        while j >= 0 and lines[j].kind is Kind.HEADING and run < 3:
            run += 1
            j -= 1
        return run < 3 and line.width <= line.col + 2.5
    return False


def _is_heading_plain(line: Line) -> bool:
    """One paragraph per line: a heading is a short line without a stop or inner sentence."""
    text = line.text
    if line.ends or text[-1] in "：:，、；,;":
        return False
    return line.width <= 40 and not re.search(r"[。！？]", text) and text.count("，") <= 1


def _classify(lines: list[Line], spaced: bool, column: bool) -> None:
    groups: dict[int, list[Line]] = {}
    for line in lines:
        groups.setdefault(line.group, []).append(line)
    prev: Line | None = None
    for i, line in enumerate(lines):
        if line.kind is Kind.FURNITURE:
            continue
        starts_paragraph = (
            prev is None
            or prev.kind in STRUCTURAL
            or prev.kind is Kind.HEADING
            or prev.ends
        )
        if line.kind in (Kind.SIGNOFF, Kind.DATELINE, Kind.BYLINE) and not starts_paragraph:
            line.kind = Kind.BODY  # '（某地）' or '本报…' in the middle of a sentence
            line.authors = []
        if line.kind is Kind.BODY:
            heading = (
                _is_heading_column(lines, i, spaced, prev, groups[line.group])
                if column
                else _is_heading_plain(line)
            )
            if heading:
                line.kind = Kind.HEADING
        prev = line


def _measure(text: str) -> Layout:
    """Lines with the kinds that need no context, and the page-wide layout statistics."""
    lines = _make_lines(text)
    _mark_structure(lines)
    return Layout(lines, _spaced(lines), _column_mode(lines))


def analyse(text: str) -> Layout:
    """Split ``text`` into classified :class:`Line` objects (blank lines dropped)."""
    layout = _measure(text)
    _column_widths(layout.lines)
    _classify(layout.lines, layout.spaced, layout.column)
    return layout


def text_paragraphs(text: str) -> tuple[list[str], bool]:
    """The paragraphs ``paragraphs(analyse(text))`` would give, with only the analysis
    they need; and whether a second pass over them is known to change nothing.

    Text that is not column-set keeps every line as a paragraph of its own (only the
    lines of an author note are joined), so column widths and headings, which take
    most of :func:`analyse`, change nothing for it and are skipped. Most articles are
    not even looked at for credits: with fewer than four lines that stop without a
    sentence end the text cannot be column-set (:func:`_column_mode`), and without an
    author note no line is joined to another, so every line is a paragraph whatever
    its kind.

    The flag: when every physical line came out unchanged, the paragraphs are the very
    lines this pass read, minus blank lines and indents, which plain text ignores; a
    second pass would see the same lines with the same kinds and return the same
    paragraphs, so :func:`kg.ingest.normalise.normalise` can stop without it.
    """
    lines = _make_lines(text)
    open_lines = sum(1 for line in lines if not line.ends)
    if open_lines < 4 and not any(note_start(line.raw) for line in lines):
        out = [line.text for line in lines if line.text]
    else:
        _mark_structure(lines)
        spaced, column = _spaced(lines), _column_mode(lines)
        if column:
            _column_widths(lines)
            _classify(lines, spaced, column)
            return paragraphs(lines, column, spaced), False
        out = paragraphs(lines, column, spaced)
    # A line split in two (an inline sign-off) has the number of the line it came
    # from twice; such text is left to the second pass to confirm.
    kept = (
        len(out) == len(lines)
        and all(p == line.raw for p, line in zip(out, lines, strict=True))
        and len({line.no for line in lines}) == len(lines)
    )
    return out, kept


# --- paragraphs --------------------------------------------------------------------------------

_ASCII_WORD_END = re.compile(r"[A-Za-z,;:]$")
_ASCII_WORD_START = re.compile(r"^[A-Za-z0-9]")


def join_lines(left: str, right: str) -> str:
    """Join two column lines: no space, except between Latin words (``in`` / ``China``)."""
    if not left:
        return right
    if left[-1] == "," and left[-2:-1].isdigit() and right[:1].isdigit():
        return left + right  # a thousands separator broken at the line end: 1, / 250人
    if _ASCII_WORD_END.search(left) and _ASCII_WORD_START.match(right):
        return f"{left} {right}"
    if left[-1].isdigit() and right[0].isascii() and right[0].isalpha():
        return f"{left} {right}"
    return left + right


def _paragraph_break(last: Line, line: Line) -> bool:
    """Does a paragraph end between column lines ``last`` and ``line``?

    Only after a sentence stop, and only if ``last`` is clearly short (the paragraph's
    last line) or ``line`` is (an indented first line that runs on to the next line).
    """
    if not last.ends:
        return False
    return last.width < last.col - 1.5 or (
        line.width <= line.col - 1.5 and not line.ends
    )


def paragraphs(lines: Sequence[Line], column: bool, spaced: bool) -> list[str]:
    """Assemble classified lines into paragraphs (one string each)."""
    out: list[str] = []
    current = ""
    last: Line | None = None

    def flush() -> None:
        nonlocal current
        if current:
            out.append(tidy_spaces(current))
        current = ""

    for line in lines:
        if not line.text:
            continue
        if line.kind is Kind.NOTE and last is not None and last.kind is Kind.NOTE:
            current = join_lines(current, line.text)  # a note printed over several lines
        elif line.kind not in (Kind.BODY, Kind.DATELINE) or not column:
            flush()
            if line.kind is Kind.NOTE:
                current = line.text
            else:  # a paragraph of one line: its text is tidied already (idempotently)
                out.append(line.text)
        else:
            if last is not None and last.kind not in (Kind.BODY, Kind.DATELINE):
                flush()
            new = (
                line.kind is Kind.DATELINE
                or line.indent
                or (not spaced and line.gap_before)
                or (last is not None and _paragraph_break(last, line))
            )
            if new:
                flush()
            current = join_lines(current, line.text)
        last = line
    flush()
    return out
