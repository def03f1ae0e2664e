"""``{% constant %}`` (core.templatetags.constant, issue 11 item 7): what it holds is rendered
once per language, prefix and URLconf, and only constants may be inside."""

from __future__ import annotations

from unittest import mock

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings
from django.urls import reverse, set_script_prefix
from django.utils import translation

from khuyencong.accounts.models import Role

PART = (
    "<a href=\"{% url 'home' %}\" title=\"{% translate 'Đóng' %}\">"
    '{% translate "Khuyến công số" %}</a>'
    "{% comment %}ghi chú{% endcomment %}<img src=\"{% static 'img/favicon.svg' %}\">"
)


def _template(source: str) -> Template:
    return Template("{% load static i18n constant %}" + source)


def test_the_same_as_its_content_in_each_language():
    kept, plain = _template("{% constant %}" + PART + "{% endconstant %}"), _template(PART)
    seen = []
    for language in ("vi", "en", "vi", "en"):
        with translation.override(language):
            seen.append(kept.render(Context()))
            assert seen[-1] == plain.render(Context())
    assert "Khuyến công số" in seen[0]
    assert "Khuyến công số" not in seen[1]  # the English name
    assert seen[0] == seen[2]
    assert seen[1] == seen[3]


def test_rendered_once_then_kept():
    kept = _template("{% constant %}" + PART + "{% endconstant %}")
    with translation.override("vi"):
        first = kept.render(Context())
        with mock.patch("django.templatetags.i18n.render_value_in_context") as translated:
            assert kept.render(Context()) == first
        translated.assert_not_called()


def test_autoescape_and_prefix_are_part_of_the_key():
    kept = _template("{% constant %}<a href=\"{% url 'home' %}\">{% endconstant %}")
    with translation.override("vi"):
        assert kept.render(Context()) == '<a href="/">'
        set_script_prefix("/kc/")
        try:
            assert kept.render(Context()) == '<a href="/kc/">'
        finally:
            set_script_prefix("/")
        assert kept.render(Context()) == '<a href="/">'


def test_a_change_of_settings_renders_again():
    kept = _template("{% constant %}{% static 'css/app.css' %}{% endconstant %}")
    before = kept.render(Context())
    with override_settings(STATIC_URL="/tinh/"):
        assert kept.render(Context()) == "/tinh/css/app.css"
    assert kept.render(Context()) == before


@pytest.mark.parametrize(
    "inside",
    [
        "{{ user.email }}",
        "{% csrf_token %}",
        "{% url 'registry:establishment_detail' pk %}",
        "{% url name %}",
        "{% url 'home' as home %}",
        "{% translate message %}",
        "{% translate 'Đóng' as close %}",
        "{% translate 'Đóng'|upper %}",
        "{% static path %}",
        "{% if user %}x{% endif %}",
        "{% include 'core/_menu.html' %}",
    ],
)
def test_anything_that_reads_the_context_is_refused_when_parsed(inside):
    with pytest.raises(TemplateSyntaxError, match="constant"):
        _template("{% constant %}" + inside + "{% endconstant %}")


def test_takes_no_argument():
    with pytest.raises(TemplateSyntaxError, match="no argument"):
        _template("{% constant 1 %}{% endconstant %}")


@pytest.mark.django_db
def test_the_layout_follows_the_language_switch(client, make_user):
    """The layout's kept parts: Vietnamese, English after the switch, Vietnamese again."""
    client.force_login(make_user(Role.COMMUNE_OFFICER, "03646"))
    shown = []
    for language in ("vi", "en", "vi"):
        client.post(reverse("set_language"), {"language": language, "next": "/"})
        shown.append(client.get("/thong-bao/").content.decode())
    for body in (shown[0], shown[2]):
        assert "Bỏ qua đến nội dung" in body
        assert "Sản phẩm tiêu biểu (trang công khai)" in body
        assert "· Khuyến công số</title>" in body
    assert "Skip to content" in shown[1]
    assert "Typical products (public pages)" in shown[1]
    assert "· Digital Industrial Extension</title>" in shown[1]
    assert "Bỏ qua đến nội dung" not in shown[1]
