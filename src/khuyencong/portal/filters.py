"""The catalogue's query string (tìm kiếm, lọc, trang) read strictly: a value that names no
province, commune, group, level or year is refused with a sentence naming the field, not
silently ignored (a shared link must not show something else than it says)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from khuyencong.awards import rules
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.registry.models import ProductGroup

MAX_SEARCH = 100
MAX_PAGE = 10_000
PAGE_SIZE = 24
KNOWN = ("q", "tinh", "xa", "nhom", "cap", "nam", "trang")


@dataclass
class CatalogueFilters:
    search: str = ""
    province: AdministrativeUnit | None = None
    commune: AdministrativeUnit | None = None
    group: str = ""
    level: str = ""
    year: int | None = None
    page: int = 1
    errors: list[str] = field(default_factory=list)

    def query(self, **changes: Any) -> str:
        """The query string of these filters with some changed (for facet and page links)."""
        values: dict[str, Any] = {
            "q": self.search,
            "tinh": self.province.code if self.province else "",
            "xa": self.commune.code if self.commune else "",
            "nhom": self.group,
            "cap": self.level,
            "nam": self.year or "",
            "trang": self.page if self.page > 1 else "",
        }
        values.update(changes)
        out = QueryDict(mutable=True)
        for key in KNOWN:
            if values.get(key) not in (None, ""):
                out[key] = str(values[key])
        return out.urlencode()

    @property
    def active(self) -> bool:
        return bool(
            self.search or self.province or self.commune or self.group or self.level or self.year
        )


def _unit(code: str, level: int) -> AdministrativeUnit | None:
    if not code.isdigit() or len(code) > 8:
        return None
    return AdministrativeUnit.objects.current().filter(code=code, level=level).first()


def read(params: QueryDict, today: datetime.date) -> CatalogueFilters:
    found = CatalogueFilters()
    found.search = " ".join(params.get("q", "").split())[:MAX_SEARCH]
    province = params.get("tinh", "").strip()
    if province:
        found.province = _unit(province, UnitLevel.PROVINCE)
        if found.province is None:
            found.errors.append(
                _("Tỉnh, thành phố có mã “%(code)s” không có: hãy chọn lại trong danh sách.")
                % {"code": province[:20]}
            )
    commune = params.get("xa", "").strip()
    if commune:
        found.commune = _unit(commune, UnitLevel.COMMUNE)
        if found.commune is None:
            found.errors.append(
                _("Xã, phường có mã “%(code)s” không có: hãy chọn lại trong danh sách.")
                % {"code": commune[:20]}
            )
    group = params.get("nhom", "").strip()
    if group:
        if group in ProductGroup.values:
            found.group = group
        else:
            found.errors.append(_("Nhóm sản phẩm phải là 1, 2, 3 hoặc 4."))
    level = params.get("cap", "").strip()
    if level:
        if level in rules.Level._value2member_map_:
            found.level = level
        else:
            found.errors.append(
                _("Cấp chứng nhận “%(level)s” không có: chọn xa, tinh, khu-vuc hoặc quoc-gia.")
                % {"level": level[:20]}
            )
    year = params.get("nam", "").strip()
    if year:
        if year.isdigit() and len(year) == 4 and 2000 <= int(year) <= today.year:
            found.year = int(year)
        else:
            found.errors.append(
                _("Năm chứng nhận phải là một năm từ 2000 đến %(year)s.") % {"year": today.year}
            )
    page = params.get("trang", "").strip()
    if page:
        if page.isdigit() and 1 <= int(page) <= MAX_PAGE:
            found.page = int(page)
        else:
            found.errors.append(_("Số trang phải là một số nguyên dương."))
    return found


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    query: str
    current: bool


def facet_links(found: CatalogueFilters, facets: dict[str, Any]) -> dict[str, list[FacetLink]]:
    """Each facet value as a link that adds it to the filters (or takes it off if chosen)."""
    chosen = {
        "tinh": found.province.code if found.province else "",
        "nhom": found.group,
        "cap": found.level,
        "nam": str(found.year or ""),
    }
    links: dict[str, list[FacetLink]] = {}
    for key, items in facets.items():
        links[key] = []
        for item in items:
            current = chosen[key] == item.value
            changes = {key: "" if current else item.value, "trang": ""}
            if key == "tinh":
                changes["xa"] = ""
            links[key].append(FacetLink(item.label, item.count, found.query(**changes), current))
    return links
