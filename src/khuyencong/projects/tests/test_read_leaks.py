"""Read leaks found by the issue-10 probe: each would show an out-of-scope name."""

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.programs.models import ActivityLine, ContentGroup, Programme

pytestmark = pytest.mark.django_db
MARKER = "DÒNG-NGOÀI-PHẠM-VI-7Q"


def test_the_list_filtered_by_a_line_names_only_a_line_the_user_may_see(
    seed_programmes, make_user, client
):
    def line(code, name):
        programme = Programme.objects.get(code=code)
        group = ContentGroup.objects.first()
        return ActivityLine.objects.create(programme=programme, group=group, name=name, order=99)

    elsewhere = line("khanh-hoa-2026-2030", MARKER)
    own = line("son-la-2026-2030", "Dòng của Sơn La")
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    leaked = client.get(reverse("projects:project_list"), {"dong": elsewhere.pk})
    assert leaked.status_code == 200
    assert MARKER not in leaked.content.decode()
    shown = client.get(reverse("projects:project_list"), {"dong": own.pk})
    assert "Dòng của Sơn La" in shown.content.decode()
