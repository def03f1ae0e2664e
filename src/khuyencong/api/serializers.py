"""What the API shows of each resource: money in integer đồng, dates ISO, codes for units."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from rest_framework import serializers

from khuyencong.geo.models import AdministrativeUnit
from khuyencong.norms.models import SupportNorm
from khuyencong.planning.models import AnnualPlan, PlanItem, RegistrationRound, SupportRegistration
from khuyencong.programs.models import ActivityLine, AllocationCell, Programme, Target
from khuyencong.projects.models import (
    Attachment,
    BudgetLine,
    Project,
    ProjectOutput,
    ProjectSignOff,
)
from khuyencong.registry.models import Artisan, ArtisanTitle, Establishment
from khuyencong.registry.services import ARTISAN_FIELDS


class ModelOut(serializers.ModelSerializer):
    """A model's fields as the API shows them: a relation declared here (a unit by its code)
    is nullable exactly when its model field is (the schema says so: schemathesis found a
    national norm's ``jurisdiction: null`` answered against a string-only schema)."""

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        model = self.Meta.model
        for name, field in fields.items():
            if not isinstance(field, serializers.RelatedField) or field.source == "*":
                continue
            try:
                model_field = model._meta.get_field(field.source or name)
            except FieldDoesNotExist:  # a dotted source or a property: not a column
                continue
            if getattr(model_field, "null", False):
                field.allow_null = True
        return fields


class PickFields(ModelOut):
    """``?fields=id,name`` keeps only those fields (unknown names are ignored)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        wanted = request.query_params.get("fields", "") if request is not None else ""
        if wanted and request is not None and request.method == "GET":
            keep = {name.strip() for name in wanted.split(",")}
            for name in list(self.fields):
                if name not in keep:
                    self.fields.pop(name)


class UnitRef(serializers.SlugRelatedField):
    """A unit named by its official code."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


class UnitSerializer(PickFields):
    parent = UnitRef()

    class Meta:
        model = AdministrativeUnit
        fields = ["id", "code", "name", "unit_type", "level", "parent", "valid_from", "valid_to"]


class EstablishmentSerializer(PickFields):
    commune = UnitRef()
    province = UnitRef()

    class Meta:
        model = Establishment
        fields = [
            "id",
            "name",
            "legal_form",
            "tax_code",
            "address",
            "commune",
            "province",
            "product_group",
            "main_products",
            "owner_name",
            "owner_gender",
            "owner_ethnic_minority",
            "employees_total",
            "employees_female",
            "employees_ethnic_minority",
            "founded_year",
            "craft_village",
            "phone",
            "email",
            "version",
            "created_at",
            "updated_at",
        ]


class ArtisanSerializer(PickFields):
    """Nghệ nhân: the commune by its code, the establishment (if any) by its id."""

    commune = UnitRef()

    class Meta:
        model = Artisan
        fields = ["id", *ARTISAN_FIELDS, "version"]


class EstablishmentDetailSerializer(EstablishmentSerializer):
    artisans = ArtisanSerializer(many=True, read_only=True)

    class Meta(EstablishmentSerializer.Meta):
        fields = [*EstablishmentSerializer.Meta.fields, "artisans"]


class CellSerializer(ModelOut):
    class Meta:
        model = AllocationCell
        fields = ["year", "fund", "quantity", "amount"]


class LineSerializer(ModelOut):
    group = serializers.SlugRelatedField(slug_field="code", read_only=True)
    cells = CellSerializer(many=True, read_only=True)

    class Meta:
        model = ActivityLine
        fields = [
            "id",
            "order",
            "group",
            "name",
            "unit_of_measure",
            "stated_total_quantity",
            "stated_total_amount",
            "cells",
        ]


class TargetSerializer(ModelOut):
    group = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Target
        fields = ["key", "section", "group", "name", "unit_of_measure", "quantity", "qualifier"]


class ProgrammeSerializer(PickFields):
    unit = UnitRef()

    class Meta:
        model = Programme
        fields = [
            "id",
            "code",
            "level",
            "unit",
            "title",
            "start_year",
            "end_year",
            "decision_number",
            "decision_date",
            "issuing_body",
            "status",
            "stated_grand_total",
            "version",
            "updated_at",
        ]


class ProgrammeDetailSerializer(ProgrammeSerializer):
    lines = LineSerializer(many=True, read_only=True)
    targets = TargetSerializer(many=True, read_only=True)

    class Meta(ProgrammeSerializer.Meta):
        fields = [*ProgrammeSerializer.Meta.fields, "lines", "targets"]


class ProjectSerializer(PickFields):
    unit = UnitRef()
    location = UnitRef()

    class Meta:
        model = Project
        fields = [
            "id",
            "unit",
            "fund",
            "plan_year",
            "kind",
            "content",
            "title",
            "implementing_unit",
            "location",
            "priority",
            "status",
            "round",
            "total_cost",
            "support_kcqg",
            "support_kcdp",
            "counterpart",
            "other",
            "decision_number",
            "decision_date",
            "approved_kcqg",
            "approved_kcdp",
            "contract_number",
            "contract_date",
            "accepted_on",
            "settled_kcqg",
            "settled_kcdp",
            "settled_on",
            "version",
            "created_at",
            "updated_at",
        ]


class BudgetLineSerializer(ModelOut):
    class Meta:
        model = BudgetLine
        fields = ["order", "item", "kcqg", "kcdp", "counterpart", "other"]


class OutputSerializer(ModelOut):
    programme = serializers.CharField(source="line.programme.code", read_only=True)
    line = serializers.IntegerField(source="line_id", read_only=True)

    class Meta:
        model = ProjectOutput
        fields = ["programme", "line", "planned_quantity", "actual_quantity"]


class ProjectDetailSerializer(ProjectSerializer):
    """One project with its budget (dự toán, integer đồng) and its outputs against the
    programme's activity lines."""

    budget_lines = BudgetLineSerializer(many=True, read_only=True)
    outputs = OutputSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "budget_lines", "outputs"]


class EstablishmentInput(serializers.Serializer):
    """What a client sends to add or change an establishment (PATCH: only what changes). The
    commune is its official code. Checked by the web's form: same rules, same messages."""

    name = serializers.CharField(max_length=255)
    legal_form = serializers.CharField()
    tax_code = serializers.CharField(required=False, allow_blank=True)
    address = serializers.CharField(required=False, allow_blank=True)
    commune = serializers.CharField(help_text="Mã xã/phường (ví dụ 03985).")
    product_group = serializers.CharField()
    main_products = serializers.CharField(required=False, allow_blank=True)
    owner_name = serializers.CharField(required=False, allow_blank=True)
    owner_gender = serializers.CharField(required=False, allow_blank=True)
    owner_ethnic_minority = serializers.BooleanField(required=False)
    employees_total = serializers.IntegerField(required=False)
    employees_female = serializers.IntegerField(required=False)
    employees_ethnic_minority = serializers.IntegerField(required=False)
    founded_year = serializers.IntegerField(required=False, allow_null=True)
    craft_village = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)


class ArtisanInput(serializers.Serializer):
    """What a client sends to add or change an artisan (PATCH: only what changes), checked by
    the web's artisan form: the commune by its code, the establishment by its id (in the
    commune; null: none)."""

    full_name = serializers.CharField(max_length=150)
    title = serializers.ChoiceField(choices=ArtisanTitle.choices)
    year_awarded = serializers.IntegerField(required=False, allow_null=True)
    craft = serializers.CharField(required=False, allow_blank=True, max_length=150)
    commune = serializers.CharField(help_text="Mã xã/phường (ví dụ 03985).")
    establishment = serializers.IntegerField(
        required=False, allow_null=True, help_text="Mã (id) cơ sở nơi nghệ nhân làm việc."
    )


class RegistrationInput(serializers.Serializer):
    """A new registration, named as on the registration form; amounts in integer đồng, the
    months as 2026-03 or 3/2026, the content group by its code."""

    round = serializers.IntegerField(help_text="Mã (id) đợt đăng ký.")
    establishment = serializers.IntegerField(help_text="Mã (id) cơ sở.")
    content_group = serializers.CharField(help_text="Mã nhóm nội dung (nhom-1 …).")
    activity = serializers.CharField(max_length=300)
    norm_content = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    expected_outputs = serializers.CharField(required=False, allow_blank=True)
    total_cost = serializers.IntegerField(help_text="Tổng kinh phí (đồng).")
    support_kcqg = serializers.IntegerField(required=False)
    support_kcdp = serializers.IntegerField(required=False)
    counterpart = serializers.IntegerField(required=False)
    other = serializers.IntegerField(required=False)
    start_month = serializers.CharField(help_text="Tháng bắt đầu: 2026-03 hoặc 3/2026.")
    end_month = serializers.CharField(help_text="Tháng kết thúc.")


class StepInput(serializers.Serializer):
    """A step's fields, named as on the step form (comment, decision_number, decided_on …)."""

    comment = serializers.CharField(required=False, allow_blank=True)


class StepOutcome(serializers.Serializer):
    advanced = serializers.BooleanField()
    pending = serializers.ListField(child=serializers.CharField())
    project = ProjectSerializer()


class ChangeSerializer(serializers.Serializer):
    cursor = serializers.IntegerField(
        help_text="Vị trí của mục này: gửi lại làm since= để đọc tiếp."
    )
    resource = serializers.CharField()
    id = serializers.IntegerField()
    change = serializers.ChoiceField(
        choices=["created", "updated", "deleted", "moved_out"],
        help_text="moved_out: đối tượng đã chuyển ra khỏi phạm vi của bạn (hãy xóa bản sao).",
    )
    at = serializers.DateTimeField()
    version = serializers.IntegerField()
    data = serializers.DictField(allow_null=True)


class ChangePage(serializers.Serializer):
    results = ChangeSerializer(many=True)
    cursor = serializers.IntegerField(help_text="Con trỏ sau mục cuối cùng của trang.")
    next = serializers.CharField(allow_null=True)


# --------------------------------------------------------------------------------------------
# Planning: rounds, registrations, annual plans
# --------------------------------------------------------------------------------------------
class RoundSerializer(PickFields):
    unit = UnitRef()
    content_groups = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = RegistrationRound
        fields = [
            "id",
            "unit",
            "title",
            "plan_year",
            "fund",
            "content_groups",
            "commune_deadline",
            "province_deadline",
            "notes",
            "version",
            "updated_at",
        ]


class RegistrationSerializer(PickFields):
    commune = UnitRef()
    content_group = serializers.SlugRelatedField(slug_field="code", read_only=True)
    norm_content = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SupportRegistration
        fields = [
            "id",
            "round",
            "establishment",
            "commune",
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
            "status",
            "submitted_at",
            "version",
            "created_at",
            "updated_at",
        ]


class PlanItemSerializer(ModelOut):
    commune = UnitRef()
    content_group = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = PlanItem
        fields = [
            "order",
            "registration",
            "name",
            "implementing_unit",
            "establishment",
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


class PlanSerializer(PickFields):
    unit = UnitRef()

    class Meta:
        model = AnnualPlan
        fields = [
            "id",
            "unit",
            "year",
            "fund",
            "revision",
            "previous",
            "status",
            "decision_number",
            "decision_date",
            "adjustment_reason",
            "version",
            "updated_at",
        ]


class PlanDetailSerializer(PlanSerializer):
    items = PlanItemSerializer(many=True, read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "items"]


# --------------------------------------------------------------------------------------------
# Norms and the support-limit calculator
# --------------------------------------------------------------------------------------------
class NormSerializer(PickFields):
    content = serializers.SlugRelatedField(slug_field="code", read_only=True)
    jurisdiction = UnitRef()
    status = serializers.SerializerMethodField(
        help_text="Hôm nay: applied (đang áp dụng), superseded, future, expired."
    )

    class Meta:
        model = SupportNorm
        fields = [
            "id",
            "content",
            "fund",
            "jurisdiction",
            "legal_basis",
            "max_percent",
            "cap_per_unit",
            "unit",
            "priority_multiplier",
            "advance_ceiling",
            "effective_from",
            "effective_to",
            "needs_verification",
            "status",
            "version",
        ]

    def get_status(self, norm: SupportNorm) -> str:
        return str(self.context.get("statuses", {}).get(norm.pk, ""))


class SupportLimitInput(serializers.Serializer):
    """The calculator's question: content, fund, eligible cost per unit (integer đồng), the
    province (its own norm wins for local funds), the date (today if left out), priority."""

    content = serializers.CharField(max_length=64, help_text="Mã nội dung (may-moc-thiet-bi …).")
    fund = serializers.ChoiceField(choices=["KCQG", "KCDP"])
    eligible_cost = serializers.IntegerField(help_text="Chi phí hợp lý cho một đơn vị (đồng).")
    province = serializers.CharField(
        max_length=16, required=False, allow_blank=True, help_text="Mã tỉnh (ví dụ 14)."
    )
    on = serializers.DateField(required=False, allow_null=True)
    priority = serializers.BooleanField(required=False, default=False)


class SupportLimitOutput(serializers.Serializer):
    maximum = serializers.IntegerField(help_text="Mức hỗ trợ tối đa (đồng).")
    norm = serializers.IntegerField(allow_null=True)
    legal_basis = serializers.CharField()
    sentence = serializers.CharField(help_text="Câu giải thích cách tính, như trang tính.")
    needs_verification = serializers.BooleanField()
    advance_ceiling = serializers.DecimalField(max_digits=3, decimal_places=2)
    advance_maximum = serializers.IntegerField(help_text="Tạm ứng tối đa (đồng).")
    on = serializers.DateField()


# --------------------------------------------------------------------------------------------
# A project's sign-offs, disbursements and documents
# --------------------------------------------------------------------------------------------
class SignOffSerializer(ModelOut):
    class Meta:
        model = ProjectSignOff
        fields = ["id", "action", "from_state", "round", "role", "at", "comment", "data"]


class DisbursementSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["advance", "payment"], help_text="Tạm ứng/thanh toán.")
    id = serializers.IntegerField()
    fund = serializers.CharField()
    amount = serializers.IntegerField(help_text="Số tiền (đồng).")
    paid_on = serializers.DateField()
    note = serializers.CharField()
    stage = serializers.CharField(allow_blank=True)
    cosign_status = serializers.CharField(allow_blank=True)
    disbursed = serializers.BooleanField(help_text="Đã tính là giải ngân.")


class DocumentSerializer(ModelOut):
    download = serializers.SerializerMethodField(help_text="Đường dẫn tải tệp (qua API).")

    class Meta:
        model = Attachment
        fields = [
            "id",
            "step",
            "original_name",
            "size",
            "content_type",
            "description",
            "uploaded_at",
            "download",
        ]

    def get_download(self, attachment: Attachment) -> str:
        return f"/api/v1/projects/{attachment.project_id}/documents/{attachment.pk}/file"
