from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from khuyencong.accounts import policy
from khuyencong.core import uploads
from khuyencong.core.concurrency import StaleEditError
from khuyencong.core.counting import ListPaginator
from khuyencong.core.exports import list_export
from khuyencong.core.http import XLSX, download
from khuyencong.geo import picker
from khuyencong.geo.models import UnitLevel

from . import exporting, importing, sections, selectors, services, support_history
from .forms import (
    ArtisanEditForm,
    ArtisanForm,
    EstablishmentEditForm,
    EstablishmentForm,
    ImportForm,
)
from .models import Artisan, ArtisanTitle, Establishment, ImportJob, LegalForm, ProductGroup

PAGE_SIZE = 50


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("trang", None)
    return query.urlencode()


def _filters(request: HttpRequest) -> tuple[selectors.EstablishmentFilter, picker.UnitFilter]:
    return selectors.filters_from_query(request.user, request.GET)


@login_required
def establishment_list(request: HttpRequest) -> HttpResponse:
    """Danh sách cơ sở CNNT trong phạm vi: tìm không dấu, lọc, phân trang, xuất tệp."""
    filters, commune = _filters(request)
    found = selectors.establishment_rows(request.user, filters)
    limit = settings.SEARCH_EXACT_COUNT_LIMIT if filters.search else None
    page = ListPaginator.for_request(
        found,
        PAGE_SIZE,
        request,
        estimate=not filters.search,
        limit=limit,
        counted=selectors.establishments_for(request.user, filters),
    )
    page.object_list = selectors.labelled_rows(page.object_list)
    context: dict[str, Any] = {
        "page": page,
        "filters": filters,
        "query": _query_without_page(request),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "registry/_establishment_rows.html", context)
    context.update(
        commune=commune,
        legal_forms=LegalForm.choices,
        product_groups=ProductGroup.choices,
        can_change=policy.can(request.user, policy.Action.CHANGE_ESTABLISHMENT),
    )
    return render(request, "registry/establishment_list.html", context)


@login_required
def establishment_export(request: HttpRequest) -> HttpResponseBase:
    """Xuất danh sách đang lọc ra .xlsx (mặc định) hoặc .csv, theo các cột của tệp mẫu: both
    written in constant memory; a long list in the background (``core.exports``)."""
    return list_export(request, "co-so", "csv" if request.GET.get("dinh_dang") == "csv" else "xlsx")


@login_required
def establishment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    establishment = selectors.establishment_for_view(request.user, pk)
    return render(
        request,
        "registry/establishment_detail.html",
        {
            "establishment": establishment,
            "artisans": list(establishment.artisans.all()),
            "support_years": support_history.history_for(request.user, establishment),
            "sections": sections.sections_for(request, establishment),
            "can_change": policy.can(
                request.user, policy.Action.CHANGE_ESTABLISHMENT, establishment
            ),
            "can_register": policy.can(request.user, policy.Action.REGISTER_NEED, establishment),
        },
    )


def _add_service_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def establishment_create(request: HttpRequest) -> HttpResponse:
    decision = policy.can(request.user, policy.Action.CHANGE_ESTABLISHMENT)
    if not decision:
        raise PermissionDenied(decision.reason)
    initial: dict[str, Any] = {}
    scope = policy.scope_unit(request.user)
    if scope is not None and scope.level == UnitLevel.COMMUNE:
        initial["commune"] = scope.pk
    form = EstablishmentForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            establishment = services.create_establishment(
                actor=request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm cơ sở “%(name)s”.") % {"name": establishment})
            return redirect("registry:establishment_detail", pk=establishment.pk)
    return render(
        request, "registry/establishment_form.html", {"form": form, "establishment": None}
    )


def _edit_with_version(
    request: HttpRequest,
    record: Establishment | Artisan,
    form_class: type[EstablishmentEditForm] | type[ArtisanEditForm],
    update: Callable[..., Any],
) -> tuple[Any, Any]:
    """The edit form of a versioned record and what its service ``update`` saved: None while
    the form is shown (again: invalid, stale or refused by the service)."""
    decision = policy.can(request.user, policy.Action.CHANGE_ESTABLISHMENT, record)
    if not decision:
        raise PermissionDenied(decision.reason)
    shown = type(record).objects.get(pk=record.pk)  # the form may change its instance
    posted = request.POST if request.method == "POST" else None
    form = form_class(posted, instance=shown, user=request.user)
    form.initial["version"] = record.version
    if posted is not None and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        version = form.cleaned_data["version"]
        record_kw = {str(record._meta.model_name): record}  # the service's keyword for the record
        try:
            return form, update(
                actor=request.user, expected_version=version, data=data, **record_kw
            )
        except StaleEditError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _add_service_errors(form, exc)
    return form, None


@login_required
def establishment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    establishment = selectors.establishment_for_view(request.user, pk)
    form, saved = _edit_with_version(
        request, establishment, EstablishmentEditForm, services.update_establishment
    )
    if saved is not None:
        messages.success(request, _("Đã lưu thông tin cơ sở."))
        return redirect("registry:establishment_detail", pk=establishment.pk)
    return render(
        request,
        "registry/establishment_form.html",
        {"form": form, "establishment": establishment},
    )


# --------------------------------------------------------------------------------------------
# Artisans (nghệ nhân)
# --------------------------------------------------------------------------------------------
@login_required
def artisan_list(request: HttpRequest) -> HttpResponse:
    """Danh sách nghệ nhân trong phạm vi: tìm không dấu theo tên, nghề; lọc xã, danh hiệu."""
    commune = picker.filter_unit(request.user, request.GET.get("xa", ""), level=UnitLevel.COMMUNE)
    search = request.GET.get("q", "").strip()[:100]
    title = request.GET.get("danh_hieu", "")
    found = selectors.artisans_for(request.user, search=search, commune=commune.code, title=title)
    context = {
        "page": ListPaginator.for_request(found, PAGE_SIZE, request, estimate=not search),
        "search": search,
        "title": title,
        "filtered": bool(search or commune.text or title in ArtisanTitle.values),
        "commune": commune,
        "titles": ArtisanTitle.choices,
        "query": _query_without_page(request),
        "can_change": policy.can(request.user, policy.Action.CHANGE_ESTABLISHMENT),
    }
    return render(request, "registry/artisan_list.html", context)


def _artisan_form_page(
    request: HttpRequest, form: ArtisanForm, artisan: Artisan | None
) -> HttpResponse:
    establishment = form["establishment"].value()
    shown = None
    if establishment and str(establishment).isdigit():
        shown = selectors.establishments_for_change(request.user).filter(pk=establishment).first()
    return render(
        request,
        "registry/artisan_form.html",
        {"form": form, "artisan": artisan, "establishment": shown},
    )


def _after_artisan_saved(artisan: Artisan) -> HttpResponse:
    if artisan.establishment_id is not None:
        return redirect("registry:establishment_detail", pk=artisan.establishment_id)
    return redirect("registry:artisan_list")


@login_required
def artisan_create(request: HttpRequest) -> HttpResponse:
    """Thêm nghệ nhân (``?co_so=<id>``: of that establishment, in its commune)."""
    decision = policy.can(request.user, policy.Action.CHANGE_ESTABLISHMENT)
    if not decision:
        raise PermissionDenied(decision.reason)
    initial: dict[str, Any] = {}
    at = request.GET.get("co_so", "")
    if at.isdigit() and len(at) <= 18:
        establishment = selectors.establishment_for_view(request.user, int(at))
        decision = policy.can(request.user, policy.Action.CHANGE_ESTABLISHMENT, establishment)
        if not decision:
            raise PermissionDenied(decision.reason)
        initial = {"establishment": establishment.pk, "commune": establishment.commune_id}
    else:
        scope = policy.scope_unit(request.user)
        if scope is not None and scope.level == UnitLevel.COMMUNE:
            initial["commune"] = scope.pk
    form = ArtisanForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            artisan = services.create_artisan(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm nghệ nhân “%(name)s”.") % {"name": artisan})
            return _after_artisan_saved(artisan)
    return _artisan_form_page(request, form, None)


@login_required
def artisan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    artisan = selectors.artisan_for_view(request.user, pk)
    form, saved = _edit_with_version(request, artisan, ArtisanEditForm, services.update_artisan)
    if saved is not None:
        messages.success(request, _("Đã lưu thông tin nghệ nhân."))
        return _after_artisan_saved(saved)
    return _artisan_form_page(request, form, artisan)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """Tải tệp mẫu nhập danh sách cơ sở (.xlsx)."""
    return download(exporting.template_xlsx(), "mau-nhap-co-so-cnnt.xlsx", XLSX)


@uploads.accepts_upload(uploads.REGISTRY_IMPORT)
@login_required
def import_establishments(request: HttpRequest) -> HttpResponse:
    """Nhập danh sách cơ sở: all or nothing; every error listed; large files in the background."""
    decision = policy.can(request.user, policy.Action.CHANGE_ESTABLISHMENT)
    if not decision:
        raise PermissionDenied(decision.reason)
    errors: list[importing.RowError] = []
    error_count = 0
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importing.MAX_UPLOAD_BYTES:
            errors = [
                importing.RowError(
                    None, None, importing.too_large_message(upload.size, upload.name)
                )
            ]
            error_count = 1
        else:
            result = services.submit_import(
                actor=request.user, content=upload.read(), filename=upload.name
            )
            if isinstance(result, ImportJob):
                return redirect("registry:import_job", pk=result.pk)
            if result.ok:
                messages.success(
                    request,
                    _("Đã nhập %(n)s cơ sở từ tệp “%(file)s”.")
                    % {"n": result.imported, "file": upload.name},
                )
                return redirect("registry:establishment_list")
            errors = importing.limited(result.errors)
            error_count = result.error_count
    return render(
        request,
        "registry/import_form.html",
        {
            "form": form,
            "errors": errors,
            "error_count": error_count,
            "hidden_errors": error_count - len(errors),
            "headers": importing.HEADERS,
            "threshold": importing.BACKGROUND_THRESHOLD,
        },
    )


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Tiến độ một lần nhập chạy nền; the status part is polled by htmx every 2 s."""
    job = selectors.import_job_for_view(request.user, pk)
    errors = [importing.RowError.from_dict(e) for e in job.errors]
    context = {
        "job": job,
        "errors": errors,
        "error_count": job.error_count,
        "hidden_errors": job.error_count - len(errors),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "registry/_import_job_status.html", context)
    return render(request, "registry/import_job.html", context)
