"""Access-matrix declarations of the reporting (báo cáo định kỳ) URLs: a unit's report is
seen by its unit and every level above; only its own preparing role enters figures; the steps
are taken by the unit, its head and the level above."""

import datetime

from khuyencong.accounts.access_matrix import MATRIX, Place, Reach, Role, Subject, change, view
from khuyencong.reporting import seed
from khuyencong.reporting.models import Report, Schedule

#: A commune's report at each commune, a province's (its SCT's) report at each province; all in
#: draft, their entry open (the world must not depend on today's date).
REPORT = Subject(
    "report", (Place.P, Place.Q, Place.C1, Place.C2, Place.D1), change_reach=Reach.OWN_UNIT
)
VIEWERS = tuple(set(Role) - {Role.ESTABLISHMENT, Role.COUNCIL_MEMBER})
PREPARERS = (Role.COMMUNE_OFFICER, Role.PROVINCE_SCT)
PARTICIPANTS = (
    Role.COMMUNE_OFFICER,
    Role.PROVINCE_CENTRE,
    Role.PROVINCE_SCT,
    Role.NATIONAL_OFFICER,
)
OPEN_UNTIL = datetime.date(2100, 1, 1)


@MATRIX.builder
def reports(world):
    seed.load()  # a transactional test may have emptied the database
    for place in REPORT.places:
        code = "tinh-6-thang" if place in (Place.P, Place.Q) else "xa-6-thang"
        schedule = Schedule.objects.get(code=code)
        report = Report.objects.create(
            unit=world.units[place],
            schedule=schedule,
            period="2026-H2",
            indicator_set=schedule.indicator_set,
            due_on=datetime.date(2026, 12, 15),
            lock_on=OPEN_UNTIL,
            cutoff_on=datetime.date(2026, 12, 15),
            narrative=world.mark(place, "Thuyết minh"),
        )
        world.put(REPORT, place, report)


def _pk(report):
    return {"pk": report.pk}


def _unit_query(place):
    return lambda w: {"ky": "2026-H2", "don_vi": w.units[place].pk}


MATRIX.page("reporting:list", get=view(*VIEWERS), queries=[lambda w: {"ky": "2026-H2"}])
MATRIX.page(
    "reporting:list_export",
    get=view(*VIEWERS),
    queries=[lambda w: {}, lambda w: {"ky": "2026-H2", "trang_thai": "nhap"}],
)
MATRIX.page(
    "reporting:open",
    post=view(Role.COMMUNE_OFFICER, Role.PROVINCE_CENTRE, Role.PROVINCE_SCT),
    data=lambda w, _o: {
        "schedule": Schedule.objects.get(code="xa-6-thang").pk,
        "period": "2026-H2",
    },
)
MATRIX.page("reporting:status", get=view(*VIEWERS), queries=[lambda w: {"ky": "2026-H2"}])
MATRIX.page("reporting:status_export", get=view(*VIEWERS))
MATRIX.page(
    "reporting:extension",
    get=view(Role.PROVINCE_SCT, Role.NATIONAL_OFFICER),
    post=view(Role.PROVINCE_SCT, Role.NATIONAL_OFFICER),
    data=lambda w, _o: {"unit_code": "03985", "period": "2026-H2"},
)
for name in (
    "reporting:dashboard",
    "reporting:dashboard_export",
    "reporting:chart_export",
    "reporting:chart_svg",
    "reporting:records",
    "reporting:records_export",
    "reporting:reported",
    "reporting:reported_export",
):
    MATRIX.page(
        name,
        get=view(*VIEWERS),
        queries=[
            _unit_query(Place.P),
            _unit_query(Place.Q),
            _unit_query(Place.C1),
            _unit_query(Place.C2),
        ],
    )
MATRIX.page(
    "reporting:refresh_status",
    get=view(Role.NATIONAL_OFFICER, Role.SYSTEM_ADMIN),
    queries=[lambda w: {"ky": "2026-H2"}],
)
MATRIX.page(
    "reporting:refresh",
    post=view(Role.NATIONAL_OFFICER, Role.SYSTEM_ADMIN),
    data=lambda w, _o: {"ky": "2026-H2"},
)
MATRIX.object("reporting:detail", REPORT, _pk, get=view(*VIEWERS))
MATRIX.object(
    "reporting:download", REPORT, lambda r: {"pk": r.pk, "fmt": "xlsx"}, get=view(*VIEWERS)
)
MATRIX.object(
    "reporting:entries",
    REPORT,
    _pk,
    post=change(*PREPARERS),
    data=lambda w, r: {"version": r.version, "narrative": "Số liệu bổ sung"},
)
MATRIX.object(
    "reporting:refill",
    REPORT,
    _pk,
    post=change(*PREPARERS),
    data=lambda w, r: {"version": r.version},
)
MATRIX.object(
    "reporting:step",
    REPORT,
    _pk,
    post=change(*PREPARERS),
    data=lambda w, r: {"step": "gui", "version": r.version},
    participants=PARTICIPANTS,
)
