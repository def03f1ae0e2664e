"""Indicators in the reader's language. Their labels and units are data (``seed.py``, editable):
the stored Vietnamese is the source of truth, and the English catalogue names the default sets'
indicators by code — only while the stored label is still the default one (a label a province
edited is shown as stored, never under a stale English name). Pure: no ORM."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop, pgettext_lazy

#: The default sets' labels (every version of ``seed.py``), by indicator code.
LABELS = {
    "de-an-phe-duyet": gettext_noop("Đề án khuyến công được phê duyệt"),
    "kinh-phi-phe-duyet": gettext_noop("Kinh phí được phê duyệt (gồm đối ứng, nguồn khác)"),
    "ty-trong-kcqg": gettext_noop("Tỷ trọng KCQG trong kinh phí khuyến công được phê duyệt"),
    "kinh-phi-giai-ngan": gettext_noop("Kinh phí đã giải ngân (tạm ứng, thanh toán)"),
    "kinh-phi-tam-ung": gettext_noop("Kinh phí đã tạm ứng"),
    "kinh-phi-thanh-toan": gettext_noop(
        "Kinh phí đã thanh toán (đã được Sở Tài chính đồng ký nếu phải đồng ký)"
    ),
    "kinh-phi-quyet-toan": gettext_noop("Kinh phí đã quyết toán"),
    "co-so-duoc-ho-tro": gettext_noop("Cơ sở CNNT được hỗ trợ"),
    "mo-hinh-trinh-dien": gettext_noop("Mô hình trình diễn kỹ thuật"),
    "may-moc-day-chuyen": gettext_noop("Cơ sở CNNT ứng dụng máy móc thiết bị, dây chuyền"),
    "mo-hinh-sxsh": gettext_noop("Mô hình thí điểm sản xuất sạch hơn"),
    "xu-ly-moi-truong": gettext_noop("Cơ sở CNNT được hỗ trợ xử lý nước thải, khí thải"),
    "nhan-hieu": gettext_noop("Cơ sở CNNT được hỗ trợ đăng ký nhãn hiệu"),
    "hoi-cho-trong-nuoc": gettext_noop("Hội chợ triển lãm trong nước được hỗ trợ tổ chức"),
    "hoi-cho-nuoc-ngoai": gettext_noop("Hội chợ triển lãm tại nước ngoài được tổ chức"),
    "tham-gia-hoi-cho-trong-nuoc": gettext_noop(
        "Hội chợ trong nước có cơ sở CNNT được hỗ trợ tham gia"
    ),
    "tham-gia-hoi-cho-nuoc-ngoai": gettext_noop(
        "Hội chợ nước ngoài có cơ sở CNNT được hỗ trợ tham gia"
    ),
    "san-pham-chung-nhan": gettext_noop("Sản phẩm được chứng nhận sản phẩm CNNT tiêu biểu"),
    "chung-nhan-hieu-luc": gettext_noop("Giấy chứng nhận sản phẩm tiêu biểu còn hiệu lực"),
    "binh-chon-quoc-gia": gettext_noop("Kỳ bình chọn sản phẩm CNNT tiêu biểu cấp quốc gia"),
    "hoi-nghi-can-bo": gettext_noop("Hội nghị đào tạo, tập huấn cán bộ khuyến công"),
    "hoc-vien": gettext_noop("Học viên được đào tạo (khởi sự, quản trị, sản xuất sạch hơn)"),
}

#: The default sets' units of measure ("%" reads the same; a context: "cơ sở" here counts
#: establishments, "kỳ" selection rounds).
UNITS = {
    "đề án": pgettext_lazy("đơn vị tính", "đề án"),
    "đồng": pgettext_lazy("đơn vị tính", "đồng"),
    "cơ sở": pgettext_lazy("đơn vị tính", "cơ sở"),
    "mô hình": pgettext_lazy("đơn vị tính", "mô hình"),
    "hội chợ": pgettext_lazy("đơn vị tính", "hội chợ"),
    "sản phẩm": pgettext_lazy("đơn vị tính", "sản phẩm"),
    "giấy": pgettext_lazy("đơn vị tính", "giấy"),
    "kỳ": pgettext_lazy("đơn vị tính", "kỳ"),
    "hội nghị": pgettext_lazy("đơn vị tính", "hội nghị"),
    "học viên": pgettext_lazy("đơn vị tính", "học viên"),
}


def label(indicator: Any) -> str:
    """The indicator's label in the active language."""
    stored: str = indicator.label
    return gettext(stored) if LABELS.get(indicator.code) == stored else stored


def unit(indicator: Any) -> str:
    """Its unit of measure in the active language."""
    return str(UNITS.get(indicator.unit_of_measure, indicator.unit_of_measure))
