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
