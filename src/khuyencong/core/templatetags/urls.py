"""``{% url %}`` as Django's, filling object keys into a URL reversed once (loaded as a builtin,
so it replaces the default tag in every template): see :mod:`khuyencong.core.urlcache`."""

from __future__ import annotations

from typing import Any

from django import template
from django.template import defaulttags
from django.template.base import Parser, Token
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from khuyencong.core.urlcache import reverse_ids, where

register = template.Library()


class URLNode(defaulttags.URLNode):
    def render(self, context: template.Context) -> str:
        if self.kwargs:
            return str(super().render(context))
        args = [arg.resolve(context) for arg in self.args]
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app  # type: ignore[attr-defined]
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace  # type: ignore[attr-defined]
            except AttributeError:
                current_app = None
        at = getattr(context, "_url_at", None)
        if at is None:  # one page's render: the same prefix and URLconf throughout
            at = context._url_at = where()  # type: ignore[attr-defined]
        url = ""
        try:
            url = reverse_ids(view_name, args, current_app=current_app, at=at)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> Any:
    node = defaulttags.url(parser, token)
    return URLNode(node.view_name, node.args, node.kwargs, node.asvar)
