"""Character-level clean-up: which characters to rewrite, and how wide each one prints.

Everything downstream (layout analysis, page splitting, extraction offsets) works on
the output of :func:`clean_chars`, so the rules live in one place:

* Line ends become ``\\n`` (CRLF, CR, U+2028/2029, VT, FF).
* Zero-width characters, soft hyphens and stray BOMs are dropped; they are invisible
  and split words for every matcher after us.
* Other control characters are dropped; tabs and every Unicode space (NBSP, U+3000
  ideographic space, en/em spaces ...) become an ASCII space. Spaces are significant
  only as separators; :func:`tidy_spaces` decides later which ones survive.
* NFKC is applied *selectively*: to full-width ASCII letters and digits (``２０２３`` →
  ``2023``), to the full-width symbols that are ASCII in meaning (``％`` ``＋`` ``－``
  ``＝`` ...), to ``．`` between digits, and to Kangxi radicals / CJK compatibility
  ideographs that PDF extraction often produces instead of the unified ideograph
  (``⼀`` U+2F00 → ``一``). Chinese punctuation (``（），。：；！？“”《》【】、…—``) is
  kept as printed: NFKC would turn ``（`` into ``(`` and ``。`` is not touched by it
  anyway, so a blanket NFKC would leave a mix. The scorer normalises names itself.

:func:`display_width` measures a line in "full-width cells", the unit in which a
newspaper column is typeset: Han characters and Chinese punctuation count 1, ASCII
and other half-width characters count 0.5.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise

__all__ = [
    "CLOSERS",
    "SENTENCE_END",
    "clean_chars",
    "display_width",
    "ends_sentence",
    "is_han",
    "is_wide_punct",
    "tidy_spaces",
]

#: Characters that end a sentence (a closing quote or bracket may follow them).
SENTENCE_END = "。！？!?…"
#: Closing quotes and brackets that may follow a sentence end.
CLOSERS = "”’」』）)】〕》〉"

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")
_LINE_ENDS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SPACES = re.compile(r"[\t \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")

# Full-width forms that are ASCII in meaning. Chinese punctuation is deliberately absent.
_FULLWIDTH_SYMBOLS = "＃＄％＆＊＋－＝＜＞＠＾＿｀｜＼"
_FULLWIDTH = re.compile(
    "[０-９Ａ-Ｚａ-ｚ" + re.escape(_FULLWIDTH_SYMBOLS) + "\u2f00-\u2fdf\u2e80-\u2eff\uf900-\ufaff]"
)
_FULLWIDTH_POINT = re.compile(r"(?<=[0-9])[．](?=[0-9])")


def _nfkc(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


# Every character that one of the rules below rewrites (the ASCII space maps to itself).
_TO_CLEAN = re.compile(
    "[\r\u2028\u2029\x0b\x0c\x85"  # line ends
    + _ZERO_WIDTH.pattern[1:-1]
    + _CONTROL.pattern[1:-1]
    + _SPACES.pattern[1:-1].replace(" ", "")
    + _FULLWIDTH.pattern[1:-1]
    + "．]"
)


def clean_chars(text: str) -> str:
    """Apply the character rules of this module; line structure is preserved."""
    if _TO_CLEAN.search(text) is None:
        return text  # already clean (text normalised once is): one scan instead of six
    text = _LINE_ENDS.sub("\n", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _FULLWIDTH.sub(_nfkc, text)
    return _FULLWIDTH_POINT.sub(".", text)


def is_han(ch: str) -> bool:
    """True for a CJK ideograph (BMP blocks, extension A and the supplementary planes)."""
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3FFFF
        or ch == "〇"
    )


_WIDE_PUNCT_EXTRA = set("“”‘’…—·～")


def is_wide_punct(ch: str) -> bool:
    """True for punctuation set in a full-width cell in Chinese text (，。（）“” ...)."""
    cp = ord(ch)
    return (
        0x3000 < cp <= 0x303F  # CJK symbols and punctuation (not U+3000 itself)
        or 0xFF01 <= cp <= 0xFF0F
        or 0xFF1A <= cp <= 0xFF20
        or 0xFF3B <= cp <= 0xFF40
        or 0xFF5B <= cp <= 0xFF65
        or 0xFE10 <= cp <= 0xFE1F  # vertical forms
        or 0xFE30 <= cp <= 0xFE4F  # CJK compatibility forms
        or ch in _WIDE_PUNCT_EXTRA
    )


# Characters whose width is known without a lookup: ASCII is narrow; Han (with extension
# A and the compatibility ideographs), CJK symbols and punctuation, the full-width forms
# and the extra wide punctuation (“”…—) are wide (a test checks all of them against
# unicodedata). Chinese text is almost all of these, so a regex counts them and only
# the rest is looked up one by one.
_ASCII = re.compile(r"[\x00-\x7f]")
_KNOWN_WIDE = (
    "\u3000-\u303e\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60"
    + "".join(sorted(_WIDE_PUNCT_EXTRA))
)
_LOOK_UP = re.compile(f"[^\\x00-\\x7f{_KNOWN_WIDE}]")


def _cells(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in "WFA" or ch in _WIDE_PUNCT_EXTRA else 0.5


def display_width(text: str) -> float:
    """Width in full-width cells: wide (W/F/A) characters 1, the rest 0.5.

    Counted as "every character one cell, minus half a cell for each narrow one", which
    sums exactly the same halves as adding the characters up one by one.
    """
    width = len(text) - 0.5 * len(_ASCII.findall(text))
    for ch in _LOOK_UP.findall(text):
        width -= 1.0 - _cells(ch)
    return width


def ends_sentence(text: str) -> bool:
    """Does ``text`` end with a sentence stop, possibly followed by closing quotes/brackets?"""
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


# --- spaces ----------------------------------------------------------------------------------

_RUN = re.compile(r" {2,}")


# is_han() or is_wide_punct() as one character class, for counting with a regex.
_WIDE_CLASS = (
    "\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003ffff\u3007"
    "\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
    "\ufe10-\ufe1f\ufe30-\ufe4f" + "".join(sorted(_WIDE_PUNCT_EXTRA))
)
_SPACED_WIDE = re.compile(f"(?<=[{_WIDE_CLASS}]) (?=[{_WIDE_CLASS}])")
_ADJACENT_WIDE = re.compile(f"[{_WIDE_CLASS}](?=[{_WIDE_CLASS}])")


def _justified(line: str) -> bool:
    """Is this a justified column line, with spaces between (almost) every wide character?

    Newspapers stretch a short line to the column width by spacing out its characters
    (``二 是 深 入 实 施``). Such spacing is typographic. A lone space between two Han
    characters elsewhere is usually meaningful (``中共中央 国务院``, a headline's two
    parts, padded names like ``李 娜``), so the line must have at least three spaced
    pairs and at least half of its wide-character pairs spaced.

    ``line`` has single spaces only (runs collapsed), so a spaced pair is a space with a
    wide character on both sides, and an unspaced pair two adjacent wide characters;
    both are counted by a regex rather than a loop over every character.
    """
    if line.count(" ") < 3:
        return False  # fewer than three spaced pairs: the common case, decided at once
    spaced = len(_SPACED_WIDE.findall(line))
    if spaced < 3:
        return False
    pairs = spaced + len(_ADJACENT_WIDE.findall(line))
    return spaced * 2 >= pairs


@lru_cache(maxsize=65536)  # a few thousand pairs of characters recur around spaces
def _keep_space(before: str, after: str, justified: bool) -> bool:
    if is_wide_punct(before) or is_wide_punct(after):
        return False  # '。 （' / '（ 注' : punctuation already carries its own spacing
    if (is_han(before) and after.isdigit()) or (before.isdigit() and is_han(after)):
        return False  # '2021年 7月' / '实施 62项' : typesetting around half-width digits
    return not (justified and is_han(before) and is_han(after))


def tidy_spaces(line: str) -> str:
    """Decide which spaces of one line survive; see the module docstring of normalise.

    Runs collapse to one space; spaces next to Chinese punctuation and between Han
    characters and digits go; on a justified line (:func:`_justified`) spaces between
    Han characters go; other single spaces (between Latin words, between two Han
    characters on an ordinary line) are kept.

    Idempotent, which :func:`kg.ingest.layout.paragraphs` relies on: removing spaces
    does not change which wide characters are neighbours and can only unspace a pair,
    so a line that was not justified is still not, and a justified one has no spaced
    Han pair left; a kept space keeps the two characters around it, and their verdict.
    """
    if " " not in line:
        return line
    line = _RUN.sub(" ", line.strip(" "))
    if " " not in line:
        return line
    justified = _justified(line)
    # Stripped and collapsed, so every space sits between two non-empty parts: only the
    # characters around each space are looked at, not every character of the line.
    parts = line.split(" ")
    out = [parts[0]]
    for left, right in pairwise(parts):
        if _keep_space(left[-1], right[0], justified):
            out.append(" ")
        out.append(right)
    return "".join(out)
