from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from khuyencong.accounts import policy
from khuyencong.core import charts, uploads
from khuyencong.core.concurrency import StaleEditError
from khuyencong.core.http import DOCX, PDF, XLSX, download
from khuyencong.geo import picker
from khuyencong.norms import selectors as norms_selectors
from khuyencong.reporting.target_keys import comparable_keys

from . import consistency, documents, excel, selectors, services
from . import programme_data as pd
from .conversion import line_to_data, programme_to_data
from .forms import (
    ActivityLineForm,
    AppendixUploadForm,
    ApprovalForm,
    DeleteLineForm,
    SupersedeForm,
)
from .models import Programme, ProgrammeLevel
from .presentation import appendix_table

SEVERITY_STYLE = {"error": "danger", "warning": "warning", "info": "info"}


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    """Danh sách chương trình khuyến công, lọc theo cấp, đơn vị, năm."""
    level = request.GET.get("cap", "")
    unit = picker.filter_unit(request.user, request.GET.get("don_vi", ""))
    year_text = request.GET.get("nam", "").strip()
    year = int(year_text) if year_text.isdigit() else None
    programmes = selectors.visible_programmes(
        request.user,
        level=level if level in ProgrammeLevel.values else "",
        unit_code=unit.code,
        year=year,
    )
    return render(
        request,
        "programs/programme_list.html",
        {
            "programmes": programmes,
            "levels": ProgrammeLevel.choices,
            "level": level,
            "unit": unit,
            "year": year_text,
        },
    )


def _charts(data: pd.ProgrammeData, table: Any) -> dict[str, str]:
    if not data.lines:
        return {}
    by_year = charts.stacked_columns(
        [str(y) for y in table.years],
        [
            charts.Series(
                pd.FUNDS[fund],
                [
                    sum(
                        total
                        for column, total in zip(table.columns, table.column_totals, strict=True)
                        if column.year == year and column.fund == fund
                    )
                    for year in table.years
                ],
            )
            for fund in table.funds
        ],
        title=_("Kinh phí theo năm và nguồn (triệu đồng)"),
    )
    by_group = charts.horizontal_bars(
        [
            f"{block.group.number}. {_(block.group.short_name)}" if block.group else block.code
            for block in table.groups
        ],
        [block.total_amount for block in table.groups],
        title=_("Kinh phí theo nhóm nội dung (triệu đồng)"),
    )
    return {"by_year": by_year, "by_group": by_group}


@login_required
def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    programme = selectors.programme_for_view(request.user, code)
    data = programme_to_data(programme)
    table = appendix_table(data)
    findings = consistency.check_programme(
        data,
        unit_cost_cap=norms_selectors.unit_cost_cap_hook(programme),
        comparable_keys=comparable_keys(),
    )
    return render(
        request,
        "programs/programme_detail.html",
        {
            "programme": programme,
            "data": data,
            "table": table,
            "findings": findings,
            "severity_style": SEVERITY_STYLE,
            "error_count": sum(f.severity == "error" for f in findings),
            "charts": _charts(data, table),
            "progress": selectors.programme_progress_table(
                programme, request.GET.get("nam"), user=request.user
            ),
            "fund_cards": [(pd.FUNDS.get(f, f), a) for f, a in table.fund_totals.items()],
            "targets": programme.targets.all(),
            "stated_totals": programme.stated_fund_totals.all(),
            "can_change": policy.can(request.user, policy.Action.CHANGE_PROGRAMME, programme),
            "approval_form": ApprovalForm(initial={"version": programme.version}),
            "supersede_form": SupersedeForm(initial={"version": programme.version}),
        },
    )


@login_required
@require_POST
def programme_status(request: HttpRequest, code: str) -> HttpResponse:
    """Ghi nhận phê duyệt, hoặc đánh dấu chương trình đã được thay thế."""
    programme = selectors.programme_for_view(request.user, code)
    _require_change(request, programme)
    approving = request.POST.get("action") == "approve"
    form = (ApprovalForm if approving else SupersedeForm)(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("programs:programme_detail", code=code)
    try:
        if approving:
            services.record_approval(
                actor=request.user,
                programme=programme,
                expected_version=form.cleaned_data["version"],
                decision_number=form.cleaned_data["decision_number"],
                decision_date=form.cleaned_data["decision_date"],
                issuing_body=form.cleaned_data["issuing_body"],
                signer=form.cleaned_data["signer"],
            )
        else:
            services.supersede_programme(
                actor=request.user,
                programme=programme,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
    except (StaleEditError, services.ProgrammeError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã cập nhật trạng thái chương trình."))
    return redirect("programs:programme_detail", code=code)


def _require_change(request: HttpRequest, obj: Any) -> None:
    decision = policy.can(request.user, policy.Action.CHANGE_PROGRAMME, obj)
    if not decision:
        raise PermissionDenied(decision.reason)


def _programme_and_line(request: HttpRequest, code: str, order: int) -> tuple[Programme, Any]:
    programme = selectors.programme_for_view(request.user, code)
    line = next((item for item in programme.lines.all() if item.order == order), None)
    if line is None:
        raise Http404
    return programme, line


@login_required
def line_edit(request: HttpRequest, code: str, order: int) -> HttpResponse:
    programme, line = _programme_and_line(request, code, order)
    _require_change(request, line)
    columns = appendix_table(programme_to_data(programme)).columns
    if request.method == "POST":
        form = ActivityLineForm(request.POST, columns=columns)
        if form.is_valid():
            try:
                services.update_line(
                    actor=request.user,
                    line=line,
                    expected_version=form.cleaned_data["version"] or 0,
                    group=form.cleaned_data["group"],
                    name=form.cleaned_data["name"],
                    unit_of_measure=form.cleaned_data["unit_of_measure"],
                    notes=form.cleaned_data["notes"],
                    cells=form.cell_values(),
                    norm_content=form.cleaned_data["norm_content"],
                )
            except (StaleEditError, services.ProgrammeError) as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Đã lưu dòng “%(line)s”.") % {"line": line.name})
                return redirect("programs:programme_detail", code=code)
    else:
        initial = {
            "group": line.group,
            "name": line.name,
            "unit_of_measure": line.unit_of_measure,
            "notes": line.notes,
            "norm_content": line.norm_content_id,
            "version": line.version,
        }
        initial.update(ActivityLineForm.initial_for(line_to_data(line), columns))
        form = ActivityLineForm(initial=initial, columns=columns)
    return render(
        request,
        "programs/line_form.html",
        {
            "programme": programme,
            "line": line,
            "form": form,
            "delete_form": DeleteLineForm(initial={"version": line.version}),
        },
    )


@login_required
def line_add(request: HttpRequest, code: str) -> HttpResponse:
    programme = selectors.programme_for_view(request.user, code)
    _require_change(request, programme)
    columns = appendix_table(programme_to_data(programme)).columns
    form = ActivityLineForm(request.POST or None, columns=columns)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_line(
                actor=request.user,
                programme=programme,
                group=form.cleaned_data["group"],
                name=form.cleaned_data["name"],
                unit_of_measure=form.cleaned_data["unit_of_measure"],
                notes=form.cleaned_data["notes"],
                cells=form.cell_values(),
                norm_content=form.cleaned_data["norm_content"],
            )
        except services.ProgrammeError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã thêm dòng nội dung."))
            return redirect("programs:programme_detail", code=code)
    return render(
        request, "programs/line_form.html", {"programme": programme, "line": None, "form": form}
    )


@login_required
@require_POST
def line_delete(request: HttpRequest, code: str, order: int) -> HttpResponse:
    _programme, line = _programme_and_line(request, code, order)
    _require_change(request, line)
    form = DeleteLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần ghi lý do xóa dòng nội dung."))
        return redirect("programs:line_edit", code=code, order=order)
    try:
        services.delete_line(
            actor=request.user,
            line=line,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except (StaleEditError, services.ProgrammeError) as exc:
        messages.error(request, str(exc))
        return redirect("programs:line_edit", code=code, order=order)
    messages.success(request, _("Đã xóa dòng “%(line)s”.") % {"line": line.name})
    return redirect("programs:programme_detail", code=code)


@login_required
def export_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    data = programme_to_data(selectors.programme_for_view(request.user, code))
    return download(excel.export_appendix(data), f"phu-luc-{code}.xlsx", XLSX)


@login_required
def export_docx(request: HttpRequest, code: str) -> HttpResponse:
    data = programme_to_data(selectors.programme_for_view(request.user, code))
    return download(documents.appendix_docx(data), f"phu-luc-{code}.docx", DOCX)


@login_required
def export_pdf(request: HttpRequest, code: str) -> HttpResponse:
    data = programme_to_data(selectors.programme_for_view(request.user, code))
    return download(documents.appendix_pdf(data), f"phu-luc-{code}.pdf", PDF)


@uploads.accepts_upload(uploads.PROGRAMME_IMPORT)
@login_required
def import_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    """Nhập phụ lục từ Excel: all-or-nothing, every error listed with its row and column."""
    programme = selectors.programme_for_view(request.user, code)
    _require_change(request, programme)
    errors: list[excel.RowError] = []
    form = AppendixUploadForm(
        request.POST or None, request.FILES or None, initial={"version": programme.version}
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > excel.MAX_UPLOAD_BYTES:
            errors = [excel.RowError(None, None, excel.too_large_message())]
        else:
            try:
                data = excel.import_appendix(
                    upload.read(), base=programme_to_data(programme), filename=upload.name
                )
                services.replace_lines(
                    actor=request.user,
                    programme=programme,
                    data=data,
                    expected_version=form.cleaned_data["version"],
                )
            except excel.AppendixImportError as exc:
                errors = list(exc.errors)
            except services.LinesInUse as exc:
                errors = [excel.RowError(None, excel.H_STT, m) for m in exc.messages]
            except (StaleEditError, services.ProgrammeError) as exc:
                errors = [excel.RowError(None, None, str(exc))]
            else:
                messages.success(
                    request,
                    _("Đã nhập %(n)s dòng nội dung từ tệp “%(file)s”.")
                    % {"n": len(data.lines), "file": upload.name},
                )
                return redirect("programs:programme_detail", code=code)
    return render(
        request,
        "programs/import_form.html",
        {"programme": programme, "form": form, "errors": errors},
    )
