"""Decoding files: the encodings Chinese news come in, and clear Problems for the rest.

All fixture text is made up for these tests.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from kg.ingest import read_paths
from kg.ingest.encoding import decode_bytes, looks_chinese

PAGE = (
    "东岭省发布通道建设方案\n\n"
    "本报讯（记者 陈立）东岭省交通运输厅日前印发行动方案，提出18项重点任务。\n\n"
    "方案明确，到2026年全省高速公路通车里程力争达到9000公里。\n"
)


def _read_one(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return read_paths([path])


# --- decode_bytes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (PAGE.encode("utf-8"), "UTF-8"),
        (codecs.BOM_UTF8 + PAGE.encode("utf-8"), "UTF-8"),
        (PAGE.encode("gb18030"), "GB18030"),
        (PAGE.encode("gbk"), "GB18030"),
        (PAGE.encode("utf-16"), "UTF-16"),  # with BOM
        (codecs.BOM_UTF16_BE + PAGE.encode("utf-16-be"), "UTF-16"),
        (PAGE.encode("utf-32"), "UTF-32"),
    ],
)
def test_supported_encodings_decode_exactly(data: bytes, encoding: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.text == PAGE
    assert decoded.encoding == encoding
    assert decoded.error is None and decoded.warning is None


def test_bom_is_not_part_of_the_text() -> None:
    assert not decode_bytes(codecs.BOM_UTF8 + "区域".encode()).text.startswith("\ufeff")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP archive"),
        (b"%PDF-1.7\n", "PDF document"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        ("区域\x00协调".encode(), "NUL bytes"),
    ],
)
def test_binary_content_is_refused(data: bytes, kind: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.text is None
    assert decoded.error.startswith("not a text file (binary content")
    assert kind in decoded.error


def test_text_in_another_legacy_encoding_is_not_guessed() -> None:
    decoded = decode_bytes(PAGE.encode("big5", errors="ignore"))
    assert decoded.text is None
    assert decoded.error == "cannot decode: not UTF-8, GB18030 or UTF-16"


def test_truncated_utf8_at_the_end_keeps_the_rest_with_a_warning() -> None:
    data = "区域协调发展取得新进展。海".encode()[:-1]
    decoded = decode_bytes(data)
    assert decoded.text == "区域协调发展取得新进展。"
    assert "truncated UTF-8" in decoded.warning


def test_truncated_utf8_after_ascii_only_is_still_read_as_utf8() -> None:
    decoded = decode_bytes(b"2024" + "中".encode()[:2])
    assert decoded.text == "2024"
    assert "truncated UTF-8" in decoded.warning


def test_a_few_corrupt_bytes_in_utf8_are_replaced_and_reported() -> None:
    data = bytearray((PAGE * 5).encode())
    data[40] = 0xFF
    decoded = decode_bytes(bytes(data))
    assert decoded.text is not None and "\ufffd" in decoded.text
    assert "invalid UTF-8" in decoded.warning
    assert "byte offset 38, 40" in decoded.warning  # the broken character starts at 38


def test_utf16_without_bom_is_read_when_it_is_clearly_text() -> None:
    assert decode_bytes(PAGE.encode("utf-16-le")).text == PAGE


def test_looks_chinese() -> None:
    assert looks_chinese(PAGE)
    assert not looks_chinese("abc")
    mojibake = PAGE.encode("utf-8").decode("gb18030", errors="ignore")
    assert not looks_chinese(mojibake)


# --- through read_paths ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("gb.txt", PAGE.encode("gb18030")),
        ("utf16.txt", PAGE.encode("utf-16")),
        ("bom.txt", codecs.BOM_UTF8 + PAGE.encode("utf-8")),
    ],
)
def test_encoded_files_give_the_same_article(tmp_path: Path, name: str, data: bytes) -> None:
    articles, problems = _read_one(tmp_path, name, data)
    assert problems == []
    (article,) = articles
    assert article.title == "东岭省发布通道建设方案"
    assert article.authors == ["陈立"]
    assert article.text.startswith("东岭省交通运输厅日前印发行动方案")


def test_png_file_is_a_problem_naming_the_file(tmp_path: Path) -> None:
    articles, problems = _read_one(tmp_path, "picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert articles == []
    assert [p.message for p in problems] == ["not a text file (binary content: PNG image)"]
    assert problems[0].path.endswith("picture.txt")


def test_undecodable_file_is_a_problem(tmp_path: Path) -> None:
    articles, problems = _read_one(tmp_path, "big5.txt", PAGE.encode("big5", errors="ignore"))
    assert articles == []
    assert problems[0].message == "cannot decode: not UTF-8, GB18030 or UTF-16"


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "empty file"), (b" \n\t\r\n  \n", "empty file (white space only)")],
)
def test_empty_and_blank_files_are_problems(tmp_path: Path, data: bytes, message: str) -> None:
    articles, problems = _read_one(tmp_path, "empty.txt", data)
    assert articles == []
    assert [p.message for p in problems] == [message]


def test_truncated_file_is_read_and_the_truncation_reported(tmp_path: Path) -> None:
    data = (PAGE + "下一步将加快项目建设").encode()[:-2]
    articles, problems = _read_one(tmp_path, "cut.txt", data)
    assert len(articles) == 1
    assert articles[0].text.endswith("下一步将加快项目建")
    assert len(problems) == 1 and "truncated UTF-8" in problems[0].message
