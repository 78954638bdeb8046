"""Certificate numbers: hand-made examples and strict token checking."""

from __future__ import annotations

import datetime as dt

import pytest

from scoring.core.numbering import (
    DEFAULT_PATTERN,
    NumberFormatError,
    format_number,
    roman_month,
    validate_pattern,
)

JUNE = dt.date(2025, 6, 27)


def test_the_example_from_the_domain_notes() -> None:
    assert format_number(DEFAULT_PATTERN, 123, "BKKBN-JMB", JUNE) == "123/PIAGAM/BKKBN-JMB/VI/2025"


@pytest.mark.parametrize(
    ("pattern", "seq", "date", "expected"),
    [
        (DEFAULT_PATTERN, 7, JUNE, "007/PIAGAM/BKKBN-JMB/VI/2025"),
        (DEFAULT_PATTERN, 1234, JUNE, "1234/PIAGAM/BKKBN-JMB/VI/2025"),
        ("{seq}/PIAGAM/{org}/{month_roman}/{year}", 7, JUNE, "7/PIAGAM/BKKBN-JMB/VI/2025"),
        ("{seq:4d}", 7, JUNE, "   7"),
        ("{seq:05d}-{event}", 42, JUNE, "00042-jambi-2025"),
        ("{org}.{year}.{month:02d}.{seq}", 9, dt.date(2025, 1, 2), "BKKBN-JMB.2025.01.9"),
        ("{seq}/{month_roman}", 1, dt.date(2025, 12, 31), "1/XII"),
        ("{seq}/{month_roman}", 1, dt.date(2025, 9, 1), "1/IX"),
        ("{seq}/{month_roman}", 1, dt.date(2025, 4, 1), "1/IV"),
        ("No. {seq} {{arsip}}", 3, JUNE, "No. 3 {arsip}"),
    ],
)
def test_hand_examples(pattern: str, seq: int, date: dt.date, expected: str) -> None:
    assert format_number(pattern, seq, "BKKBN-JMB", date, event="jambi-2025") == expected


def test_every_roman_month() -> None:
    assert [roman_month(m) for m in range(1, 13)] == [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ]  # fmt: skip
    with pytest.raises(ValueError):
        roman_month(13)


@pytest.mark.parametrize(
    ("pattern", "reason", "token"),
    [
        ("", "empty", ""),
        ("   ", "empty", ""),
        ("{seq}/{bulan}/{year}", "unknown_token", "{bulan}"),
        ("{seq}/{}", "unknown_token", "{}"),
        ("{seq}/{0}", "unknown_token", "{0}"),
        ("{seq.real}", "unknown_token", "{seq.real}"),
        ("{seq}/{org[0]}", "unknown_token", "{org[0]}"),
        ("{seq!r}", "conversion", "{seq}"),
        ("{seq:>10}", "bad_spec", "{seq:>10}"),
        ("{seq}/{org:10}", "bad_spec", "{org:10}"),
        ("{seq:0100d}", "bad_spec", "{seq:0100d}"),
        ("{seq", "syntax", ""),
        ("seq}", "syntax", ""),
        ("PIAGAM/{org}/{year}", "missing_seq", "{seq}"),
        ("{seq}" + "x" * 200, "too_long", ""),
    ],
)
def test_bad_patterns_are_refused_with_a_reason(pattern: str, reason: str, token: str) -> None:
    with pytest.raises(NumberFormatError) as caught:
        validate_pattern(pattern)
    assert caught.value.reason == reason
    assert caught.value.token == token


def test_sequence_starts_at_one() -> None:
    with pytest.raises(ValueError):
        format_number(DEFAULT_PATTERN, 0, "BKKBN", JUNE)


def test_a_number_too_long_for_the_column_is_refused() -> None:
    with pytest.raises(NumberFormatError) as caught:
        format_number("{seq}/{org}", 1, "X" * 100, JUNE)
    assert caught.value.reason == "too_long"
