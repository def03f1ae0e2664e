"""LongSelect / LongModelChoiceField: a drop-down of hundreds of rows written in Python, which
must render and validate exactly as Django's own select does."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from khuyencong.core.forms import BootstrapFormMixin, LongModelChoiceField, LongSelect
from khuyencong.geo.models import AdministrativeUnit, UnitLevel

pytestmark = pytest.mark.django_db


def test_long_select_renders_like_djangos_select():
    choices = [("", "---------"), ("1", "Chè & mận <Sơn La>"), ("2", "Đắk Lắk")]
    ours = LongSelect(choices=choices).render("co_so", "2", {"id": "id_co_so", "required": True})
    django = forms.Select(choices=choices).render(
        "co_so", "2", {"id": "id_co_so", "required": True}
    )
    assert parse_html(ours) == parse_html(django)  # same elements, attributes and text
    assert "Chè &amp; mận &lt;Sơn La&gt;" in ours
    assert '<option value="2" selected>Đắk Lắk</option>' in ours


class _Form(BootstrapFormMixin, forms.Form):
    unit = LongModelChoiceField(
        label="Đơn vị", queryset=AdministrativeUnit.objects.none(), label_field="name"
    )


def test_long_model_choice_field_reads_pairs_and_validates_against_its_queryset(
    django_assert_num_queries,
):
    provinces = (
        AdministrativeUnit.objects.current().filter(level=UnitLevel.PROVINCE).order_by("code")
    )
    form = _Form()
    form.fields["unit"].queryset = provinces
    with django_assert_num_queries(1):
        html = str(form["unit"])
    first = provinces.first()
    assert f'<option value="{first.pk}">{first.name}</option>' in html
    assert 'class="form-select"' in html
    bound = _Form({"unit": first.pk})
    bound.fields["unit"].queryset = provinces
    assert bound.is_valid()
    assert bound.cleaned_data["unit"] == first
    commune = AdministrativeUnit.objects.current().filter(level=UnitLevel.COMMUNE).first()
    wrong = _Form({"unit": commune.pk})
    wrong.fields["unit"].queryset = provinces
    assert not wrong.is_valid()
    assert "unit" in wrong.errors
