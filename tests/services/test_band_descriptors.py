"""A band's descriptor may be long (the judge sees it whole) but not endless: the limit is said."""

from __future__ import annotations

import pytest

from scoring.models.event import BAND_LABEL_MAX
from scoring.services.errors import InvalidInput
from scoring.services.rubrics import validate_bands


def bands(label: str) -> list[dict[str, object]]:
    return [{"min": 1, "max": 59, "label": "Kurang"}, {"min": 60, "max": 100, "label": label}]


def test_a_descriptor_up_to_the_limit_is_kept_whole() -> None:
    long = "Baik: " + "kegiatan rutin, tercatat, berdampak. " * 8
    long = long[:BAND_LABEL_MAX].strip()
    assert len(long) > 60
    assert validate_bands(bands(long), 1, 100)[1]["label"] == long


def test_a_descriptor_over_the_limit_is_refused_with_the_limit() -> None:
    with pytest.raises(InvalidInput) as refused:
        validate_bands(bands("x" * (BAND_LABEL_MAX + 1)), 1, 100)
    assert str(refused.value) == "The descriptor of band 2 is too long (at most 300 characters)."
