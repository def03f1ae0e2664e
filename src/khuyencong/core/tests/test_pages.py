import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse

from khuyencong.accounts.models import Role, RoleAssignment, User
from khuyencong.audit.models import ActivityEvent, EventType
from khuyencong.audit.services import record_event
from khuyencong.core.demo import DEMO_PASSWORD, seed_demo
from khuyencong.core.testing import queries_below_and_above_the_count_limit
from khuyencong.core.views import server_error

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "pending_migrations": 0}


@pytest.mark.django_db(transaction=True)
def test_healthz_reports_503_when_migrations_are_pending(client):
    call_command("migrate", "audit", "zero", verbosity=0)
    try:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["pending_migrations"] >= 1
    finally:
        call_command("migrate", verbosity=0)
    assert client.get("/healthz").status_code == 200


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG đang tắt"):
        call_command("seed_demo")
    assert not User.objects.filter(is_demo=True).exists()


def test_seed_demo_gives_one_user_per_role_and_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    assert "xa.sonla@demo.khuyencong.vn" in out
    count = User.objects.count()
    call_command("seed_demo", "--force")
    assert User.objects.count() == count
    held = set(RoleAssignment.objects.filter(user__is_demo=True).values_list("role", flat=True))
    assert held == set(Role)
    provinces = set(
        RoleAssignment.objects.filter(user__is_demo=True, unit__level=1).values_list(
            "unit__name", flat=True
        )
    )
    assert provinces == {"Sơn La", "Khánh Hòa", "Đắk Lắk"}
    commune = RoleAssignment.objects.get(user__email="xa.sonla@demo.khuyencong.vn").unit
    assert commune.parent.name == "Sơn La"
    representative = RoleAssignment.objects.get(user__email="coso.sonla@demo.khuyencong.vn")
    assert representative.establishment is not None
    assert representative.establishment.is_demo
    assert representative.establishment.commune == representative.unit


def test_make_run_seeds_quietly_and_prints_the_logins_as_a_table_last(settings, capsys):
    """Regression (issue 9, defect 13): ``make run`` printed ~20 raw e-mails (base64
    subjects) of the demo projects' notifications before the demo logins."""
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    for command in ("load_units", "load_programmes"):  # as the Makefile runs them
        call_command(command, verbosity=0)
    call_command("seed_demo")
    captured = capsys.readouterr()
    assert "Subject:" not in captured.out + captured.err
    lines = captured.out.strip().splitlines()
    assert lines[0] == f"Tài khoản trình diễn (mật khẩu chung: {DEMO_PASSWORD})"
    header, rule, *rows = lines[1:]
    assert header.split() == ["Tài", "khoản", "Vai", "trò", "Đơn", "vị"]
    assert set(rule) == {"-", " "}
    emails = set(User.objects.filter(is_demo=True).values_list("email", flat=True))
    assert all(row.split()[0] in emails for row in rows)  # each row a demo login
    assert len(rows) >= len(Role)
    # Columns line up: each row's role starts where the header's "Vai trò" does.
    column = header.index("Vai trò")
    officer = next(row for row in rows if row.startswith("xa.sonla@demo.khuyencong.vn"))
    assert officer[column:].startswith(str(Role.COMMUNE_OFFICER.label))
    assert officer.rstrip().endswith("Xã Chiềng Sơn")


@pytest.mark.parametrize("role", list(Role))
def test_every_role_has_a_vietnamese_home_page(role, settings, client):
    settings.DEBUG = True  # demo officers are exempt from TOTP only in DEBUG
    seed_demo()
    assignment = RoleAssignment.objects.filter(user__is_demo=True, role=role).first()
    client.force_login(assignment.user)
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Việc cần xử lý" in body
    assert str(role.label) in body
    assert assignment.unit.name in body


def test_home_page_query_count_does_not_grow_with_activity(make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN, "14")
    client.force_login(admin)
    province = admin.current_assignment.unit

    def queries_for_home() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        record_event(EventType.UNIT_UPDATED, actor=admin, obj=province)
    few = queries_for_home()
    for _ in range(40):
        record_event(EventType.UNIT_UPDATED, actor=admin, obj=province)
    for n in range(10):
        make_user(Role.PROVINCE_SCT, "14", totp=False, email=f"chua-mfa-{n}@test.khuyencong.vn")
    assert queries_for_home() == few


def test_unit_list_search_is_accent_insensitive_and_paginated(make_user, client):
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    body = client.get(reverse("geo:unit_list"), {"q": "chieng son"}).content.decode()
    assert "Xã Chiềng Sơn" in body
    assert "Phường Tô Hiệu" not in body
    page2 = client.get(reverse("geo:unit_list"), {"trang": 2})
    assert "Trang 2/2" in page2.content.decode()


def test_unit_list_query_count_is_flat(make_user, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(user) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("geo:unit_list"))
        return len(ctx.captured_queries)

    small = count(make_user(Role.PROVINCE_SCT, "14"))  # 76 units
    large = count(make_user(Role.NATIONAL_OFFICER, "VN"))  # 3,356 units, 50 a page
    assert small == large


def test_unit_list_answers_htmx_with_rows_only(make_user, client):
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    response = client.get(reverse("geo:unit_list"), {"q": "to hieu"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Phường Tô Hiệu" in body
    assert "<html" not in body


def test_not_found_and_server_error_pages_are_vietnamese(client, make_user):
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    error = server_error(RequestFactory().get("/"))
    assert error.status_code == 500
    assert "Hệ thống đang gặp sự cố" in error.content.decode()


def test_the_public_404_and_catalogue_set_no_csrf_cookie_for_an_anonymous_visitor(
    client, make_user
):
    for url, status in (("/khong-co-trang-nay/", 404), ("/san-pham/", 200)):
        response = client.get(url)
        assert response.status_code == status
        assert settings.CSRF_COOKIE_NAME not in response.cookies, url
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    signed_in = client.get("/khong-co-trang-nay/")  # the language switch posts with a token
    assert 'name="csrfmiddlewaretoken"' in signed_in.content.decode()
    assert settings.CSRF_COOKIE_NAME in signed_in.cookies


def test_english_is_available(client, make_user):
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Waiting for you" in body


def test_activity_log_lists_events_in_scope(make_user, client):
    officer = make_user(Role.PROVINCE_SCT, "14")
    record_event(
        EventType.UNIT_UPDATED,
        actor=officer,
        obj=officer.current_assignment.unit,
        comment="Cập nhật số điện thoại",
    )
    client.force_login(officer)
    body = client.get(reverse("audit:activity_log")).content.decode()
    assert "Cập nhật số điện thoại" in body
    assert ActivityEvent.objects.count() >= 1


def test_activity_log_issues_the_same_queries_below_and_above_the_count_limit(
    make_user, client, settings
):
    """Regression (issue 11, scale 1.0): the log issued a query more above
    ``LIST_EXACT_COUNT_LIMIT`` (the planner's estimate), 5 → 6 for a province."""
    officer = make_user(Role.PROVINCE_SCT, "14")
    record_event(EventType.UNIT_UPDATED, actor=officer, obj=officer.current_assignment.unit)
    client.force_login(officer)
    below, above = queries_below_and_above_the_count_limit(
        client, reverse("audit:activity_log"), settings
    )
    assert below == above


def test_the_suite_runs_on_the_configured_database():
    """CI runs this suite twice; on the second run DATABASE_URL names a PostgreSQL server."""
    import os

    from django.db import connection

    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected


def test_the_suite_on_postgresql_binds_parameters_in_the_server():
    """The PostgreSQL half of CI runs with the deployment's default, server-side binding
    (``DB_SERVER_SIDE_BINDING=0`` turns it off); SQLite has no such option."""
    import os

    from django.db import connection

    expected = connection.vendor == "postgresql" and (
        os.environ.get("DB_SERVER_SIDE_BINDING", "1") == "1"
    )
    assert connection.settings_dict["OPTIONS"].get("server_side_binding", False) is expected
    if expected:
        # Prepared, but planned for each execution's values: a generic plan made the
        # establishment search ~1.7× slower at scale 1.0 once a statement had run ten times.
        with connection.cursor() as cursor:
            cursor.execute("SHOW plan_cache_mode")
            assert cursor.fetchone()[0] == "force_custom_plan"


def test_vietnamese_is_the_default_whatever_the_browser_asks(client, make_user):
    client.force_login(make_user(Role.PROVINCE_SCT, "14"))
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in body
    assert "Việc cần xử lý" in body


def test_demo_users_log_in_with_the_printed_password(settings, client):
    settings.DEBUG = True
    seed_demo()
    response = client.post(
        reverse("account_login"),
        {"login": "xa.sonla@demo.khuyencong.vn", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_long_activity_log_is_never_counted_whole_and_its_pages_keep_the_filter(
    make_user, client, settings
):
    """National scale: the log of a national officer holds every event of the country; the
    page reads one page (+1 row) and a bounded count, never COUNT(*) over the whole table."""
    officer = make_user(Role.PROVINCE_SCT, "14")
    for n in range(51):  # a page holds 50
        record_event(
            EventType.UNIT_UPDATED,
            actor=officer,
            obj=officer.current_assignment.unit,
            comment=f"Sự kiện {n}",
        )
    client.force_login(officer)
    settings.LIST_EXACT_COUNT_LIMIT = 2
    response = client.get(reverse("audit:activity_log"), {"loai": EventType.UNIT_UPDATED})
    page = response.context["page"]
    assert not page.paginator.total.exact
    body = response.content.decode()
    assert f"loai={EventType.UNIT_UPDATED}&amp;trang=2" in body  # the filter survives paging
