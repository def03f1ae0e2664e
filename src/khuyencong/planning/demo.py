"""Demo data for planning (dữ liệu trình diễn), clearly marked and idempotent.

A supplementary Sơn La KCĐP round for plan year 2026 whose commune deadline lies 30 days ahead
(so that the demo commune officer can still register), and an empty draft 2026 KCĐP plan for
Sơn La. Call after the demo users and establishments exist.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.geo.models import AdministrativeUnit, UnitLevel
from khuyencong.programs.models import ContentGroup
from khuyencong.programs.services import sync_content_groups

from .models import AnnualPlan, PlanFund, PlanStatus, PlanTransition, RegistrationRound

SON_LA = "14"
DEMO_YEAR = 2026
DEMO_TITLE = "Đăng ký kế hoạch khuyến công địa phương năm 2026 (đợt bổ sung, dữ liệu mẫu)"
DAYS_AHEAD = 30
#: Keep the commune deadline at least this far ahead when the demo is loaded again.
MIN_DAYS_LEFT = 7
#: The province sends nine days after the communes (10 June → 19 June in the seeds).
PROVINCE_AFTER = 9


@transaction.atomic
def seed_demo_planning(*, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    province = AdministrativeUnit.objects.current().get(level=UnitLevel.PROVINCE, code=SON_LA)
    if not ContentGroup.objects.exists():
        sync_content_groups()
    commune_deadline = today + datetime.timedelta(days=DAYS_AHEAD)
    province_deadline = commune_deadline + datetime.timedelta(days=PROVINCE_AFTER)
    round_ = RegistrationRound.objects.filter(
        unit=province, plan_year=DEMO_YEAR, fund=PlanFund.KCDP, is_demo=True
    ).first()
    if round_ is None:
        round_ = RegistrationRound.objects.create(
            unit=province,
            title=DEMO_TITLE,
            plan_year=DEMO_YEAR,
            fund=PlanFund.KCDP,
            commune_deadline=commune_deadline,
            province_deadline=province_deadline,
            notes=(
                "Đợt đăng ký mẫu để trình diễn hệ thống: các xã, phường và cơ sở CNNT lập "
                "phiếu đăng ký nhu cầu hỗ trợ từ kinh phí khuyến công địa phương năm 2026."
            ),
            is_demo=True,
        )
        round_.content_groups.set(ContentGroup.objects.all())
        record_event(EventType.ROUND_OPENED, obj=round_, comment="Dữ liệu mẫu")
    elif (round_.commune_deadline - today).days < MIN_DAYS_LEFT:
        round_.commune_deadline = commune_deadline
        round_.province_deadline = max(round_.province_deadline, province_deadline)
        round_.version += 1
        round_.save()
    current = (
        AnnualPlan.objects.filter(unit=province, year=DEMO_YEAR, fund=PlanFund.KCDP)
        .exclude(status=PlanStatus.ADJUSTED)
        .exists()
    )
    if not current:
        plan = AnnualPlan.objects.create(
            unit=province, year=DEMO_YEAR, fund=PlanFund.KCDP, is_demo=True
        )
        PlanTransition.objects.create(
            plan=plan, action="tao", from_state="", to_state=plan.status, comment="Dữ liệu mẫu"
        )
        record_event(EventType.PLAN_CHANGED, obj=plan, comment="Dữ liệu mẫu")
