"""Hồ sơ tham gia: the establishment (or its commune or the provincial centre on its behalf)
files a product in an open round (PL1 registration, PL2 description; the product's photos and
papers); above the commune the lower authority forwards it in its short-list (PL5), and the
product needs a valid certificate of the level below unless that level held no round that
year; the organiser checks completeness and accepts, returns (with a reason) or refuses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from khuyencong.accounts import policy
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import lock_current_version, retry_when_locked
from khuyencong.core.formatting import format_date
from khuyencong.geo.models import AdministrativeUnit
from khuyencong.notifications.models import NotificationKind
from khuyencong.notifications.services import notify
from khuyencong.notifications.text import Msg

from .. import legal, rules, workflow
from ..models import (
    REQUIRED_VIEWS,
    Certificate,
    Entry,
    EntryStatus,
    EntryTransition,
    Forwarding,
    Product,
    ProductPhoto,
    RoundStatus,
    SelectionRound,
)
from ..rules import Level
from ..workflow import EntryStep
from .common import (
    SelectionError,
    SelectionInvalid,
    actor_or_none,
    representatives_of,
    require,
    today,
    users_with_role,
)
from .legal_data import level_defaults

ORGANISER_ROLE = {d.level.value: d.organiser for d in legal.LEVELS}


@dataclass(frozen=True)
class EntryData:
    """PL1 (registration) and PL2 (product description)."""

    representative: str
    phone: str
    description: str
    commitment: bool
    representative_title: str = ""
    materials_process: str = ""
    market: str = ""
    benefits: str = ""
    culture: str = ""


# --------------------------------------------------------------------------------------------
# Where a product may enter, and the lower authority
# --------------------------------------------------------------------------------------------
def in_area(round_: SelectionRound, product: Product) -> bool:
    """A round takes products of its area: the commune, the province, the region's provinces,
    the whole country."""
    if round_.level == Level.COMMUNE:
        return product.commune_id == round_.unit_id
    if round_.level == Level.PROVINCE:
        return product.province_id == round_.unit_id
    if round_.level == Level.REGION:
        return round_.provinces.filter(pk=product.province_id or 0).exists()
    return True


def authority_of(round_: SelectionRound, entry: Entry) -> AdministrativeUnit | None:
    """The lower authority that forwards this entry: the commune for a province round, the
    province for a region or nation round; none for a commune round."""
    proposer = level_defaults(round_.level).proposer_level
    if proposer is None:
        return None
    return entry.commune if proposer == legal.COMMUNE_LEVEL else entry.province


def lower_round_held(round_: SelectionRound, entry: Entry) -> tuple[bool, str]:
    """Whether a round of the level below covering the entry's place was held in the round's
    year, and the name of the unit that would have held it."""
    below = level_defaults(round_.level).prerequisite
    if below is None:
        return False, ""
    held = SelectionRound.objects.filter(level=below, year=round_.year).exclude(
        status__in=[RoundStatus.DRAFT, RoundStatus.CANCELLED]
    )
    if below == Level.COMMUNE:
        return held.filter(unit=entry.commune).exists(), entry.commune.name
    if below == Level.PROVINCE:
        name = entry.province.name if entry.province else ""
        return held.filter(unit=entry.province).exists(), name
    region = held.filter(provinces=entry.province).first()
    return region is not None, str(region.region or region.title) if region else _("khu vực")


def prerequisite(round_: SelectionRound, entry: Entry) -> tuple[str, Certificate | None]:
    """The refusal (empty when the product may enter) and the lower certificate it rests on."""
    below = level_defaults(round_.level).prerequisite
    if below is None:
        return "", None
    on = today()
    certificates = list(Certificate.objects.filter(product=entry.product, level=below))
    held, authority = lower_round_held(round_, entry)
    refusal = rules.prerequisite_refusal(
        product=entry.product.name,
        required_level=below,
        certificates=[c.facts() for c in certificates],
        lower_round_held=held,
        lower_authority=authority,
        year=round_.year,
        on=on,
    )
    valid = [c for c in certificates if c.status_on(on) == rules.CertificateStatus.VALID]
    return refusal, max(valid, key=lambda c: c.valid_until) if valid else None


def completeness(entry: Entry) -> dict[str, list[str]]:
    """What the file still lacks (PL1, PL2, commitment, the three colour photos)."""
    problems: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if not entry.representative.strip():
        add("representative", _("Cần ghi người đại diện của cơ sở (phiếu đăng ký PL1)."))
    if not entry.phone.strip():
        add("phone", _("Cần ghi số điện thoại liên hệ (phiếu đăng ký PL1)."))
    if not entry.description.strip():
        add("description", _("Cần mô tả sản phẩm (bản mô tả PL2)."))
    if not entry.commitment:
        add("commitment", _("Cơ sở cần đánh dấu cam kết trong phiếu đăng ký."))
    views = set(
        ProductPhoto.objects.filter(product=entry.product_id).values_list("view", flat=True)
    )
    missing = [str(v.label).lower() for v in REQUIRED_VIEWS if v not in views]
    if missing:
        add(
            "photos",
            _("Sản phẩm còn thiếu ảnh màu: %(views)s (cần đủ mặt trước, mặt bên, mặt trên).")
            % {"views": ", ".join(missing)},
        )
    return problems


# --------------------------------------------------------------------------------------------
# Filing
# --------------------------------------------------------------------------------------------
def _check_window(round_: SelectionRound) -> None:
    on = today()
    if round_.status != RoundStatus.OPEN:
        raise SelectionError(
            _("Kỳ “%(r)s” đang ở trạng thái “%(s)s”: không nhận hồ sơ.")
            % {"r": round_.title, "s": round_.get_status_display()}
        )
    if on < round_.registration_opens:
        raise SelectionError(
            _("Kỳ “%(r)s” nhận hồ sơ từ ngày %(d)s.")
            % {"r": round_.title, "d": format_date(round_.registration_opens)}
        )
    deadline = round_.registration_deadline()
    if on > deadline:
        raise SelectionError(
            _("Kỳ “%(r)s” đã hết hạn nhận hồ sơ ngày %(d)s.")
            % {"r": round_.title, "d": format_date(deadline)}
        )


def _apply(entry: Entry, data: EntryData) -> None:
    entry.representative = " ".join(data.representative.split())
    entry.representative_title = " ".join(data.representative_title.split())
    entry.phone = " ".join(data.phone.split())
    entry.commitment = data.commitment
    entry.description = data.description.strip()
    entry.materials_process = data.materials_process.strip()
    entry.market = data.market.strip()
    entry.benefits = data.benefits.strip()
    entry.culture = data.culture.strip()


@retry_when_locked
@transaction.atomic
def create_entry(*, actor: Any, round_: SelectionRound, product: Product, data: EntryData) -> Entry:
    """Lập hồ sơ (draft) for a product of the round's area."""
    require(actor, policy.Action.FILE_ENTRY, product)
    require(actor, policy.Action.VIEW_SELECTION, round_)
    _check_window(round_)
    if not in_area(round_, product):
        raise SelectionError(
            _("Sản phẩm “%(p)s” ở %(c)s, ngoài địa bàn của kỳ “%(r)s”.")
            % {"p": product.name, "c": product.commune.name, "r": round_.title}
        )
    if Entry.objects.filter(round=round_, product=product).exists():
        raise SelectionError(_("Sản phẩm “%(p)s” đã có hồ sơ trong kỳ này.") % {"p": product.name})
    entry = Entry(
        round=round_,
        product=product,
        establishment=product.establishment,
        commune=product.commune,
        created_by=actor_or_none(actor),
        is_demo=product.is_demo,
    )
    _apply(entry, data)
    entry.save()
    _log(entry, actor=actor, action="tao", source="")
    return entry


@retry_when_locked
@transaction.atomic
def update_entry(*, actor: Any, entry: Entry, expected_version: int, data: EntryData) -> Entry:
    require(actor, policy.Action.FILE_ENTRY, entry)
    locked = lock_current_version(entry, expected_version)
    if not locked.is_editable:
        raise SelectionError(
            _("Hồ sơ đang ở trạng thái “%(s)s”: chỉ sửa được khi đang soạn hoặc bị trả lại.")
            % {"s": locked.get_status_display()}
        )
    _apply(locked, data)
    locked.version += 1
    locked.save()
    record_event(EventType.SELECTION_ENTRY, actor=actor, obj=locked, data={"action": "sua"})
    return locked


def _lock_step(
    actor: Any, entry: Entry, action: str, expected_version: int
) -> tuple[Entry, workflow.Transition]:
    locked = lock_current_version(entry, expected_version)
    round_ = locked.round
    try:
        step = workflow.find_entry(locked.status, action, needs_forwarding=round_.needs_forwarding)
    except workflow.WorkflowError as exc:
        raise SelectionError(str(exc)) from None
    if step.permission == workflow.RUN_SELECTION:
        require(actor, policy.Action.RUN_SELECTION, round_)
    elif step.permission == workflow.FORWARD_ENTRIES:
        authority = authority_of(round_, locked)
        require(actor, policy.Action.FORWARD_ENTRIES, authority)
    else:
        require(actor, policy.Action(step.permission), locked)
    return locked, step


def _finish(entry: Entry, step: workflow.Transition, *, actor: Any, comment: str = "") -> None:
    source = entry.status
    entry.status = step.target
    entry.version += 1
    entry.save()
    _log(entry, actor=actor, action=step.action, source=source, comment=comment)


@retry_when_locked
@transaction.atomic
def submit_entry(*, actor: Any, entry: Entry, expected_version: int) -> Entry:
    """Nộp hồ sơ: complete, and (above the commune) the lower-level certificate rule met."""
    locked, step = _lock_step(actor, entry, EntryStep.SUBMIT, expected_version)
    _check_window(locked.round)
    problems = completeness(locked)
    if problems:
        raise SelectionInvalid(problems)
    refusal, certificate = prerequisite(locked.round, locked)
    if refusal:
        raise SelectionError(refusal)
    locked.basis_certificate = certificate
    locked.prerequisite_note = (
        ""
        if certificate is not None or not locked.round.needs_forwarding
        else _("Năm %(y)s cấp dưới không tổ chức bình chọn: cần cấp dưới đề xuất.")
        % {"y": locked.round.year}
    )
    locked.submitted_at = timezone.now()
    locked.return_reason = ""
    _finish(locked, step, actor=actor)
    _notify_next(locked, actor)
    return locked


@retry_when_locked
@transaction.atomic
def review_entry(
    *, actor: Any, entry: Entry, action: str, expected_version: int, reason: str = ""
) -> Entry:
    """Chấp nhận (complete: the jury sees it), trả lại (for supplements) or không chấp nhận."""
    if action not in (EntryStep.ACCEPT, EntryStep.RETURN, EntryStep.REJECT):
        raise SelectionError(_("Thao tác không hợp lệ."))
    locked, step = _lock_step(actor, entry, action, expected_version)
    if locked.round.status != RoundStatus.OPEN:
        raise SelectionError(
            _("Kỳ bình chọn đang ở trạng thái “%(s)s”: không xét hồ sơ được nữa.")
            % {"s": locked.round.get_status_display()}
        )
    if step.reason_required and not reason.strip():
        raise SelectionInvalid({"reason": [_("Cần ghi lý do để cơ sở biết cần bổ sung gì.")]})
    if action == EntryStep.ACCEPT:
        problems = completeness(locked)
        if problems:
            raise SelectionInvalid(problems)
    if action in (EntryStep.RETURN, EntryStep.REJECT):
        locked.return_reason = reason.strip()
    if action == EntryStep.RETURN:
        locked.forwarding = None
    _finish(locked, step, actor=actor, comment=reason.strip())
    _notify_filer(locked, actor, reason.strip())
    return locked


# --------------------------------------------------------------------------------------------
# Forwarding (danh sách đề xuất PL5)
# --------------------------------------------------------------------------------------------
def forwardable(round_: SelectionRound, unit: AdministrativeUnit) -> Q:
    """Entries the authority ``unit`` may put in its short-list: submitted, of its area."""
    area = Q(commune=unit) if unit.level == legal.COMMUNE_LEVEL else Q(province=unit)
    return Q(round=round_, status=EntryStatus.SUBMITTED) & area


@retry_when_locked
@transaction.atomic
def forward_entries(
    *,
    actor: Any,
    round_: SelectionRound,
    unit: AdministrativeUnit,
    entries: Sequence[Entry],
    letter: str = "",
    note: str = "",
) -> Forwarding:
    """Đề xuất: the lower authority sends its short-list (PL5) of submitted entries."""
    require(actor, policy.Action.FORWARD_ENTRIES, unit)
    proposer = level_defaults(round_.level).proposer_level
    if proposer is None or unit.level != proposer:
        raise SelectionError(
            _("%(u)s không phải cơ quan đề xuất sản phẩm cho kỳ “%(r)s”.")
            % {"u": unit.name, "r": round_.title}
        )
    _check_window(round_)
    if not entries:
        raise SelectionInvalid({"entries": [_("Chọn ít nhất một hồ sơ để đề xuất.")]})
    ids = [e.pk for e in entries]
    allowed = set(
        Entry.objects.filter(forwardable(round_, unit), pk__in=ids).values_list("pk", flat=True)
    )
    outside = [e for e in entries if e.pk not in allowed]
    if outside:
        raise SelectionError(
            _("Không đề xuất được: %(names)s (không thuộc địa bàn hoặc chưa nộp).")
            % {"names": ", ".join(str(e.product) for e in outside)}
        )
    forwarding, _created = Forwarding.objects.get_or_create(
        round=round_, unit=unit, defaults={"created_by": actor_or_none(actor)}
    )
    forwarding.letter = letter.strip() or forwarding.letter
    forwarding.note = note.strip() or forwarding.note
    forwarding.version += 1
    forwarding.save()
    for entry in (
        Entry.objects.select_for_update().filter(pk__in=ids).select_related("product", "round")
    ):
        refusal, certificate = prerequisite(round_, entry)
        if refusal:
            raise SelectionError(refusal)
        step = workflow.find_entry(entry.status, EntryStep.FORWARD, needs_forwarding=True)
        entry.forwarding = forwarding
        entry.basis_certificate = certificate or entry.basis_certificate
        _finish(entry, step, actor=actor, comment=forwarding.letter)
    organisers = users_with_role([ORGANISER_ROLE[round_.level]], [round_.unit])
    if organisers:
        notify(
            [u for u in organisers if u != actor],
            NotificationKind.SELECTION,
            Msg(
                gettext_noop("%(u)s đề xuất %(n)s sản phẩm cho kỳ “%(r)s”"),
                u=unit.name,
                n=len(ids),
                r=round_.title,
            ),
            "",
            reverse("awards:round_detail", args=[round_.code]),
            unit=round_.unit,
        )
    return forwarding


# --------------------------------------------------------------------------------------------
# Log and notices
# --------------------------------------------------------------------------------------------
def _log(entry: Entry, *, actor: Any, action: str, source: str, comment: str = "") -> None:
    EntryTransition.objects.create(
        entry=entry,
        action=action,
        from_state=source,
        to_state=entry.status,
        actor=actor_or_none(actor),
        comment=comment,
    )
    record_event(
        EventType.SELECTION_ENTRY,
        actor=actor,
        obj=entry,
        comment=comment,
        data={"action": action, "from": source, "to": entry.status, "round": entry.round_id},
    )


def _notify_next(entry: Entry, actor: Any) -> None:
    """A submitted entry waits for the lower authority (above the commune) or the organiser."""
    round_ = entry.round
    authority = authority_of(round_, entry)
    if authority is None:
        roles, units = [ORGANISER_ROLE[round_.level]], [round_.unit]
    else:
        roles = ["can-bo-xa"] if authority.level == legal.COMMUNE_LEVEL else ["so-cong-thuong"]
        units = [authority]
    recipients = [u for u in users_with_role(roles, units) if u != actor]
    if recipients:
        notify(
            recipients,
            NotificationKind.SELECTION,
            Msg(
                gettext_noop("Hồ sơ “%(p)s” đã nộp vào kỳ “%(r)s”"),
                p=str(entry.product),
                r=round_.title,
            ),
            "",
            reverse("awards:entry_detail", args=[entry.pk]),
            unit=entry.commune,
        )


def _notify_filer(entry: Entry, actor: Any, reason: str) -> None:
    recipients: Iterable[Any] = [
        u for u in representatives_of(entry.establishment_id) if u != actor
    ]
    if entry.created_by is not None and entry.created_by != actor:
        recipients = [*recipients, entry.created_by]
    if recipients:
        notify(
            recipients,
            NotificationKind.SELECTION,
            Msg(
                gettext_noop("Hồ sơ “%(p)s”: %(s)s"),
                p=str(entry.product),
                s=Msg.choice(entry, "status"),
            ),
            reason,
            reverse("awards:entry_detail", args=[entry.pk]),
            unit=entry.commune,
        )
