"""Normalised article text: the one form that every offset downstream refers to.

Extractors cite sentences by character offsets into ``Article.text``, so the text must
be settled before extraction and be the same however often it is normalised
(``normalise(normalise(x)) == normalise(x)``). The rules:

Characters (:mod:`kg.ingest.chars`)
    Line ends unified; zero-width characters, soft hyphens and control characters
    dropped; every kind of space becomes an ASCII space. Full-width ASCII letters, digits
    and ASCII-meaning symbols (``２０２３`` ``％``) and Kangxi/compatibility ideographs are
    NFKC-folded; Chinese punctuation （），。：；“”《》、…— is kept as printed, because a
    blanket NFKC would turn （ into ( but leave 。 alone. The scorer folds punctuation for
    itself.

Lines into paragraphs (:mod:`kg.ingest.layout`)
    Column-set text (newspaper pages, narrow lines broken mid-word, with or without a
    blank line after each line) is joined back into paragraphs: column lines are joined
    with no space (``自`` + ``2021年以来``, ``《云川`` + ``协作规划》``, ``2023`` + ``年``) except
    between two Latin words. A paragraph ends after a sentence stop on a line shorter
    than the column, before an indented line, and around headings, bylines, sign-offs
    and notes, which stay lines of their own. Text already written one paragraph per
    line is left as it is line by line.

Spaces (:func:`kg.ingest.chars.tidy_spaces`)
    Runs of spaces collapse to one; spaces next to Chinese punctuation and between Han
    characters and digits go (``2021年 7月`` → ``2021年7月``); on a justified line, where
    most pairs of Han characters are spaced out (``二 是 深 入 实 施``), spaces between Han
    characters go. A single space between two Han characters on an ordinary line is
    kept: it is usually meaningful (``《中共中央 国务院关于…》``, the two parts of a
    headline). Spaces between Latin words and digits are kept.

Output
    Paragraphs separated by a single ``\\n``, no blank lines, no leading or trailing
    white space on any line.

Idempotence is guaranteed by construction: :func:`normalise` repeats the rules until
the text stops changing (in practice the second pass already changes nothing). The
second pass is skipped when the first one can tell that it would change nothing: plain
text whose lines all stood as they were, only blank lines and indents dropped.
"""

from __future__ import annotations

from kg.ingest.chars import clean_chars, tidy_spaces
from kg.ingest.layout import text_paragraphs

__all__ = ["normalise", "normalise_title"]

_MAX_PASSES = 8


def _normalise_once(text: str) -> tuple[str, bool]:
    """One pass of the rules; True when a second pass is known to change nothing.

    That is when the pass kept every (non-blank) line as it stands and the characters
    are clean: the next pass would read the same lines (see
    :func:`kg.ingest.layout.text_paragraphs`).
    """
    paragraphs, kept = text_paragraphs(text)
    out = "\n".join(p for p in paragraphs if p)
    return out, kept and clean_chars(out) == out


def normalise(text: str) -> str:
    """Return the normalised form of ``text`` (see the module docstring for the rules)."""
    for _ in range(_MAX_PASSES):
        out, settled = _normalise_once(text)
        if out == text:
            break
        text = out
        if settled:
            break
    return text


def normalise_title(text: str) -> str:
    """A title on one line: character rules, lines joined with a space, spaces tidied.

    A headline printed over two lines (main line and subtitle) becomes ``"main sub"``,
    the form the gold annotations use.
    """
    parts = [tidy_spaces(part) for part in clean_chars(text).split("\n")]
    return " ".join(part for part in parts if part)
