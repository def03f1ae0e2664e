"""Màn hình đồng ý công khai: where a product's holder (or its commune or the provincial
centre on its behalf) chooses what the public portal shows of it."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from khuyencong.accounts import policy
from khuyencong.awards.selectors.products import visible_products
from khuyencong.awards.views.common import DOMAIN_ERRORS, require

from .. import selectors, services
from ..forms import ConsentForm
from .common import today


@login_required
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    product = visible_products(request.user).filter(pk=pk).first()
    if product is None:
        raise Http404
    require(request, policy.Action.MANAGE_PRODUCT, product)  # readers in scope: 403, reason
    choices, version = services.consent_of(product)
    holder = product.establishment
    held = {
        "publish_address": holder.address,
        "publish_phone": holder.phone,
        "publish_email": holder.email,
    }
    form = ConsentForm(
        request.POST or None, held=held, initial={**asdict(choices), "version": version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_publication_consent(
                actor=request.user,
                product=product,
                expected_version=form.expected_version,
                choices=form.choices(),
            )
        except DOMAIN_ERRORS as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã lưu lựa chọn công khai; trang công khai đã cập nhật."))
            return redirect("portal:consent", product.pk)
    public = selectors.public_product(product.pk, today()) if choices.publish else None
    return render(
        request,
        "portal/consent.html",
        {"product": product, "form": form, "public_url": public.url if public else ""},
    )
