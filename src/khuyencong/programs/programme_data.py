"""Pure representation of a khuyến công programme (chương trình khuyến công).

No Django here: frozen dataclasses, catalogues and exact number helpers that the seed modules,
the consistency checker (``consistency.py``) and, later, the importers and models share.

Vocabulary (Vietnamese term → name in code):

- chương trình khuyến công → :class:`ProgrammeData`
- nhóm nội dung → :class:`ContentGroup` (the six groups of Decision 2646/QĐ-BCT, section V)
- dòng nội dung hỗ trợ (a row of the budget appendix) → :class:`ActivityLineData`
- ô số lượng / kinh phí theo năm và nguồn → :class:`Cell`
- chỉ tiêu (a target stated in the text) → :class:`Target`
- nguồn kinh phí → :data:`FUNDS`

Money is always an ``int`` of đồng, quantities are :class:`~decimal.Decimal`; floats are refused.
The seeds print money in triệu đồng with halves (62,5): :func:`million_to_dong` converts exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_noop

MAX_NUMBER_TEXT = 40
"""Longest number text read at all (``core/bounds.py`` says why)."""

__all__ = [
    "CONTENT_GROUPS",
    "CONTENT_GROUPS_BY_CODE",
    "DOI_UNG",
    "FUNDS",
    "FUND_NAMES",
    "GROUP_LABEL_MAPPINGS",
    "KCDP",
    "KCQG",
    "KHAC",
    "LEVELS",
    "MILLION",
    "NSXA",
    "SECTIONS",
    "ActivityLineData",
    "Cell",
    "ContentGroup",
    "ProgrammeData",
    "Target",
    "format_dong",
    "format_million",
    "format_money",
    "format_vn_number",
    "group_code_for",
    "million_to_dong",
    "parse_dong",
    "parse_vn_number",
]

MILLION = 1_000_000
"""One triệu đồng, in đồng."""

# --------------------------------------------------------------------------------------------
# Funding sources (nguồn kinh phí)
# --------------------------------------------------------------------------------------------
KCQG = "KCQG"
"""Kinh phí khuyến công quốc gia — national KC funds (central budget)."""
KCDP = "KCDP"
"""Kinh phí khuyến công địa phương — local KC funds (provincial budget)."""
NSXA = "NSXA"
"""Ngân sách xã — commune budget (since the 2025 reform communes may fund KC themselves)."""
DOI_UNG = "DOI_UNG"
"""Vốn đối ứng — the beneficiary's own (counterpart) share."""
KHAC = "KHAC"
"""Nguồn khác — other lawful sources."""

FUNDS: dict[str, str] = {
    KCQG: "KCQG",
    KCDP: "KCĐP",
    NSXA: "Ngân sách xã",
    DOI_UNG: "Vốn đối ứng",
    KHAC: "Khác",
}
"""Fund code → short Vietnamese label, in display order."""

FUND_NAMES: dict[str, str] = {
    KCQG: "Kinh phí khuyến công quốc gia",
    KCDP: "Kinh phí khuyến công địa phương",
    NSXA: "Ngân sách cấp xã",
    DOI_UNG: "Vốn đối ứng của cơ sở thụ hưởng",
    KHAC: "Nguồn kinh phí hợp pháp khác",
}
"""Fund code → full Vietnamese name."""

LEVELS: dict[str, str] = {
    "national": "Quốc gia",
    "province": "Tỉnh, thành phố",
    "commune": "Xã, phường, đặc khu",
}
"""Programme level (cấp chương trình) → Vietnamese label."""

SECTIONS: dict[str, str] = {
    "muc-tieu": "Mục tiêu",
    "noi-dung": "Nội dung",
}
"""Where in the decision a target is stated: the objectives or the contents section."""


# --------------------------------------------------------------------------------------------
# Content groups (nhóm nội dung)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ContentGroup:
    """Nhóm nội dung khuyến công: one of the six groups of Decision 2646/QĐ-BCT, section V.

    ``name`` is the wording of the national programme; ``short_name`` a label for narrow columns
    (in the translation catalogue: show it through ``gettext``).
    """

    code: str
    number: int
    name: str
    short_name: str


CONTENT_GROUPS: tuple[ContentGroup, ...] = (
    ContentGroup(
        "nhom-1",
        1,
        "Hỗ trợ xây dựng mô hình trình diễn kỹ thuật; chuyển giao công nghệ và ứng dụng máy móc "
        "tiên tiến, tiến bộ khoa học kỹ thuật vào sản xuất công nghiệp - tiểu thủ công nghiệp; "
        "hỗ trợ áp dụng sản xuất sạch hơn, sản xuất và tiêu dùng bền vững",
        gettext_noop("Mô hình trình diễn, máy móc thiết bị, sản xuất sạch hơn"),
    ),
    ContentGroup(
        "nhom-2",
        2,
        "Hỗ trợ phát triển sản phẩm CNNT",
        gettext_noop("Phát triển sản phẩm công nghiệp nông thôn"),
    ),
    ContentGroup(
        "nhom-3",
        3,
        "Hỗ trợ xúc tiến đầu tư phát triển cụm công nghiệp; xử lý môi trường tại các cụm công "
        "nghiệp, cơ sở công nghiệp nông thôn",
        gettext_noop("Cụm công nghiệp, xử lý môi trường"),
    ),
    ContentGroup(
        "nhom-4",
        4,
        "Hỗ trợ phát triển nguồn nhân lực có chất lượng; nâng cao năng lực quản lý; tư vấn, trợ "
        "giúp các cơ sở CNNT",
        gettext_noop("Nguồn nhân lực, năng lực quản lý"),
    ),
    ContentGroup(
        "nhom-5",
        5,
        "Hỗ trợ tư vấn thông tin phát triển CNNT; công tác truyền thông",
        gettext_noop("Tư vấn thông tin, truyền thông"),
    ),
    ContentGroup(
        "nhom-6",
        6,
        "Nâng cao năng lực tổ chức thực hiện các hoạt động khuyến công",
        gettext_noop("Năng lực tổ chức thực hiện khuyến công"),
    ),
)
"""The catalogue, in order. Keep it data: provinces map their own lettering onto it."""

CONTENT_GROUPS_BY_CODE: dict[str, ContentGroup] = {g.code: g for g in CONTENT_GROUPS}

GROUP_LABEL_MAPPINGS: dict[str, dict[str, str]] = {
    # Sơn La, QĐ 1113/QĐ-UBND — the appendix numbers its groups 1…6 like the national programme.
    "son-la/phu-luc": {str(n): f"nhom-{n}" for n in range(1, 7)},
    # Sơn La, section II.2 (mục tiêu cụ thể) letters a, b, c, d, e, g (the text skips "đ").
    "son-la/muc-tieu": {
        "a": "nhom-1",
        "b": "nhom-2",
        "c": "nhom-3",
        "d": "nhom-4",
        "e": "nhom-5",
        "g": "nhom-6",
    },
    # Khánh Hòa, QĐ 524/QĐ-UBND, section I.2 (mục tiêu cụ thể): its own order of topics.
    "khanh-hoa/muc-tieu": {
        "a": "nhom-1",
        "b": "nhom-2",
        "c": "nhom-5",
        "d": "nhom-3",
        "đ": "nhom-4",
        "e": "nhom-6",
        # g) sản xuất sạch hơn, sản xuất và tiêu dùng bền vững: group 1 of the national list.
        "g": "nhom-1",
    },
    # Khánh Hòa, section III (nội dung): seven sections, the seventh being the cleaner and
    # sustainable production programme, which the national list puts in group 1.
    "khanh-hoa/noi-dung": {
        "1": "nhom-1",
        "2": "nhom-2",
        "3": "nhom-3",
        "4": "nhom-4",
        "5": "nhom-5",
        "6": "nhom-6",
        "7": "nhom-1",
    },
    # Đắk Lắk, section IV.1 (nội dung): no group for human resources; its "đ) Tư vấn, hỗ trợ các
    # cơ sở" repeats point 5b of the national programme (tư vấn lập dự án, marketing, ...).
    "dak-lak/noi-dung": {
        "a": "nhom-1",
        "b": "nhom-2",
        "c": "nhom-3",
        "d": "nhom-5",
        "đ": "nhom-5",
        "e": "nhom-6",
    },
}
"""Scheme (``"<province>/<section>"``) → the province's label → content group code."""


def group_code_for(scheme: str, label: str) -> str:
    """Map a province's own lettering or numbering (``"đ"``, ``"7"``) to a group code."""
    try:
        mapping = GROUP_LABEL_MAPPINGS[scheme]
    except KeyError:
        raise KeyError(f"Không có bảng chuyển đổi nhóm nội dung «{scheme}».") from None
    try:
        return mapping[label.strip().rstrip(")").strip()]
    except KeyError:
        raise KeyError(f"Mục «{label}» không có trong bảng chuyển đổi «{scheme}».") from None


# --------------------------------------------------------------------------------------------
# Numbers the Vietnamese way
# --------------------------------------------------------------------------------------------
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_PLAIN = re.compile(r"\d+")
_POINT_DECIMAL = re.compile(r"\d+\.\d+")
_COMMA_DECIMAL = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+),(\d+)")


def parse_vn_number(text: str) -> Decimal:
    """Read a number written the Vietnamese way: ``"25.965"`` → 25965, ``"62,5"`` → 62.5.

    The dot groups thousands and the comma marks decimals. A dot that cannot be a thousands
    separator (``"62.5"``, as the Sơn La appendix prints it) is read as a decimal point; so
    ``"1.500"`` is one thousand five hundred, never one and a half.
    Raises :class:`ValueError` on anything else (empty text, letters, several commas).
    """
    if not isinstance(text, str):
        raise TypeError(f"Cần một chuỗi, nhận được {type(text).__name__}.")
    s = text.strip().replace("\u00a0", "")
    if len(s) > MAX_NUMBER_TEXT:
        # Python refuses to convert more than 4,300 digits; no figure here needs 40 characters.
        raise ValueError(f"Số «{s[:20]}…» quá dài ({len(s)} ký tự).")
    negative = s.startswith("-")
    body = s[1:] if negative else s
    if _COMMA_DECIMAL.fullmatch(body):
        whole, frac = body.split(",")
        digits = f"{whole.replace('.', '')}.{frac}"
    elif _THOUSANDS.fullmatch(body):
        digits = body.replace(".", "")
    elif _PLAIN.fullmatch(body) or _POINT_DECIMAL.fullmatch(body):
        digits = body
    else:
        raise ValueError(f"Không đọc được số «{text}».")
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the patterns above only let digits through
        raise ValueError(f"Không đọc được số «{text}».") from None
    return -value if negative else value


def _to_decimal(value: str | Decimal | int) -> Decimal:
    if isinstance(value, bool | float):
        raise TypeError("Không dùng số thực dấu phẩy động (float) cho tiền hoặc số lượng.")
    if isinstance(value, str):
        return parse_vn_number(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"Giá trị không hữu hạn: {value}.")
        return value
    if isinstance(value, int):
        return Decimal(value)
    raise TypeError(f"Không chuyển được kiểu {type(value).__name__} thành số.")


def million_to_dong(value: str | Decimal | int) -> int:
    """Convert an amount in triệu đồng (``"62,5"``, ``"62.5"``, ``Decimal("62.5")``) to đồng.

    ``62,5`` triệu đồng → ``62_500_000``. Raises :class:`ValueError` if the result is not a
    whole number of đồng, :class:`TypeError` for floats.
    """
    dong = _to_decimal(value) * MILLION
    if dong != dong.to_integral_value():
        raise ValueError(f"{value} triệu đồng không phải là một số nguyên đồng.")
    return int(dong)


def parse_dong(text: str) -> int:
    """Read an amount printed in đồng (``"36.383.000.000"``); refuses fractions of a đồng."""
    value = parse_vn_number(text)
    if value != value.to_integral_value():
        raise ValueError(f"«{text}» không phải là một số nguyên đồng.")
    return int(value)


def format_vn_number(value: int | Decimal) -> str:
    """Write a number the Vietnamese way: 36383000000 → ``"36.383.000.000"``, 62.5 → ``"62,5"``.

    Trailing zeros of a fraction are dropped; :func:`parse_vn_number` reads the result back.
    """
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"Không định dạng được kiểu {type(value).__name__}.")
    d = Decimal(value)
    if not d.is_finite():
        raise ValueError(f"Giá trị không hữu hạn: {value}.")
    sign = "-" if d < 0 else ""
    d = abs(d)
    whole = int(d)
    frac = d - whole
    out = f"{whole:,}".replace(",", ".")
    if frac:
        frac_digits = format(frac.normalize(), "f").split(".")[1]
        out = f"{out},{frac_digits}"
    return f"{sign}{out}"


def format_dong(amount: int) -> str:
    """``36383000000`` → ``"36.383.000.000 đ"``."""
    return f"{format_vn_number(amount)} đ"


def format_million(amount: int) -> str:
    """``62500000`` → ``"62,5 triệu đồng"`` (exact, however many decimals it takes)."""
    return f"{format_vn_number(Decimal(amount) / MILLION)} triệu đồng"


def format_money(amount: int, unit: int = 1) -> str:
    """Format in the unit the document uses: triệu đồng when ``unit`` is a million, else đồng."""
    return format_million(amount) if unit == MILLION else format_dong(amount)


# --------------------------------------------------------------------------------------------
# The programme
# --------------------------------------------------------------------------------------------
def _check_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} phải là số nguyên (đồng), nhận được {type(value).__name__}.")


def _check_decimal(name: str, value: object) -> None:
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} phải là Decimal, nhận được {type(value).__name__}.")
    if not value.is_finite():
        raise ValueError(f"{name} không hữu hạn: {value}.")


@dataclass(frozen=True)
class Cell:
    """Ô số liệu: the quantity and amount of one activity line for one year and one fund.

    ``amount`` is in đồng (``int``), ``quantity`` a :class:`Decimal` in the line's unit.
    Whether the year and fund fit the programme is the checker's business, not the type's.
    """

    year: int
    fund: str
    quantity: Decimal
    amount: int

    def __post_init__(self) -> None:
        _check_int("Năm", self.year)
        if not isinstance(self.fund, str):
            raise TypeError("Mã nguồn kinh phí phải là chuỗi.")
        _check_decimal("Số lượng", self.quantity)
        _check_int("Kinh phí", self.amount)


@dataclass(frozen=True)
class ActivityLineData:
    """Dòng nội dung hỗ trợ: one row of a programme's budget table.

    ``stated_total_quantity`` and ``stated_total_amount`` are the row totals as the document
    prints them (``None`` when it prints none); the real totals are computed from ``cells``.
    """

    group_code: str
    name: str
    unit: str
    order: int
    cells: tuple[Cell, ...]
    notes: str = ""
    stated_total_quantity: Decimal | None = None
    stated_total_amount: int | None = None

    def __post_init__(self) -> None:
        _check_int("Số thứ tự dòng", self.order)
        if not isinstance(self.cells, tuple):
            raise TypeError("cells phải là tuple các Cell.")
        for cell in self.cells:
            if not isinstance(cell, Cell):
                raise TypeError("cells phải là tuple các Cell.")
        if self.stated_total_quantity is not None:
            _check_decimal("Tổng số lượng ghi trong văn bản", self.stated_total_quantity)
        if self.stated_total_amount is not None:
            _check_int("Tổng kinh phí ghi trong văn bản", self.stated_total_amount)


@dataclass(frozen=True)
class Target:
    """Chỉ tiêu: a quantified target as the decision states it.

    ``section`` tells where: ``"muc-tieu"`` (objectives) or ``"noi-dung"`` (contents).
    ``key`` identifies the same target wherever it is stated, so that the checker can find one
    target stated twice with different numbers. ``text`` is the original phrase; ``qualifier``
    the hedge word printed before the number ("khoảng", "dự kiến", "trên", "từ"), if any.
    ``lines`` are the ``order`` numbers of the budget lines that carry the target, if any.
    """

    group_code: str
    name: str
    unit: str
    quantity: Decimal
    section: str
    key: str
    text: str
    qualifier: str = ""
    lines: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        _check_decimal("Số lượng chỉ tiêu", self.quantity)
        if self.section not in SECTIONS:
            raise ValueError(f"Phần «{self.section}» không hợp lệ (muc-tieu hoặc noi-dung).")
        if not self.key:
            raise ValueError("Chỉ tiêu cần có khóa (key).")


@dataclass(frozen=True)
class ProgrammeData:
    """Chương trình khuyến công: the pure, immutable form of one approved programme.

    ``stated_fund_totals``, ``stated_grand_total`` and ``printed_year_fund_totals`` are the
    figures the decision prints (in đồng); the checker compares them with what the lines add up
    to. ``printed_unit`` is the money unit the document prints in (``MILLION`` for triệu đồng,
    ``1`` for đồng), so that a printed total rounded to that unit is told apart from a wrong one.
    ``decision_number`` and ``decision_date`` are ``None`` when the source text lacks them.
    ``remarks`` are Vietnamese notes on the source (misprints, missing parts).
    The dict fields are not part of the hash; treat them as read-only.
    """

    code: str
    level: str
    unit_code: str
    title: str
    start_year: int
    end_year: int
    decision_number: str | None
    decision_date: date | None
    issuing_body: str
    signer: str
    lines: tuple[ActivityLineData, ...] = ()
    targets: tuple[Target, ...] = ()
    stated_fund_totals: dict[str, int] = field(default_factory=dict, hash=False)
    stated_grand_total: int | None = None
    printed_year_fund_totals: dict[tuple[int, str], int] = field(default_factory=dict, hash=False)
    printed_unit: int = 1
    signer_title: str = ""
    source: str = ""
    remarks: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"Cấp chương trình «{self.level}» không hợp lệ.")
        _check_int("Năm bắt đầu", self.start_year)
        _check_int("Năm kết thúc", self.end_year)
        if self.end_year < self.start_year:
            raise ValueError("Năm kết thúc phải không trước năm bắt đầu.")
        _check_int("Đơn vị tiền in trong văn bản", self.printed_unit)
        if self.printed_unit < 1:
            raise ValueError("Đơn vị tiền in trong văn bản phải dương.")
        if not isinstance(self.lines, tuple) or not isinstance(self.targets, tuple):
            raise TypeError("lines và targets phải là tuple.")
        for mapping_name, mapping in (
            ("stated_fund_totals", self.stated_fund_totals),
            ("printed_year_fund_totals", self.printed_year_fund_totals),
        ):
            if not isinstance(mapping, Mapping):
                raise TypeError(f"{mapping_name} phải là dict.")
            for value in mapping.values():
                _check_int(mapping_name, value)
        if self.stated_grand_total is not None:
            _check_int("Tổng kinh phí ghi trong văn bản", self.stated_grand_total)

    @property
    def years(self) -> range:
        """The programme's years, ``start_year`` … ``end_year``."""
        return range(self.start_year, self.end_year + 1)

    def line(self, order: int) -> ActivityLineData:
        """The line with this ``order`` (raises :class:`KeyError` if there is none)."""
        for line in self.lines:
            if line.order == order:
                return line
        raise KeyError(f"Không có dòng số {order}.")
