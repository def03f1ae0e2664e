"""Shared test fixtures: the real unit tree, users with roles, a real Chromium."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test.utils import override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still work.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOT_DIR = Path(__file__).resolve().parent / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Property tests judge results, never speed (speed lives in `make bench`): no per-example
# deadline and no "too slow" health check, which a loaded CI machine fails at random. A failing
# example is printed with the blob that replays it (@reproduce_failure).
hypothesis_settings.register_profile(
    "khuyencong", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
hypothesis_settings.load_profile("khuyencong")


def pytest_configure(config: pytest.Config) -> None:
    """Two checks for hidden dependence, on demand (README, "Tests run in random order"):
    ``TEST_NOW=2027-06-20T09:00+07:00`` runs the suite on another day (the clock moved there
    and ticking: a test that reads the real date where it means one fails);
    ``TEST_REVERSE_UNORDERED=1`` makes SQLite return the rows of a query without ORDER BY in
    reverse (a test or a page that relies on insertion order fails)."""
    now = os.environ.get("TEST_NOW")
    if now:
        import datetime

        import time_machine

        moved = datetime.datetime.fromisoformat(now)
        if moved.tzinfo is None:
            raise pytest.UsageError("TEST_NOW needs a UTC offset: 2026-12-31T23:30+07:00")
        traveller = time_machine.travel(moved, tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)
    if os.environ.get("TEST_REVERSE_UNORDERED"):
        from django.db.backends.signals import connection_created

        def reverse_unordered(sender: Any, connection: Any, **kwargs: Any) -> None:
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA reverse_unordered_selects = ON")

        connection_created.connect(reverse_unordered, weak=False)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """The order is random (pytest-randomly): say how to replay it, even under ``-q``."""
    seed = config.getoption("randomly_seed", None)
    if isinstance(seed, int) and config.getoption("randomly_reorganize", True):
        terminalreporter.write_line(
            f"Random test order: replay it with --randomly-seed={seed} "
            "(make test PYTEST_ARGS=--randomly-seed=N; see README)"
        )


@pytest.fixture(scope="session", autouse=True)
def _test_settings() -> Iterator[None]:
    # The manifest storage needs collectstatic; tests serve static files as they are.
    # A fast hasher: password hashing is not what these tests measure.
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        yield


@pytest.fixture(scope="session", autouse=True)
def _force_login_is_a_complete_login() -> Iterator[None]:
    """``client.force_login(user)`` stands for a finished login: password and, as allauth records
    it in the session, the second factor (officers and administrators must have passed one in
    this session). The login forms themselves are tested through HTTP in accounts;
    ``force_login_password_only`` gives a session that has not passed the second factor."""
    from allauth.account.internal.flows.login import record_authentication
    from django.http import HttpRequest
    from django.test import Client

    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        request = HttpRequest()
        request.session = self.session
        record_authentication(request, user, "password")
        record_authentication(request, user, "mfa", type="totp")
        request.session.save()

    Client.force_login = force_login  # type: ignore[method-assign]
    Client.force_login_password_only = original  # type: ignore[attr-defined]
    yield
    Client.force_login = original  # type: ignore[method-assign]
    del Client.force_login_password_only  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate limits and used TOTP codes live in the cache: no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def totp_code(settings: Any) -> Callable[..., str]:
    """The code a user's authenticator app shows now (``step=1``: the next one). One step of
    clock tolerance, so a code computed at the end of a 30-second window still counts."""
    from allauth.mfa import app_settings as mfa_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    settings.MFA_TOTP_TOLERANCE = 1

    def code(user_or_secret: Any, step: int = 0) -> str:
        """For a user's TOTP authenticator, or a secret being set up (``str``)."""
        secret = user_or_secret
        if not isinstance(secret, str):
            authenticator = Authenticator.objects.get(user=secret, type=Authenticator.Type.TOTP)
            secret = decrypt(authenticator.data["secret"])
        counter = int(time.time()) // mfa_settings.TOTP_PERIOD + step
        return format_hotp_value(hotp_value(secret, counter))

    return code


@pytest.fixture
def wrong_totp_code(totp_code: Callable[..., str]) -> Callable[[Any], str]:
    """A code the user's authenticator does not show in any window near now ("000000" could be
    the right one, one time in a few hundred thousand)."""

    def wrong(user_or_secret: Any) -> str:
        near = {totp_code(user_or_secret, step) for step in range(-2, 3)}
        return next(code for code in ("000000", "111111", "222222") if code not in near)

    return wrong


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Uploads go to the test's own directory: nothing is left under var/media for the next
    test or the next run (where a file of the same name would be stored under another name)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _vietnamese_again() -> Iterator[None]:
    """A test that switches to English must not leave English active for the next one."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the real unit tree (34 provinces, 3,321 communes) once into the test database."""
    from khuyencong.geo.services import load_units

    with django_db_blocker.unblock():
        load_units()


@pytest.fixture
def units_loaded(transactional_db: Any) -> None:
    """Transactional tests flush the database: they reload the unit tree themselves."""
    from khuyencong.geo.services import load_units

    load_units()


@pytest.fixture
def unit() -> Callable[[str], Any]:
    """Look a current unit up by official code: ``unit("14")`` is Sơn La."""
    from khuyencong.geo.models import AdministrativeUnit

    def get(code: str) -> AdministrativeUnit:
        return AdministrativeUnit.objects.current().get(code=code)

    return get


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """Create a user holding ``role`` at ``unit`` (an AdministrativeUnit or its code)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from khuyencong.accounts.models import OFFICER_ROLES, RoleAssignment, User
    from khuyencong.geo.models import AdministrativeUnit

    counter = {"n": 0}

    def make(
        role: str, unit: Any, *, email: str | None = None, totp: bool | None = None, **extra: Any
    ) -> User:
        """Officers get a TOTP authenticator by default, as the policy requires of them."""
        if isinstance(unit, str):
            unit = AdministrativeUnit.objects.current().get(code=unit)
        counter["n"] += 1
        email = email or f"{role}.{unit.code}.{counter['n']}@test.khuyencong.vn"
        user = User.objects.create_user(
            email, "Mat-khau-2026", full_name=f"Người thử {counter['n']}", **extra
        )
        assignment = RoleAssignment.objects.create(user=user, role=role, unit=unit)
        user.current_assignment = assignment
        user.save(update_fields=["current_assignment"])
        if totp if totp is not None else role in OFFICER_ROLES:
            TOTP.activate(user, generate_totp_secret())
        return user

    return make


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A real Chromium (Debian package) driven by Playwright."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


#: How long a browser test waits for a condition (an element, a text, a URL) before failing.
#: Waiting ends as soon as the condition holds: a generous limit costs nothing on a fast
#: machine and keeps a loaded one from failing at random.
BROWSER_PATIENCE_MS = 30_000


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh page; check what an action shows with ``expect(locator).to_contain_text(...)``,
    which waits for it, rather than reading ``inner_text()`` at once."""
    from playwright.sync_api import expect

    context = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(BROWSER_PATIENCE_MS)
    expect.set_options(timeout=BROWSER_PATIENCE_MS)
    yield page
    context.close()


@pytest.fixture
def browser_login(page: Any, live_server: Any) -> Callable[[Any], None]:
    """Sign the browser in as a user by handing it a session cookie: officers hold TOTP, whose
    codes a browser test cannot type (the login form itself is tested in accounts)."""
    from django.conf import settings
    from django.test import Client

    def login(user: Any) -> None:
        client = Client()
        client.force_login(user)
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page.goto(f"{live_server.url}/")

    return login


@pytest.fixture
def screenshot(page: Any) -> Callable[[str], Path]:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def screenshot_sizes(page: Any, screenshot: Callable[[str], Path]) -> Callable[[str], list[Path]]:
    """Screenshots of the current page on a laptop (1280×800) and a phone (390×844):
    ``name-1280.png`` and ``name-390.png``; the viewport is put back afterwards."""

    def take(name: str) -> list[Path]:
        before = page.viewport_size
        shots = []
        for width, height in ((1280, 800), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            shots.append(screenshot(f"{name}-{width}"))
        page.set_viewport_size(before)
        return shots

    return take


@pytest.fixture
def libreoffice_pdf(tmp_path: Path) -> Callable[[bytes, str], Path]:
    """Open a document with real LibreOffice (headless) and convert it to PDF.

    ``convert(content, "name.xlsx")`` returns the PDF path; a file LibreOffice cannot read fails.
    """
    from khuyencong.core.testing import libreoffice_convert

    counter = {"n": 0}

    def convert(content: bytes, filename: str) -> Path:
        counter["n"] += 1
        pdf = libreoffice_convert(content, filename, "pdf", tmp_path / f"lo-{counter['n']}")
        assert pdf.read_bytes().startswith(b"%PDF")
        return pdf

    return convert
