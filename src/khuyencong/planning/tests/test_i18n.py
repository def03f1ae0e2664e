"""Planning and notification pages are translated (the .mo files are built by `make`)."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_planning_pages_in_english(client, centre, round_):
    client.force_login(centre)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("planning:round_list")).content.decode()
    assert "Registration rounds" in body
    assert "Unread notifications" in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_plan_page_shows_content_groups_in_english(client, centre, groups):
    from khuyencong.planning import services
    from khuyencong.planning.models import PlanItem

    plan = services.create_plan(actor=centre, year=2026, fund="KCDP")
    PlanItem.objects.create(
        plan=plan,
        order=1,
        name="Đề án 1",
        implementing_unit="Trung tâm",
        content_group=groups["nhom-2"],
        total_cost=10_000_000,
        support_kcdp=10_000_000,
    )
    client.force_login(centre)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    # The comparison table (every group) and the item's row both read in English.
    assert "2. Rural industrial product development" in body
    assert "<td>Rural industrial product development</td>" in body
    assert "Demonstration models, machinery, cleaner production" in body
    assert "Phát triển sản phẩm công nghiệp nông thôn" not in body
    assert "Mô hình trình diễn, máy móc thiết bị" not in body
