"""Văn bản của kỳ bình chọn, in the layout of Decree 30/2020/NĐ-CP, as Word and PDF.

- ``bien-ban`` — Biên bản họp hội đồng bình chọn: the council (present, absent with the
  reason), each entry's judges' totals with the arithmetic of its mean, the pass mark, the
  rank (ties shown), the council's cap with its basis, the outlier flags, the conclusion;
  signed by the secretary and the chair.
- ``quyet-dinh`` — Quyết định công nhận sản phẩm CNNT tiêu biểu: căn cứ, Điều 1 (the products,
  listed in the appendix), Điều 2 (validity of the certificates, the holders' duties), Điều 3;
  the appendix lists every recognised product with its certificate number.
- the certificate (PL6, one template for every level): :mod:`khuyencong.awards.certificate_paper`.

Laid out as pure data (``projects.documents.Paper``) and drawn by the same two renderers as the
projects' documents (python-docx through ``core/decree30.py``, WeasyPrint).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from khuyencong.core import decree30, http
from khuyencong.core.formatting import format_date, format_long_date, format_number
from khuyencong.geo.models import AdministrativeUnit
from khuyencong.projects.documents import (
    NATIONAL_ISSUER,
    Block,
    Issuer,
    Paper,
    Table,
    Text,
    paper_docx,
    paper_pdf,
)

from . import rules
from .models import CouncilMember, CouncilRole, SelectionRound
from .rules import Level
from .selectors.results import ResultTable

UNIT_WORDS = {
    "xa": "xã",
    "phuong": "phường",
    "dac-khu": "đặc khu",
    "thi-tran": "thị trấn",
    "tinh": "tỉnh",
    "thanh-pho-tw": "thành phố",
}
EMPTY = "-"


def unit_phrase(unit: AdministrativeUnit | None) -> str:
    """``xã Chiềng Sơn``, ``tỉnh Sơn La``, ``thành phố Hà Nội``: commune names in the official
    list already start with their type (``Xã Chiềng Sơn``), which is not said twice."""
    if unit is None:
        return ""
    word = UNIT_WORDS.get(unit.unit_type, "")
    if word and unit.name.lower().startswith(word + " "):
        return word + unit.name[len(word) :]
    return f"{word} {unit.name}".strip()


def address(commune: AdministrativeUnit, province: AdministrativeUnit | None) -> str:
    return ", ".join(p for p in (unit_phrase(commune), unit_phrase(province)) if p)


MINISTRY_ISSUER = Issuer(
    parent="",
    lines=("BỘ CÔNG THƯƠNG",),
    name="Bộ Công Thương",
    head="Bộ trưởng Bộ Công Thương",
    signature=decree30.Signature(title="Thứ trưởng", name="", authorities=(("KT.", "Bộ trưởng"),)),
    place="Hà Nội",
    code="BCT",
    archive=("VT", "ĐCK"),
)


def issuer_of(round_: SelectionRound) -> Issuer:
    """Who recognises the products of a level: the commune's or the province's People's
    Committee (the SCT is the province's standing body), the national department for a region,
    the ministry for the nation."""
    if round_.level == Level.REGION:
        return NATIONAL_ISSUER
    if round_.level == Level.NATION:
        return MINISTRY_ISSUER
    phrase = unit_phrase(round_.unit)
    return Issuer(
        parent="",
        lines=("ỦY BAN NHÂN DÂN", phrase.upper()),
        name=f"Ủy ban nhân dân {phrase}",
        head=f"Chủ tịch Ủy ban nhân dân {phrase}",
        signature=decree30.Signature(
            title="Phó Chủ tịch",
            name="",
            authorities=(("TM.", "Ủy ban nhân dân"), ("KT.", "Chủ tịch")),
        ),
        place=round_.unit.name,
        code="UBND",
        archive=("VT", "SCT" if round_.level == Level.PROVINCE else "VP"),
    )


def selection_title(round_: SelectionRound) -> str:
    """``sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh năm 2026``."""
    level = rules.level_name(round_.level)
    return f"sản phẩm công nghiệp nông thôn tiêu biểu {level} năm {round_.year}"


def _score(value: Decimal | None) -> str:
    return format_number(value, places=2) if value is not None else EMPTY


# --------------------------------------------------------------------------------------------
# Biên bản họp hội đồng
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FlagLine:
    judge: str
    product: str
    criterion: str
    difference: str


def _judge_note(member: CouncilMember) -> str:
    if member.is_reserve:
        return " (giám khảo dự khuyết)"
    return " (giám khảo)" if member.is_judge else ""


def _members_table(members: list[CouncilMember]) -> Table:
    rows = tuple(
        (
            str(n),
            m.full_name,
            m.position or EMPTY,
            str(m.get_council_role_display()) + _judge_note(m),
            f"Vắng mặt: {m.absent_reason.strip()}" if m.is_absent else "Có mặt",
        )
        for n, m in enumerate(members, start=1)
    )
    return Table(
        ("TT", "Họ và tên", "Chức vụ, đơn vị công tác", "Vai trò", "Tham dự"),
        rows,
        (10, 40, 0, 35, 30),
    )


def _results_table(table: ResultTable) -> Table:
    rows = tuple(
        (
            str(n),
            row.entry.product.name,
            row.entry.establishment.name,
            row.arithmetic or EMPTY,
            _score(row.entry.mean),
            f"{row.entry.rank}{' (đồng hạng)' if row.tied else ''}" if row.entry.rank else EMPTY,
            "Đạt" if row.entry.passed else "Không đạt",
        )
        for n, row in enumerate(table.rows, start=1)
    )
    return Table(
        ("TT", "Sản phẩm", "Cơ sở", "Điểm của các giám khảo", "Điểm TB", "Xếp hạng", "Kết quả"),
        rows,
        (9, 30, 28, 0, 15, 16, 17),
        numeric=frozenset({4, 5}),
    )


def jury_minutes(
    round_: SelectionRound,
    table: ResultTable,
    members: list[CouncilMember],
    flags: list[FlagLine],
) -> Paper:
    """Biên bản họp hội đồng bình chọn (khóa chấm, kết quả)."""
    organiser = issuer_of(round_)
    title = selection_title(round_)
    closed_on = timezone.localdate(round_.closed_at) if round_.closed_at else None
    blocks: list[Block] = [Text(f"Căn cứ {round_.legal_basis.strip().rstrip(';.')};", "basis")]
    if round_.council_decision.strip():
        blocks.append(
            Text(
                f"Căn cứ {round_.council_decision.strip().rstrip(';.')} thành lập Hội đồng;",
                "basis",
            )
        )
    if closed_on is not None:
        blocks.append(
            Text(
                f"Hôm nay, {format_long_date(closed_on)}, Hội đồng bình chọn {title} họp, khóa "
                "chấm điểm và tổng hợp kết quả, gồm:"
            )
        )
    # The jury proper: reserve judges scored only the entries they replaced a judge on.
    present = sum(1 for m in members if m.on_jury and not m.is_absent)
    judges = sum(1 for m in members if m.on_jury)
    passed = table.passed
    blocks += [
        Text("I. THÀNH PHẦN HỘI ĐỒNG VÀ BAN GIÁM KHẢO", "heading"),
        _members_table(members),
        Text(f"Số giám khảo có mặt: {present}/{judges}."),
        Text("II. KẾT QUẢ CHẤM ĐIỂM", "heading"),
        Text(
            f"Mỗi giám khảo chấm độc lập trên phiếu chấm điểm (PL4), tổng tối đa "
            f"{format_number(round_.total_cap.normalize())} điểm. Điểm của sản phẩm là trung bình "
            f"cộng tổng điểm của các giám khảo, làm tròn đến hai chữ số thập phân; sản phẩm đạt "
            f"khi điểm trung bình từ {format_number(round_.pass_mark.normalize())} điểm trở lên."
        ),
        _results_table(table),
    ]
    if round_.max_passing:
        blocks.append(
            Text(
                f"Hội đồng quyết định công nhận tối đa {round_.max_passing} sản phẩm "
                f"({round_.max_passing_basis})."
                + (
                    " Các sản phẩm đồng hạng ở vị trí cuối cùng đều được đề nghị công nhận."
                    if table.ties_beyond_cap
                    else ""
                )
            )
        )
    if flags:
        blocks.append(Text("Cảnh báo điểm lệch (đã được Chủ tịch Hội đồng xem xét):", "heading"))
        blocks += [
            Text(
                f"{f.judge} — {f.product}"
                + (f" ({f.criterion})" if f.criterion else " (tổng điểm)")
                + f": lệch {f.difference} điểm so với trung bình của các giám khảo khác."
            )
            for f in flags
        ]
    blocks += [
        Text("III. KẾT LUẬN", "heading"),
        Text(
            f"Hội đồng thống nhất đề nghị {organiser.name} công nhận {passed} sản phẩm đạt "
            f"danh hiệu {title} trên tổng số {len(table.rows)} sản phẩm được chấm điểm."
        ),
        Text("Biên bản đã được đọc lại cho các thành viên cùng nghe, thống nhất và ký tên./."),
    ]
    chair = next((m.full_name for m in members if m.council_role == CouncilRole.CHAIR), "")
    secretary = next((m.full_name for m in members if m.council_role == CouncilRole.SECRETARY), "")
    return Paper(
        issuer=Issuer(
            parent=organiser.name.upper(),
            lines=("HỘI ĐỒNG BÌNH CHỌN", "SẢN PHẨM CNNT TIÊU BIỂU"),
            name=f"Hội đồng bình chọn {title}",
            head="Chủ tịch Hội đồng",
            signature=decree30.Signature(title="Chủ tịch Hội đồng", name=chair),
            place=organiser.place,
            code="BB-HĐBC",
            archive=("VT",),
        ),
        code="BB-HĐBC",
        number=None,
        issued_on=closed_on,
        doc_type="Biên bản",
        summary=f"Họp Hội đồng bình chọn {title}",
        blocks=tuple(blocks),
        signatures=(
            decree30.Signature(title="Thư ký Hội đồng", name=secretary),
            decree30.Signature(title="Chủ tịch Hội đồng", name=chair),
        ),
    )


# --------------------------------------------------------------------------------------------
# Quyết định công nhận (with its appendix)
# --------------------------------------------------------------------------------------------
def _decision_number(round_: SelectionRound, issuer: Issuer) -> tuple[int | None, str]:
    try:
        return decree30.parse_document_number(round_.decision_number)
    except ValueError:
        return None, f"QĐ-{issuer.code}"


def recognition_decision(round_: SelectionRound, table: ResultTable) -> Paper:
    """Quyết định công nhận sản phẩm công nghiệp nông thôn tiêu biểu."""
    issuer = issuer_of(round_)
    number, code = _decision_number(round_, issuer)
    title = selection_title(round_)
    recognised = [row for row in table.rows if row.entry.passed]
    valid_until = (
        rules.valid_until(round_.decision_date, round_.validity_years)
        if round_.decision_date
        else None
    )
    closed_on = timezone.localdate(round_.closed_at) if round_.closed_at else None
    proposer = (
        "Giám đốc Sở Công Thương"
        if round_.level == Level.PROVINCE
        else "Chủ tịch Hội đồng bình chọn"
    )
    blocks: list[Block] = [
        Text(issuer.head.upper(), "centre"),
        Text(f"Căn cứ {round_.legal_basis.strip().rstrip(';.')};", "basis"),
    ]
    if closed_on is not None:
        blocks.append(
            Text(
                f"Căn cứ Biên bản họp Hội đồng bình chọn {title} ngày {format_date(closed_on)};",
                "basis",
            )
        )
    blocks += [
        Text(f"Theo đề nghị của {proposer}.", "basis"),
        Text("QUYẾT ĐỊNH:", "centre"),
        Text(
            f"Công nhận {len(recognised)} sản phẩm đạt danh hiệu {title} (có danh sách kèm theo).",
            lead="Điều 1. ",
        ),
        Text(
            "Các sản phẩm tại Điều 1 được cấp Giấy chứng nhận sản phẩm công nghiệp nông thôn "
            "tiêu biểu"
            + (f", có giá trị đến hết ngày {format_date(valid_until)}" if valid_until else "")
            + ". Cơ sở có sản phẩm được công nhận có trách nhiệm duy trì chất lượng sản phẩm "
            "như đã cam kết và báo cáo tình hình sản xuất, kinh doanh hằng năm theo quy định.",
            lead="Điều 2. ",
        ),
        Text(
            "Quyết định này có hiệu lực kể từ ngày ký. Thủ trưởng các cơ quan, đơn vị có liên "
            "quan và các cơ sở có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.",
            lead="Điều 3. ",
        ),
    ]
    rows = tuple(
        (
            str(n),
            row.entry.product.name,
            f"{row.entry.product.group}",
            row.entry.establishment.name,
            address(row.entry.commune, row.entry.province),
            _score(row.entry.mean),
            row.certificate.number if row.certificate else EMPTY,
        )
        for n, row in enumerate(recognised, start=1)
    )
    appendix = Table(
        ("TT", "Tên sản phẩm", "Nhóm", "Cơ sở sản xuất", "Địa chỉ", "Điểm", "Số giấy chứng nhận"),
        rows,
        (9, 0, 13, 32, 30, 14, 26),
        numeric=frozenset({5}),
    )
    reference = (
        f"(Kèm theo Quyết định số {round_.decision_number} ngày "
        f"{format_date(round_.decision_date)} của {issuer.name})"
        if round_.decision_date
        else ""
    )
    return Paper(
        issuer=issuer,
        code=code,
        number=number,
        issued_on=round_.decision_date,
        doc_type="Quyết định",
        summary=f"Về việc công nhận {title}",
        blocks=tuple(blocks),
        signatures=(issuer.signature,),
        recipients=("Như Điều 3", "Cơ quan, đơn vị có liên quan", "Các cơ sở có tên tại Điều 1"),
        appendix_title=(f"DANH SÁCH {title.upper()}", reference),
        appendix=(
            Text(
                "Nhóm sản phẩm: 1 — thủ công mỹ nghệ; 2 — chế biến nông, lâm, thủy sản và thực "
                "phẩm; 3 — thiết bị, máy móc, dụng cụ, phụ tùng cơ khí; 4 — khác.",
                "basis",
            ),
            appendix,
        ),
    )


# --------------------------------------------------------------------------------------------
# Which documents a round has, and rendering them
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kind:
    slug: str
    label: Promise
    needs_publication: bool


KINDS: dict[str, Kind] = {
    k.slug: k
    for k in (
        Kind("bien-ban", _("Biên bản họp hội đồng bình chọn"), False),
        Kind("quyet-dinh", _("Quyết định công nhận (kèm danh sách)"), True),
    )
}

FORMATS: dict[str, tuple[str, Callable[[Paper], bytes]]] = {
    "docx": (http.DOCX, paper_docx),
    "pdf": (http.PDF, paper_pdf),
}


def render(paper: Paper, fmt: str) -> bytes:
    """Always in Vietnamese, whatever language the user reads the site in."""
    with translation.override("vi"):
        return FORMATS[fmt][1](paper)


def filename(kind: str, fmt: str, round_: SelectionRound) -> str:
    return f"{kind}-{round_.code}.{fmt}"
