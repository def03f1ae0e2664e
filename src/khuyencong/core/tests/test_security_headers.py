"""Production configuration: the security headers on real responses, and `check --deploy`
clean with the settings the README gives for production."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from khuyencong.accounts.models import Role

PROJECT = Path(__file__).resolve().parents[4]

#: An inline script: a <script> without src, other than a JSON-LD data block.
INLINE_SCRIPT = r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>"


def _csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


@pytest.mark.parametrize("logged_in", [False, True])
def test_every_page_carries_a_strict_content_security_policy_and_the_other_headers(
    client, make_user, logged_in
):
    if logged_in:
        client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
        response = client.get(reverse("home"))
    else:
        response = client.get(reverse("account_login"))
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_pages_hold_no_inline_script_style_or_handler(client, make_user):
    """The rule the CSP enforces, checked on the HTML itself (the browser test sees the rest)."""
    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    for url in (reverse("home"), reverse("registry:establishment_list"), "/de-an/"):
        body = client.get(url).content.decode()
        assert not re.search(INLINE_SCRIPT, body), url
        assert "<style" not in body, url
        assert not re.search(r"\sstyle=", body), url
        assert not re.search(r"\son[a-z]+=", body), url


def _readme_production_env() -> dict[str, str]:
    """The ``NAME=value`` lines of the README's production block (the one after the heading
    "Cấu hình khi triển khai"); placeholders in <…> get a real value."""
    readme = (PROJECT / "README.md").read_text()
    section = readme.split("Cấu hình khi triển khai", 1)[1]
    block = section.split("```", 2)[1]
    env = {}
    for line in block.splitlines():
        match = re.fullmatch(r"([A-Z_]+)=(<[^>]*>|\S*)(?:\s+#.*)?", line.strip())
        if match:
            env[match.group(1)] = match.group(2)
    examples = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "khuyencong.example.vn",
        "CSRF_TRUSTED_ORIGINS": "https://khuyencong.example.vn",
        "SITE_URL": "https://khuyencong.example.vn",
    }
    for name, value in list(env.items()):
        if value.startswith("<"):
            if name in examples:
                env[name] = examples[name]
            else:
                del env[name]  # DATABASE_URL: the check needs no database
    return env


def test_check_deploy_is_clean_with_the_readme_production_settings(tmp_path):
    env = _readme_production_env()
    assert env["HTTPS"] == "1"
    assert env["DEBUG"] == "0"
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))},
        **env,
        "KHUYENCONG_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "khuyencong.settings",
    }
    environment.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_make_run_stays_on_plain_http(settings):
    """Without HTTPS=1 (a developer's machine, `make run`) nothing redirects or needs TLS."""
    assert settings.SECURE_SSL_REDIRECT is False
    assert settings.SECURE_HSTS_SECONDS == 0
    assert settings.SESSION_COOKIE_SECURE is False


def test_no_template_holds_inline_script_style_or_event_handler():
    """The CSP refuses them in the browser; this names the template at once. The print
    templates are read by WeasyPrint only (never served to a browser)."""
    root = PROJECT / "src" / "khuyencong"
    offenders = []
    for template in sorted(root.glob("**/templates/**/*.html")):
        if template.name.endswith("_print.html") or template.name == "_print_page.html":
            continue
        text = template.read_text()
        # A JSON-LD data block (schema.org on public pages) is data, never run: not a script.
        for pattern in (INLINE_SCRIPT, r"<style\b", r"\sstyle=", r"\son[a-z]+="):
            if re.search(pattern, text):
                offenders.append(f"{template.relative_to(root)}: {pattern}")
    assert offenders == []
