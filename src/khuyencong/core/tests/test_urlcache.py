"""``{% url %}`` and :func:`reverse_ids` fill object keys into a URL reversed once: the same
text as Django's ``reverse`` for every named URL of the project, in either language, under a
script prefix; everything else is ``reverse`` itself."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.core import urlcache
from khuyencong.core.templatetags.urls import URLNode
from khuyencong.core.urlcache import reverse_ids


def _named_urls(resolver=None, namespace=""):
    """(name, number of arguments) of every named route whose arguments are all ``<int:…>``."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_urls(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            pattern = entry.pattern
            if isinstance(pattern, RoutePattern) and all(
                isinstance(c, IntConverter) for c in pattern.converters.values()
            ):
                yield f"{namespace}{entry.name}", len(pattern.converters)


def _fresh():
    urlcache._pieces.cache_clear()


NAMED = sorted(set(_named_urls()))


def test_the_project_has_urls_with_ids():
    assert len([n for n, count in NAMED if count]) > 50
    assert ("planning:registration_detail", 1) in NAMED


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_named_url_is_the_text_reverse_gives(language):
    _fresh()
    with translation.override(language):
        for name, count in NAMED:
            for args in [tuple(range(1, count + 1)), (0,) * count, (987654321,) * count]:
                assert reverse_ids(name, args) == reverse(name, args=args), name


@given(ids=st.lists(st.integers(min_value=0, max_value=10**12), min_size=2, max_size=2))
def test_two_ids_in_any_order_of_size(ids):
    assert reverse_ids("planning:item_edit", ids) == reverse("planning:item_edit", args=ids)


def test_a_portal_url_follows_the_language():
    """The public portal is under ``i18n_patterns``: its URLs change with the language, so they
    are never filled in from another language's text."""
    name, args = "portal:product_short", (5,)
    _fresh()
    with translation.override("vi"):
        vi = reverse_ids(name, args)
    with translation.override("en"):
        en = reverse_ids(name, args)
    assert vi == reverse(name, args=args)
    assert en.startswith("/en/")
    assert en != vi


def test_under_a_script_prefix():
    _fresh()
    from django.urls import get_script_prefix, set_script_prefix

    before = get_script_prefix()
    set_script_prefix("/khuyencong/")
    try:
        assert reverse_ids("planning:registration_detail", [12]) == reverse(
            "planning:registration_detail", args=[12]
        )
        assert reverse_ids("planning:registration_detail", [12]).startswith("/khuyencong/")
    finally:
        set_script_prefix(before)
    assert reverse_ids("planning:registration_detail", [12]) == reverse(
        "planning:registration_detail", args=[12]
    )


@pytest.mark.parametrize("args", [["12"], [True], [-1], [1.0]])
def test_other_arguments_go_to_reverse(args):
    def outcome(call):
        try:
            return call()
        except NoReverseMatch:
            return NoReverseMatch

    name = "planning:registration_detail"
    assert outcome(lambda: reverse_ids(name, args)) == outcome(lambda: reverse(name, args=args))


def test_an_unknown_name_raises_as_reverse_does():
    with pytest.raises(NoReverseMatch):
        reverse_ids("planning:no_such_page", [1])


@override_settings(ROOT_URLCONF="khuyencong.core.tests.urls_padded")
def test_a_converter_that_writes_numbers_otherwise_is_never_filled_in():
    assert reverse_ids("padded", [7]) == reverse("padded", args=[7]) == "/so/0007/"
    assert reverse_ids("padded", [12345]) == "/so/12345/"
    assert urlcache._pieces("padded", 1, None, "/", "khuyencong.core.tests.urls_padded") is None


@pytest.mark.parametrize("prefix", ["/", "/khuyencong/"])
def test_a_url_around_one_id_is_the_text_reverse_gives(prefix):
    from django.urls import get_script_prefix, set_script_prefix

    _fresh()
    before = get_script_prefix()
    set_script_prefix(prefix)
    try:
        for name, count in NAMED:
            if count == 1 and not name.startswith("portal:"):
                start, end = urlcache.around_id(name)
                for pk in (0, 7, 987654321):
                    assert f"{start}{pk}{end}" == reverse(name, args=[pk]), name
    finally:
        set_script_prefix(before)


@override_settings(ROOT_URLCONF="khuyencong.core.tests.urls_padded")
def test_no_url_around_one_id_where_reverse_decides():
    with pytest.raises(ValueError, match="padded"):
        urlcache.around_id("padded")


def test_no_url_around_one_id_that_follows_the_language():
    with pytest.raises(ValueError, match="portal:product_short"):
        urlcache.around_id("portal:product_short")


def _render(source, **context):
    request = RequestFactory().get("/")
    return Template("{% load i18n %}" + source).render(Context({"request": request, **context}))


def test_the_builtin_url_tag_is_the_filling_one():
    template = Template("{% url 'home' %}")
    assert isinstance(template.nodelist[0], URLNode)


def test_the_tag_writes_what_reverse_writes():
    rows = [3, 40, 500]
    out = _render(
        "{% for r in rows %}<a href=\"{% url 'planning:registration_detail' r %}\">{% endfor %}",
        rows=rows,
    )
    assert out == "".join(
        f'<a href="{reverse("planning:registration_detail", args=[r])}">' for r in rows
    )


def test_the_tag_keeps_keyword_arguments_as_var_and_escaping():
    assert _render("{% url 'planning:registration_detail' pk=9 %}") == reverse(
        "planning:registration_detail", kwargs={"pk": 9}
    )
    link = reverse("planning:registration_detail", args=[9])
    assert _render("{% url 'planning:registration_detail' 9 as link %}[{{ link }}]") == f"[{link}]"
    assert _render("{% url 'no:such' 9 as link %}[{{ link }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        _render("{% url 'no:such' 9 %}")
    code = "a&b"
    assert _render("{% url 'certificate_public' code %}", code=code) == reverse(
        "certificate_public", args=[code]
    ).replace("&", "&amp;")
