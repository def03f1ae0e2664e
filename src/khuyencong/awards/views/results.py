"""Kết quả, công bố, văn bản, giấy chứng nhận: the results page (mean with its arithmetic,
rank, ties, the council's cap), publishing with the recognising decision, the minutes and the
decision as Word/PDF, the result list as .xlsx, certificates (list, page, PL6 as Word/PDF with
the QR code, revocation) and the public page the QR code opens."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import policy
from khuyencong.core import http
from khuyencong.core.counting import ListPaginator
from khuyencong.core.formatting import format_number

from .. import certificate_paper, documents, exporting
from ..forms import CapForm, PublishForm, RevokeForm
from ..models import Certificate, CouncilMember, RoundStatus, SelectionRound
from ..selectors import certificates as certificate_selectors
from ..selectors import jury as jury_selectors
from ..selectors import results as selectors
from ..selectors import rounds as round_selectors
from ..services import results as services
from .common import require, saved, show_errors

PAGE_SIZE = 50


def _results_round(request: HttpRequest, code: str) -> SelectionRound:
    round_ = round_selectors.round_for_view(request.user, code)
    if round_.has_results and not selectors.may_see_results(request.user, round_):
        raise PermissionDenied(
            _("Kết quả của kỳ này chỉ công khai khi đã công bố (quyết định công nhận).")
        )
    return round_


@login_required
def results(request: HttpRequest, code: str) -> HttpResponse:
    round_ = _results_round(request, code)
    return _results_page(request, round_)


def _results_page(
    request: HttpRequest,
    round_: SelectionRound,
    cap_form: CapForm | None = None,
    publish_form: PublishForm | None = None,
) -> HttpResponse:
    user = request.user
    closed = round_.status == RoundStatus.CLOSED
    may_cap = closed and bool(services.may_record_cap(user, round_))
    may_publish = closed and bool(policy.can(user, policy.Action.RUN_SELECTION, round_))
    version = {"version": round_.version}
    page = ListPaginator.for_request(selectors.result_entries(user, round_), PAGE_SIZE, request)
    shown = list(page)
    return render(
        request,
        "awards/results.html",
        {
            "round": round_,
            "page": page,
            "table": selectors.result_page(user, round_, shown),
            "flags": jury_selectors.outlier_flags(user, round_, shown),
            "cap_form": cap_form
            or CapForm(
                initial={
                    **version,
                    "max_passing": round_.max_passing,
                    "max_passing_basis": round_.max_passing_basis,
                }
            )
            if may_cap
            else None,
            "publish_form": publish_form or PublishForm(initial=version) if may_publish else None,
            "kinds": [
                k
                for k in documents.KINDS.values()
                if (round_.status == RoundStatus.PUBLISHED or not k.needs_publication)
                and (k.needs_publication or selectors.may_read_minutes(user, round_))
            ],
        },
    )


@require_POST
@login_required
def results_cap(request: HttpRequest, code: str) -> HttpResponse:
    round_ = _results_round(request, code)
    decision = services.may_record_cap(request.user, round_)
    if not decision:
        raise PermissionDenied(decision.reason)
    form = CapForm(request.POST)
    if (
        saved(
            request,
            form,
            lambda: services.set_pass_cap(
                actor=request.user,
                round_=round_,
                expected_version=form.expected_version,
                max_passing=form.cleaned_data["max_passing"],
                basis=form.cleaned_data["max_passing_basis"] or "",
            ),
            _("Đã ghi giới hạn và xếp hạng lại."),
        )
        is not None
    ):
        return redirect("awards:results", code)
    show_errors(request, form)
    return _results_page(request, round_, cap_form=form)


@require_POST
@login_required
def publish(request: HttpRequest, code: str) -> HttpResponse:
    round_ = _results_round(request, code)
    require(request, policy.Action.RUN_SELECTION, round_)
    form = PublishForm(request.POST)
    if (
        saved(
            request,
            form,
            lambda: services.publish_round(
                actor=request.user,
                round_=round_,
                expected_version=form.expected_version,
                decision_number=form.cleaned_data["decision_number"],
                decision_date=form.cleaned_data["decision_date"],
            ),
            lambda issued: (
                _("Đã công bố kết quả và cấp %(n)s giấy chứng nhận.") % {"n": len(issued)}
            ),
        )
        is not None
    ):
        return redirect("awards:results", code)
    show_errors(request, form)
    return _results_page(request, round_, publish_form=form)


@login_required
def results_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    round_ = _results_round(request, code)
    if not round_.has_results:
        raise Http404
    table = selectors.result_table(request.user, round_)
    return http.download(exporting.results_xlsx(table), f"ket-qua-{round_.code}.xlsx", http.XLSX)


@login_required
def round_document(request: HttpRequest, code: str, kind: str, fmt: str) -> HttpResponse:
    """Biên bản (those who may read the sheets) or quyết định (once published)."""
    round_ = _results_round(request, code)
    found = documents.KINDS.get(kind)
    if found is None or fmt not in documents.FORMATS or not round_.has_results:
        raise Http404
    table = selectors.round_result_table(round_)
    if found.needs_publication:
        if round_.status != RoundStatus.PUBLISHED:
            raise Http404
        paper = documents.recognition_decision(round_, table)
    else:
        if not selectors.may_read_minutes(request.user, round_):
            raise PermissionDenied(
                _("Biên bản ghi điểm của từng giám khảo: chỉ đơn vị tổ chức và hội đồng xem.")
            )
        members = list(CouncilMember.objects.filter(round=round_).order_by("council_role", "pk"))
        flags = [
            documents.FlagLine(
                f.judge, f.entry.product.name, f.criterion, format_number(f.difference, places=2)
            )
            for f in jury_selectors.round_flags(round_)
            if f.difference is not None
        ]
        paper = documents.jury_minutes(round_, table, members, flags)
    return http.download(
        documents.render(paper, fmt),
        documents.filename(kind, fmt, round_),
        documents.FORMATS[fmt][0],
    )


# --------------------------------------------------------------------------------------------
# Certificates
# --------------------------------------------------------------------------------------------
@login_required
def certificate_list(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("cap", "")
    found = certificate_selectors.certificate_rows(request.user, level=level)
    counted = certificate_selectors.listed_certificates(request.user, level=level)
    page = ListPaginator.for_request(found, PAGE_SIZE, request, counted=counted)
    today = timezone.localdate()
    page.object_list = certificate_selectors.labelled_certificate_rows(page.object_list, today)
    return render(
        request,
        "awards/certificate_list.html",
        {
            "page": page,
            "level": level,
            "today": today,
            "query": urlencode({"cap": level}) if level else "",
        },
    )


@login_required
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.certificate_for_view(request.user, pk)
    return _certificate_page(request, certificate, None)


def _certificate_page(
    request: HttpRequest, certificate: Certificate, form: RevokeForm | None
) -> HttpResponse:
    may_revoke = certificate.revoked_on is None and bool(
        policy.can(request.user, policy.Action.RUN_SELECTION, certificate.round)
    )
    return render(
        request,
        "awards/certificate_detail.html",
        {
            "certificate": certificate,
            "public_url": certificate_paper.public_url(certificate),
            "form": form or RevokeForm(initial={"version": certificate.version})
            if may_revoke
            else None,
        },
    )


@require_POST
@login_required
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = selectors.certificate_for_view(request.user, pk)
    require(request, policy.Action.RUN_SELECTION, certificate.round)
    form = RevokeForm(request.POST)
    if (
        saved(
            request,
            form,
            lambda: services.revoke_certificate(
                actor=request.user,
                certificate=certificate,
                expected_version=form.expected_version,
                revoked_on=form.cleaned_data["revoked_on"],
                reason=form.cleaned_data["reason"],
                decision=form.cleaned_data["decision"],
            ),
            _("Đã thu hồi giấy chứng nhận."),
        )
        is not None
    ):
        return redirect("awards:certificate_detail", pk)
    show_errors(request, form)
    return _certificate_page(request, certificate, form)


@login_required
def certificate_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    certificate = selectors.certificate_for_view(request.user, pk)
    renderers = {
        "docx": (certificate_paper.certificate_docx, http.DOCX),
        "pdf": (certificate_paper.certificate_pdf, http.PDF),
    }
    if fmt not in renderers:
        raise Http404
    draw, content_type = renderers[fmt]
    return http.download(
        draw(certificate), certificate_paper.certificate_filename(certificate, fmt), content_type
    )
