"""Sản phẩm: list, create, edit, detail with photos and papers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import policy
from khuyencong.core import uploads
from khuyencong.core.counting import ListPaginator
from khuyencong.geo import picker
from khuyencong.geo.models import UnitLevel
from khuyencong.registry.models import ProductGroup
from khuyencong.registry.selectors import establishment_for_view

from .. import gtin
from ..forms import PaperForm, PhotoForm, ProductForm
from ..models import REQUIRED_VIEWS
from ..selectors import products as selectors
from ..services import SelectionInvalid
from ..services import products as services
from .common import DOMAIN_ERRORS, add_problems, require, show_errors, stored_file

PAGE_SIZE = 50


@login_required
def product_list(request: HttpRequest) -> HttpResponse:
    commune = picker.filter_unit(request.user, request.GET.get("xa", ""), level=UnitLevel.COMMUNE)
    query = {
        "search": request.GET.get("q", ""),
        "group": request.GET.get("nhom", "")
        if request.GET.get("nhom") in ProductGroup.values
        else "",
        "commune_code": commune.code,
    }
    # Counted up to LIST_EXACT_COUNT_LIMIT, then estimated (issue 11: the national list counted
    # all 30,000 products on every page, 3.5 ms at scale 1.0 against 0.04 at 0.01); a search's
    # estimate is the planner's guess at a LIKE, so it is "more than" instead.
    page = ListPaginator.for_request(
        selectors.product_rows(request.user, **query),
        PAGE_SIZE,
        request,
        estimate=not query["search"],
        counted=selectors.products(request.user, **query),
    )
    params = request.GET.copy()
    params.pop("trang", None)
    return render(
        request,
        "awards/product_list.html",
        {
            "page": page,
            "groups": ProductGroup.choices,
            "query": params.urlencode(),
            **query,
            "commune": commune,
        },
    )


@login_required
def product_create(request: HttpRequest) -> HttpResponse:
    require(request, policy.Action.MANAGE_PRODUCT)  # a role that never adds products: 403
    raw = request.GET.get("co_so") or request.POST.get("co_so") or ""
    if not raw.isdigit():
        assignment = policy.active_assignment(request.user)
        raw = str(assignment.establishment_id or "") if assignment else ""
    if not raw.isdigit():
        messages.info(request, _("Chọn cơ sở trong danh sách cơ sở CNNT rồi bấm “Thêm sản phẩm”."))
        return redirect("registry:establishment_list")
    establishment = establishment_for_view(request.user, int(raw))
    require(request, policy.Action.MANAGE_PRODUCT, establishment)
    form = ProductForm(request.POST or None, initial={"group": establishment.product_group})
    if request.method == "POST" and form.is_valid():
        try:
            product = services.create_product(
                actor=request.user, establishment=establishment, data=form.product_data()
            )
        except SelectionInvalid as exc:
            add_problems(form, exc)
        else:
            messages.success(
                request, _("Đã thêm sản phẩm. Hãy tải lên 3 ảnh màu: mặt trước, mặt bên, mặt trên.")
            )
            return redirect("awards:product_detail", product.pk)
    return render(
        request, "awards/product_form.html", {"form": form, "establishment": establishment}
    )


@login_required
def product_edit(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_for_view(request.user, pk)
    require(request, policy.Action.MANAGE_PRODUCT, product)
    initial = {
        "name": product.name,
        "group": product.group,
        "description": product.description,
        "gtin": gtin.display_gtin(product.gtin),
        "standards": product.standards,
        "version": product.version,
    }
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_product(
                actor=request.user,
                product=product,
                expected_version=form.expected_version,
                data=form.product_data(),
            )
        except SelectionInvalid as exc:
            add_problems(form, exc)
        except DOMAIN_ERRORS as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu sản phẩm."))
            return redirect("awards:product_detail", product.pk)
    return render(
        request,
        "awards/product_form.html",
        {"form": form, "establishment": product.establishment, "product": product},
    )


@login_required
def product_detail(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_for_view(request.user, pk)
    photos = list(product.photos.all())
    have = {p.view for p in photos}
    return render(
        request,
        "awards/product_detail.html",
        {
            "product": product,
            "photos": photos,
            "missing_views": [str(v.label).lower() for v in REQUIRED_VIEWS if v not in have],
            "papers": list(product.papers.all()),
            "entries": list(product.entries.all()),
            "certificates": list(product.certificates.all()),
            "gtin": gtin.display_gtin(product.gtin),
            "can_manage": policy.can(request.user, policy.Action.MANAGE_PRODUCT, product),
            "can_view_history": policy.can(request.user, policy.Action.VIEW_HISTORY, product),
            "photo_form": PhotoForm(),
            "paper_form": PaperForm(),
        },
    )


@require_POST
@login_required
@uploads.accepts_upload(uploads.PRODUCT_PHOTO)
def photo_upload(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_for_view(request.user, pk)
    require(request, policy.Action.MANAGE_PRODUCT, product)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        show_errors(request, form)
        return redirect("awards:product_detail", pk)
    try:
        photo = services.add_photo(
            actor=request.user,
            product=product,
            view=form.cleaned_data["view"],
            upload=form.cleaned_data["image"],
        )
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Đã tải lên ảnh %(view)s.") % {"view": photo.get_view_display().lower()}
        )
    return redirect("awards:product_detail", pk)


@login_required
def photo_file(request: HttpRequest, pk: int, photo_pk: int, size: str) -> FileResponse:
    if size not in ("anh", "nho"):
        raise Http404
    photo = selectors.photo_for_view(request.user, pk, photo_pk)
    if size == "nho":
        return stored_file(
            photo.thumbnail, filename="nho.jpg", content_type="image/jpeg", inline=True
        )
    content_type = "image/png" if photo.image.name.endswith(".png") else "image/jpeg"
    return stored_file(
        photo.image, filename=photo.original_name, content_type=content_type, inline=True
    )


@require_POST
@login_required
def photo_delete(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    photo = selectors.photo_for_view(request.user, pk, photo_pk)
    require(request, policy.Action.MANAGE_PRODUCT, photo.product)
    services.remove_photo(actor=request.user, photo=photo)
    messages.success(request, _("Đã xóa ảnh."))
    return redirect("awards:product_detail", pk)


@require_POST
@login_required
@uploads.accepts_upload(uploads.ATTACHMENT)
def paper_upload(request: HttpRequest, pk: int) -> HttpResponse:
    product = selectors.product_for_view(request.user, pk)
    require(request, policy.Action.MANAGE_PRODUCT, product)
    form = PaperForm(request.POST, request.FILES)
    if not form.is_valid():
        show_errors(request, form)
        return redirect("awards:product_detail", pk)
    try:
        services.add_paper(
            actor=request.user,
            product=product,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
            valid_until=form.cleaned_data["valid_until"],
        )
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã tải lên giấy tờ."))
    return redirect("awards:product_detail", pk)


@login_required
def paper_download(request: HttpRequest, pk: int, paper_pk: int) -> FileResponse:
    paper = selectors.paper_for_view(request.user, pk, paper_pk)
    return stored_file(
        paper.file, filename=paper.original_name, content_type=paper.content_type, inline=False
    )


@require_POST
@login_required
def paper_delete(request: HttpRequest, pk: int, paper_pk: int) -> HttpResponse:
    paper = selectors.paper_for_view(request.user, pk, paper_pk)
    require(request, policy.Action.MANAGE_PRODUCT, paper.product)
    services.remove_paper(actor=request.user, paper=paper)
    messages.success(request, _("Đã xóa giấy tờ."))
    return redirect("awards:product_detail", pk)
