"""Turning file bytes into text, or saying clearly why not.

Chinese news files come in UTF-8 (with or without BOM), GB18030/GBK (older Windows
tools and many Chinese sites) and UTF-16 (Windows "Unicode" text). The decoder is
strict and conservative, because a wrong guess silently produces mojibake that every
later stage would happily turn into nonsense entities:

1. A byte-order mark decides: UTF-8, UTF-16 LE/BE or UTF-32 LE/BE.
2. Known binary signatures (PNG, JPEG, GIF, PDF, ZIP/Office, gzip, ...) and NUL bytes
   mean "not a text file". UTF-16 without a BOM is the one text format with NUL bytes;
   it is accepted only if it decodes strictly and reads as real Chinese or ASCII text.
3. Strict UTF-8.
4. UTF-8 whose only fault is a multi-byte sequence cut off at the very end (an
   interrupted download or copy): decoded without the partial character, with a
   warning — nothing else is lost.
5. Strict GB18030, accepted only if the result looks like real Chinese (most Han
   characters among the 3,755 common characters of GB 2312 level 1). Text in another
   legacy encoding (Big5, Shift-JIS ...) usually also decodes as GB18030, but into rare
   characters, and is rejected.
6. UTF-8 with a few corrupt bytes amid plenty of valid Chinese: decoded with U+FFFD in
   their place and a warning naming the byte offsets.
7. Otherwise: "cannot decode: not UTF-8, GB18030 or UTF-16".

charset-normalizer is not consulted: its guesses are probabilistic, and a file that
fails the rules above is better reported than guessed.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["Decoded", "decode_bytes", "looks_chinese"]


@dataclass(frozen=True, slots=True)
class Decoded:
    """The outcome of decoding: ``text`` is None exactly when ``error`` says why."""

    text: str | None
    encoding: str | None = None
    error: str | None = None
    warning: str | None = None


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"RIFF", "RIFF media file"),
    (b"OggS", "Ogg media file"),
    (b"ID3", "MP3 audio"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            if kind == "executable" and magic == b"MZ" and b"\x00" not in data[:512]:
                continue  # a text file may start with the letters MZ
            return kind
    return None


def _is_level1_han(ch: str) -> bool:
    try:
        encoded = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def looks_chinese(text: str, minimum_ratio: float = 0.8) -> bool:
    """Does ``text`` read as real (simplified) Chinese rather than decoded garbage?

    Real text uses few rare characters: at least ``minimum_ratio`` of its Han characters
    are among the common characters of GB 2312 level 1. Control and private-use
    characters are never in real text.
    """
    if _CONTROL.search(text) or _PRIVATE_USE.search(text):
        return False
    han = [ch for ch in text if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"]
    if len(han) < 2:
        return False
    common = sum(_is_level1_han(ch) for ch in han)
    return common >= minimum_ratio * len(han)


def _plain_text(text: str) -> bool:
    """No control characters other than white space: a text file, not binary data."""
    return _CONTROL.search(text) is None


def _decode_bom(data: bytes) -> Decoded | None:
    for bom, codec, label in _BOMS:
        if not data.startswith(bom):
            continue
        body = data[len(bom) :]
        try:
            return Decoded(body.decode(codec), encoding=label)
        except UnicodeDecodeError as exc:
            if exc.reason == "truncated data" or exc.start >= len(body) - 3:
                text = body[: exc.start].decode(codec)
                dropped = len(body) - exc.start
                return Decoded(
                    text,
                    encoding=label,
                    warning=f"truncated {label} data at end of file ({dropped} byte(s) dropped)",
                )
            return Decoded(
                None, error=f"cannot decode: {label} byte-order mark but invalid {label} data"
            )
    return None


def _decode_utf16_without_bom(data: bytes) -> Decoded | None:
    if len(data) % 2:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _plain_text(text) and (looks_chinese(text) or text.isascii()):
            return Decoded(text, encoding="UTF-16")
    return None


def _utf8_truncated(data: bytes, exc: UnicodeDecodeError) -> Decoded | None:
    if exc.reason != "unexpected end of data" or exc.end != len(data):
        return None
    text = data[: exc.start].decode("utf-8", errors="strict")
    dropped = len(data) - exc.start
    return Decoded(
        text,
        encoding="UTF-8",
        warning=(
            f"truncated UTF-8 sequence at end of file ({dropped} byte(s) dropped); "
            "the rest was read"
        ),
    )


def _utf8_repaired(data: bytes) -> Decoded | None:
    parts: list[str] = []
    bad: list[int] = []
    pos = 0
    while True:
        try:
            parts.append(data[pos:].decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            parts.append(data[pos : pos + exc.start].decode("utf-8"))
            parts.append("\ufffd")
            bad.append(pos + exc.start)
            pos += exc.end
            if len(bad) > 10:
                return None
    if len(bad) * 200 > len(data):
        return None
    text = "".join(parts)
    if not looks_chinese(text.replace("\ufffd", "")):
        return None
    offsets = ", ".join(str(offset) for offset in bad[:5])
    return Decoded(
        text,
        encoding="UTF-8",
        warning=(
            f"{len(bad)} invalid UTF-8 byte sequence(s) replaced by U+FFFD "
            f"(byte offset {offsets}); the rest was read"
        ),
    )


def decode_bytes(data: bytes) -> Decoded:
    """Decode a file's bytes following the rules of the module docstring."""
    by_bom = _decode_bom(data)
    if by_bom is not None:
        if by_bom.text is not None and not _plain_text(by_bom.text):
            return Decoded(None, error="not a text file (binary content)")
        return by_bom
    kind = _binary_kind(data)
    if kind is not None:
        return Decoded(None, error=f"not a text file (binary content: {kind})")
    if b"\x00" in data:
        utf16 = _decode_utf16_without_bom(data)
        return utf16 or Decoded(None, error="not a text file (binary content: NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        truncated = _utf8_truncated(data, exc)
        if truncated is not None and not (truncated.text or "").isascii():
            decoded: Decoded | None = truncated
        else:  # with only ASCII before the cut there is no evidence for UTF-8 yet
            decoded = _gb18030(data) or truncated or _utf8_repaired(data)
        if decoded is None:
            return Decoded(None, error="cannot decode: not UTF-8, GB18030 or UTF-16")
        text, result = decoded.text or "", decoded
    else:
        result = Decoded(text, encoding="UTF-8")
    if not _plain_text(text):
        return Decoded(None, error="not a text file (binary content: control characters)")
    return result


def _gb18030(data: bytes) -> Decoded | None:
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    if looks_chinese(text):
        return Decoded(text, encoding="GB18030")
    return None
