"""Legal names in English mode (issue 9, defect 12): content groups of 2646/QĐ-BCT and support
norm contents stay Vietnamese, and a drop-down's options say so in plain text (an ``<option>``
holds no markup, so the pages' ``phap_ly`` span cannot be used there)."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from khuyencong.accounts.models import Role
from khuyencong.norms.models import NormContent
from khuyencong.programs.models import ContentGroup

pytestmark = pytest.mark.django_db
MARK = " (legal name, kept in Vietnamese)"


def test_the_line_form_marks_legal_names_in_english_only(make_user, client, seed_programmes):
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    url = reverse("programs:line_add", args=["son-la-2026-2030"])
    vietnamese = client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(url).content.decode()
    group = ContentGroup.objects.order_by("number").first()
    content = NormContent.objects.order_by("order", "code").first()
    assert group is not None
    assert content is not None
    for name in (str(group), content.name):
        assert f">{escape(name)}</option>" in vietnamese
        assert f">{escape(name)}{MARK}</option>" in english
        assert MARK not in vietnamese
