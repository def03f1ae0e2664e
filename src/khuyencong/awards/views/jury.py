"""Hội đồng, ban giám khảo, chấm điểm: the council page (organiser and chair), a judge's own
sheets, the scoring sheet. Scores appear only through ``selectors.jury`` (sealed until close)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import policy
from khuyencong.accounts.models import User
from khuyencong.core.counting import ListPaginator
from khuyencong.registry.models import Establishment

from ..forms import DeclareForm, MemberForm, ReasonForm, ScoreForm
from ..models import CouncilMember, Entry, RoundStatus, SelectionRound, SheetStatus
from ..selectors import jury as selectors
from ..selectors import rounds as round_selectors
from ..services import SelectionInvalid, scoring
from ..services import jury as services
from .common import DOMAIN_ERRORS, add_problems, require, show_errors

PAGE_SIZE = 50


def _messages(request: HttpRequest, exc: SelectionInvalid) -> None:
    for problems in exc.problems.values():
        for problem in problems:
            messages.error(request, problem)


@login_required
def council(request: HttpRequest, code: str) -> HttpResponse:
    round_ = round_selectors.round_for_view(request.user, code)
    return _council_page(request, round_, MemberForm())


def _council_page(request: HttpRequest, round_: SelectionRound, form: MemberForm) -> HttpResponse:
    user = request.user
    can_run = policy.can(user, policy.Action.RUN_SELECTION, round_)
    is_chair = policy.can(user, policy.Action.CHAIR_JURY, round_)
    scoring_now = round_.status == RoundStatus.SCORING
    accepted = list(round_.entries.filter(status="hop-le").select_related("product"))
    seats = selectors.members(round_)
    # Each entry's sheets counted once (grouped in SQL) for the short list and the closing checks.
    counted = scoring.panels(round_) if scoring_now and (can_run or is_chair) else {}
    return render(
        request,
        "awards/council.html",
        {
            "round": round_,
            "members": [m for m in seats if not m.is_reserve],
            "reserves": [m for m in seats if m.is_reserve],
            "assignable": selectors.reserves_first(seats),
            "problems": services.council_problems(round_),
            "progress": selectors.progress(user, round_),
            "flags": selectors.outlier_flags(user, round_),
            "conflicts": selectors.conflict_table(user, round_),
            "short": selectors.sheets_without_judge(user, round_, accepted, counted),
            "jury_size": services.jury_size(round_),
            "form": form,
            "can_run": can_run,
            "is_chair": is_chair,
            "seating": round_.status in services.SEATING_STATES and can_run,
            "scoring": scoring_now,
            "closing_problems": scoring.closing_problems(round_, accepted, counted)
            if is_chair and scoring_now
            else [],
            "reason_form": ReasonForm(initial={"version": round_.version}),
        },
    )


@require_POST
@login_required
def member_add(request: HttpRequest, code: str) -> HttpResponse:
    round_ = round_selectors.round_for_view(request.user, code)
    require(request, policy.Action.RUN_SELECTION, round_)
    form = MemberForm(request.POST)
    if form.is_valid():
        seated = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        try:
            if seated is None:
                raise SelectionInvalid(
                    {"email": [_("Không có người dùng nào có thư điện tử này.")]}
                )
            services.add_member(
                actor=request.user,
                round_=round_,
                user=seated,
                council_role=form.cleaned_data["council_role"],
                is_judge=form.cleaned_data["is_judge"],
                is_reserve=form.cleaned_data["is_reserve"],
                position=form.cleaned_data["position"],
                workplace=form.cleaned_data["workplace"],
            )
        except SelectionInvalid as exc:
            add_problems(form, exc)
        except DOMAIN_ERRORS as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã thêm vào hội đồng."))
            return redirect("awards:council", code)
    return _council_page(request, round_, form)


def _member(request: HttpRequest, code: str, member_pk: int) -> CouncilMember:
    round_ = round_selectors.round_for_view(request.user, code)
    member = CouncilMember.objects.filter(round=round_, pk=member_pk).first()
    if member is None:
        raise Http404
    return member


@require_POST
@login_required
def member_remove(request: HttpRequest, code: str, member_pk: int) -> HttpResponse:
    member = _member(request, code, member_pk)
    try:
        services.remove_member(actor=request.user, member=member)
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
    return redirect("awards:council", code)


@require_POST
@login_required
def member_absence(request: HttpRequest, code: str, member_pk: int) -> HttpResponse:
    member = _member(request, code, member_pk)
    require(request, policy.Action.CHAIR_JURY, member.round)  # before the form: 403 for others
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        services.record_absence(
            actor=request.user,
            member=member,
            expected_version=form.expected_version,
            reason=form.cleaned_data["reason"] or "",
        )
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
    return redirect("awards:council", code)


@require_POST
@login_required
def assign(request: HttpRequest, code: str) -> HttpResponse:
    """The chair assigns a judge to an entry (in place of one with a conflict)."""
    round_ = round_selectors.round_for_view(request.user, code)
    require(request, policy.Action.CHAIR_JURY, round_)  # before the form: 403 for others
    entry = Entry.objects.filter(round=round_, pk=request.POST.get("entry") or 0).first()
    member = CouncilMember.objects.filter(round=round_, pk=request.POST.get("member") or 0).first()
    if entry is None or member is None:
        raise Http404
    try:
        services.assign_judge(actor=request.user, entry=entry, member=member)
    except DOMAIN_ERRORS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã phân công."))
    return redirect("awards:council", code)


@login_required
def judge_home(request: HttpRequest, code: str) -> HttpResponse:
    """Phiếu chấm của tôi: the judge's own sheets in the round, and their declarations."""
    round_ = round_selectors.round_for_view(request.user, code)
    seat = selectors.seat_of(request.user, round_)
    if seat is None:  # the round is in scope: say why there is nothing to score
        raise PermissionDenied(_("Bạn không có tên trong hội đồng của kỳ bình chọn này."))
    page = ListPaginator.for_request(selectors.my_sheets(request.user, round_), PAGE_SIZE, request)
    establishments = (
        Establishment.objects.filter(
            selection_entries__round=round_, selection_entries__status="hop-le"
        )
        .order_by("name", "pk")
        .distinct()
    )
    form = DeclareForm(request.POST or None, establishments=establishments)
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_conflict(
                actor=request.user,
                member=seat,
                establishment=form.cleaned_data["establishment"],
                relation=form.cleaned_data["relation"],
            )
        except SelectionInvalid as exc:
            add_problems(form, exc)
        except DOMAIN_ERRORS as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã ghi khai báo; Chủ tịch sẽ phân công giám khảo khác."))
            return redirect("awards:judge_home", code)
    return render(
        request,
        "awards/judge_home.html",
        {
            "round": round_,
            "seat": seat,
            "page": page,
            "progress": selectors.my_progress(request.user, round_),
            "form": form,
            "declaration_refusal": services.declaration_refusal(round_),
            "declarations": list(seat.conflicts.select_related("establishment")),
        },
    )


@login_required
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Phiếu chấm điểm (PL4) of one entry, for its judge."""
    found = selectors.sheet_for_view(request.user, pk)
    round_ = found.round
    mine = found.member.user_id == request.user.pk
    initial = {"comment": found.comment, "version": found.version, **found.scores}
    form = ScoreForm(request.POST or None, criteria=round_.criteria_list, initial=initial)
    if request.method == "POST":
        if not mine:
            raise PermissionDenied(_("Chỉ giám khảo được phân công mới chấm phiếu này."))
        if form.is_valid():
            try:
                if "mo_lai" in request.POST:
                    scoring.reopen_sheet(
                        actor=request.user,
                        sheet=found,
                        expected_version=form.expected_version,
                        reason=request.POST.get("reason", ""),
                    )
                else:
                    scoring.save_sheet(
                        actor=request.user,
                        sheet=found,
                        expected_version=form.expected_version,
                        scores=form.scores,
                        comment=form.cleaned_data["comment"],
                        submit="nop" in request.POST,
                    )
            except SelectionInvalid as exc:
                add_problems(form, exc)
            except DOMAIN_ERRORS as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã lưu phiếu chấm."))
                return redirect("awards:sheet", pk)
        else:
            show_errors(request, form)
    editable = mine and found.status != SheetStatus.SUBMITTED and found.entry.scoring_open
    entry = round_selectors.entry_for_view(request.user, found.entry_id)
    return render(
        request,
        "awards/sheet.html",
        {
            "sheet": found,
            "round": round_,
            "entry": entry,
            "photos": list(entry.product.photos.all()),
            "papers": list(entry.product.papers.all()),
            "form": form,
            "editable": editable,
            "can_reopen": mine
            and found.status == SheetStatus.SUBMITTED
            and found.entry.scoring_open,
        },
    )
