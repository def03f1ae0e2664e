"""What the API shows of each resource: money in integer đồng, dates ISO, codes for units."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from khuyencong.geo.models import AdministrativeUnit
from khuyencong.programs.models import ActivityLine, AllocationCell, Programme, Target
from khuyencong.projects.models import Project
from khuyencong.registry.models import Establishment


class PickFields(serializers.ModelSerializer):
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


class CellSerializer(serializers.ModelSerializer):
    class Meta:
        model = AllocationCell
        fields = ["year", "fund", "quantity", "amount"]


class LineSerializer(serializers.ModelSerializer):
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


class TargetSerializer(serializers.ModelSerializer):
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
            "decision_number",
            "decision_date",
            "contract_number",
            "contract_date",
            "accepted_on",
            "settled_on",
            "version",
            "created_at",
            "updated_at",
        ]


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
    change = serializers.ChoiceField(choices=["created", "updated", "deleted"])
    at = serializers.DateTimeField()
    version = serializers.IntegerField()
    data = serializers.DictField(allow_null=True)


class ChangePage(serializers.Serializer):
    results = ChangeSerializer(many=True)
    cursor = serializers.IntegerField(help_text="Con trỏ sau mục cuối cùng của trang.")
    next = serializers.CharField(allow_null=True)
