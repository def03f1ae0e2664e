"""Examples in the OpenAPI schema for the main flows (what provincial IT staff copy first).

Each is checked by ``api/tests/test_examples.py``: every example conforms to its schema, and the
request examples, sent to the API, give the answer their response example shows.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

NEW_ESTABLISHMENT: dict[str, Any] = {
    "name": "Hợp tác xã chè Shan tuyết Chiềng Sơn",
    "legal_form": "htx",
    "tax_code": "5500123456",
    "address": "Bản Áng",
    "commune": "03985",
    "product_group": "2",
    "main_products": "Chè Shan tuyết",
    "owner_name": "Lò Thị Hoa",
    "owner_gender": "nu",
    "owner_ethnic_minority": True,
    "employees_total": 25,
}
ESTABLISHMENT_CREATED: dict[str, Any] = {
    "id": 1201,
    "name": "Hợp tác xã chè Shan tuyết Chiềng Sơn",
    "legal_form": "htx",
    "tax_code": "5500123456",
    "address": "Bản Áng",
    "commune": "03985",
    "province": "14",
    "product_group": "2",
    "main_products": "Chè Shan tuyết",
    "owner_name": "Lò Thị Hoa",
    "owner_gender": "nu",
    "owner_ethnic_minority": True,
    "employees_total": 25,
    "employees_female": 0,
    "employees_ethnic_minority": 0,
    "founded_year": None,
    "craft_village": "",
    "phone": "",
    "email": "",
    "version": 1,
    "created_at": "2026-12-04T09:30:00+07:00",
    "updated_at": "2026-12-04T09:30:00+07:00",
}
ESTABLISHMENT_CREATE = [
    OpenApiExample("Thêm cơ sở", value=NEW_ESTABLISHMENT, request_only=True),
    OpenApiExample('Cơ sở đã thêm (ETag: "1")', value=ESTABLISHMENT_CREATED, response_only=True),
]

#: An artisan of the establishment above (its id, 1201, is the one the API gave it).
NEW_ARTISAN: dict[str, Any] = {
    "full_name": "Lò Thị Xuân",
    "title": "uu-tu",
    "year_awarded": 2019,
    "craft": "Chế biến chè Shan tuyết",
    "commune": "03985",
    "establishment": 1201,
}
ARTISAN_CREATED: dict[str, Any] = {"id": 57, **NEW_ARTISAN, "version": 1}
ARTISAN_CREATE = [
    OpenApiExample("Thêm nghệ nhân của một cơ sở", value=NEW_ARTISAN, request_only=True),
    OpenApiExample('Nghệ nhân đã thêm (ETag: "1")', value=ARTISAN_CREATED, response_only=True),
]
ARTISAN_PATCH = [
    OpenApiExample(
        'Đổi danh hiệu (If-Match: "1")',
        value={"title": "nhan-dan", "year_awarded": 2024},
        request_only=True,
    ),
    OpenApiExample(
        'Nghệ nhân đã sửa (ETag: "2")',
        value={**ARTISAN_CREATED, "title": "nhan-dan", "year_awarded": 2024, "version": 2},
        response_only=True,
    ),
]

SUPPORT_LIMIT_QUESTION: dict[str, Any] = {
    "content": "may-moc-thiet-bi",
    "fund": "KCQG",
    "eligible_cost": 700_000_000,
    "on": "2026-05-01",
}
SUPPORT_LIMIT_ANSWER: dict[str, Any] = {
    "maximum": 300_000_000,
    "norm": 1,
    "legal_basis": "Thông tư 28/2018/TT-BTC, sửa đổi bởi Thông tư 64/2024/TT-BTC",
    "sentence": "Tối đa 300.000.000 đ: 50% chi phí hợp lý 700.000.000 đ là 350.000.000 đ, "
    "vượt mức trần 300.000.000 đ/cơ sở (Thông tư 28/2018/TT-BTC, sửa đổi bởi Thông tư "
    "64/2024/TT-BTC).",
    "needs_verification": False,
    "advance_ceiling": "0.70",
    "advance_maximum": 210_000_000,
    "on": "2026-05-01",
}
SUPPORT_LIMIT = [
    OpenApiExample("Máy móc thiết bị, KCQG", value=SUPPORT_LIMIT_QUESTION, request_only=True),
    OpenApiExample("Mức hỗ trợ tối đa", value=SUPPORT_LIMIT_ANSWER, response_only=True),
]

STEP = {"comment": "Trình Sở Công Thương thẩm định."}
STEP_DONE: dict[str, Any] = {
    "advanced": True,
    "pending": [],
    "project": {
        "id": 5012,
        "unit": "14",
        "fund": "KCDP",
        "plan_year": 2027,
        "status": "da-trinh",
        "title": "Hỗ trợ máy sao chè cho HTX chè Shan tuyết Chiềng Sơn",
        "total_cost": 1_200_000_000,
        "support_kcdp": 360_000_000,
        "version": 4,
    },
}
TRANSITION = [
    OpenApiExample('Trình đề án (If-Match: "3")', value=STEP, request_only=True),
    OpenApiExample('Đã chuyển bước (ETag: "4")', value=STEP_DONE, response_only=True),
]

CHANGE_PAGE: dict[str, Any] = {
    "results": [
        {
            "cursor": 81234,
            "resource": "establishments",
            "id": 1201,
            "change": "created",
            "at": "2026-12-04T09:30:00+07:00",
            "version": 1,
            "data": {"id": 1201, "name": "Hợp tác xã chè Shan tuyết Chiềng Sơn", "version": 1},
        },
        {
            "cursor": 81240,
            "resource": "establishments",
            "id": 977,
            "change": "moved_out",
            "at": "2026-12-04T10:02:00+07:00",
            "version": 6,
            "data": None,
        },
    ],
    "cursor": 81240,
    "next": "https://khuyencong.example.vn/api/v1/changes?resource=establishments&since=81240&limit=2",
}
CHANGES = [OpenApiExample("Một trang thay đổi", value=CHANGE_PAGE, response_only=True)]

UNKNOWN_COMMUNE = (
    "Không tìm thấy đơn vị “99999” trong phạm vi của bạn. Gõ vài chữ của tên (không dấu cũng "
    "được) rồi chọn trong danh sách gợi ý, hoặc ghi mã đơn vị."
)
#: problem+json examples, per status (added by the schema hook to every operation's answer).
PROBLEMS: dict[str, dict[str, Any]] = {
    "400": {
        "type": "about:blank",
        "title": "Dữ liệu gửi lên chưa hợp lệ",
        "status": 400,
        "detail": "Dữ liệu gửi lên chưa hợp lệ: " + UNKNOWN_COMMUNE,
        "errors": {"commune": [UNKNOWN_COMMUNE]},
    },
    "403": {
        "type": "about:blank",
        "title": "Không được phép",
        "status": 403,
        "detail": "Vai trò “Cán bộ Sở Tài chính” không được phép thêm, sửa cơ sở.",
    },
    "412": {
        "type": "about:blank",
        "title": "Phiên bản đã thay đổi",
        "status": 412,
        "detail": '“HTX chè Chiềng Sơn” đã được sửa (phiên bản hiện tại 4, bạn gửi "3"). Hãy '
        "đọc lại rồi sửa trên phiên bản mới.",
        "current_version": 4,
    },
}

ROLLUP_PAGE: dict[str, Any] = {
    "period": "2026-H1",
    "period_label": "6 tháng đầu năm 2026",
    "area": "14",
    "area_name": "Tỉnh Sơn La",
    "refreshed": "2026-07-01T06:00:00+07:00",
    "reports_expected": 76,
    "reports_submitted": 70,
    "reports_on_time": 64,
    "indicators": [
        {
            "code": "so-de-an",
            "label": "Số đề án khuyến công được phê duyệt",
            "unit_of_measure": "đề án",
            "target": "40.0000",
            "reported": {"value": "18.0", "numerator": "18.0000", "denominator": None},
            "live": {"value": "19.0", "numerator": "19.0000", "denominator": None},
            "keys": [],
            "units": [
                {
                    "unit": "03985",
                    "name": "Xã Chiềng Sơn",
                    "reported": None,
                    "live": {"value": "2.0", "numerator": "2.0000", "denominator": None},
                }
            ],
        }
    ],
}
ROLLUP = [OpenApiExample("Tổng hợp của một tỉnh", value=ROLLUP_PAGE, response_only=True)]

SHEET_SCORES: dict[str, Any] = {
    "scores": {"thi-truong": "35,5", "kinh-te-ky-thuat": "34", "van-hoa": "8", "khac": "7.5"},
    "comment": "Sản phẩm có thị trường ổn định, bao bì cần cải tiến.",
    "submit": True,
}
SHEET_SUBMITTED: dict[str, Any] = {
    "id": 3107,
    "round": "son-la-2026",
    "entry": 845,
    "judge": "Nguyễn Văn Bình",
    "status": "da-nop",
    "scores": {
        "thi-truong": "35.50",
        "kinh-te-ky-thuat": "34.00",
        "van-hoa": "8.00",
        "khac": "7.50",
    },
    "total": "85.00",
    "comment": "Sản phẩm có thị trường ổn định, bao bì cần cải tiến.",
    "submitted_at": "2026-08-12T15:20:00+07:00",
    "reopen_count": 0,
    "version": 3,
    "updated_at": "2026-08-12T15:20:00+07:00",
}
SHEET_SAVE = [
    OpenApiExample('Nộp phiếu (If-Match: "2")', value=SHEET_SCORES, request_only=True),
    OpenApiExample('Phiếu đã nộp (ETag: "3")', value=SHEET_SUBMITTED, response_only=True),
]
SHEET_PATCH = [
    OpenApiExample("Lưu nháp một mục", value={"scores": {"van-hoa": "8,5"}}, request_only=True),
]
SHEET_REOPEN = [
    OpenApiExample(
        'Mở lại phiếu (If-Match: "3")',
        value={"reason": "Chấm nhầm điểm tiêu chí văn hóa."},
        request_only=True,
    ),
]
