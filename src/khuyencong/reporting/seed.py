"""The default indicator sets and schedules (bộ chỉ tiêu, lịch báo cáo mặc định).

The indicators follow the 2646/QĐ-BCT targets (DOMAIN.md §7 and the national programme's
section II.2): each names the programme target it is measured against (``target``), so a
province's own programme targets apply where the province uses the same key. Loaded by the data
migration ``0002`` and by :func:`load` for a database emptied since.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class IndicatorRow(NamedTuple):
    code: str
    label: str
    unit: str
    rule: str  # aggregation.Rule value
    source: str  # "tu-dong" | "nhap-tay"
    computation: str
    disaggregations: tuple[str, ...]  # breakdowns.FUND …: only these are computed and shown
    target: str = ""
    money: bool = False
    #: How the figure is computed, in words (``Indicator.description``).
    description: str = ""


SUM, LATEST, RATIO = "cong", "moi-nhat", "ty-le"
AUTO, HAND = "tu-dong", "nhap-tay"
# Breakdowns (values of ``breakdowns``, spelled out: a data migration imports this module).
FUND, CONTENT, PRODUCT, OWNER, LEVEL = "nguon", "noi-dung", "nhom-san-pham", "chu-so-huu", "cap"
PROJECTS = (FUND, CONTENT)
ESTABLISHMENTS = (PRODUCT, OWNER)
NONE: tuple[str, ...] = ()

# fmt: off
#: Version 1 of the default sets (2026-12): kept as it was, since reports made with it keep it.
INDICATORS_V1: tuple[IndicatorRow, ...] = (
    IndicatorRow("de-an-phe-duyet", "Đề án khuyến công được phê duyệt", "đề án", SUM, AUTO,
                 "projects-approved", PROJECTS),
    IndicatorRow("kinh-phi-phe-duyet", "Kinh phí được phê duyệt (gồm đối ứng, nguồn khác)",
                 "đồng", SUM, AUTO, "money-approved", PROJECTS, money=True),
    IndicatorRow("ty-trong-kcqg", "Tỷ trọng KCQG trong kinh phí khuyến công được phê duyệt",
                 "%", RATIO, AUTO, "kcqg-share", NONE),
    IndicatorRow("kinh-phi-giai-ngan", "Kinh phí đã giải ngân (tạm ứng, thanh toán)", "đồng",
                 SUM, AUTO, "money-disbursed", PROJECTS, money=True),
    IndicatorRow("kinh-phi-quyet-toan", "Kinh phí đã quyết toán", "đồng", SUM, AUTO,
                 "money-settled", (FUND,), money=True),
    IndicatorRow("co-so-duoc-ho-tro", "Cơ sở CNNT được hỗ trợ", "cơ sở", SUM, AUTO,
                 "establishments-supported", ESTABLISHMENTS),
    IndicatorRow("mo-hinh-trinh-dien", "Mô hình trình diễn kỹ thuật", "mô hình", SUM, AUTO,
                 "demonstration-models", (FUND,), "mo-hinh-trinh-dien"),
    IndicatorRow("may-moc-day-chuyen", "Cơ sở CNNT ứng dụng máy móc thiết bị, dây chuyền",
                 "cơ sở", SUM, AUTO, "machinery", ESTABLISHMENTS, "may-moc-day-chuyen"),
    IndicatorRow("mo-hinh-sxsh", "Mô hình thí điểm sản xuất sạch hơn", "mô hình", SUM, AUTO,
                 "cleaner-production", (FUND,), "mo-hinh-sxsh"),
    IndicatorRow("xu-ly-moi-truong", "Cơ sở CNNT được hỗ trợ xử lý nước thải, khí thải", "cơ sở",
                 SUM, AUTO, "environment", ESTABLISHMENTS, "xu-ly-moi-truong"),
    IndicatorRow("nhan-hieu", "Cơ sở CNNT được hỗ trợ đăng ký nhãn hiệu", "cơ sở", SUM, AUTO,
                 "trademarks", ESTABLISHMENTS, "nhan-hieu"),
    IndicatorRow("hoi-cho-trong-nuoc", "Hội chợ triển lãm trong nước được hỗ trợ tổ chức",
                 "hội chợ", SUM, AUTO, "fairs", (FUND,), "to-chuc-hoi-cho-trong-nuoc"),
    IndicatorRow("hoi-cho-nuoc-ngoai", "Hội chợ triển lãm tại nước ngoài được tổ chức",
                 "hội chợ", SUM, HAND, "", NONE, "to-chuc-hoi-cho-nuoc-ngoai"),
    IndicatorRow("tham-gia-hoi-cho-trong-nuoc", "Hội chợ trong nước có cơ sở CNNT được hỗ trợ "
                 "tham gia", "hội chợ", SUM, HAND, "", NONE, "tham-gia-hoi-cho-trong-nuoc"),
    IndicatorRow("tham-gia-hoi-cho-nuoc-ngoai", "Hội chợ nước ngoài có cơ sở CNNT được hỗ trợ "
                 "tham gia", "hội chợ", SUM, HAND, "", NONE, "tham-gia-hoi-cho-nuoc-ngoai"),
    IndicatorRow("san-pham-chung-nhan", "Sản phẩm được chứng nhận sản phẩm CNNT tiêu biểu",
                 "sản phẩm", SUM, AUTO, "certificates", (LEVEL, PRODUCT)),
    IndicatorRow("chung-nhan-hieu-luc", "Giấy chứng nhận sản phẩm tiêu biểu còn hiệu lực",
                 "giấy", LATEST, AUTO, "certificates-valid", (LEVEL,)),
    IndicatorRow("binh-chon-quoc-gia", "Kỳ bình chọn sản phẩm CNNT tiêu biểu cấp quốc gia", "kỳ",
                 SUM, HAND, "", NONE, "binh-chon-cap-quoc-gia"),
    IndicatorRow("hoi-nghi-can-bo", "Hội nghị đào tạo, tập huấn cán bộ khuyến công", "hội nghị",
                 SUM, HAND, "", NONE, "hoi-nghi-dao-tao-can-bo"),
    IndicatorRow("hoc-vien", "Học viên được đào tạo (khởi sự, quản trị, sản xuất sạch hơn)",
                 "học viên", SUM, HAND, "", NONE, "hoc-vien"),
)
# fmt: on

ADVANCED = IndicatorRow(
    "kinh-phi-tam-ung",
    "Kinh phí đã tạm ứng",
    "đồng",
    SUM,
    AUTO,
    "money-advanced",
    PROJECTS,
    money=True,
)
PAID = IndicatorRow(
    "kinh-phi-thanh-toan",
    "Kinh phí đã thanh toán (đã được Sở Tài chính đồng ký nếu phải đồng ký)",
    "đồng",
    SUM,
    AUTO,
    "money-paid",
    PROJECTS,
    money=True,
)


Rows = tuple[IndicatorRow, ...]


def _replaced(rows: Rows, code: str, *new: IndicatorRow) -> Rows:
    at = next(n for n, row in enumerate(rows) if row.code == code)
    return (*rows[:at], *new, *rows[at + 1 :])


#: Version 2 (issue 14: "projects approved, advanced, paid, settled"): money advanced (tạm ứng)
#: and money paid (thanh toán) are two indicators instead of the combined "Kinh phí đã giải
#: ngân". No programme target and no dashboard figure needs the combined one (it has no
#: target key; the dashboards show each indicator on its own), so version 2 drops it; reports
#: made with version 1 keep it, and its computation stays for them.
INDICATORS_V2 = _replaced(INDICATORS_V1, "kinh-phi-giai-ngan", ADVANCED, PAID)

TRAINEES = IndicatorRow(
    "hoc-vien",
    "Học viên được đào tạo (khởi sự, quản trị, sản xuất sạch hơn)",
    "học viên",
    SUM,
    AUTO,
    "trainees",
    (FUND,),
    "hoc-vien",
    description=(
        "Số học viên thực hiện (theo biên bản nghiệm thu) của các đề án được nghiệm thu trong "
        "kỳ, trên các dòng nội dung nhóm 4 (phát triển nguồn nhân lực, năng lực quản lý) có "
        "đơn vị tính là học viên, lượt học viên, người hoặc lượt người; đề án đã hủy không tính."
    ),
)

#: Version 3 (issue 14: trainees computed from the system's data): "Học viên được đào tạo" is
#: computed from the project outputs (``computations.trainees``) instead of entered by hand.
#: A computed figure takes no hand value (``services.save_entries`` accepts hand values for
#: hand-entered indicators only), so version 3 has none; reports made with versions 1 and 2
#: keep their hand-entered trainees.
INDICATORS_V3 = _replaced(INDICATORS_V2, "hoc-vien", TRAINEES)

#: Every version of the default sets' indicators, oldest first: ``load`` creates the versions
#: missing and points the default schedules at the latest.
VERSIONS: tuple[tuple[int, Rows], ...] = (
    (1, INDICATORS_V1),
    (2, INDICATORS_V2),
    (3, INDICATORS_V3),
)
#: The latest version's indicators.
INDICATORS = VERSIONS[-1][1]

#: (province programme key, indicator target key, why): the provinces' own wording of a
#: national target (seeded programmes of Sơn La, Khánh Hòa, Đắk Lắk), kept as data
#: (``TargetKeyAlias``, editable in the admin).
TARGET_ALIASES: tuple[tuple[str, str, str], ...] = (
    (
        "may-moc-thiet-bi",
        "may-moc-day-chuyen",
        "Cơ sở ứng dụng máy móc thiết bị tiên tiến: một phần chỉ tiêu 1.600 cơ sở của QĐ 2646.",
    ),
    (
        "day-chuyen-cong-nghe",
        "may-moc-day-chuyen",
        "Dây chuyền công nghệ hỗ trợ cho cơ sở CNNT: một phần chỉ tiêu 1.600 cơ sở của QĐ 2646.",
    ),
    (
        "to-chuc-hoi-cho",
        "to-chuc-hoi-cho-trong-nuoc",
        "Hội chợ, triển lãm trong nước do tỉnh tổ chức.",
    ),
    (
        "hoi-cho-cap-tinh",
        "to-chuc-hoi-cho-trong-nuoc",
        "Hội chợ triển lãm sản phẩm công nghiệp cấp tỉnh (trong nước).",
    ),
)

#: (code, name, reporter, basis)
SETS = (
    ("chi-tieu-2646-xa", "Chỉ tiêu báo cáo khuyến công cấp xã", "xa", "QĐ 2646/QĐ-BCT"),
    (
        "chi-tieu-2646-trung-tam",
        "Chỉ tiêu báo cáo của Trung tâm khuyến công",
        "trung-tam",
        "QĐ 2646/QĐ-BCT",
    ),
    (
        "chi-tieu-2646-tinh",
        "Chỉ tiêu báo cáo thực hiện khuyến công của tỉnh",
        "tinh",
        "QĐ 2646/QĐ-BCT; TT 36 Điều 21.5",
    ),
)


class ScheduleRow(NamedTuple):
    code: str
    name: str
    reporter: str
    period_kind: str
    due_day: int
    months_after_end: int
    lock_days: int
    indicator_set: str
    basis: str


SCHEDULES: tuple[ScheduleRow, ...] = (
    ScheduleRow(
        "xa-6-thang",
        "Báo cáo khuyến công 6 tháng của xã",
        "xa",
        "nua-nam",
        15,
        0,
        30,
        "chi-tieu-2646-xa",
        "Khánh Hòa: xã báo cáo Sở Công Thương 6 tháng, năm",
    ),
    ScheduleRow(
        "trung-tam-6-thang",
        "Báo cáo 6 tháng của Trung tâm khuyến công",
        "trung-tam",
        "nua-nam",
        20,
        0,
        30,
        "chi-tieu-2646-trung-tam",
        "Sơn La: Trung tâm báo cáo Sở Công Thương trước 20/6 và 20/12",
    ),
    ScheduleRow(
        "tinh-6-thang",
        "Báo cáo 6 tháng thực hiện khuyến công của tỉnh",
        "tinh",
        "nua-nam",
        10,
        1,
        30,
        "chi-tieu-2646-tinh",
        "TT 36 Điều 21.5: Sở Công Thương báo cáo Bộ Công Thương",
    ),
    ScheduleRow(
        "tinh-quy",
        "Báo cáo quý thực hiện khuyến công của tỉnh",
        "tinh",
        "quy",
        10,
        1,
        30,
        "chi-tieu-2646-tinh",
        "TT 36 Điều 21.5",
    ),
    ScheduleRow(
        "tinh-nam",
        "Báo cáo năm thực hiện khuyến công của tỉnh",
        "tinh",
        "nam",
        15,
        1,
        45,
        "chi-tieu-2646-tinh",
        "TT 36 Điều 21.5",
    ),
)


def load(apps: Any = None, upto: int | None = None) -> None:
    """Create the default sets' versions (up to version ``upto``: a migration creates the
    versions of its time, on the model of its time) and the schedules where missing, and point
    the default schedules still on an older version of their set at the latest (a report keeps
    the version it was made with)."""
    if apps is None:
        from django.apps import apps as registry

        apps = registry
    indicator_set = apps.get_model("reporting", "IndicatorSet")
    indicator = apps.get_model("reporting", "Indicator")
    schedule = apps.get_model("reporting", "Schedule")
    # Migration 0002 runs this on the model of its time (one ``disaggregation``, converted to
    # the list by 0006).
    fields = {f.name for f in indicator._meta.get_fields()}
    listed = "disaggregations" in fields
    described = "description" in fields
    sets = {}
    for code, name, reporter, basis in SETS:
        for version, rows in VERSIONS:
            if upto is not None and version > upto:
                break
            sets[code], created = indicator_set.objects.get_or_create(
                code=code,
                version=version,
                defaults={
                    "name": name,
                    "reporter": reporter,
                    "basis": basis,
                    "valid_from_year": 2026,
                },
            )
            if created:
                indicator.objects.bulk_create(
                    indicator(
                        indicator_set=sets[code],
                        code=row.code,
                        label=row.label,
                        unit_of_measure=row.unit,
                        order=order,
                        rule=row.rule,
                        source=row.source,
                        computation=row.computation,
                        **_breakdowns(row, listed),
                        target_key=row.target,
                        is_money=row.money,
                        **({"description": row.description} if described else {}),
                    )
                    for order, row in enumerate(rows, start=1)
                )
    load_aliases(apps)
    for row in SCHEDULES:
        latest = sets[row.indicator_set]
        found, created = schedule.objects.get_or_create(
            code=row.code,
            defaults={
                "name": row.name,
                "reporter": row.reporter,
                "period_kind": row.period_kind,
                "due_day": row.due_day,
                "due_months_after_end": row.months_after_end,
                "lock_days_after_due": row.lock_days,
                "indicator_set": latest,
                "basis": row.basis,
            },
        )
        current = found.indicator_set
        if current.code == latest.code and current.version < latest.version:
            found.indicator_set = latest
            found.save(update_fields=["indicator_set"])


def _breakdowns(row: IndicatorRow, listed: bool) -> dict[str, Any]:
    if listed:
        return {"disaggregations": list(row.disaggregations)}
    return {"disaggregation": row.disaggregations[0] if row.disaggregations else ""}


def declared_breakdowns(
    set_code: str, indicator_code: str, version: int = 1
) -> tuple[str, ...] | None:
    """The breakdowns a default set's indicator declares in a version of the set (``None``
    outside the defaults)."""
    if set_code not in {code for code, *_rest in SETS}:
        return None
    rows = dict(VERSIONS).get(version, ())
    return next((row.disaggregations for row in rows if row.code == indicator_code), None)


def load_aliases(apps: Any) -> None:
    """The default target key aliases (from migration ``0003`` on: ``0002`` has no such model)."""
    try:
        alias = apps.get_model("reporting", "TargetKeyAlias")
    except LookupError:
        return
    for key, target_key, note in TARGET_ALIASES:
        alias.objects.get_or_create(key=key, defaults={"target_key": target_key, "note": note})
