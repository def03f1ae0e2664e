"""Rural industrial establishments (cơ sở công nghiệp nông thôn) and artisans (nghệ nhân)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from khuyencong.core import bounds
from khuyencong.core.text import SORT_KEY_LENGTH, fold, sort_key
from khuyencong.geo.models import AdministrativeUnit, InProvince, ScopeColumns, UnitLevel

from .identifiers import IdentifierError, normalise_identifier


def search_text(*values: str) -> str:
    """What the establishment search reads: the values folded, apart (a word never spans two)."""
    return " | ".join(fold(value) for value in values if value)


def place_names(commune: AdministrativeUnit | None) -> tuple[str, ...]:
    """The names of an establishment's commune and province, which its search text carries: a
    search for a place finds the establishments there ("son la"). They are in the one trigram-
    indexed column so that a search is one index condition that PostgreSQL combines with the
    scope's index (issue 11); a renamed unit rewrites them (``refresh_place_names``). The
    province is the commune's parent (a query unless the caller loaded it)."""
    if commune is None:
        return ()
    province = commune.parent if commune.parent_id else None
    return (commune.name,) if province is None else (commune.name, province.name)


class LegalForm(models.TextChoices):
    """Loại hình cơ sở."""

    SME = "dnnvv", _("Doanh nghiệp nhỏ và vừa")
    COOPERATIVE = "htx", _("Hợp tác xã")
    UNION_OF_COOPERATIVES = "lhhtx", _("Liên hiệp hợp tác xã")
    COOPERATIVE_GROUP = "tht", _("Tổ hợp tác")
    HOUSEHOLD = "hkd", _("Hộ kinh doanh")


class ProductGroup(models.TextChoices):
    """Nhóm sản phẩm (DOMAIN.md §6)."""

    HANDICRAFT = "1", _("Thủ công mỹ nghệ")
    PROCESSED_FOOD = "2", _("Chế biến nông, lâm, thủy sản và thực phẩm")
    MACHINERY = "3", _("Thiết bị, máy móc, dụng cụ, phụ tùng cơ khí")
    OTHER = "4", _("Sản phẩm khác")


class Gender(models.TextChoices):
    MALE = "nam", _("Nam")
    FEMALE = "nu", _("Nữ")
    OTHER = "khac", _("Khác")


class Establishment(InProvince):
    """Cơ sở công nghiệp nông thôn: the beneficiary of khuyến công support."""

    scope_columns = ScopeColumns("commune", "province")

    name = models.CharField(_("tên cơ sở"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True, default="")
    #: Vietnamese order (core.text.sort_key): the lists sort by it, đ after d.
    name_sort = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, default="")
    legal_form = models.CharField(_("loại hình"), max_length=8, choices=LegalForm.choices)
    tax_code = models.CharField(_("mã số thuế / số ĐKKD"), max_length=20, blank=True, db_index=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã/phường"),
        on_delete=models.PROTECT,
        related_name="establishments",
    )
    product_group = models.CharField(_("nhóm sản phẩm"), max_length=1, choices=ProductGroup.choices)
    main_products = models.CharField(_("sản phẩm chính"), max_length=255, blank=True)
    owner_name = models.CharField(_("chủ cơ sở"), max_length=150, blank=True)
    #: The name, products, owner, tax code and the commune's and province's names folded into
    #: one column for the accent-insensitive search ("che" finds "chè", "lo thi hoa" the owner
    #: Lò Thị Hoa, "son la" the province). On PostgreSQL a trigram GIN index (pg_trgm,
    #: migration 0005; with the province and the commune, btree_gin, migration 0011) serves its
    #: ``LIKE '%word%'``; SQLite scans.
    search_folded = models.TextField(editable=False, default="")
    owner_gender = models.CharField(
        _("giới tính chủ cơ sở"), max_length=4, choices=Gender.choices, blank=True
    )
    owner_ethnic_minority = models.BooleanField(
        _("chủ cơ sở là người dân tộc thiểu số"), default=False
    )
    employees_total = models.PositiveIntegerField(_("tổng lao động"), default=0)
    employees_female = models.PositiveIntegerField(_("lao động nữ"), default=0)
    employees_ethnic_minority = models.PositiveIntegerField(
        _("lao động dân tộc thiểu số"), default=0
    )
    founded_year = models.PositiveSmallIntegerField(_("năm thành lập"), null=True, blank=True)
    craft_village = models.CharField(_("làng nghề"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu trình diễn"), default=False)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["name_folded", "name_sort", "search_folded", "province"]
    )

    class Meta:
        verbose_name = _("cơ sở CNNT")
        verbose_name_plural = _("cơ sở CNNT")
        ordering = ["name_sort", "pk"]
        # The list's scopes (province, commune), filters (legal form, product group) and its
        # order (Vietnamese, name_sort): each scope's page is one index range read in order.
        # The national name order carries the folded name (PostgreSQL; SQLite has no INCLUDE):
        # a national search's page walks it for the names holding the phrase without reading
        # the table (selectors.named_first_window; issue 11: 13,197 entries walked for the
        # first page of "tho cam" at scale 1.0, 2,181 buffers instead of 13,516).
        indexes = [
            models.Index(
                fields=["name_sort", "id"], include=["name_folded"], name="registry_est_name_sort"
            ),
            models.Index(fields=["province", "name_sort", "id"], name="registry_est_prov_sort"),
            models.Index(fields=["commune", "name_sort", "id"], name="registry_est_comm_sort"),
            models.Index(
                fields=["province", "legal_form", "product_group", "name_sort"],
                name="registry_est_prov_form_sort",
            ),
            models.Index(
                fields=["legal_form", "product_group", "name_sort"], name="registry_est_form_sort"
            ),
            models.Index(fields=["product_group", "name_sort"], name="registry_est_group_sort"),
        ]
        constraints = [
            *bounds.constraints(
                bounds.EMPLOYEES,
                "registry_est",
                "employees_total",
                "employees_female",
                "employees_ethnic_minority",
            ),
            bounds.FOUNDED_YEARS.constraint(
                "founded_year", "registry_est_founded_year_bound", null=True
            ),
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=~Q(tax_code=""),
                name="registry_tax_code_unique_when_present",
                # Without it Django answers "Constraint “…” is violated." (seen over the API).
                violation_error_message=_("Mã số thuế này đã được dùng cho một cơ sở khác."),
            ),
            models.CheckConstraint(
                condition=Q(employees_female__lte=F("employees_total"))
                & Q(employees_ethnic_minority__lte=F("employees_total")),
                name="registry_employees_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        """Clean the name and compute the folded search columns (``bulk_create`` skips save)."""
        self.name = " ".join(self.name.split())
        self.name_folded = fold(self.name)
        self.name_sort = sort_key(self.name)
        commune = self.commune if self.commune_id else None
        self.search_folded = search_text(
            self.name, self.main_products, self.owner_name, self.tax_code, *place_names(commune)
        )

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.commune

    @property
    def policy_establishment_id(self) -> int | None:
        return self.pk

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            self.tax_code = normalise_identifier(self.tax_code)
        except IdentifierError as exc:
            errors["tax_code"] = str(exc)
        if self.commune_id and self.commune.level != UnitLevel.COMMUNE:
            errors["commune"] = _("Cơ sở phải thuộc một xã, phường hoặc đặc khu.")
        from .validation import field_errors  # the rules the import applies too

        fields = ("employees_total", "employees_female", "employees_ethnic_minority")
        values = {f: getattr(self, f) for f in (*fields, "founded_year", "phone")}
        errors.update(field_errors(values))
        if errors:
            raise ValidationError(errors)


class ArtisanTitle(models.TextChoices):
    PEOPLES = "nhan-dan", _("Nghệ nhân nhân dân")
    MERITORIOUS = "uu-tu", _("Nghệ nhân ưu tú")
    PROVINCIAL = "cap-tinh", _("Nghệ nhân cấp tỉnh")
    OTHER = "khac", _("Danh hiệu khác")


class Artisan(models.Model):
    """Nghệ nhân: an artisan with a state title, possibly working at an establishment."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    #: Vietnamese order (core.text.sort_key) for the list, and the name and craft folded for
    #: its accent-insensitive search ("lo thi xuan", "tho cam").
    name_sort = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, default="")
    search_folded = models.TextField(editable=False, default="")
    title = models.CharField(_("danh hiệu"), max_length=16, choices=ArtisanTitle.choices)
    year_awarded = models.PositiveSmallIntegerField(_("năm phong tặng"), null=True, blank=True)
    craft = models.CharField(_("nghề"), max_length=150, blank=True)
    commune = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("xã/phường"), on_delete=models.PROTECT
    )
    establishment = models.ForeignKey(
        Establishment,
        verbose_name=_("cơ sở"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="artisans",
    )
    #: Optimistic locking (core.concurrency): an edit names the version it was made on.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    history = HistoricalRecords(excluded_fields=["name_sort", "search_folded"])

    class Meta:
        verbose_name = _("nghệ nhân")
        verbose_name_plural = _("nghệ nhân")
        ordering = ["name_sort", "pk"]
        constraints = [
            bounds.AWARD_YEARS.constraint(
                "year_awarded", "registry_artisan_year_awarded_bound", null=True
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_title_display()} {self.full_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        self.full_name = " ".join(self.full_name.split())
        self.name_sort = sort_key(self.full_name)
        self.search_folded = search_text(self.full_name, self.craft)

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.commune

    @property
    def policy_establishment_id(self) -> int | None:
        return self.establishment_id

    def clean(self) -> None:
        """The artisan's own rules (who may write where is the service's, from the policy)."""
        from .validation import artisan_errors

        errors = artisan_errors(
            year=self.year_awarded,
            commune=self.commune if self.commune_id else None,
            establishment=self.establishment if self.establishment_id else None,
        )
        if errors:
            raise ValidationError(errors)


class ImportJobState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang xử lý")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Không nhập được")


class ImportJob(models.Model):
    """Một lần nhập danh sách cơ sở chạy nền: a large file imported by the task worker.

    The uploaded file is kept only until the job finishes. ``errors`` holds the problems found
    (``{"row", "column", "message"}``, at most :data:`importing.MAX_ERRORS` of them), and
    ``error_count`` how many there were in all.
    """

    state = models.CharField(
        _("trạng thái"), max_length=8, choices=ImportJobState.choices, default=ImportJobState.QUEUED
    )
    stage = models.CharField(_("bước"), max_length=120, blank=True)
    file = models.FileField(_("tệp"), upload_to="registry/imports/", blank=True)
    filename = models.CharField(_("tên tệp"), max_length=255)
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    processed_rows = models.PositiveIntegerField(_("số dòng đã kiểm tra"), default=0)
    imported_rows = models.PositiveIntegerField(_("số cơ sở đã nhập"), default=0)
    error_count = models.PositiveIntegerField(_("số lỗi"), default=0)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assignment = models.ForeignKey(
        "accounts.RoleAssignment",
        verbose_name=_("vai trò khi nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Phạm vi nhập là phạm vi của vai trò này."),
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lần nhập cơ sở")
        verbose_name_plural = _("các lần nhập cơ sở")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def policy_unit(self) -> AdministrativeUnit:
        return self.unit

    @property
    def is_finished(self) -> bool:
        return self.state in {ImportJobState.DONE, ImportJobState.FAILED}

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.processed_rows * 100 // self.total_rows)
