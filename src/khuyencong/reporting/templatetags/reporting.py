"""``{% load reporting %}``: figures as they read."""

from __future__ import annotations

from typing import Any

from django import template

from khuyencong.reporting import display

register = template.Library()


@register.simple_tag
def figure(value: Any, indicator: Any) -> str:
    """``{% figure line.total indicator %}`` → ``25.965 triệu đồng`` / ``75,0 %`` / ``12``."""
    return display.figure_text(value, indicator)


@register.simple_tag
def amount(value: Any, indicator: Any) -> str:
    """``{% amount row.planned indicator %}``: a planned quantity or sum as the indicator reads."""
    return display.number_text(value, indicator)


@register.filter
def key_label(key: str) -> str:
    return display.key_label(key)


@register.filter
def part(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key)
