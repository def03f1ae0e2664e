"""What the API shows of the selection: codes for units and rounds, ids for the rest, scores
as decimal strings."""

from __future__ import annotations

from rest_framework import serializers

from khuyencong.awards.models import Certificate, Entry, Product, ScoreSheet, SelectionRound

from .serializers import PickFields, UnitRef


class SelectionRoundSerializer(PickFields):
    unit = UnitRef()

    class Meta:
        model = SelectionRound
        fields = [
            "id",
            "code",
            "title",
            "year",
            "level",
            "unit",
            "legal_basis",
            "registration_opens",
            "registration_closes",
            "scoring_opens",
            "scoring_closes",
            "pass_mark",
            "criteria",
            "validity_years",
            "max_passing",
            "status",
            "decision_number",
            "decision_date",
            "version",
            "updated_at",
        ]


class ProductSerializer(PickFields):
    commune = UnitRef()

    class Meta:
        model = Product
        fields = [
            "id",
            "establishment",
            "commune",
            "name",
            "group",
            "description",
            "gtin",
            "standards",
            "version",
            "updated_at",
        ]


class CertificateSerializer(PickFields):
    commune = UnitRef()
    round = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "code",
            "product",
            "establishment",
            "commune",
            "round",
            "level",
            "issued_on",
            "valid_until",
            "decision",
            "revoked_on",
            "revocation_reason",
            "version",
        ]


class ResultRowSerializer(serializers.Serializer):
    entry = serializers.IntegerField(source="entry.pk")
    product = serializers.IntegerField(source="entry.product_id")
    product_name = serializers.CharField(source="entry.product.name")
    establishment = serializers.IntegerField(source="entry.establishment_id")
    mean = serializers.DecimalField(
        source="entry.mean", max_digits=6, decimal_places=2, allow_null=True
    )
    rank = serializers.IntegerField(source="entry.rank", allow_null=True)
    passed = serializers.BooleanField(source="entry.passed", allow_null=True)
    tied = serializers.BooleanField()
    totals = serializers.ListField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2),
        help_text="Tổng điểm của từng giám khảo (khi người đọc được xem phiếu chấm).",
    )
    certificate = serializers.CharField(source="certificate.number", allow_null=True, default=None)


class EntrySerializer(PickFields):
    """Hồ sơ tham gia bình chọn (results — mean, rank, passed — are read from the round's
    results, as the reader may see them)."""

    round = serializers.SlugRelatedField(slug_field="code", read_only=True)
    commune = UnitRef()
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = Entry
        fields = [
            "id",
            "round",
            "product",
            "product_name",
            "establishment",
            "commune",
            "status",
            "description",
            "submitted_at",
            "return_reason",
            "scoring_closed_at",
            "version",
            "updated_at",
        ]


class ScoreSheetSerializer(PickFields):
    """Phiếu chấm điểm (PL4): the judge's scores per criterion item (decimal strings)."""

    round = serializers.SlugRelatedField(slug_field="code", read_only=True)
    judge = serializers.CharField(source="member.full_name", read_only=True)
    scores = serializers.DictField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ScoreSheet
        fields = [
            "id",
            "round",
            "entry",
            "judge",
            "status",
            "scores",
            "total",
            "comment",
            "submitted_at",
            "reopen_count",
            "version",
            "updated_at",
        ]


class ScoreSheetInput(serializers.Serializer):
    """What a judge sends (PATCH: only what changes); checked by the sheet page's form and the
    scoring service: same rules, same messages, an item's under ``scores.<code>``."""

    scores = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text="Điểm theo mã mục chấm của tiêu chí (trống: chưa chấm), ví dụ 35,5 hoặc 35.5.",
    )
    comment = serializers.CharField(required=False, allow_blank=True, help_text="Nhận xét.")
    submit = serializers.BooleanField(
        required=False, help_text="true: nộp phiếu (mọi mục phải được chấm); mặc định lưu nháp."
    )


class ReopenInput(serializers.Serializer):
    reason = serializers.CharField(help_text="Lý do mở lại phiếu đã nộp (ghi nhật ký).")
