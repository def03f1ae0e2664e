"""Forms of the selection pages (thin: the services check and store; dates day/month/year)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from khuyencong.core import bounds
from khuyencong.core.formatting import format_number
from khuyencong.core.forms import BootstrapFormMixin, DongField, LongModelChoiceField, date_field
from khuyencong.core.text import fold
from khuyencong.geo.models import AdministrativeUnit
from khuyencong.registry.models import Establishment, ProductGroup

from . import rules
from .models import CouncilRole, PaperKind, PhotoView, Region, RoundExtension
from .services.entries import EntryData
from .services.products import ProductData
from .services.rounds import RoundData


class VersionedForm(BootstrapFormMixin, forms.Form):
    """Carries the version the user saw (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @property
    def expected_version(self) -> int:
        return int(self.cleaned_data.get("version") or 0)


class ProductForm(VersionedForm):
    name = forms.CharField(label=_("Tên sản phẩm"), max_length=255)
    group = forms.ChoiceField(label=_("Nhóm sản phẩm"), choices=ProductGroup.choices)
    description = forms.CharField(
        label=_("Mô tả sản phẩm"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Nguyên liệu, công dụng, quy cách, đặc điểm nổi bật."),
    )
    gtin = forms.CharField(
        label=_("Mã số GTIN (mã vạch)"),
        required=False,
        max_length=20,
        help_text=_("8, 12, 13 hoặc 14 chữ số in dưới mã vạch; bỏ trống nếu chưa có."),
    )
    standards = forms.CharField(
        label=_("Tiêu chuẩn áp dụng"),
        required=False,
        max_length=300,
        help_text=_("Ví dụ: TCVN 9740:2013, tiêu chuẩn cơ sở TCCS 01:2024/HTX."),
    )

    def product_data(self) -> ProductData:
        data = self.cleaned_data
        return ProductData(
            name=data["name"],
            group=data["group"],
            description=data["description"],
            gtin=data.get("gtin") or "",
            standards=data.get("standards") or "",
        )


class PhotoForm(BootstrapFormMixin, forms.Form):
    view = forms.ChoiceField(label=_("Góc chụp"), choices=PhotoView.choices)
    image = forms.FileField(
        label=_("Ảnh màu (JPEG, PNG)"),
        help_text=_("Ảnh in được khổ 10×15 cm trở lên, tối đa 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )


class PaperForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại giấy tờ"), choices=PaperKind.choices)
    file = forms.FileField(
        label=_("Tệp (PDF, JPEG, PNG)"),
        help_text=_("Bản chụp hoặc bản PDF, tối đa 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    description = forms.CharField(label=_("Mô tả"), required=False, max_length=300)
    valid_until = date_field(_("Hiệu lực đến"), required=False)


# --------------------------------------------------------------------------------------------
# Rounds
# --------------------------------------------------------------------------------------------
def criteria_text(criteria: list[dict[str, object]]) -> str:
    """Criteria as the organiser edits them: ``Tên | điểm``, bands indented with ``-``."""
    lines = []
    for item in criteria:
        lines.append(f"{item['name']} | {format_number(Decimal(str(item['cap'])).normalize())}")
        for band in item.get("bands", []) or []:  # type: ignore[attr-defined]
            lines.append(
                f"  - {band['name']} | {format_number(Decimal(str(band['cap'])).normalize())}"
            )
    return "\n".join(lines)


def parse_criteria(text: str) -> list[dict[str, object]]:
    """The inverse of :func:`criteria_text`; codes are made from the names."""
    criteria: list[dict[str, object]] = []
    used: set[str] = set()

    def code_for(name: str) -> str:
        base = "-".join(fold(name).replace(",", " ").split())[:40] or "tieu-chi"
        code, n = base, 1
        while code in used:
            n += 1
            code = f"{base}-{n}"
        used.add(code)
        return code

    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        band = raw.lstrip().startswith("-")
        body = raw.strip().lstrip("-").strip()
        if "|" not in body:
            raise forms.ValidationError(
                _("Dòng %(n)s: ghi “Tên tiêu chí | điểm tối đa”, ví dụ “Giá trị văn hóa | 10”.")
                % {"n": number}
            )
        name, _sep, cap_text = body.rpartition("|")
        cap = rules.parse_score(cap_text)
        if not name.strip() or cap is None:
            raise forms.ValidationError(
                _("Dòng %(n)s: điểm tối đa “%(cap)s” không phải là số.")
                % {"n": number, "cap": cap_text.strip()}
            )
        entry: dict[str, object] = {
            "code": code_for(name),
            "name": " ".join(name.split()),
            "cap": str(cap),
        }
        if band:
            if not criteria:
                raise forms.ValidationError(
                    _("Dòng %(n)s: khoảng điểm phải nằm dưới một tiêu chí.") % {"n": number}
                )
            criteria[-1].setdefault("bands", []).append(entry)  # type: ignore[attr-defined]
        else:
            criteria.append(entry)
    return criteria


class RoundForm(VersionedForm):
    title = forms.CharField(label=_("Tên kỳ bình chọn"), max_length=300)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    region = forms.ModelChoiceField(
        label=_("Khu vực (kỳ cấp khu vực)"), queryset=Region.objects.all(), required=False
    )
    legal_basis = forms.CharField(
        label=_("Căn cứ pháp lý"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Quyết định, kế hoạch tổ chức kỳ bình chọn."),
    )
    registration_opens = date_field(_("Nhận hồ sơ từ ngày"))
    registration_closes = date_field(_("Nhận hồ sơ đến ngày"))
    scoring_opens = date_field(_("Chấm điểm từ ngày"))
    scoring_closes = date_field(_("Chấm điểm đến ngày"))
    pass_mark = forms.DecimalField(
        label=_("Điểm đạt"),
        required=False,
        max_digits=5,
        decimal_places=2,
        help_text=_("Bỏ trống: theo quy định của cấp bình chọn."),
    )
    pass_mark_basis = forms.CharField(
        label=_("Căn cứ điểm đạt"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    criteria = forms.CharField(
        label=_("Tiêu chí và điểm tối đa (PL4)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Mỗi dòng một tiêu chí: “Tên | điểm tối đa”; khoảng điểm chi tiết ghi ở dòng dưới, "
            "bắt đầu bằng “-”. Bỏ trống: theo quy định (40/40/10/10)."
        ),
    )
    outlier_margin = forms.DecimalField(
        label=_("Mức lệch cảnh báo (điểm)"), required=False, max_digits=5, decimal_places=2
    )
    max_passing = forms.IntegerField(
        label=_("Số sản phẩm được công nhận tối đa"), required=False, min_value=1
    )
    max_passing_basis = forms.CharField(label=_("Căn cứ giới hạn"), required=False)

    def clean_criteria(self) -> list[dict[str, object]] | None:
        text = self.cleaned_data.get("criteria") or ""
        return parse_criteria(text) if text.strip() else None

    def round_data(self) -> RoundData:
        data = self.cleaned_data
        return RoundData(
            title=data["title"],
            year=data["year"],
            legal_basis=data["legal_basis"],
            registration_opens=data["registration_opens"],
            registration_closes=data["registration_closes"],
            scoring_opens=data["scoring_opens"],
            scoring_closes=data["scoring_closes"],
            pass_mark=data.get("pass_mark"),
            pass_mark_basis=data.get("pass_mark_basis") or "",
            criteria=data.get("criteria"),
            outlier_margin=data.get("outlier_margin"),
            max_passing=data.get("max_passing"),
            max_passing_basis=data.get("max_passing_basis") or "",
            region=data.get("region"),
        )


class ExtensionForm(VersionedForm):
    window = forms.ChoiceField(label=_("Thời hạn"), choices=RoundExtension.WINDOWS)
    new_date = date_field(_("Hạn mới"))
    reason = forms.CharField(label=_("Lý do gia hạn"), widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(VersionedForm):
    reason = forms.CharField(
        label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# --------------------------------------------------------------------------------------------
# Entries
# --------------------------------------------------------------------------------------------
class EntryForm(VersionedForm):
    representative = forms.CharField(label=_("Người đại diện"), max_length=150)
    representative_title = forms.CharField(label=_("Chức vụ"), max_length=100, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30)
    description = forms.CharField(
        label=_("Mô tả sản phẩm"), widget=forms.Textarea(attrs={"rows": 3})
    )
    materials_process = forms.CharField(
        label=_("Nguyên liệu, quy trình sản xuất"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    market = forms.CharField(
        label=_("Thị trường, quy mô sản xuất"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    benefits = forms.CharField(
        label=_("Hiệu quả kinh tế, xã hội, môi trường"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    culture = forms.CharField(
        label=_("Giá trị văn hóa, thẩm mỹ"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    commitment = forms.BooleanField(
        label=_(
            "Cơ sở cam kết: sản phẩm do cơ sở tự sản xuất, sản xuất hàng loạt, không vi phạm sở "
            "hữu trí tuệ, chất lượng, an toàn và môi trường; hồ sơ là đúng sự thật."
        ),
        required=False,
    )

    def entry_data(self) -> EntryData:
        data = self.cleaned_data
        return EntryData(
            representative=data["representative"],
            representative_title=data.get("representative_title") or "",
            phone=data["phone"],
            description=data["description"],
            materials_process=data.get("materials_process") or "",
            market=data.get("market") or "",
            benefits=data.get("benefits") or "",
            culture=data.get("culture") or "",
            commitment=bool(data.get("commitment")),
        )


class ForwardForm(BootstrapFormMixin, forms.Form):
    letter = forms.CharField(
        label=_("Số văn bản đề xuất"),
        max_length=100,
        required=False,
        help_text=_("Ví dụ: 45/UBND-KT ngày 10/6/2026."),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# --------------------------------------------------------------------------------------------
# Council, jury, score sheets
# --------------------------------------------------------------------------------------------
class MemberForm(BootstrapFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("Thư điện tử của thành viên"),
        help_text=_("Người có vai trò “Thành viên hội đồng” (quản trị hệ thống giao vai trò)."),
    )
    # Not required: its empty choice is a judge who is not a council member (the services
    # refuse a seat that is neither).
    council_role = forms.ChoiceField(
        label=_("Vai trò trong hội đồng"), choices=CouncilRole.choices, required=False
    )
    is_judge = forms.BooleanField(label=_("Là giám khảo (chấm điểm)"), required=False, initial=True)
    is_reserve = forms.BooleanField(
        label=_("Giám khảo dự khuyết"),
        required=False,
        help_text=_(
            "Không tính vào số lẻ của ban giám khảo, không được phân công khi bắt đầu chấm; "
            "Chủ tịch phân công chấm thay giám khảo có xung đột lợi ích hoặc vắng mặt."
        ),
    )
    position = forms.CharField(label=_("Chức vụ, đơn vị công tác"), required=False, max_length=255)
    workplace = forms.CharField(
        label=_("Mã xã, phường nơi công tác (nếu là cán bộ xã)"),
        required=False,
        max_length=16,
        help_text=_("Để hệ thống chặn người này chấm sản phẩm của xã mình."),
    )

    def clean_workplace(self) -> AdministrativeUnit | None:
        code = (self.cleaned_data.get("workplace") or "").strip()
        if not code:
            return None
        unit = AdministrativeUnit.objects.current().communes().filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(
                _("Không có xã, phường mã “%(code)s”: ghi mã 5 chữ số, ví dụ 03985.")
                % {"code": code}
            )
        return unit


class DeclareForm(BootstrapFormMixin, forms.Form):
    establishment = LongModelChoiceField(label=_("Cơ sở"), queryset=Establishment.objects.none())
    relation = forms.CharField(
        label=_("Quan hệ"), max_length=300, help_text=_("Ví dụ: người thân, góp vốn, tư vấn.")
    )

    def __init__(self, *args: Any, establishments: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if establishments is not None:
            self.fields["establishment"].queryset = establishments  # type: ignore[attr-defined]


class ScoreForm(BootstrapFormMixin, forms.Form):
    """Phiếu chấm PL4: one field per criterion (or band) with its cap; the services check."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=_("Nhận xét"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, criteria: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = []
        for criterion in criteria:
            for code, name, cap in criterion.items:
                self.fields[code] = forms.CharField(
                    label=f"{name} (0–{format_number(cap.normalize())})",
                    required=False,
                    max_length=8,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "text-end"}),
                )
                self.items.append(code)
        self.order_fields([*self.items, "comment", "version"])

    @property
    def scores(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(code) or "" for code in self.items}

    @property
    def expected_version(self) -> int:
        return int(self.cleaned_data.get("version") or 0)


# --------------------------------------------------------------------------------------------
# Results, publication, certificates
# --------------------------------------------------------------------------------------------
class CapForm(VersionedForm):
    max_passing = forms.IntegerField(
        label=_("Số sản phẩm được công nhận tối đa"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("Bỏ trống: mọi sản phẩm đạt điểm đều được công nhận."),
    )
    max_passing_basis = forms.CharField(
        label=_("Căn cứ (ý kiến, biên bản của hội đồng)"), required=False, max_length=1000
    )


class PublishForm(VersionedForm):
    decision_number = forms.CharField(
        label=_("Số quyết định công nhận"),
        max_length=64,
        help_text=_("Ví dụ 1234/QĐ-UBND."),
    )
    decision_date = date_field(_("Ngày ký quyết định"), bound=bounds.PAST_DATE)


class RevokeForm(VersionedForm):
    revoked_on = date_field(_("Ngày thu hồi"), bound=bounds.PAST_DATE)
    decision = forms.CharField(label=_("Quyết định thu hồi (số, ngày)"), max_length=200)
    reason = forms.CharField(
        label=_("Lý do thu hồi"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


# --------------------------------------------------------------------------------------------
# Complaints and holders' yearly reports
# --------------------------------------------------------------------------------------------
class ComplaintForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Nội dung khiếu nại"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Ghi rõ điểm, tiêu chí nào và vì sao cơ sở không đồng ý với kết quả."),
    )


class ComplaintDecisionForm(VersionedForm):
    upheld = forms.TypedChoiceField(
        label=_("Kết quả giải quyết"),
        choices=[("1", _("Chấp nhận: chấm lại hồ sơ")), ("0", _("Không chấp nhận"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(
        label=_("Lý do, căn cứ giải quyết"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class HolderReportForm(VersionedForm):
    production = forms.CharField(
        label=_("Sản lượng trong năm"),
        max_length=200,
        help_text=_("Ví dụ: 12 tấn chè khô."),
    )
    revenue = DongField(label=_("Doanh thu trong năm (đồng)"), required=True)
    employees = forms.IntegerField(label=_("Số lao động"), min_value=0, max_value=1_000_000)
    support_received = forms.CharField(
        label=_("Hỗ trợ đã nhận trong năm"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
