"""Tax codes and registration numbers: formats, normalisation, refusals (pure, no database)."""

import pytest

from khuyencong.registry.identifiers import IdentifierError, normalise_identifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0101234567", "0101234567"),
        ("0101.234.567", "0101234567"),
        (" 0101 234 567 ", "0101234567"),
        ("0101234567 001", "0101234567-001"),
        ("0101234567-001", "0101234567-001"),
        ("0101234567001", "0101234567-001"),
        ("0101234567/001", "0101234567-001"),
        ("014203001234", "014203001234"),  # 12-digit personal identification number
        ("14A8000123", "14A8000123"),  # household business registration number
        ("14a8000123", "14A8000123"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_valid_identifiers_are_normalised(text, expected):
    assert normalise_identifier(text) == expected


@pytest.mark.parametrize(
    "text",
    ["abc", "010123456", "01012345678", "0101234567-01", "MST0101234567", "1234", "14-A8000123"],
)
def test_letters_and_wrong_lengths_are_refused_with_a_vietnamese_reason(text):
    with pytest.raises(IdentifierError) as info:
        normalise_identifier(text)
    message = str(info.value)
    assert "không phải mã số thuế" in message
    assert "10 chữ số" in message
