"""Forms of the project pages. Amounts are typed in đồng the Vietnamese way ("210.000.000")
and stored as integers; dates as day/month/year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core import bounds
from khuyencong.core.forms import BootstrapFormMixin, DongField, MonthField, date_field
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.geo.picker import UnitField
from khuyencong.programs.models import ActivityLine

from . import norms_api, rules, services, workflow
from .models import Project, ProjectFund, ProjectKind
from .workflow import KCDP, KCQG, Payload, SignOff


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


# --------------------------------------------------------------------------------------------
# The project's content
# --------------------------------------------------------------------------------------------
class ProjectForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Tên đề án"), max_length=400)
    fund = forms.ChoiceField(
        label=_("Nguồn kinh phí"),
        choices=ProjectFund.choices,
        help_text=_("Đề án KCQG được Cục thẩm định và phê duyệt sau khi tỉnh thẩm định."),
    )
    plan_year = forms.IntegerField(label=_("Năm kế hoạch"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Loại đề án"), choices=ProjectKind.choices)
    content = forms.ChoiceField(
        label=_("Nội dung hỗ trợ (theo bảng định mức)"),
        help_text=_("Mức hỗ trợ tối đa được kiểm tra theo định mức của nội dung này."),
    )
    priority = forms.BooleanField(
        label=_("Thuộc đối tượng, địa bàn ưu tiên"),
        required=False,
        help_text=_("Ví dụ: cơ sở do phụ nữ, người dân tộc thiểu số làm chủ; địa bàn khó khăn."),
    )
    implementing_unit = forms.CharField(label=_("Đơn vị thực hiện"), max_length=255)
    partners = forms.CharField(
        label=_("Đơn vị phối hợp"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    location = UnitField(
        level=UnitLevel.COMMUNE,
        label=_("Địa điểm (xã, phường)"),
        required=False,
        help_text=_("Gõ vài chữ của tên xã rồi chọn; để trống nếu đề án không gắn với một xã."),
    )
    beneficiaries = forms.ModelMultipleChoiceField(
        label=_("Cơ sở thụ hưởng"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Giữ Ctrl (hoặc Cmd) để chọn nhiều cơ sở."),
    )
    need = forms.CharField(
        label=_("Sự cần thiết và căn cứ pháp lý"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    objectives = forms.CharField(
        label=_("Mục tiêu"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    scale_technology = forms.CharField(
        label=_("Quy mô, công nghệ"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    organisation = forms.CharField(
        label=_("Tổ chức thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_effects = forms.CharField(
        label=_("Hiệu quả dự kiến"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, unit: AdministrativeUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from . import selectors

        self.fields["content"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *norms_api.content_choices(),
        ]
        self.fields["location"].queryset = selectors.communes_of(unit)  # type: ignore[attr-defined]
        self.fields["beneficiaries"].queryset = selectors.establishments_of(unit)  # type: ignore[attr-defined]
        self.fields["beneficiaries"].label_from_instance = (  # type: ignore[attr-defined]
            lambda e: f"{e.name} — {e.commune.name}"
        )


class RowForm(BootstrapFormMixin, forms.Form):
    """A row of a table on the project form: a row left (or made) blank is dropped."""

    needed: tuple[str, ...] = ()

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) for name in self.fields if name != "DELETE")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.is_blank() and not data.get("DELETE"):
            for name in self.needed:
                if not data.get(name) and not self.has_error(name):
                    self.add_error(name, _("Cần điền ô này (hoặc để trống cả dòng)."))
        return data


class BudgetRowForm(RowForm):
    needed = ("item",)
    item = forms.CharField(label=_("Nội dung chi"), max_length=300, required=False)
    kcqg = DongField(label=_("KCQG (đồng)"))
    kcdp = DongField(label=_("KCĐP (đồng)"))
    counterpart = DongField(label=_("Vốn đối ứng (đồng)"))
    other = DongField(label=_("Nguồn khác (đồng)"))

    def row(self) -> rules.BudgetRow:
        d = self.cleaned_data
        return rules.BudgetRow(d["item"], d["kcqg"], d["kcdp"], d["counterpart"], d["other"])


class TaskRowForm(RowForm):
    needed = ("name", "start", "end")
    name = forms.CharField(label=_("Công việc"), max_length=300, required=False)
    start = date_field(_("Bắt đầu"), required=False)
    end = date_field(_("Kết thúc"), required=False)

    def row(self) -> rules.TaskRow:
        d = self.cleaned_data
        return rules.TaskRow(d["name"], d["start"], d["end"])


class OutputRowForm(RowForm):
    needed = ("line", "planned")
    line = forms.ModelChoiceField(
        label=_("Dòng nội dung chương trình"), queryset=ActivityLine.objects.none(), required=False
    )
    planned = forms.DecimalField(
        label=_("Số lượng kế hoạch"),
        max_digits=16,
        decimal_places=3,
        min_value=Decimal("0.001"),
        max_value=bounds.QUANTITY.high,
        required=False,
    )

    def __init__(self, *args: Any, lines: Any = None, choices: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["line"]
        field.queryset = lines if lines is not None else ActivityLine.objects.none()  # type: ignore[attr-defined]
        if choices is not None:
            field.choices = choices  # type: ignore[attr-defined]

    def row(self) -> services.OutputRow:
        return services.OutputRow(self.cleaned_data["line"], self.cleaned_data["planned"])


def line_choices(lines: Any) -> list[Any]:
    """The output-line options, grouped under each programme's title (people know programmes
    by their title, not by their code): built once for every row of the table."""
    grouped: dict[Any, list[tuple[int, str]]] = {}
    for line in lines:
        unit = f" ({line.unit_of_measure})" if line.unit_of_measure else ""
        grouped.setdefault(line.programme.title, []).append(
            (line.pk, f"{line.order}. {line.name}{unit}")
        )
    return [("", "—"), *grouped.items()]


BudgetFormSet = forms.formset_factory(BudgetRowForm, extra=2, can_delete=True)
TaskFormSet = forms.formset_factory(TaskRowForm, extra=2, can_delete=True)
OutputFormSet = forms.formset_factory(OutputRowForm, extra=2, can_delete=True)


def _rows(formset: Any) -> list[Any]:
    return [
        f.row()
        for f in formset.forms
        if f.is_valid() and not f.is_blank() and not f.cleaned_data.get("DELETE")
    ]


def project_data(form: ProjectForm, budget: Any, tasks: Any, outputs: Any) -> services.ProjectData:
    d = form.cleaned_data
    return services.ProjectData(
        title=d["title"],
        fund=d["fund"],
        plan_year=d["plan_year"],
        kind=d["kind"],
        content=d["content"],
        implementing_unit=d["implementing_unit"],
        partners=d.get("partners", ""),
        location=d.get("location"),
        need=d.get("need", ""),
        objectives=d.get("objectives", ""),
        scale_technology=d.get("scale_technology", ""),
        organisation=d.get("organisation", ""),
        expected_effects=d.get("expected_effects", ""),
        priority=bool(d.get("priority")),
        beneficiaries=list(d.get("beneficiaries") or []),
        budget=_rows(budget),
        tasks=_rows(tasks),
        outputs=_rows(outputs),
    )


FINDING_FIELDS = {"title", "implementing_unit", "fund", "kind", "plan_year", "content"}


def add_findings(form: forms.Form, findings: list[rules.Finding]) -> None:
    """Put error findings on their field (or on the form)."""
    for finding in rules.errors(findings):
        if finding.field in FINDING_FIELDS and finding.field in form.fields:
            form.add_error(finding.field, finding.message)
        else:
            form.add_error(None, finding.message)


def initial_from_project(project: Project) -> dict[str, Any]:
    return {
        "title": project.title,
        "fund": project.fund,
        "plan_year": project.plan_year,
        "kind": project.kind,
        "content": project.content,
        "priority": project.priority,
        "implementing_unit": project.implementing_unit,
        "partners": project.partners,
        "location": project.location_id,
        "beneficiaries": [e.pk for e in project.beneficiaries.all()],
        "need": project.need,
        "objectives": project.objectives,
        "scale_technology": project.scale_technology,
        "organisation": project.organisation,
        "expected_effects": project.expected_effects,
        "version": project.version,
    }


# --------------------------------------------------------------------------------------------
# Steps (the transition panel)
# --------------------------------------------------------------------------------------------
class StepForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Ý kiến, ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    shared = forms.BooleanField(
        label=_("Cơ sở thụ hưởng được đọc ý kiến này"),
        required=False,
        help_text=_("Bỏ chọn để ý kiến chỉ lưu nội bộ giữa các cơ quan nhà nước."),
    )

    def __init__(
        self, *args: Any, signoff: SignOff, project: Project, action: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.signoff = signoff
        self.project = project
        self.fields["shared"].initial = workflow.comment_visibility(action) == workflow.SHARED
        if signoff.payload == Payload.REASON:
            self.fields["comment"].required = True
            self.fields["comment"].label = _("Lý do")

    def payload(self) -> dict[str, Any]:
        return {}

    def visibility(self) -> str:
        return workflow.SHARED if self.cleaned_data.get("shared") else workflow.INTERNAL


class AppraisalForm(StepForm):
    sheet = forms.CharField(
        label=_("Nội dung phiếu thẩm định"), widget=forms.Textarea(attrs={"rows": 4})
    )
    score = forms.IntegerField(label=_("Điểm (0-100)"), required=False, min_value=0, max_value=100)
    conclusion = forms.ChoiceField(
        label=_("Kết luận"), choices=list(rules.APPRAISAL_CONCLUSIONS.items())
    )

    def payload(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"sheet": d["sheet"], "score": d.get("score"), "conclusion": d["conclusion"]}


class DecisionForm(StepForm):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=64)
    decision_date = date_field(_("Ngày quyết định"))
    approved_kcqg = DongField(label=_("KCQG được duyệt (đồng)"))
    approved_kcdp = DongField(label=_("KCĐP được duyệt (đồng)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("approved_kcqg", self.project.support_kcqg)
            self.initial.setdefault("approved_kcdp", self.project.support_kcdp)
        if self.project.fund == ProjectFund.KCDP:
            del self.fields["approved_kcqg"]

    def payload(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "decision_number": d["decision_number"],
            "decision_date": d["decision_date"],
            "approved_kcqg": d.get("approved_kcqg", 0),
            "approved_kcdp": d.get("approved_kcdp", 0),
        }


class ContractForm(StepForm):
    contract_number = forms.CharField(label=_("Số hợp đồng"), max_length=64)
    contract_date = date_field(_("Ngày ký"))

    def payload(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"contract_number": d["contract_number"], "contract_date": d["contract_date"]}


class AcceptanceForm(StepForm):
    minutes = forms.CharField(
        label=_("Nội dung biên bản nghiệm thu"), widget=forms.Textarea(attrs={"rows": 4})
    )
    accepted_on = date_field(_("Ngày nghiệm thu"), bound=bounds.PAST_DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.output_fields: list[tuple[str, Any]] = []
        for output in self.project.outputs.all():
            name = f"actual_{output.pk}"
            self.fields[name] = forms.DecimalField(
                label=_("Thực hiện: %(line)s (kế hoạch %(q)s %(u)s)")
                % {
                    "line": output.line.name,
                    "q": output.planned_quantity.normalize(),
                    "u": output.line.unit_of_measure,
                },
                max_digits=16,
                decimal_places=3,
                max_value=bounds.QUANTITY.high,
                min_value=0,
                initial=output.planned_quantity.normalize(),
            )
            self.fields[name].widget.attrs["class"] = "form-control"
            self.output_fields.append((name, output))

    def payload(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "minutes": d["minutes"],
            "accepted_on": d["accepted_on"],
            "actual": {output.pk: d[name] for name, output in self.output_fields},
        }


class SettlementForm(StepForm):
    settled_kcqg = DongField(label=_("KCQG quyết toán (đồng)"))
    settled_kcdp = DongField(label=_("KCĐP quyết toán (đồng)"))
    settled_on = date_field(_("Ngày quyết toán"), bound=bounds.PAST_DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # What was spent (advances + payments) is what is usually settled; with nothing
            # recorded yet, the approved amount.
            for fund, approved in (
                (KCQG, self.project.approved_kcqg),
                (KCDP, self.project.approved_kcdp),
            ):
                disbursed = [
                    *self.project.advances.all(),
                    *(p for p in self.project.payments.all() if p.is_disbursed),
                ]
                spent = sum(m.amount for m in disbursed if m.fund == fund)
                self.initial.setdefault(f"settled_{fund.lower()}", spent or approved)
        if not self.project.approved_kcqg:
            del self.fields["settled_kcqg"]

    def payload(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "settled_kcqg": d.get("settled_kcqg", 0),
            "settled_kcdp": d.get("settled_kcdp", 0),
            "settled_on": d["settled_on"],
        }


STEP_FORMS: dict[Payload, type[StepForm]] = {
    Payload.NONE: StepForm,
    Payload.REASON: StepForm,
    Payload.APPRAISAL: AppraisalForm,
    Payload.DECISION: DecisionForm,
    Payload.CONTRACT: ContractForm,
    Payload.ACCEPTANCE: AcceptanceForm,
    Payload.SETTLEMENT: SettlementForm,
}


def step_form(signoff: SignOff, project: Project, action: str, data: Any = None) -> StepForm:
    return STEP_FORMS[signoff.payload](
        data,
        signoff=signoff,
        project=project,
        action=action,
        prefix=action,
        auto_id=f"id_{action}_%s",
    )


# --------------------------------------------------------------------------------------------
# Implementation, money, files
# --------------------------------------------------------------------------------------------
class MoneyForm(BootstrapFormMixin, forms.Form):
    fund = forms.ChoiceField(label=_("Nguồn"), choices=ProjectFund.choices)
    amount = DongField(label=_("Số tiền (đồng)"), required=True)
    paid_on = date_field(_("Ngày chi"), bound=bounds.PAST_DATE)
    note = forms.CharField(label=_("Ghi chú, số chứng từ"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, project: Project | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if project is not None:
            self.fields["fund"].choices = [  # type: ignore[attr-defined]
                (value, rules.fund_label(value))
                for value in ProjectFund.values
                if project.approved.for_fund(value) > 0
            ]


class ProgressForm(BootstrapFormMixin, forms.Form):
    month = MonthField(
        label=_("Tháng báo cáo"),
        widget=forms.TextInput(attrs={"placeholder": "3/2026", "size": 8}),
    )
    percent = forms.IntegerField(label=_("Khối lượng hoàn thành (%)"), min_value=0, max_value=100)
    text = forms.CharField(label=_("Nội dung báo cáo"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class InspectionForm(BootstrapFormMixin, forms.Form):
    inspected_on = date_field(_("Ngày kiểm tra"))
    findings = forms.CharField(
        label=_("Kết quả kiểm tra, kiến nghị"), widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AttachmentForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Tệp (PDF, DOCX, XLSX, JPEG, PNG; tối đa 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )
    description = forms.CharField(label=_("Mô tả"), max_length=300, required=False)
    shared = forms.BooleanField(
        label=_("Cơ sở thụ hưởng được xem tài liệu này"),
        required=False,
        help_text=_("Để trống: tài liệu chỉ lưu nội bộ giữa các cơ quan nhà nước."),
    )
