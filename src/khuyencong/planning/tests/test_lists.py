"""What the registration list, the round list and a registration's page show, pinned cell by
cell in Vietnamese and English: their rows are read as dicts of the shown columns and labelled
once a page (issue 11: a list's CPU is its rows), and must show what the model instances
showed. Written against the instances first; the expected strings are theirs."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.planning import services
from khuyencong.planning.models import RegistrationRound

from .conftest import SON_LA, TODAY, need

pytestmark = pytest.mark.django_db
D = datetime.date

#: The labels of each language, as the catalogue has them.
WORDS = {
    "vi": {
        "sent": "Đã gửi, chờ xem xét",
        "draft": "Nháp",
        "returned": "Trả lại để bổ sung",
        "KCDP": "KCĐP",
        "KCQG": "KCQG",
        "demo": "dữ liệu mẫu",
        "million": "triệu đồng",
    },
    "en": {
        "sent": "Sent, awaiting review",
        "draft": "Draft",
        "returned": "Returned for more information",
        "KCDP": "KCĐP",
        "KCQG": "KCQG",
        "demo": "demo data",
        "million": "million đồng",
    },
}


def _tbody(page: str) -> str:
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def _rows(page: str) -> list[str]:
    """The body's rows, each as written (``<tr>`` … ``</tr>``)."""
    return [f"<tr>{row.split('</tr>', 1)[0]}</tr>" for row in _tbody(page).split("<tr>")[1:]]


def _round_2027(unit, title, province_deadline, **extra):
    """A KCQG round of Sơn La for 2027 (newer than the fixture's): communes by 1/6/2027."""
    return RegistrationRound.objects.create(
        unit=unit(SON_LA),
        title=title,
        plan_year=2027,
        fund="KCQG",
        commune_deadline=D(2027, 6, 1),
        province_deadline=province_deadline,
        **extra,
    )


@pytest.fixture
def registrations(officer, sct, round_, tea, weaver, groups, make_user):
    """Three registrations of Sơn La: a sent one, a returned one (KCQG and KCĐP asked, an
    activity with characters to escape, an establishment of another commune) and a draft."""
    sent, _ = services.create_registration(
        actor=officer, round=round_, establishment=tea, data=need(groups["nhom-1"])
    )
    services.transition_registration(actor=officer, registration=sent, action="gui", on=TODAY)
    other = make_user(Role.COMMUNE_OFFICER, weaver.commune)
    returned, _ = services.create_registration(
        actor=other,
        round=round_,
        establishment=weaver,
        data=need(
            groups["nhom-2"],
            total=1_500_000_000,
            kcqg=62_500_000,
            kcdp=1_000_000_000,
            counterpart=437_500_000,
            activity='Khung dệt <b>"Thái"</b> & máy se sợi',
        ),
    )
    services.transition_registration(actor=other, registration=returned, action="gui", on=TODAY)
    services.transition_registration(
        actor=sct, registration=returned, action="tra-lai", comment="Thiếu báo giá"
    )
    draft, _ = services.create_registration(
        actor=officer,
        round=round_,
        establishment=tea,
        data=need(groups["nhom-3"], total=20_000_000, kcdp=7_250_000, counterpart=12_750_000),
    )
    return sent, returned, draft


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_registration_list_shows_each_cell_in_the_reader_s_language(
    client, sct, round_, tea, weaver, groups, registrations, language
):
    sent, returned, draft = registrations
    words = WORDS[language]
    client.force_login(sct)
    client.cookies["django_language"] = language
    page = client.get(reverse("planning:registration_list")).content.decode()

    def row(r, establishment, group, total, support, status, style):
        link = reverse("planning:registration_detail", args=[r.pk])
        return (
            f'<tr>\n    <td><a href="{link}">{r.pk}</a></td>\n'
            f"    <td>{establishment.name}</td><td>{establishment.commune.name}</td>\n"
            f'    <td><a href="{link}">{r.activity_html}</a><div class="small text-muted">'
            f"{group}</div></td>\n"
            f'    <td class="table-num">{total}</td>\n'
            f'    <td class="table-num">{support}</td>\n'
            f'    <td><span class="badge {style}">{words[status]}</span></td>\n'
            f'    <td class="small">{round_.title}</td></tr>'
        )

    sent.activity_html = sent.activity
    draft.activity_html = draft.activity
    returned.activity_html = "Khung dệt &lt;b&gt;&quot;Thái&quot;&lt;/b&gt; &amp; máy se sợi"
    assert _rows(page) == [  # newest change first
        row(draft, tea, groups["nhom-3"], "20", "7,25", "draft", "text-bg-secondary"),
        row(returned, weaver, groups["nhom-2"], "1.500", "1.062,5", "returned", "text-bg-warning"),
        row(sent, tea, groups["nhom-1"], "500", "200", "sent", "text-bg-primary"),
    ]


def test_the_registration_list_s_round_drop_down_escapes_titles_and_keeps_the_filter(
    client, sct, round_, unit
):
    """The options as the template wrote them: the key, the title escaped, the filtered round
    selected; "Mọi đợt" first."""
    odd = _round_2027(unit, 'Đợt "bổ sung" <2027> & dự phòng', D(2027, 6, 19))
    client.force_login(sct)
    url = reverse("planning:registration_list")
    for query, selected in (({}, None), ({"dot": str(round_.pk)}, round_), ({"dot": "x"}, None)):
        page = client.get(url, query).content.decode()
        chosen = {r.pk: " selected" if r == selected else "" for r in (odd, round_)}
        assert (
            '<select class="form-select" id="dot" name="dot"><option value="">Mọi đợt</option>\n'
            f'    <option value="{odd.pk}"{chosen[odd.pk]}>Đợt &quot;bổ sung&quot; &lt;2027&gt; '
            f"&amp; dự phòng</option>"
            f'<option value="{round_.pk}"{chosen[round_.pk]}>{round_.title}</option></select>'
        ) in page, query


def test_the_registration_list_reads_the_same_queries_for_3_or_30_rows(
    client, officer, sct, round_, tea, groups, registrations
):
    client.force_login(sct)
    url = reverse("planning:registration_list")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for n in range(27):
        services.create_registration(
            actor=officer,
            round=round_,
            establishment=tea,
            data=need(groups["nhom-1"], activity=f"Việc {n}"),
        )
    assert queries() == few
    assert client.get(url).content.decode().count('<td class="small">') == 30


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_round_list_shows_each_cell_in_the_reader_s_language(
    client, sct, officer, round_, unit, registrations, language
):
    """Each round: its title and link, the demo badge, its unit, year, fund, deadlines and the
    sent registrations the reader may count (drafts not counted)."""
    words = WORDS[language]
    demo = _round_2027(unit, "Đợt mẫu <thử>", D(2027, 12, 25), is_demo=True)

    def row(r, count, badge=""):
        link = reverse("planning:round_detail", args=[r.pk])
        title = r.title.replace("<", "&lt;").replace(">", "&gt;")
        return (
            f'<tr>\n    <td><a href="{link}">{title}</a>{badge}</td>\n'
            f"    <td>{r.unit.name}</td><td>{r.plan_year}</td><td>{words[r.fund]}</td>\n"
            f'    <td class="text-nowrap">{r.commune_deadline.day}/{r.commune_deadline.month}/'
            f"{r.commune_deadline.year}</td>"
            f'<td class="text-nowrap">{r.province_deadline.day}/{r.province_deadline.month}/'
            f"{r.province_deadline.year}</td>\n"
            f'    <td class="table-num">{count}</td></tr>'
        )

    badge = f' <span class="badge text-bg-light border">{words["demo"]}</span>'
    for user, sent in ((sct, 2), (officer, 1)):  # the commune counts its own
        client.force_login(user)
        client.cookies["django_language"] = language
        page = client.get(reverse("planning:round_list")).content.decode()
        assert _rows(page) == [row(demo, 0, badge), row(round_, sent)], user


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_registration_s_page_shows_its_fields_amounts_and_steps(
    client, sct, round_, weaver, registrations, language
):
    _sent, returned, _draft = registrations
    client.force_login(sct)
    client.cookies["django_language"] = language
    page = client.get(reverse("planning:registration_detail", args=[returned.pk])).content.decode()
    title = "Khung dệt &lt;b&gt;&quot;Thái&quot;&lt;/b&gt; &amp; máy se sợi"
    assert f'<h1 class="h3 mb-1">{title}</h1>' in page
    assert f'<span class="badge text-bg-warning">{WORDS[language]["returned"]}</span>' in page
    assert f"{returned.pk} · {weaver.name} · {weaver.commune.name}</span>" in page
    assert f">{round_.title}</a>" in page
    assert "Thiếu báo giá" in page
    million = WORDS[language]["million"]
    for shown in (f"1.500 {million}", f"62,5 {million}", f"1.000 {million}", "437.500.000"):
        assert shown in page, shown
