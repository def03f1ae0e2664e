"""``{% badge %}`` (core.templatetags.badges) shows each status as the per-domain
``_status.html`` includes it replaced did (issue 11 item 7): the same colour and label for every
status of every model, and for a value the domain does not know."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from khuyencong.planning.models import PlanStatus, RegistrationStatus
from khuyencong.projects.models import ProjectStatus
from khuyencong.reporting.models import ReportStatus

#: The includes as they were (planning, projects, reporting ``_status.html`` before).
INCLUDED = {
    "planning": (
        '{% load i18n %}{% if status == "nhap" %}'
        '<span class="badge text-bg-secondary">{{ label }}'
        "</span>"
        '{% elif status == "da-gui" %}'
        '<span class="badge text-bg-primary">{{ label }}'
        "</span>"
        '{% elif status == "tra-lai" %}'
        '<span class="badge text-bg-warning">{{ label }}'
        "</span>"
        '{% elif status == "chap-nhan" %}'
        '<span class="badge text-bg-success">{{ label }}'
        "</span>"
        '{% elif status == "tu-choi" %}'
        '<span class="badge text-bg-danger">{{ label }}'
        "</span>"
        '{% elif status == "du-thao" %}'
        '<span class="badge text-bg-secondary">{{ label }}'
        "</span>"
        '{% elif status == "da-trinh" %}'
        '<span class="badge text-bg-primary">{{ label }}'
        "</span>"
        '{% elif status == "da-tham-dinh" %}'
        '<span class="badge text-bg-info">{{ label }}'
        "</span>"
        '{% elif status == "da-phe-duyet" %}'
        '<span class="badge text-bg-success">{{ label }}'
        "</span>"
        "{% else %}"
        '<span class="badge text-bg-light border">{{ label }}'
        "</span>"
        "{% endif %}"
    ),
    "projects": (
        '{% if status == "nhap" %}'
        '<span class="badge text-bg-secondary">{{ label }}'
        "</span>"
        '{% elif status == "da-trinh" or status == "tham-dinh-tinh" or status == "tham-dinh-tw" %'
        "}"
        '<span class="badge text-bg-primary">{{ label }}'
        "</span>"
        '{% elif status == "tra-lai" %}'
        '<span class="badge text-bg-warning">{{ label }}'
        "</span>"
        '{% elif status == "phe-duyet" or status == "hop-dong" or status == "trien-khai" %}'
        '<span class="badge text-bg-info">{{ label }}'
        "</span>"
        '{% elif status == "nghiem-thu" or status == "quyet-toan" or status == "dong" %}'
        '<span class="badge text-bg-success">{{ label }}'
        "</span>"
        '{% elif status == "khong-duyet" or status == "huy" %}'
        '<span class="badge text-bg-danger">{{ label }}'
        "</span>"
        "{% else %}"
        '<span class="badge text-bg-light border">{{ label }}'
        "</span>"
        "{% endif %}"
    ),
    "reporting": (
        "{% load i18n %}"
        "<span class=\"badge {% if status == 'da-chap-nhan' %}text-bg-success"
        "{% elif status == 'da-duyet' %}text-bg-primary"
        "{% elif status == 'da-gui' %}text-bg-info"
        "{% elif status == 'tra-lai' %}text-bg-warning"
        "{% else %}text-bg-secondary"
        '{% endif %}">{{ label }}'
        "</span>"
    ),
}

STATUSES = [
    ("planning", RegistrationStatus),
    ("planning", PlanStatus),
    ("projects", ProjectStatus),
    ("reporting", ReportStatus),
]


@pytest.mark.parametrize(("domain", "choices"), STATUSES)
def test_every_status_has_the_colour_and_label_the_include_gave(domain, choices):
    badge = Template("{% load badges %}{% badge domain status label %}")
    included = Template(INCLUDED[domain])
    for status in [*choices.values, "khong-biet"]:
        context = {"domain": domain, "status": status, "label": f"Nhãn <{status}>"}
        shown = badge.render(Context(context))
        assert shown == included.render(Context(context)).strip()
        assert shown.startswith('<span class="badge text-bg-')
        assert "Nhãn &lt;" in shown


def test_a_list_row_shows_the_badge():
    template = Template(
        '{% load badges %}{% for r in rows %}{% badge "projects" r.s r.l %}{% endfor %}'
    )
    rows = [{"s": ProjectStatus.CLOSED, "l": "Đã đóng"}]
    assert template.render(Context({"rows": rows})) == (
        '<span class="badge text-bg-success">Đã đóng</span>'
    )
