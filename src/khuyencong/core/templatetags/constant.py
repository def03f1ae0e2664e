"""``{% constant %}…{% endconstant %}``: a part of a template that is the same on every page
in one language, rendered once per process (issue 11 item 7).

The layout (``base.html``) translated ~10 constant strings and resolved 6 static and 3 named
URLs on every page (~10 µs each through ``gettext``'s and the storage's machinery, ~0.4 ms of
its ~0.9 ms): text, ``{% translate %}``, ``{% static %}`` and ``{% url %}`` of constants
depend only on the language, the script prefix, the URLconf and the settings, which make the
key (as the menu bar's, ``core.navigation.menu_bar``). Anything else inside — a variable, a
tag that reads the context, ``{% csrf_token %}`` — is refused when the template is parsed, so
nothing about a user or a request can be kept.
"""

from __future__ import annotations

import weakref
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import FilterExpression, Node, NodeList, Parser, TextNode, Token
from django.template.defaulttags import CommentNode, URLNode
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

_parsed: weakref.WeakSet[ConstantNode] = weakref.WeakSet()


@receiver(setting_changed)
def _settings_changed(**_kwargs: object) -> None:
    """Any setting may change what a part renders to (STATIC_URL, STORAGES, LANGUAGES…, as
    tests override them): rendered again after."""
    for node in list(_parsed):
        node.rendered.clear()


def _constant(expression: FilterExpression | None) -> bool:
    if expression is None:
        return True
    var = expression.var
    literal = isinstance(var, str) or getattr(var, "literal", None) is not None
    return literal and not expression.filters


def _is_constant(node: Node) -> bool:
    if isinstance(node, (TextNode, CommentNode)):
        return True
    if isinstance(node, TranslateNode):
        return (
            node.asvar is None
            and _constant(node.filter_expression)
            and (_constant(node.message_context))
        )
    if isinstance(node, StaticNode):
        return node.varname is None and _constant(node.path)
    if isinstance(node, URLNode):
        return not (node.args or node.kwargs or node.asvar) and _constant(node.view_name)
    return False


class ConstantNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        self.rendered: dict[tuple[Any, ...], SafeString] = {}
        _parsed.add(self)

    def render(self, context: template.Context) -> SafeString:
        key = (get_language(), get_script_prefix(), get_urlconf(), context.autoescape)
        found = self.rendered.get(key)
        if found is None:
            found = self.rendered[key] = mark_safe(self.nodelist.render(context))
        return found


@register.tag
def constant(parser: Parser, token: Token) -> ConstantNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% constant %} takes no argument")
    nodelist = parser.parse(("endconstant",))
    parser.delete_first_token()
    for node in nodelist:
        if not _is_constant(node):
            raise template.TemplateSyntaxError(
                "{% constant %} holds only text and {% translate %}, {% static %}, {% url %} "
                f"of constants, not {node!r}"
            )
    return ConstantNode(nodelist)
