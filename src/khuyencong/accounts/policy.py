"""The access policy (chính sách phân quyền): the one place that decides who sees and does what.

A user acts through one *role assignment* at a time (their current one). That assignment's unit
and everything below it is the user's scope. ``can`` answers whether the user may do an action on
an object and, when not, why — in Vietnamese, ready to show. ``scope_queryset`` narrows any
queryset to what the user may see. Selectors and services call these; views never decide.

Objects tell the policy which unit they belong to through a ``policy_unit`` attribute. An
object may also lie at a *place* below that unit (a province's project carried out in one
commune: ``policy_place``, the model's ``ScopeColumns.place``): the officers of that place
*read* it (:data:`PLACE_READS`), never change it — their role takes part in no write of it.

Two further kinds of object take part (the selection of typical products, ``awards``):

- objects a **council member** reaches through their seat on a council, not through a unit:
  the model has ``policy_member_q(user)`` (a ``Q`` selecting the rows the member may see) and
  the object ``policy_member_roles(user)`` (what the seat lets them do: ``member``, ``judge``,
  ``chair``); :data:`MEMBER_ACTIONS` says which seat an action needs;
- **sealed** objects (a judge's score sheet before the jury closes): the model has
  ``policy_unsealed_q(user)`` and the object ``policy_sealed_for(user)``; a sealed object is
  hidden from everyone but its owner, whatever their role, in every list and every check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from django.db.models import BigIntegerField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from khuyencong.core.lookups import InIds
from khuyencong.core.models import Visibility
from khuyencong.geo.models import (
    AdministrativeUnit,
    AdministrativeUnitQuerySet,
    ScopeColumns,
    UnitLevel,
)

from .models import OFFICER_ROLES, Role, RoleAssignment, User


class Action(StrEnum):
    """What a user may do. New domains add their actions here, with the roles below."""

    VIEW = "view"
    CHANGE_UNIT = "change_unit"
    MANAGE_USERS = "manage_users"
    VIEW_HISTORY = "view_history"
    VIEW_PROGRAMME = "view_programme"
    CHANGE_PROGRAMME = "change_programme"
    CHANGE_ESTABLISHMENT = "change_establishment"
    VIEW_ROUND = "view_round"
    MANAGE_ROUNDS = "manage_rounds"
    CHANGE_ROUND = "change_round"
    REGISTER_NEED = "register_need"
    REVIEW_REGISTRATION = "review_registration"
    PREPARE_PLAN = "prepare_plan"
    APPRAISE_PLAN = "appraise_plan"
    APPROVE_PLAN = "approve_plan"
    # Đề án khuyến công (projects)
    CREATE_PROJECT = "create_project"
    SUBMIT_PROJECT = "submit_project"
    APPRAISE_PROJECT_PROVINCE = "appraise_project_province"
    APPRAISE_PROJECT_NATIONAL = "appraise_project_national"
    APPROVE_PROJECT = "approve_project"
    SIGN_OFF_FINANCE = "sign_off_finance"
    CONTRACT_PROJECT = "contract_project"
    REPORT_PROGRESS = "report_progress"
    INSPECT_PROJECT = "inspect_project"
    ACCEPT_PROJECT = "accept_project"
    SETTLE_PROJECT = "settle_project"
    CANCEL_PROJECT = "cancel_project"
    RECORD_PAYMENT = "record_payment"
    ATTACH_PROJECT_FILE = "attach_project_file"
    MANAGE_NORMS = "manage_norms"
    VIEW_INTERNAL = "view_internal"
    VIEW_DISBURSEMENT = "view_disbursement"
    COSIGN_PAYMENT = "cosign_payment"
    # Bình chọn sản phẩm CNNT tiêu biểu (awards)
    MANAGE_PRODUCT = "manage_product"
    VIEW_SELECTION = "view_selection"
    RUN_SELECTION = "run_selection"
    FILE_ENTRY = "file_entry"
    FORWARD_ENTRIES = "forward_entries"
    VIEW_SCORES = "view_scores"
    SCORE_ENTRY = "score_entry"
    CHAIR_JURY = "chair_jury"
    LODGE_COMPLAINT = "lodge_complaint"
    REPORT_AS_HOLDER = "report_as_holder"
    MANAGE_SELECTION_RULES = "manage_selection_rules"
    # Báo cáo định kỳ (reporting)
    VIEW_REPORTS = "view_reports"
    PREPARE_REPORT = "prepare_report"
    APPROVE_REPORT = "approve_report"
    REVIEW_REPORT = "review_report"
    EXTEND_REPORT = "extend_report"
    REFRESH_SUMMARY = "refresh_summary"


class Reach(StrEnum):
    """How far from the user's unit an action reaches."""

    SUBTREE = "subtree"  # the unit and everything below it
    SUBTREE_AND_ANCESTORS = "subtree_and_ancestors"  # also the units above (their decisions)
    OWN_UNIT = "own_unit"  # only objects owned by the user's own unit


ACTION_LABELS: dict[Action, StrOrPromise] = {
    Action.VIEW: gettext_lazy("xem"),
    Action.CHANGE_UNIT: gettext_lazy("sửa thông tin đơn vị"),
    Action.MANAGE_USERS: gettext_lazy("quản lý người dùng và vai trò"),
    Action.VIEW_HISTORY: gettext_lazy("xem lịch sử thay đổi"),
    Action.VIEW_PROGRAMME: gettext_lazy("xem chương trình khuyến công"),
    Action.CHANGE_PROGRAMME: gettext_lazy("sửa chương trình khuyến công"),
    Action.CHANGE_ESTABLISHMENT: gettext_lazy("thêm, sửa, nhập cơ sở công nghiệp nông thôn"),
    Action.VIEW_ROUND: gettext_lazy("xem đợt đăng ký"),
    Action.MANAGE_ROUNDS: gettext_lazy("mở đợt đăng ký và gia hạn"),
    Action.CHANGE_ROUND: gettext_lazy("sửa đợt đăng ký"),
    Action.REGISTER_NEED: gettext_lazy("lập và gửi phiếu đăng ký nhu cầu hỗ trợ"),
    Action.REVIEW_REGISTRATION: gettext_lazy("xem xét phiếu đăng ký (trả lại, chấp nhận, từ chối)"),
    Action.PREPARE_PLAN: gettext_lazy("lập và trình kế hoạch khuyến công năm"),
    Action.APPRAISE_PLAN: gettext_lazy("thẩm định kế hoạch khuyến công năm"),
    Action.APPROVE_PLAN: gettext_lazy("ghi nhận phê duyệt kế hoạch khuyến công năm"),
    Action.CREATE_PROJECT: gettext_lazy("lập, sửa đề án khuyến công"),
    Action.SUBMIT_PROJECT: gettext_lazy("trình đề án khuyến công"),
    Action.APPRAISE_PROJECT_PROVINCE: gettext_lazy("thẩm định đề án cấp tỉnh"),
    Action.APPRAISE_PROJECT_NATIONAL: gettext_lazy("thẩm định đề án cấp trung ương"),
    Action.APPROVE_PROJECT: gettext_lazy("phê duyệt đề án khuyến công"),
    Action.SIGN_OFF_FINANCE: gettext_lazy("thống nhất kinh phí đề án (Sở Tài chính)"),
    Action.CONTRACT_PROJECT: gettext_lazy("ký hợp đồng và triển khai đề án"),
    Action.REPORT_PROGRESS: gettext_lazy("báo cáo tiến độ đề án"),
    Action.INSPECT_PROJECT: gettext_lazy("kiểm tra, giám sát đề án"),
    Action.ACCEPT_PROJECT: gettext_lazy("nghiệm thu đề án"),
    Action.SETTLE_PROJECT: gettext_lazy("quyết toán, thanh lý đề án"),
    Action.CANCEL_PROJECT: gettext_lazy("hủy đề án"),
    Action.RECORD_PAYMENT: gettext_lazy("ghi nhận tạm ứng, thanh toán đề án"),
    Action.ATTACH_PROJECT_FILE: gettext_lazy("đính kèm tài liệu vào hồ sơ đề án"),
    Action.MANAGE_NORMS: gettext_lazy("thêm, sửa định mức hỗ trợ"),
    Action.VIEW_DISBURSEMENT: gettext_lazy("xem tình hình giải ngân kinh phí khuyến công"),
    Action.COSIGN_PAYMENT: gettext_lazy("đồng ký thanh toán (Sở Tài chính)"),
    Action.VIEW_INTERNAL: gettext_lazy(
        "đọc ý kiến, sự kiện, tài liệu nội bộ và tên cán bộ của cơ quan nhà nước"
    ),
    Action.MANAGE_PRODUCT: gettext_lazy("thêm, sửa sản phẩm của cơ sở"),
    Action.VIEW_SELECTION: gettext_lazy("xem kỳ bình chọn sản phẩm tiêu biểu"),
    Action.RUN_SELECTION: gettext_lazy(
        "tổ chức kỳ bình chọn (mở kỳ, kiểm tra hồ sơ, hội đồng, công bố, cấp giấy chứng nhận)"
    ),
    Action.FILE_ENTRY: gettext_lazy("lập và nộp hồ sơ tham gia bình chọn"),
    Action.FORWARD_ENTRIES: gettext_lazy("đề xuất sản phẩm lên cấp trên (danh sách PL5)"),
    Action.VIEW_SCORES: gettext_lazy("xem phiếu chấm điểm"),
    Action.SCORE_ENTRY: gettext_lazy("chấm điểm hồ sơ bình chọn"),
    Action.CHAIR_JURY: gettext_lazy("điều hành ban giám khảo (phân công, khóa chấm)"),
    Action.LODGE_COMPLAINT: gettext_lazy("gửi khiếu nại kết quả bình chọn"),
    Action.REPORT_AS_HOLDER: gettext_lazy("báo cáo hằng năm về sản phẩm được chứng nhận"),
    Action.MANAGE_SELECTION_RULES: gettext_lazy(
        "sửa quy định bình chọn (điểm đạt, hội đồng, thời hạn, ngày nghỉ)"
    ),
    Action.VIEW_REPORTS: gettext_lazy("xem báo cáo định kỳ và bảng tổng hợp"),
    Action.PREPARE_REPORT: gettext_lazy("lập và gửi báo cáo định kỳ"),
    Action.APPROVE_REPORT: gettext_lazy("phê duyệt báo cáo định kỳ của đơn vị"),
    Action.REVIEW_REPORT: gettext_lazy("chấp nhận hoặc trả lại báo cáo của cấp dưới"),
    Action.EXTEND_REPORT: gettext_lazy("gia hạn nộp báo cáo, mở lại nhập liệu"),
    Action.REFRESH_SUMMARY: gettext_lazy("làm mới bảng tổng hợp toàn quốc"),
}

ALL_ROLES = frozenset(Role)

#: Which roles may do an action at all; the scope check comes on top.
ACTION_ROLES: dict[Action, frozenset[Role]] = {
    Action.VIEW: ALL_ROLES,
    Action.CHANGE_UNIT: frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_SCT, Role.SYSTEM_ADMIN}),
    Action.MANAGE_USERS: frozenset({Role.SYSTEM_ADMIN}),
    # Council members see only the rounds and entries they sit on, not the units' activity.
    Action.VIEW_HISTORY: ALL_ROLES - {Role.ESTABLISHMENT, Role.COUNCIL_MEMBER},
    Action.VIEW_PROGRAMME: ALL_ROLES,
    # The provincial centre drafts the programme, the SCT appraises it; the national department
    # keeps the national programme; a commune keeps its own.
    Action.CHANGE_PROGRAMME: frozenset(
        {Role.PROVINCE_CENTRE, Role.PROVINCE_SCT, Role.NATIONAL_OFFICER, Role.COMMUNE_OFFICER}
    ),
    Action.CHANGE_ESTABLISHMENT: frozenset(
        {Role.COMMUNE_OFFICER, Role.PROVINCE_CENTRE, Role.PROVINCE_SCT, Role.SYSTEM_ADMIN}
    ),
    Action.VIEW_ROUND: ALL_ROLES,
    Action.MANAGE_ROUNDS: frozenset(
        {Role.PROVINCE_SCT, Role.PROVINCE_CENTRE, Role.NATIONAL_OFFICER}
    ),
    Action.CHANGE_ROUND: frozenset(
        {Role.PROVINCE_SCT, Role.PROVINCE_CENTRE, Role.NATIONAL_OFFICER}
    ),
    Action.REGISTER_NEED: frozenset({Role.COMMUNE_OFFICER, Role.ESTABLISHMENT}),
    Action.REVIEW_REGISTRATION: frozenset({Role.PROVINCE_CENTRE, Role.PROVINCE_SCT}),
    Action.PREPARE_PLAN: frozenset({Role.PROVINCE_CENTRE}),
    Action.APPRAISE_PLAN: frozenset({Role.PROVINCE_SCT, Role.PROVINCE_FINANCE}),
    Action.APPROVE_PLAN: frozenset({Role.PROVINCE_SCT}),
    # Projects: the centre prepares, contracts, pays and reports; the SCT and Finance appraise
    # (one sign-off each), the SCT approves local-fund projects (with Finance's agreement on
    # the money); acceptance minutes and the settlement are recorded by the centre that ran the
    # project or by the SCT; the national department appraises and approves national-fund
    # projects. Which role signs which step for which fund is in
    # ``projects.workflow``; these are the roles that may take part at all.
    Action.CREATE_PROJECT: frozenset({Role.PROVINCE_CENTRE}),
    Action.SUBMIT_PROJECT: frozenset({Role.PROVINCE_CENTRE}),
    Action.APPRAISE_PROJECT_PROVINCE: frozenset({Role.PROVINCE_SCT, Role.PROVINCE_FINANCE}),
    Action.APPRAISE_PROJECT_NATIONAL: frozenset({Role.NATIONAL_OFFICER}),
    Action.APPROVE_PROJECT: frozenset({Role.PROVINCE_SCT, Role.NATIONAL_OFFICER}),
    Action.SIGN_OFF_FINANCE: frozenset({Role.PROVINCE_FINANCE}),
    Action.CONTRACT_PROJECT: frozenset({Role.PROVINCE_CENTRE}),
    Action.REPORT_PROGRESS: frozenset({Role.PROVINCE_CENTRE}),
    Action.INSPECT_PROJECT: frozenset({Role.PROVINCE_SCT, Role.NATIONAL_OFFICER}),
    Action.ACCEPT_PROJECT: frozenset({Role.PROVINCE_CENTRE, Role.PROVINCE_SCT}),
    Action.SETTLE_PROJECT: frozenset({Role.PROVINCE_CENTRE, Role.PROVINCE_SCT}),
    Action.CANCEL_PROJECT: frozenset({Role.PROVINCE_CENTRE, Role.PROVINCE_SCT}),
    Action.RECORD_PAYMENT: frozenset({Role.PROVINCE_CENTRE}),
    Action.ATTACH_PROJECT_FILE: frozenset(
        {Role.PROVINCE_CENTRE, Role.PROVINCE_SCT, Role.PROVINCE_FINANCE, Role.NATIONAL_OFFICER}
    ),
    # The rate table is legal data: only the system administrator keeps it (a provincial
    # administrator only its own province's rows, through the scope check).
    Action.MANAGE_NORMS: frozenset({Role.SYSTEM_ADMIN}),
    # Internal comments, events, files and officers' names are the administration's: an
    # establishment reads what is shared with it (core.models.Visibility).
    Action.VIEW_INTERNAL: ALL_ROLES - {Role.ESTABLISHMENT},
    # Disbursement by fund and year: the finance department's view of the money, which the
    # departments that pay, appraise and approve read too. Finance co-signs payments above the
    # thresholds (projects.CoSignRule) before they count as disbursed.
    Action.VIEW_DISBURSEMENT: frozenset(
        {Role.PROVINCE_FINANCE, Role.PROVINCE_SCT, Role.PROVINCE_CENTRE, Role.NATIONAL_OFFICER}
    ),
    Action.COSIGN_PAYMENT: frozenset({Role.PROVINCE_FINANCE}),
    # Selection: an establishment keeps its products (the commune or the centre may do it on
    # its behalf) and files entries; the unit running a level organises its rounds (the
    # commune, the SCT, the national department for regions and the nation: which role runs
    # which level is ``awards.legal``); the commune proposes to the province and the province
    # to the region and the nation; council members score and chair by their seat.
    Action.MANAGE_PRODUCT: frozenset(
        {Role.ESTABLISHMENT, Role.COMMUNE_OFFICER, Role.PROVINCE_CENTRE}
    ),
    Action.VIEW_SELECTION: ALL_ROLES,
    Action.RUN_SELECTION: frozenset(
        {Role.COMMUNE_OFFICER, Role.PROVINCE_SCT, Role.NATIONAL_OFFICER}
    ),
    Action.FILE_ENTRY: frozenset({Role.ESTABLISHMENT, Role.COMMUNE_OFFICER, Role.PROVINCE_CENTRE}),
    Action.FORWARD_ENTRIES: frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_SCT}),
    Action.VIEW_SCORES: frozenset(
        {Role.COMMUNE_OFFICER, Role.PROVINCE_SCT, Role.NATIONAL_OFFICER, Role.COUNCIL_MEMBER}
    ),
    Action.SCORE_ENTRY: frozenset({Role.COUNCIL_MEMBER}),
    Action.CHAIR_JURY: frozenset({Role.COUNCIL_MEMBER}),
    Action.LODGE_COMPLAINT: frozenset({Role.ESTABLISHMENT}),
    Action.REPORT_AS_HOLDER: frozenset({Role.ESTABLISHMENT, Role.COMMUNE_OFFICER}),
    Action.MANAGE_SELECTION_RULES: frozenset({Role.SYSTEM_ADMIN}),
    # Reports: the commune, the centre and the SCT each prepare their own unit's report and
    # approve it (the head of the unit); the level above (the SCT for communes and the centre,
    # the national department for provinces) accepts or returns it. Which of these roles acts
    # for which reporter is ``reporting.workflow`` (PREPARER, RECEIVER). Establishments and
    # council members have no reports.
    Action.VIEW_REPORTS: ALL_ROLES - {Role.ESTABLISHMENT, Role.COUNCIL_MEMBER},
    Action.PREPARE_REPORT: frozenset(
        {Role.COMMUNE_OFFICER, Role.PROVINCE_CENTRE, Role.PROVINCE_SCT}
    ),
    Action.APPROVE_REPORT: frozenset(
        {Role.COMMUNE_OFFICER, Role.PROVINCE_CENTRE, Role.PROVINCE_SCT}
    ),
    Action.REVIEW_REPORT: frozenset({Role.PROVINCE_SCT, Role.NATIONAL_OFFICER}),
    Action.EXTEND_REPORT: frozenset({Role.PROVINCE_SCT, Role.NATIONAL_OFFICER}),
    # A national roll-up is heavy work: the national department (and the administrator) start
    # it; it also runs every night.
    Action.REFRESH_SUMMARY: frozenset({Role.NATIONAL_OFFICER, Role.SYSTEM_ADMIN}),
}

#: What a council seat must allow for a council member to take an action on an object they
#: reach through their seat (``policy_member_roles``): any seat lets them read, a judge's seat
#: (for an entry: assigned to it) lets them score, the chair's lets them run the jury.
MEMBER_ACTIONS: dict[Action, frozenset[str]] = {
    Action.VIEW: frozenset({"member"}),
    Action.VIEW_SELECTION: frozenset({"member"}),
    Action.VIEW_SCORES: frozenset({"member"}),
    Action.SCORE_ENTRY: frozenset({"judge"}),
    Action.CHAIR_JURY: frozenset({"chair"}),
}

#: Actions that reach further or less far than the default subtree.
ACTION_REACH: dict[Action, Reach] = {
    # Programmes of the levels above are decisions every lower level works under.
    Action.VIEW_PROGRAMME: Reach.SUBTREE_AND_ANCESTORS,
    # A round opened by the province or the nation is addressed to every unit below it.
    Action.VIEW_ROUND: Reach.SUBTREE_AND_ANCESTORS,
    # A level edits only its own programme, never a lower level's.
    Action.CHANGE_PROGRAMME: Reach.OWN_UNIT,
    # A round is edited only by the unit that opened it.
    Action.CHANGE_ROUND: Reach.OWN_UNIT,
    # A round opened at a level above is addressed to the units below; it is run only by the
    # unit that organises it, and a short-list is sent only by its own authority.
    Action.VIEW_SELECTION: Reach.SUBTREE_AND_ANCESTORS,
    Action.RUN_SELECTION: Reach.OWN_UNIT,
    Action.FORWARD_ENTRIES: Reach.OWN_UNIT,
    # A unit prepares and approves only its own report; the level above reaches its subtree.
    Action.PREPARE_REPORT: Reach.OWN_UNIT,
    Action.APPROVE_REPORT: Reach.OWN_UNIT,
}


#: What the officers of the place an object lies at (``policy_place``, below its unit) may do
#: with it: read it and its history. Every other action is the owning unit's, so a commune
#: officer reads the province's projects located in the commune (the commune's periodic report
#: counts them: ``reporting.computations``) and 403 on every step, payment, report or file.
PLACE_READS: frozenset[Action] = frozenset({Action.VIEW, Action.VIEW_HISTORY})


class HasPolicyUnit(Protocol):
    @property
    def policy_unit(self) -> AdministrativeUnit: ...


@dataclass(frozen=True)
class Decision:
    """The policy's answer: allowed, or not and why (a Vietnamese sentence)."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)
_Q = TypeVar("_Q", bound=QuerySet[Any])


def assignments(user: Any) -> list[RoleAssignment]:
    """The user's active role assignments (loaded once per request and cached on the user)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached: list[RoleAssignment] | None = getattr(user, "_policy_assignments", None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user=user, is_active=True)
            .select_related("unit")
            .order_by("id")
        )
        user._policy_assignments = cached
    return cached


def active_assignment(user: Any) -> RoleAssignment | None:
    """The assignment the user currently acts through: the chosen one, else the first."""
    held = assignments(user)
    chosen = next((a for a in held if a.pk == user.current_assignment_id), None)
    return chosen or (held[0] if held else None)


def keep(user: Any, held: list[RoleAssignment]) -> None:
    """Keep ``held`` as the user's active assignments for the request: read already, with the
    user, by the authentication backend (``accounts.backends``), in this module's order."""
    user._policy_assignments = held


def forget(user: Any) -> None:
    """Drop the cached assignments (after a switch or a change of roles)."""
    if hasattr(user, "_policy_assignments"):
        del user._policy_assignments


def act_through(user: Any, assignment: Any) -> bool:
    """Make ``user`` act through ``assignment`` (the role a background job was asked under);
    False when that role is no longer theirs to use (revoked, ended, another user's)."""
    if user is None or assignment is None:
        return False
    user.current_assignment_id = assignment.pk
    forget(user)
    current = active_assignment(user)
    return current is not None and current.pk == assignment.pk


def scope_unit(user: Any) -> AdministrativeUnit | None:
    assignment = active_assignment(user)
    return assignment.unit if assignment else None


def is_officer(user: Any) -> bool:
    """Holds a national or provincial officer role (these must use two-factor login)."""
    return any(a.role in OFFICER_ROLES for a in assignments(user))


def _ancestor_paths(unit: AdministrativeUnit) -> list[str]:
    parts = unit.path.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts))]


def _path_q(unit: AdministrativeUnit, prefix: str) -> Q:
    """The unit and everything below it, by the materialised path (through a join)."""
    return Q(**{f"{prefix}path": unit.path}) | Q(**{f"{prefix}path__startswith": unit.path + "/"})


def _subtree_q(model: type[Any], unit_field: str, unit: AdministrativeUnit) -> Q:
    """Rows whose unit is ``unit`` or lies below it, as an index range on the row itself
    wherever the row allows (see ``geo.models.ScopeColumns``): nothing to filter for the
    nation, the unit's own key for a commune (nothing lies below a commune), the row's
    province key for a province. Only tables without a province column (the unit tree itself,
    small tables) and scopes at a pre-2025 district level still filter by path."""
    key = unit_field or "pk"
    if unit.level == UnitLevel.NATIONAL:
        if unit_field and ("__" in unit_field or model._meta.get_field(unit_field).null):
            return Q(**{f"{unit_field}__isnull": False})
        return Q()
    if unit.level == UnitLevel.COMMUNE:
        return Q(**{key: unit_key(unit.pk)})
    columns: ScopeColumns | None = getattr(model, "scope_columns", None)
    if unit.level == UnitLevel.PROVINCE and columns is not None and columns.unit == unit_field:
        return Q(**{columns.province: unit_key(unit.pk)})
    return _path_q(unit, f"{unit_field}__" if unit_field else "")


def unit_key(pk: int) -> Cast:
    """A unit's key as the SQL value a scope compares a row's unit column with: a ``bigint``,
    the columns' type. psycopg sends a small Python int as a ``smallint``, and a GIN index's
    integer keys (btree_gin, PostgreSQL 15) match only their own type: the establishments'
    search index holds the province and the commune (registry migration 0011), and with a
    ``smallint`` a province's search read the country's matches of its words (issue 11). The
    B-tree indexes serve either type."""
    return Cast(Value(pk), BigIntegerField())


def _unit_q(model: type[Any], unit_field: str, unit: AdministrativeUnit, reach: Reach) -> Q:
    key = unit_field or "pk"
    if reach == Reach.OWN_UNIT:
        return Q(**{key: unit_key(unit.pk)})
    below = _subtree_q(model, unit_field, unit)
    if reach == Reach.SUBTREE_AND_ANCESTORS and unit.level != UnitLevel.NATIONAL:
        above = AdministrativeUnit.objects.filter(path__in=_ancestor_paths(unit)).values("pk")
        # ``= ANY(ARRAY(…))``, not ``IN (…)``: inside this OR an IN subquery is a hashed filter
        # over every row of the table, while the array is computed once and both branches are
        # index ranges (a province's selection rounds: 2,381 national rows scanned, 598
        # buffers → 40 at scale 1.0; issue 11).
        return below | Q(InIds(key, above))
    return below


def _reaches(scope: AdministrativeUnit, unit: AdministrativeUnit, reach: Reach) -> bool:
    if reach == Reach.OWN_UNIT:
        return unit.pk == scope.pk
    if unit.is_within(scope):
        return True
    return reach == Reach.SUBTREE_AND_ANCESTORS and scope.is_within(unit)


def _reads_place(assignment: RoleAssignment, action: Action, obj: Any) -> bool:
    """Does the user read ``obj`` as an officer of the place it lies at (``policy_place``)?
    Not a representative: they read what their establishment benefits from, nothing more."""
    place: AdministrativeUnit | None = getattr(obj, "policy_place", None)
    return (
        action in PLACE_READS
        and assignment.role != Role.ESTABLISHMENT
        and place is not None
        and place.is_within(assignment.unit)
    )


def scope_queryset(
    user: Any,
    queryset: _Q,
    *,
    unit_field: str = "unit",
    action: Action = Action.VIEW,
    establishment_field: str | None = None,
    place_field: str | None = None,
) -> _Q:
    """Narrow ``queryset`` to the objects whose unit lies in the user's scope.

    ``unit_field`` is the model's foreign key to its ``AdministrativeUnit`` ("" for units).
    When the model declares ``scope_columns`` for that key, a province's rows are one index
    range on the row's own province column (no join, no ``LIKE``).
    ``establishment_field`` is the lookup to the establishment (cơ sở) an object concerns
    ("pk" for establishments themselves): an establishment's representative sees only their
    own establishment's objects. A model with ``policy_member_q`` is narrowed for a council
    member to what their seats reach; one with ``policy_unsealed_q`` loses, for everyone, the
    rows sealed from this user.
    ``place_field`` is the lookup to the unit below the row's unit where it lies (default: the
    model's ``scope_columns.place`` when ``unit_field`` is its unit): for a reading action
    (:data:`PLACE_READS`), a user below the row's unit also sees the rows located in their
    scope.
    """
    assignment = active_assignment(user)
    if assignment is None or assignment.role not in ACTION_ROLES[action]:
        return queryset.none()
    unsealed = getattr(queryset.model, "policy_unsealed_q", None)
    if unsealed is not None:
        queryset = queryset.filter(unsealed(user))
    member_q = getattr(queryset.model, "policy_member_q", None)
    if member_q is not None and assignment.role == Role.COUNCIL_MEMBER:
        return queryset.filter(member_q(user))
    if establishment_field is not None and assignment.role == Role.ESTABLISHMENT:
        if assignment.establishment_id is None:
            return queryset.none()
        return queryset.filter(**{establishment_field: assignment.establishment_id})
    reach = ACTION_REACH.get(action, Reach.SUBTREE)
    condition = _unit_q(queryset.model, unit_field, assignment.unit, reach)
    if place_field is None:
        columns: ScopeColumns | None = getattr(queryset.model, "scope_columns", None)
        place_field = columns.place if columns is not None and columns.unit == unit_field else ""
    # A place lies inside its row's unit (the services refuse any other), so for a scope at a
    # province or above the unit's range already holds every row located in it: the place is
    # asked only below (a commune's ``location_id = C``), and the province's plan is unchanged.
    if (
        place_field
        and action in PLACE_READS
        and assignment.role != Role.ESTABLISHMENT
        and assignment.unit.level > UnitLevel.PROVINCE
    ):
        condition |= _subtree_q(queryset.model, place_field, assignment.unit)
    return queryset.filter(condition)


def whole_subtree_q(
    user: Any,
    model: type[Any],
    of: type[Any],
    *,
    unit_field: str = "unit",
    action: Action = Action.VIEW,
    per_establishment: bool = False,
) -> Q | None:
    """The rows of ``model`` (by its ``unit_field``) below whose unit the user reads every
    object of model ``of``: ``scope_queryset(user, of…, action=action)`` holds every ``of``
    lying at or below such a unit, so a figure kept for all of them is the user's figure
    (a round's kept count of sent registrations, for a round of the user's unit or below).

    ``Q()`` when that is every row (the nation's scope); None when it is none: the role may not
    read ``of``, reaches only its own unit's, is an establishment's representative reading its
    own (``per_establishment``: ``scope_queryset``'s ``establishment_field``), a council
    member reading by seat, or ``of`` has rows sealed from some readers."""
    assignment = active_assignment(user)
    if (
        assignment is None
        or assignment.role not in ACTION_ROLES[action]
        or ACTION_REACH.get(action, Reach.SUBTREE) == Reach.OWN_UNIT
        or (per_establishment and assignment.role == Role.ESTABLISHMENT)
        or (assignment.role == Role.COUNCIL_MEMBER and hasattr(of, "policy_member_q"))
        or hasattr(of, "policy_unsealed_q")
    ):
        return None
    return _subtree_q(model, unit_field, assignment.unit)


def visible_units(user: Any) -> AdministrativeUnitQuerySet:
    return scope_queryset(user, AdministrativeUnit.objects.all(), unit_field="")


def _member_decision(user: Any, action: Action, obj: Any, roles: frozenset[str]) -> Decision:
    """A council member acts on what their seat reaches, whatever the unit."""
    needed = MEMBER_ACTIONS.get(action, frozenset())
    if roles & needed:
        return ALLOWED
    if not roles:
        return Decision(
            False,
            _("Bạn không được phân công vào hội đồng hay hồ sơ “%(object)s”.") % {"object": obj},
        )
    if "judge" in needed:
        return Decision(False, _("Bạn không được phân công chấm “%(object)s”.") % {"object": obj})
    if "chair" in needed:
        return Decision(
            False,
            _("Chỉ Chủ tịch hội đồng mới được %(action)s.") % {"action": ACTION_LABELS[action]},
        )
    return Decision(
        False,
        _("Thành viên hội đồng không được %(action)s.") % {"action": ACTION_LABELS[action]},
    )


def can(user: Any, action: Action, obj: HasPolicyUnit | None = None) -> Decision:
    """May ``user`` do ``action`` (on ``obj``)? Returns the decision with a reason."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Decision(False, _("Bạn cần đăng nhập để thực hiện thao tác này."))
    if not user.is_active:
        return Decision(False, _("Tài khoản của bạn đã bị khóa."))
    assignment = active_assignment(user)
    if assignment is None:
        return Decision(
            False,
            _("Tài khoản của bạn chưa được giao vai trò nào. Hãy liên hệ quản trị hệ thống."),
        )
    if assignment.role not in ACTION_ROLES[action]:
        return Decision(
            False,
            _("Vai trò “%(role)s” không được phép %(action)s.")
            % {"role": assignment.get_role_display(), "action": ACTION_LABELS[action]},
        )
    if obj is not None:
        sealed_for = getattr(obj, "policy_sealed_for", None)
        if sealed_for is not None and sealed_for(user):
            return Decision(
                False,
                _(
                    "Phiếu chấm được niêm phong đến khi ban giám khảo khóa chấm: chỉ giám khảo "
                    "chấm phiếu này mới xem được."
                ),
            )
        member_roles = getattr(obj, "policy_member_roles", None)
        if member_roles is not None and assignment.role == Role.COUNCIL_MEMBER:
            return _member_decision(user, action, obj, member_roles(user))
        establishment_id = getattr(obj, "policy_establishment_id", None)
        if (
            assignment.role == Role.ESTABLISHMENT
            and establishment_id is not None
            and establishment_id != assignment.establishment_id
        ):
            return Decision(False, _("Bạn chỉ làm việc được với hồ sơ của cơ sở mình đại diện."))
        unit = obj.policy_unit
        reach = ACTION_REACH.get(action, Reach.SUBTREE)
        if not _reaches(assignment.unit, unit, reach) and not _reads_place(assignment, action, obj):
            if reach == Reach.OWN_UNIT and unit.is_within(assignment.unit):
                return Decision(
                    False,
                    _("Chỉ cán bộ của %(unit)s mới được %(action)s “%(object)s”.")
                    % {"unit": unit, "action": ACTION_LABELS[action], "object": obj},
                )
            return Decision(
                False,
                _("“%(object)s” thuộc %(unit)s, nằm ngoài phạm vi %(scope)s của bạn.")
                % {"object": obj, "unit": unit, "scope": assignment.unit},
            )
    return ALLOWED


def can_any(user: Any, actions: Iterable[Action], obj: HasPolicyUnit | None = None) -> Decision:
    """May ``user`` do at least one of ``actions`` (on ``obj``)? A workflow step form asks
    this before reading the form: a role that takes no part answers 403 whatever it sent.
    Refused: the first refusal's reason."""
    refusal: Decision | None = None
    for action in actions:
        decision = can(user, action, obj)
        if decision:
            return decision
        if refusal is None:  # not ``refusal or …``: a refusal is falsy
            refusal = decision
    if refusal is not None:
        return refusal
    return Decision(False, _("Bạn không được phép thực hiện thao tác này."))


# --------------------------------------------------------------------------------------------
# Internal or shared (nội bộ, chia sẻ): comments, events and files
# --------------------------------------------------------------------------------------------
def sees_internal(user: Any) -> bool:
    """Does the user read internal comments, events and files, and officers' names?"""
    return bool(can(user, Action.VIEW_INTERNAL))


def may_read(user: Any, visibility: str) -> bool:
    """May the user read a comment, event or file of this visibility (on an object they see)?"""
    return visibility == Visibility.SHARED or sees_internal(user)


def readable(user: Any, queryset: _Q, *, field: str = "visibility") -> _Q:
    """Narrow rows that carry a visibility to those the user may read."""
    if sees_internal(user):
        return queryset
    return queryset.filter(**{field: Visibility.SHARED})


def internal_only(user: Any, queryset: _Q) -> _Q:
    """Rows that are internal by nature (appraisal sign-offs, inspections, progress reports):
    all of them for the administration, none for anyone else."""
    return queryset if sees_internal(user) else queryset.none()


# --------------------------------------------------------------------------------------------
# User administration (quản trị người dùng): which accounts an administrator sees and changes
# --------------------------------------------------------------------------------------------
def scope_users(user: Any, queryset: QuerySet[User]) -> QuerySet[User]:
    """Accounts an administrator may see: everyone who holds or held a role in their scope; a
    national administrator also sees accounts that never had a role."""
    assignment = active_assignment(user)
    if assignment is None or assignment.role not in ACTION_ROLES[Action.MANAGE_USERS]:
        return queryset.none()
    held = scope_queryset(user, RoleAssignment.objects.all(), action=Action.MANAGE_USERS)
    condition = Q(pk__in=held.values("user_id"))
    if assignment.unit.level == UnitLevel.NATIONAL:
        condition |= ~Q(pk__in=RoleAssignment.objects.values("user_id"))
    return queryset.filter(condition)


def _not_oneself(actor: Any, target: User) -> Decision:
    if target.pk == actor.pk:
        return Decision(
            False,
            _(
                "Bạn không tự thay đổi tài khoản, vai trò của chính mình: hãy nhờ một quản trị "
                "hệ thống khác. Mật khẩu và xác thực hai lớp của mình thì đổi ở trang “Tài khoản”."
            ),
        )
    return ALLOWED


def can_manage_account(actor: Any, target: User) -> Decision:
    """May ``actor`` lock, unlock, reset the password or two-factor login of ``target``?

    Only an administrator whose scope holds every role the account still has (a provincial
    administrator never changes an account that also works for another province or the
    nation), never for their own account, never for a technical superuser.
    """
    decision = can(actor, Action.MANAGE_USERS)
    if not decision:
        return decision
    if not (decision := _not_oneself(actor, target)):
        return decision
    if target.is_superuser and not actor.is_superuser:
        return Decision(
            False,
            _(
                "“%(user)s” là tài khoản quản trị kỹ thuật: chỉ được thay đổi trong trang quản "
                "trị kỹ thuật."
            )
            % {"user": target},
        )
    scope = scope_unit(actor)
    held = RoleAssignment.objects.filter(user=target, is_active=True).select_related("unit")
    for assignment in held:
        if scope is None or not assignment.unit.is_within(scope):
            return Decision(
                False,
                _(
                    "“%(user)s” còn giữ vai trò “%(role)s” tại %(unit)s, ngoài phạm vi %(scope)s "
                    "của bạn: chỉ quản trị hệ thống cấp trên thay đổi được tài khoản này."
                )
                % {
                    "user": target,
                    "role": assignment.get_role_display(),
                    "unit": assignment.unit,
                    "scope": scope,
                },
            )
    return ALLOWED


def can_grant(actor: Any, target: User, unit: AdministrativeUnit) -> Decision:
    """May ``actor`` give ``target`` a role at ``unit`` (or end one held there)? Inside the
    actor's scope and never to themselves; which role fits which level is the model's rule
    (``ROLE_LEVELS``)."""
    decision = can(actor, Action.MANAGE_USERS, unit)
    if not decision:
        return decision
    return _not_oneself(actor, target)


def public_queryset(queryset: _Q) -> _Q:
    """What anyone, signed in or not, may read through the public portal (cổng công khai).

    Products whose establishment chose to publish them (``portal.PublicationConsent``) and
    that hold a certificate; their photos; every certificate (a public act, reached by the
    code printed on it); approved programmes with their lines, allocations and targets (a
    published decision). Every other model publishes nothing. Which *fields* of these rows
    are public is decided by the portal's selectors, which copy only those into plain
    objects (never the model instance) — no identity number, owner or tax code ever.
    """
    from khuyencong.awards.models import Certificate, Product, ProductPhoto
    from khuyencong.programs.models import ActivityLine, AllocationCell, Programme, Target

    model = queryset.model
    if model is Certificate:
        return queryset
    if model is Programme:
        return queryset.filter(status="approved")
    if model in (ActivityLine, Target):
        return queryset.filter(programme__status="approved")
    if model is AllocationCell:
        return queryset.filter(line__programme__status="approved")
    if model is Product:
        return queryset.filter(consent__publish=True).filter(
            Exists(Certificate.objects.filter(product=OuterRef("pk")))
        )
    if model is ProductPhoto:
        return queryset.filter(product__in=public_queryset(Product.objects.all()).values("pk"))
    return queryset.none()


def public_aggregates(queryset: _Q) -> _Q:
    """Rows that may be *counted* in public figures (programme progress, open statistics),
    never shown one by one: projects once approved (``projects.workflow.SUPPORTED``)."""
    from khuyencong.projects import workflow
    from khuyencong.projects.models import Project

    if queryset.model is Project:
        return queryset.filter(status__in=list(workflow.SUPPORTED))
    return queryset.none()
