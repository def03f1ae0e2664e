"""Forms of the planning pages. Amounts are typed in triệu đồng (as the plan forms and the
seeds write them), the Vietnamese way ("1.500" is fifteen hundred, "62,5" a half), and stored
in integer đồng."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from khuyencong.core.forms import (
    BootstrapFormMixin,
    LegalNameChoiceField,
    LegalNameMultipleChoiceField,
    MillionField,
    MonthField,
    date_field,
)
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.geo.picker import UnitField
from khuyencong.norms.models import NormContent
from khuyencong.programs.models import ContentGroup
from khuyencong.registry.models import Establishment

from . import rules
from .models import PlanFund

FIELD_FOR_FINDING = {"kcqg": "support_kcqg", "kcdp": "support_kcdp"}


def add_findings(form: forms.Form, findings: list[rules.Finding]) -> list[rules.Finding]:
    """Put error findings on their fields; return the warnings."""
    warnings = []
    for finding in findings:
        if finding.severity == "warning":
            warnings.append(finding)
            continue
        field = FIELD_FOR_FINDING.get(finding.field or "", finding.field)
        if field in form.fields:
            if not form.has_error(field):
                form.add_error(field, finding.message)
        else:
            form.add_error(None, finding.message)
    return warnings


class AmountsForm(BootstrapFormMixin, forms.Form):
    """The five amounts of a registration or a plan item, typed in triệu đồng."""

    total_cost = MillionField(
        empty=0,
        label=_("Tổng kinh phí (triệu đồng)"),
        required=True,
        help_text=_(
            "Bằng hỗ trợ KCQG + KCĐP + vốn đối ứng + nguồn khác. Ví dụ 62,5 = 62.500.000 đồng."
        ),
    )
    support_kcqg = MillionField(empty=0, label=_("Đề nghị hỗ trợ từ KCQG (triệu đồng)"))
    support_kcdp = MillionField(empty=0, label=_("Đề nghị hỗ trợ từ KCĐP (triệu đồng)"))
    counterpart = MillionField(empty=0, label=_("Vốn đối ứng của cơ sở (triệu đồng)"))
    other = MillionField(empty=0, label=_("Nguồn khác (triệu đồng)"))

    def amounts(self) -> rules.Amounts:
        data = self.cleaned_data
        return rules.Amounts(
            total_cost=data.get("total_cost") or 0,
            kcqg=data.get("support_kcqg") or 0,
            kcdp=data.get("support_kcdp") or 0,
            counterpart=data.get("counterpart") or 0,
            other=data.get("other") or 0,
        )


# --------------------------------------------------------------------------------------------
# Rounds
# --------------------------------------------------------------------------------------------
class RoundForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Tên đợt đăng ký"),
        max_length=300,
        help_text=_("Ví dụ: Đăng ký kế hoạch khuyến công quốc gia năm 2027"),
    )
    plan_year = forms.IntegerField(label=_("Năm kế hoạch"), min_value=2000, max_value=2100)
    fund = forms.ChoiceField(label=_("Nguồn kinh phí"), choices=PlanFund.choices)
    content_groups = LegalNameMultipleChoiceField(
        label=_("Nội dung được đăng ký"),
        queryset=ContentGroup.objects.order_by("number"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một nhóm nội dung.")},
    )
    commune_deadline = date_field(
        _("Hạn xã, cơ sở gửi đăng ký"),
        required=False,
        help_text=_("Để trống thì dùng hạn mặc định."),
    )
    province_deadline = date_field(
        _("Hạn tỉnh gửi (Sở Công Thương gửi cấp trên)"),
        required=False,
        help_text=_("Để trống thì dùng hạn mặc định."),
    )
    notes = forms.CharField(
        label=_("Hướng dẫn gửi kèm"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, defaults: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.defaults = defaults  # callable: plan_year → deadlines.DefaultDates
        if defaults is None:  # editing a round: its dates are there to change, not to default
            for name in ("commune_deadline", "province_deadline", "version"):
                self.fields[name].required = True
                self.fields[name].help_text = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year = data.get("plan_year")
        if year and self.defaults is not None:
            default = self.defaults(year)
            if not data.get("commune_deadline"):
                data["commune_deadline"] = default.commune
            if not data.get("province_deadline"):
                if default.province is None:
                    self.add_error(
                        "province_deadline",
                        _("Chưa có hạn mặc định cho tỉnh của bạn: nhập hạn tỉnh gửi."),
                    )
                else:
                    data["province_deadline"] = default.province
        return data


def initial_from_round(round_: Any) -> dict[str, Any]:
    return {
        "title": round_.title,
        "plan_year": round_.plan_year,
        "fund": round_.fund,
        "content_groups": [g.pk for g in round_.content_groups.all()],
        "commune_deadline": round_.commune_deadline,
        "province_deadline": round_.province_deadline,
        "notes": round_.notes,
        "version": round_.version,
    }


class ExtensionForm(BootstrapFormMixin, forms.Form):
    unit_code = UnitField(
        label=_("Xã, phường (hoặc tỉnh)"),
        help_text=_("Gia hạn cho một tỉnh áp dụng cho mọi xã, phường của tỉnh đó."),
    )
    new_deadline = date_field(_("Hạn mới"))
    reason = forms.CharField(label=_("Lý do gia hạn"), max_length=1000)

    def __init__(self, *args: Any, round_unit: AdministrativeUnit, **kwargs: Any) -> None:
        """The box reads names among the provinces and communes of the round's area."""
        super().__init__(*args, **kwargs)
        cast(
            UnitField, self.fields["unit_code"]
        ).queryset = AdministrativeUnit.objects.current().filter(
            Q(pk=round_unit.pk) | Q(path__startswith=round_unit.path + "/"),
            level__in=[UnitLevel.PROVINCE, UnitLevel.COMMUNE],
        )


# --------------------------------------------------------------------------------------------
# Registrations
# --------------------------------------------------------------------------------------------
class RegistrationForm(AmountsForm):
    establishment = forms.ModelChoiceField(
        label=_("Cơ sở đăng ký"),
        queryset=Establishment.objects.none(),
        empty_label=_("— chọn cơ sở —"),
    )
    content_group = LegalNameChoiceField(
        label=_("Nhóm nội dung"), queryset=ContentGroup.objects.none(), empty_label=None
    )
    activity = forms.CharField(
        label=_("Nội dung hoạt động đề nghị hỗ trợ"),
        max_length=300,
        help_text=_("Ví dụ: Hỗ trợ ứng dụng máy sao chè tự động vào sản xuất"),
    )
    norm_content = LegalNameChoiceField(
        label=_("Định mức hỗ trợ áp dụng"),
        queryset=NormContent.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("— chưa xác định —"),
        help_text=_(
            "Chọn khi hoạt động thuộc một định mức (ví dụ máy móc thiết bị): kinh phí hỗ trợ "
            "được so với mức hỗ trợ tối đa của định mức."
        ),
    )
    description = forms.CharField(
        label=_("Mô tả, sự cần thiết"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    expected_outputs = forms.CharField(
        label=_("Kết quả, sản phẩm dự kiến"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    start_month = MonthField(label=_("Tháng bắt đầu"), required=True)
    end_month = MonthField(label=_("Tháng kết thúc"), required=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        round: Any,
        establishments: Any,
        check: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(
            [
                "establishment",
                "content_group",
                "activity",
                "norm_content",
                "description",
                "expected_outputs",
                "total_cost",
                "support_kcqg",
                "support_kcdp",
                "counterpart",
                "other",
                "start_month",
                "end_month",
            ]
        )
        self.round = round
        self.check = check
        self.warnings: list[rules.Finding] = []
        cast(forms.ModelChoiceField, self.fields["establishment"]).queryset = establishments
        cast(
            forms.ModelChoiceField, self.fields["content_group"]
        ).queryset = round.content_groups.order_by("number")
        cast(forms.ModelChoiceField, self.fields["norm_content"]).queryset = (
            NormContent.objects.filter(group__in=round.content_groups.all())
            .select_related("group")
            .order_by("order", "code")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        findings = self.check(self.data_for_service())
        self.warnings = add_findings(self, findings)
        return data

    def data_for_service(self) -> Any:
        from .services import RegistrationData

        data = self.cleaned_data
        return RegistrationData(
            content_group=data["content_group"],
            activity=data.get("activity", ""),
            amounts=self.amounts(),
            start_month=data.get("start_month"),
            end_month=data.get("end_month"),
            description=data.get("description", ""),
            expected_outputs=data.get("expected_outputs", ""),
            norm_content=data.get("norm_content"),
        )


class TransitionForm(BootstrapFormMixin, forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Lý do, ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


# --------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------
class PlanCreateForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Năm kế hoạch"), min_value=2000, max_value=2100)
    fund = forms.ChoiceField(label=_("Nguồn kinh phí"), choices=PlanFund.choices)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanItemForm(AmountsForm):
    name = forms.CharField(label=_("Tên đề án, hoạt động"), max_length=400)
    implementing_unit = forms.CharField(label=_("Đơn vị thực hiện"), max_length=255)
    beneficiary = forms.CharField(
        label=_("Đơn vị thụ hưởng"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: các cơ sở CNNT trên địa bàn tỉnh."),
    )
    commune = UnitField(
        level=UnitLevel.COMMUNE,
        label=_("Địa điểm (xã, phường)"),
        required=False,
        help_text=_("Gõ vài chữ của tên xã rồi chọn; để trống: toàn tỉnh."),
    )
    content_group = LegalNameChoiceField(
        label=_("Nhóm nội dung"), queryset=ContentGroup.objects.order_by("number"), empty_label=None
    )
    start_month = MonthField(label=_("Tháng bắt đầu"), required=True)
    end_month = MonthField(label=_("Tháng kết thúc"), required=True)
    notes = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, communes: Any, check: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["support_kcqg"].label = _("KCQG (triệu đồng)")
        self.fields["support_kcdp"].label = _("KCĐP (triệu đồng)")
        self.fields["counterpart"].label = _("Vốn đối ứng (triệu đồng)")
        self.order_fields(
            [
                "name",
                "implementing_unit",
                "beneficiary",
                "commune",
                "content_group",
                "total_cost",
                "support_kcqg",
                "support_kcdp",
                "counterpart",
                "other",
                "start_month",
                "end_month",
                "notes",
            ]
        )
        cast(forms.ModelChoiceField, self.fields["commune"]).queryset = communes
        self.check = check

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        add_findings(self, self.check(self.data_for_service()))
        return data

    def data_for_service(self) -> Any:
        from .services import ItemData

        data = self.cleaned_data
        return ItemData(
            name=data.get("name", ""),
            implementing_unit=data.get("implementing_unit", ""),
            content_group=data["content_group"],
            amounts=self.amounts(),
            start_month=data.get("start_month"),
            end_month=data.get("end_month"),
            beneficiary=data.get("beneficiary", ""),
            commune=data.get("commune"),
            notes=data.get("notes", ""),
        )


class PlanTransitionForm(BootstrapFormMixin, forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Lý do, ghi chú"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=64, required=False)
    decision_date = date_field(_("Ngày quyết định"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ItemDeleteForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do bỏ khỏi kế hoạch"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput)
