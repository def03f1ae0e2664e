"""Reads of the registry, always narrowed by the access policy and loaded in flat queries."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, cast

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from khuyencong.accounts import policy
from khuyencong.core import http
from khuyencong.core import rows as core_rows
from khuyencong.core.exports import ExportPlan
from khuyencong.core.text import fold
from khuyencong.geo import picker
from khuyencong.geo.models import AdministrativeUnit, UnitLevel

from . import exporting
from .models import Artisan, ArtisanTitle, Establishment, Gender, ImportJob, LegalForm, ProductGroup

_YES = {"1", "co", "true", "on"}


@dataclass(frozen=True)
class EstablishmentFilter:
    """The list's search and filters, as read from the query string.

    ``q`` (search), ``xa`` (commune code), ``loai`` (legal form), ``nhom`` (product group),
    ``chu_nu`` (owner is a woman), ``chu_dttt`` (owner is from an ethnic minority).
    """

    search: str = ""
    commune: str = ""
    legal_form: str = ""
    product_group: str = ""
    woman_owned: bool = False
    minority_owned: bool = False

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> EstablishmentFilter:
        legal_form = params.get("loai", "")
        group = params.get("nhom", "")
        commune = params.get("xa", "").strip()
        return cls(
            search=params.get("q", "").strip()[:100],
            commune=commune,
            legal_form=legal_form if legal_form in LegalForm.values else "",
            product_group=group if group in ProductGroup.values else "",
            woman_owned=params.get("chu_nu", "") in _YES,
            minority_owned=params.get("chu_dttt", "") in _YES,
        )

    @property
    def words(self) -> list[str]:
        """The search's folded words (none for a search of accent marks alone, "\u0301")."""
        return fold(self.search).split()

    @property
    def is_active(self) -> bool:
        return any(
            (
                self.search,
                self.commune,
                self.legal_form,
                self.product_group,
                self.woman_owned,
                self.minority_owned,
            )
        )


def filters_from_query(
    user: Any, query: Mapping[str, str]
) -> tuple[EstablishmentFilter, picker.UnitFilter]:
    """The list's filters, its commune box read by the unit picker (a name, a code or a label):
    one reading for the list, its export and the background export job."""
    commune = picker.filter_unit(user, query.get("xa", ""), level=UnitLevel.COMMUNE)
    filters = EstablishmentFilter.from_query(query)
    return dataclasses.replace(filters, commune=commune.code), commune


def export_plan(user: Any, query: QueryDict, fmt: str = "xlsx") -> ExportPlan:
    """The list as filtered, in the template's columns with the unit names, .xlsx or .csv."""
    filters, _commune = filters_from_query(user, query)
    found = establishments_for(user, filters)
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        return ExportPlan(
            found=found,
            rows=lambda: export_records(found),
            write=lambda rows, out: out.writelines(
                exporting.establishments_csv_chunks(rows, with_names=True)
            ),
            filename=f"co-so-cnnt-{stamp}.csv",
            content_type=http.CSV,
        )
    return ExportPlan(
        found=found,
        rows=lambda: export_records(found),
        write=lambda rows, out: exporting.establishments_xlsx_writer(rows, with_names=True).save(
            out
        ),
        filename=f"co-so-cnnt-{stamp}.xlsx",
        content_type=http.XLSX,
    )


#: What an export reads of an establishment (``exporting.export_row``'s attributes).
_EXPORTED = (
    "name", "legal_form", "tax_code", "address", "product_group", "main_products",
    "owner_name", "owner_gender", "owner_ethnic_minority", "employees_total",
    "employees_female", "employees_ethnic_minority", "founded_year", "craft_village", "phone",
    "email",
)  # fmt: skip


def export_records(found: QuerySet[Establishment]) -> Iterator[SimpleNamespace]:
    """The establishments of ``found``, in its order, as light records with the attributes
    ``exporting.export_row`` reads (their commune's code and name, its province's name): one
    query read in chunks. A model instance with its commune and province costs ~50 µs of CPU
    a row to build, 15 s for the national list; a row of values a tenth of that."""
    communes: dict[int, SimpleNamespace] = {}
    fields = (*_EXPORTED, "commune_id", "commune__code", "commune__name", "commune__parent__name")
    for values in found.values_list(*fields).iterator(chunk_size=2000):
        record = SimpleNamespace(**dict(zip(_EXPORTED, values, strict=False)))
        commune_id, code, name, province = values[len(_EXPORTED) :]
        record.commune = communes.get(commune_id)
        if record.commune is None:
            parent = None if province is None else SimpleNamespace(name=province)
            record.commune = communes[commune_id] = SimpleNamespace(
                code=code, name=name, parent=parent
            )
        yield record


def _visible(user: Any) -> QuerySet[Establishment]:
    return policy.scope_queryset(
        user, Establishment.objects.all(), unit_field="commune", establishment_field="pk"
    )


def search_q(search: str) -> Q:
    """Accent-insensitive search: every word must appear in the name, the products, the owner's
    name, the tax code (dots ignored), or the commune's or province's name ("son la" finds Sơn
    La, "dong" finds Đông).

    All of them are in ``search_folded`` (``models.place_names``), so on PostgreSQL the words
    are one search of its trigram index, which holds the scope's province and commune too
    (migration 0011: a province's search reads its own matches). Issue 11: with the units'
    names matched as ``commune_id``/``province_id`` branches (``= ANY(ARRAY(units whose name
    holds the word))``) the planner misjudged the ORs and walked a province's 16,000 rows
    testing each (38 ms, 1,261 buffers for 313 matches, scale 1.0).
    """
    condition = Q()
    for word in fold(search).split():
        matches = Q(search_folded__contains=word)
        code = word.replace(".", "")
        if code and code != word:
            matches |= Q(search_folded__contains=code)
        condition &= matches
    return condition


def match_rank(name_folded: str, words: list[str]) -> int:
    """How well an establishment matches the (folded) words of a search, best first: 0 its
    name holds them as typed (in that order), 1 its name holds every word, 2 they are
    elsewhere (the products, the owner, the tax code, the places). An officer typing "tho cam"
    looks for the establishments named so before those that only sell it (docs/architecture.md,
    search). :func:`search_rank` is the same rule in SQL."""
    if " ".join(words) in name_folded:
        return 0
    return 1 if all(word in name_folded for word in words) else 2


def search_rank(words: list[str]) -> Case:
    """:func:`match_rank` as an SQL expression (``LIKE '%…%'`` on the folded name); ``words``
    not empty (a ``Case`` of its default alone is a constant, which PostgreSQL reads in an
    ``ORDER BY`` as a column's position)."""
    return Case(
        When(name_folded__contains=" ".join(words), then=Value(0)),
        When(Q(*(Q(name_folded__contains=word) for word in words)), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def establishments_for(
    user: Any, filters: EstablishmentFilter | None = None
) -> QuerySet[Establishment]:
    """The establishments the user may see, filtered, with their commune and province; a
    search's best matches first (:func:`search_rank`), then in Vietnamese order of the name."""
    filters = filters or EstablishmentFilter()
    qs = _visible(user).select_related("commune", "commune__parent")
    if filters.search:
        qs = qs.filter(search_q(filters.search))
    if filters.commune:
        qs = qs.filter(commune__code=filters.commune)
    if filters.legal_form:
        qs = qs.filter(legal_form=filters.legal_form)
    if filters.product_group:
        qs = qs.filter(product_group=filters.product_group)
    if filters.woman_owned:
        qs = qs.filter(owner_gender=Gender.FEMALE)
    if filters.minority_owned:
        qs = qs.filter(owner_ethnic_minority=True)
    if filters.words:
        return qs.alias(rank=search_rank(filters.words)).order_by("rank", "name_sort", "pk")
    return qs.order_by("name_sort", "pk")


#: How many establishments of the scope, in name order, a search's page may walk to find its
#: names holding the phrase (:func:`named_first_window`). The walk reads the name index alone
#: (``name_folded`` is in it): ~1 µs an entry against ~13 µs a match for the ranking, which
#: reads each match's row (scale 1.0, load 6: 13,197 entries in 7–24 ms, 2,725 rows in
#: 28–49 ms). Past this, the page is ranked as before: the walk costs a search that needs
#: the ranking at most this many index entries more.
NAME_WALK = 20_000


def named_first_window(
    scope: QuerySet[Establishment], ranked: QuerySet[Establishment], words: list[str], window: slice
) -> RawSQL:
    """The ids of ``window`` of a search in its order (:func:`search_rank`), read without
    ranking every match when the window holds only names with the phrase (the first rank).

    One query: the first :data:`NAME_WALK` establishments of ``scope`` in name order are
    walked for names holding the phrase until the window's end is reached (on PostgreSQL an
    index-only scan of ``registry_est_name_sort``, which holds the name). When it is, the window
    is theirs; otherwise (fewer such names, or further in the name order) the window is read
    from ``ranked``, which reads every match as before. Each part has its own ``ORDER BY``
    and only one returns rows (the count of the walk, computed once as a ``WITH`` query,
    decides). The names holding the phrase are matches: the name is the start of the search
    text (``models.search_text``). Issue 11: ranked in one ``ORDER BY``, the national page of
    "tho cam" read its 6,327 matches at scale 1.0; the first 51 names holding it are the
    13,197 first of the name order. Raw SQL: Django has no subquery in ``FROM``."""
    start, stop = window.start or 0, int(window.stop)
    size = max(stop - start, 0)
    walked, walk_params = (
        scope.order_by("name_sort", "pk")
        .values("pk", "name_sort", "name_folded")[:NAME_WALK]
        .query.sql_with_params()
    )
    phrase = connection.ops.prep_for_like_query(" ".join(words))
    like = connection.operators["contains"] % "%s"
    rest, rest_params = ranked.values("pk")[start:stop].query.sql_with_params()
    sql = (
        f'SELECT "pk" FROM (WITH named AS (SELECT "pk", "name_sort" FROM ({walked}) AS walked '
        f'WHERE "name_folded" {like} ORDER BY "name_sort", "pk" LIMIT {stop}) '
        f'SELECT "pk" FROM (SELECT "pk" FROM named ORDER BY "name_sort", "pk" '
        f"LIMIT {size} OFFSET {start}) AS shown "
        f"WHERE (SELECT COUNT(*) FROM named) = {stop} "
        f'UNION ALL SELECT "pk" FROM ({rest}) AS ranked '
        f"WHERE (SELECT COUNT(*) FROM named) < {stop}) AS found"
    )
    return RawSQL(sql, (*walk_params, f"%{phrase}%", *rest_params))


_ROW_FIELDS = (
    "pk", "name", "main_products", "legal_form", "tax_code", "product_group", "owner_name",
    "owner_gender", "owner_ethnic_minority", "employees_total",
)  # fmt: skip


def _row_values(
    found: QuerySet[Establishment], *extra: str
) -> QuerySet[Establishment, Mapping[str, Any]]:
    return found.values(
        *_ROW_FIELDS,
        *extra,
        commune_name=F("commune__name"),
        province_name=F("commune__parent__name"),
    )


@dataclass(frozen=True)
class SearchRows:
    """A search's rows for a paginator: a slice ranks the matches on the establishments alone
    and joins the places of that page only. Issue 11: ranked with the joins, every match was
    joined to its commune and province before the sort kept 51 (6,327 matches of "tho cam" at
    scale 1.0, 5,588 buffers; a province's 313 matches, 2,236 buffers)."""

    ranked: QuerySet[Establishment]
    words: list[str]
    #: The user's establishments before the search, when nothing else narrows them (the
    #: only lists whose name index a page may walk, see :func:`named_first_window`).
    scope: QuerySet[Establishment] | None = None

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        # Only the page's ids here: the search and the scope stay in the subquery (repeated
        # outside, PostgreSQL would read every match again to join the ids). The page is put
        # in order here: the rank as an SQL ordering of the outer query too cost ~2 ms of CPU
        # a request to compile (issue 11: every ms of a page in the load mix counts).
        if self.scope is None:
            ids: Any = self.ranked.values("pk")[window]
        else:
            ids = named_first_window(self.scope, self.ranked, self.words, window)
        page = Establishment.objects.filter(pk__in=ids).order_by()
        rows = cast(list[dict[str, Any]], list(_row_values(page, "name_folded", "name_sort")))
        rows.sort(
            key=lambda row: (
                match_rank(row["name_folded"], self.words),
                row["name_sort"],
                row["pk"],
            )
        )
        return rows


def establishment_rows(
    user: Any, filters: EstablishmentFilter | None = None
) -> QuerySet[Establishment, Mapping[str, Any]] | SearchRows:
    """The list page's rows: only the columns it shows, as dicts. An Establishment built with
    its commune and province as model instances costs ~70 µs a row, these ~20 µs (issue 11:
    the list's CPU is its rows); label them with :func:`labelled_rows`. A search's rows are
    :class:`SearchRows`, sliced as a queryset is."""
    found = establishments_for(user, filters)
    if filters is not None and filters.words:
        return SearchRows(found, filters.words, _walked_scope(user, filters))
    return _row_values(found)


def _walked_scope(user: Any, filters: EstablishmentFilter) -> QuerySet[Establishment] | None:
    """What a search's page may walk in name order (:func:`named_first_window`): the whole
    registry, for a national user searching without another filter. A province's or a
    commune's search ranks its matches (hundreds at scale 1.0, a few ms): walking up to
    :data:`NAME_WALK` of its names first cost more than it saved whenever the phrase was rare
    in its names (a province's "son la": 1,062 → 1,722 buffers; a search that matches
    nothing: 27 → 687), and a filter (legal form, group, commune) leaves no index to walk."""
    unit = policy.scope_unit(user)
    if unit is None or unit.level != UnitLevel.NATIONAL:
        return None
    return _visible(user) if filters == EstablishmentFilter(search=filters.search) else None


PRODUCTS_SHOWN = 80  # characters of the main products under a name in the list


def labelled_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with their legal form's and product group's labels, translated once a page
    (``get_FOO_display`` rebuilds the choices and translates them for every row), and their
    products cut as ``truncatechars`` would, which costs ~20 µs a row even for short text."""
    found = list(rows)
    core_rows.add_labels(found, legal_form=LegalForm.choices, product_group=ProductGroup.choices)
    for row in found:
        row["province_name"] = row["province_name"] or ""  # a unit without a parent
        products = row["main_products"]
        row["products_shown"] = (
            products
            if len(products) <= PRODUCTS_SHOWN
            else Truncator(products).chars(PRODUCTS_SHOWN)
        )
    return found


def establishment_for_view(user: Any, pk: int) -> Establishment:
    """One establishment in the user's scope, or 404 (never revealing one outside it)."""
    establishment = (
        _visible(user)
        .select_related("commune", "commune__parent")
        .prefetch_related("artisans")
        .filter(pk=pk)
        .first()
    )
    if establishment is None:
        raise Http404
    return establishment


def duplicate_errors(
    user: Any,
    *,
    name: str,
    commune: AdministrativeUnit,
    tax_code: str,
    exclude_pk: int | None = None,
) -> dict[str, str]:
    """Field errors when another establishment has the tax code, or the name in the commune.

    The tax code is unique in the whole registry; the other establishment is named only when
    it lies in the user's scope.
    """
    others = Establishment.objects.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    errors: dict[str, str] = {}
    if tax_code:
        holder = others.filter(tax_code=tax_code).select_related("commune").first()
        if holder is not None and _visible(user).filter(pk=holder.pk).exists():
            errors["tax_code"] = _(
                "Mã số thuế “%(code)s” đã có trong hệ thống (cơ sở “%(name)s”, %(commune)s): "
                "mỗi cơ sở chỉ đăng ký một lần."
            ) % {"code": tax_code, "name": holder.name, "commune": holder.commune.name}
        elif holder is not None:
            errors["tax_code"] = _(
                "Mã số thuế “%(code)s” đã được đăng ký cho một cơ sở khác trong hệ thống (ngoài "
                "phạm vi của bạn): hãy kiểm tra lại mã."
            ) % {"code": tax_code}
    folded = fold(name)
    if folded and others.filter(commune=commune, name_folded=folded).exists():
        errors["name"] = _(
            "%(commune)s đã có cơ sở tên “%(name)s” (không phân biệt dấu và chữ hoa): hãy kiểm "
            "tra xem có phải cùng một cơ sở không, hoặc ghi tên phân biệt."
        ) % {"commune": commune.name, "name": name}
    return errors


def communes_for_change(user: Any) -> QuerySet[AdministrativeUnit]:
    """Current communes where the user may add or edit establishments (the form's choices)."""
    communes = AdministrativeUnit.objects.current().communes().select_related("parent")
    return policy.scope_queryset(
        user, communes, unit_field="", action=policy.Action.CHANGE_ESTABLISHMENT
    ).order_by("parent__name", "name_folded")


def all_establishments() -> QuerySet[Establishment]:
    """The whole registry, unscoped: for the command line (IT staff), never for a view."""
    return Establishment.objects.select_related("commune", "commune__parent").order_by(
        "commune__path", "name_sort", "pk"
    )


# --------------------------------------------------------------------------------------------
# Artisans (nghệ nhân)
# --------------------------------------------------------------------------------------------
def _visible_artisans(user: Any) -> QuerySet[Artisan]:
    """Artisans in the user's scope (a representative: their establishment's)."""
    return policy.scope_queryset(
        user, Artisan.objects.all(), unit_field="commune", establishment_field="establishment"
    )


def artisans_for(
    user: Any, *, search: str = "", commune: str = "", title: str = ""
) -> QuerySet[Artisan]:
    """The artisans the user may see, searched without accents in the name and craft (every
    word), filtered by commune code and title, in Vietnamese order of the name."""
    qs = _visible_artisans(user).select_related("commune", "commune__parent", "establishment")
    for word in fold(search).split():
        qs = qs.filter(search_folded__contains=word)
    if commune:
        qs = qs.filter(commune__code=commune)
    if title in ArtisanTitle.values:
        qs = qs.filter(title=title)
    return qs.order_by("name_sort", "pk")


def artisan_for_view(user: Any, pk: int) -> Artisan:
    """One artisan in the user's scope, or 404 (never revealing one outside it)."""
    artisan = (
        _visible_artisans(user)
        .select_related("commune", "commune__parent", "establishment")
        .filter(pk=pk)
        .first()
    )
    if artisan is None:
        raise Http404
    return artisan


def establishments_for_change(user: Any) -> QuerySet[Establishment]:
    """Establishments the user may add artisans to (the artisan form's choices, looked up by
    id: never listed whole)."""
    return policy.scope_queryset(
        user,
        Establishment.objects.select_related("commune"),
        unit_field="commune",
        action=policy.Action.CHANGE_ESTABLISHMENT,
        establishment_field="pk",
    )


def import_job_for_view(user: Any, pk: int) -> ImportJob:
    """An import job the user may follow: one of their own, within their current scope."""
    jobs = policy.scope_queryset(
        user,
        ImportJob.objects.select_related("unit", "created_by"),
        unit_field="unit",
        action=policy.Action.CHANGE_ESTABLISHMENT,
    )
    job = jobs.filter(pk=pk, created_by=user).first()
    if job is None:
        raise Http404
    return job
