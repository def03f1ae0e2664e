"""The helpers that prepare a list's rows print what the template filters they replace print."""

from __future__ import annotations

import datetime

import pytest
from django.template.defaultfilters import date as date_filter
from django.utils import translation

from khuyencong.core import rows
from khuyencong.registry.models import LegalForm


@pytest.mark.parametrize(
    "value",
    [datetime.date(2026, 5, 15), datetime.date(2026, 1, 3), datetime.date(1999, 12, 31), None],
)
def test_day_prints_what_the_date_filter_prints(value):
    assert rows.day(value) == date_filter(value, "d/m/Y")


@pytest.mark.parametrize(("language", "label"), [("vi", "Hợp tác xã"), ("en", "Cooperative")])
def test_labels_are_translated_in_the_active_language(language, label):
    with translation.override(language):
        found = rows.labels(LegalForm.choices)
    assert found["htx"] == label
    assert type(found["htx"]) is str  # translated now, not a lazy string read later


def test_add_labels_names_each_field_s_value_and_keeps_a_value_outside_the_choices():
    found = [{"legal_form": "htx"}, {"legal_form": "khong-co"}]
    with translation.override("vi"):
        rows.add_labels(found, legal_form=LegalForm.choices)
    assert [row["legal_form_label"] for row in found] == ["Hợp tác xã", "khong-co"]
