"""The national roll-up from live data (tổng hợp toàn quốc): per computed indicator, the
nation's figure and each province's, at the period's end. ``manage.py rollup`` prints it;
the benchmark times it against DuckDB over the same rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from khuyencong.geo.models import AdministrativeUnit, UnitLevel

from . import summary
from .aggregation import Figure
from .periods import Period


def _number(figure: Figure) -> Any:
    value = figure.value
    if value is None:
        return None
    if figure.denominator is not None:
        return {
            "value": float(value),
            "numerator": _plain(figure.numerator),
            "denominator": _plain(figure.denominator),
        }
    return _plain(value)


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def national_rollup(period: Period) -> dict[str, Any]:
    """The roll-up as plain data (JSON-ready): one grouped query or two per indicator."""
    indicators = [i for i in summary.dashboard_indicators() if i.computation]
    provinces = summary.live_figures(period, "province")
    nation = summary.combine(indicators, provinces.values())
    names = dict(
        AdministrativeUnit.objects.filter(
            level=UnitLevel.PROVINCE, pk__in=list(provinces)
        ).values_list("pk", "code")
    )
    out = []
    for indicator in indicators:
        by_province = {}
        for pk, figures in sorted(provinces.items(), key=lambda item: names[item[0]]):
            mine = {k or "tong": _number(f) for (c, k), f in figures.items() if c == indicator.code}
            if mine:
                by_province[names[pk]] = mine
        out.append(
            {
                "code": indicator.code,
                "label": indicator.label,
                "unit": indicator.unit_of_measure,
                "rule": indicator.rule,
                "nation": {
                    k or "tong": _number(f)
                    for (c, k), f in sorted(nation.items())
                    if c == indicator.code
                },
                "provinces": by_province,
            }
        )
    return {"period": period.code, "cutoff": period.end.isoformat(), "indicators": out}
