"""Văn bản của đề án khuyến công, in the layout of Decree 30/2020/NĐ-CP, as Word and PDF.

- ``phieu-tham-dinh`` — Phiếu thẩm định đề án: the project, its proposed budget per fund and
  every appraisal sign-off of the latest round whose province appraisal was completed (the
  national one too, for a KCQG project): sheet text, score, conclusion, signer and date.
- ``quyet-dinh`` — Quyết định phê duyệt đề án: căn cứ (the decree on khuyến công and its
  amendment, for KCQG the circular on national funds, the norm's legal basis, the programmes'
  decisions, the appraisal), Điều 1 with the approved amounts per fund in đồng and the outputs,
  Điều 2 implementation, Điều 3 execution, recipients and signature. A KCĐP project is approved
  by the Sở Công Thương, a KCQG one by the national department (as ``workflow`` says).
- ``bien-ban-nghiem-thu`` — Biên bản nghiệm thu: date, participants, the minutes, planned and
  actual outputs per programme line, approved amounts, conclusion, signatures.

Each document is laid out once as a :class:`Paper` (pure data); :func:`paper_docx` draws it
with :mod:`khuyencong.core.decree30` and :func:`paper_pdf` with WeasyPrint from
``projects/document_print.html``, as :mod:`khuyencong.programs.documents` does for the annex.
The project must come from :func:`khuyencong.projects.selectors.project_for_view`: every relation
read here is prefetched, so the queries do not grow with lines or sign-offs (the content's name
and the norm's legal basis cost a fixed few).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Literal

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Emu, Length, Mm, Pt

from khuyencong.core import decree30, http
from khuyencong.core.formatting import (
    amount_in_words,
    format_date,
    format_long_date,
    format_number,
)
from khuyencong.core.models import Visibility
from khuyencong.planning.organisations import province_phrase, timing_text
from khuyencong.programs.programme_data import FUND_NAMES

from . import norms_api, rules, workflow
from .models import Project, ProjectSignOff
from .workflow import KCQG, State, Step

__all__ = [
    "FORMATS",
    "KINDS",
    "Paper",
    "acceptance_minutes",
    "appraisal_sheet",
    "approval_decision",
    "available",
    "filename",
    "paper_docx",
    "paper_html",
    "paper_pdf",
    "render",
]

#: Căn cứ pháp lý that every project rests on (as the seed decisions cite them).
KHUYEN_CONG_DECREE = (
    "Căn cứ Nghị định số 45/2012/NĐ-CP ngày 21 tháng 5 năm 2012 của Chính phủ về khuyến công; "
    "Nghị định số 235/2025/NĐ-CP ngày 27 tháng 8 năm 2025 của Chính phủ sửa đổi, bổ sung một "
    "số điều của Nghị định số 45/2012/NĐ-CP;"
)
#: … and a national-fund project in addition.
NATIONAL_FUND_CIRCULAR = (
    "Căn cứ Thông tư số 36/2013/TT-BCT ngày 27 tháng 12 năm 2013 của Bộ trưởng Bộ Công Thương "
    "quy định về việc xây dựng kế hoạch, tổ chức thực hiện và quản lý kinh phí khuyến công quốc "
    "gia, được sửa đổi, bổ sung tại Thông tư số 17/2018/TT-BCT ngày 10 tháng 7 năm 2018;"
)
ACCEPTED_STATES = frozenset({State.ACCEPTED, State.SETTLED, State.CLOSED})
BODY_SIZE = 14
TABLE_SIZE = 12
EMPTY = "-"


# --------------------------------------------------------------------------------------------
# The paper, laid out once (bố cục văn bản)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    """A paragraph: ``body`` (justified, indented), ``basis`` (căn cứ, italic), ``heading``
    (bold) or ``centre`` (bold, centred); ``lead`` is bold words before the text ("Điều 1.")."""

    text: str
    style: Literal["body", "basis", "heading", "centre"] = "body"
    lead: str = ""
    kind: ClassVar[str] = "text"


@dataclass(frozen=True)
class Table:
    """A ruled table; ``widths`` in mm, the column of width 0 takes what is left."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]
    numeric: frozenset[int] = frozenset()
    kind: ClassVar[str] = "table"

    @property
    def cells(self) -> list[list[tuple[str, str]]]:
        """Each cell with its alignment: the number column centred, quantities right."""
        return [
            [
                (text, "center" if i == 0 else "right" if i in self.numeric else "left")
                for i, text in enumerate(row)
            ]
            for row in self.rows
        ]


Block = Text | Table


@dataclass(frozen=True)
class Issuer:
    """Cơ quan ban hành: header lines, how sentences name it, who signs and where."""

    parent: str
    lines: tuple[str, ...]
    name: str
    head: str
    signature: decree30.Signature
    place: str
    code: str
    archive: tuple[str, ...]


@dataclass(frozen=True)
class Paper:
    """What both renderers draw: header, title, blocks, recipients and signatures."""

    issuer: Issuer
    code: str
    number: int | None
    issued_on: datetime.date | None
    doc_type: str
    summary: str
    blocks: tuple[Block, ...]
    signatures: tuple[decree30.Signature, ...]
    recipients: tuple[str, ...] = ()
    #: Phụ lục on its own page after the signature (a decision's list): title lines, blocks.
    appendix_title: tuple[str, ...] = ()
    appendix: tuple[Block, ...] = ()

    @property
    def number_line(self) -> str:
        return decree30.number_line(self.number, self.code)

    @property
    def place_date(self) -> str:
        if self.issued_on is None:
            return ""
        return decree30.place_date_line(self.issuer.place, self.issued_on)

    @property
    def recipient_lines(self) -> list[str]:
        return decree30.recipients_lines(self.recipients, self.issuer.archive)

    @property
    def signature_boxes(self) -> list[tuple[list[str], str]]:
        return [(decree30.signature_lines(s), s.name) for s in self.signatures]


def _province_issuer(project: Project) -> Issuer:
    province = province_phrase(project.unit.name, project.unit.unit_type)
    return Issuer(
        parent=f"UBND {province}".upper(),
        lines=("SỞ CÔNG THƯƠNG",),
        name=f"Sở Công Thương {province}",
        head=f"Giám đốc Sở Công Thương {province}",
        signature=decree30.Signature(
            title="Phó Giám đốc", name="", authorities=(("KT.", "Giám đốc"),)
        ),
        place=project.unit.name,
        code="SCT",
        archive=("VT", "QLCN"),
    )


NATIONAL_ISSUER = Issuer(
    parent="BỘ CÔNG THƯƠNG",
    lines=("CỤC ĐỔI MỚI SÁNG TẠO,", "CHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG"),
    name="Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công",
    head="Cục trưởng Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công",
    signature=decree30.Signature(title="Cục trưởng", name=""),
    place="Hà Nội",
    code="ĐCK",
    archive=("VT", "ĐCK"),
)


def _decision_issuer(project: Project) -> Issuer:
    return NATIONAL_ISSUER if project.fund == KCQG else _province_issuer(project)


# --------------------------------------------------------------------------------------------
# Pieces the three documents share (from the prefetched relations only)
# --------------------------------------------------------------------------------------------
def _amount(amount: int) -> str:
    return f"{format_number(amount)} đồng"


def _quantity(value: Decimal | None) -> str:
    return EMPTY if value is None else format_number(value)


def _name(signoff: ProjectSignOff | None) -> str:
    return signoff.actor.full_name if signoff is not None and signoff.actor else ""


def _signed_on(signoff: ProjectSignOff) -> datetime.date:
    return timezone.localdate(signoff.at)


def _paragraphs(text: str, style: Literal["body", "basis"] = "body") -> list[Text]:
    return [Text(line.strip(), style) for line in text.splitlines() if line.strip()]


def _fund_phrase(project: Project) -> str:
    return "quốc gia" if project.fund == KCQG else "địa phương"


def _approved(project: Project) -> rules.Totals:
    return rules.Totals(
        project.approved_kcqg, project.approved_kcdp, project.counterpart, project.other
    )


def _money(number: int, label: str, totals: rules.Totals) -> list[Text]:
    """``3. Kinh phí được duyệt: 600.000.000 đồng (Bằng chữ: Sáu trăm triệu đồng), trong đó:``
    and one line per source."""
    sources = [
        (f"{FUND_NAMES[fund]} ({rules.fund_label(fund)})", totals.for_fund(fund))
        for fund in workflow.FUNDS
    ]
    sources += [
        ("Vốn đối ứng của cơ sở thụ hưởng", totals.counterpart),
        ("Nguồn khác", totals.other),
    ]
    present = [(name, amount) for name, amount in sources if amount]
    total = f"{_amount(totals.total)} (Bằng chữ: {amount_in_words(totals.total)})"
    lines = [Text(f"{total}, trong đó:", lead=f"{number}. {label}: ")]
    for i, (name, amount) in enumerate(present, start=1):
        lines.append(Text(f"- {name}: {_amount(amount)}{'.' if i == len(present) else ';'}"))
    return lines


def _facts(project: Project, money_label: str, totals: rules.Totals) -> list[Text]:
    """Thông tin đề án as numbered lines, ending with the money by source."""
    tasks = list(project.tasks.all())
    timing = timing_text(min(t.start for t in tasks), max(t.end for t in tasks)) if tasks else ""
    province = province_phrase(project.unit.name, project.unit.unit_type)
    items = [
        ("Tên đề án", f"{project.title} (mã {project.code})"),
        (
            "Nguồn kinh phí",
            f"{FUND_NAMES[project.fund].lower()} năm {project.plan_year}",
        ),
        ("Đơn vị thực hiện", project.implementing_unit),
        ("Đơn vị phối hợp", " ".join(project.partners.split())),
        (
            "Cơ sở thụ hưởng",
            "; ".join(f"{e.name} ({e.commune.name})" for e in project.beneficiaries.all()),
        ),
        ("Địa điểm", f"{project.location.name}, {province}" if project.location else ""),
        ("Nội dung hỗ trợ", norms_api.content_label(project.content)),
        ("Mục tiêu", " ".join(project.objectives.split())),
        ("Thời gian thực hiện", timing),
    ]
    present = [(label, value) for label, value in items if value]
    lines = [
        Text(f"{value.rstrip('.')}.", lead=f"{n}. {label}: ")
        for n, (label, value) in enumerate(present, start=1)
    ]
    return lines + _money(len(present) + 1, money_label, totals)


def _outputs(project: Project, *, actual: bool) -> list[Block]:
    """Sản phẩm đầu ra theo dòng nội dung chương trình: planned (and actual) quantities."""
    outputs = list(project.outputs.all())
    if not outputs:
        return []
    headers: tuple[str, ...] = ("STT", "Sản phẩm đầu ra (nội dung chương trình)", "Đơn vị tính")
    headers += ("Kế hoạch", "Thực hiện") if actual else ("Kế hoạch",)
    rows = tuple(
        (str(n), o.line.name, o.line.unit_of_measure, _quantity(o.planned_quantity))
        + ((_quantity(o.actual_quantity),) if actual else ())
        for n, o in enumerate(outputs, start=1)
    )
    widths = (12, 0, 26, *[24] * (len(headers) - 3))
    return [
        Text("Sản phẩm đầu ra:", style="heading"),
        Table(headers, rows, widths, numeric=frozenset(range(3, len(headers)))),
    ]


def _appraisal_round(project: Project) -> int | None:
    """The latest round whose province appraisal was completed (every department signed)."""
    rounds = [
        t.round
        for t in project.transitions.all()
        if t.action == Step.APPRAISE_PROVINCE and t.to_state == State.APPRAISED_PROVINCE
    ]
    return max(rounds, default=None)


def _appraisals(project: Project) -> list[ProjectSignOff]:
    round_ = _appraisal_round(project)
    steps = {Step.APPRAISE_PROVINCE, Step.APPRAISE_NATIONAL}
    return [s for s in project.signoffs.all() if s.round == round_ and s.action in steps]


def _last_signoff(project: Project, action: str) -> ProjectSignOff | None:
    return next((s for s in reversed(project.signoffs.all()) if s.action == action), None)


def _signoff_label(project: Project, signoff: ProjectSignOff) -> str:
    """What the department signed: "Thẩm định kinh phí" (from the workflow table)."""
    try:
        found = workflow.find(signoff.from_state, signoff.action, project.fund)
    except workflow.TransitionError:
        return signoff.action_label
    sign = found.signoff_for(signoff.role)
    return str(sign.label) if sign is not None else signoff.action_label


def _representative(title: str, name: str = "") -> decree30.Signature:
    return decree30.Signature(title=f"Đại diện {title}", name=name)


# --------------------------------------------------------------------------------------------
# The three documents
# --------------------------------------------------------------------------------------------
def _opinion(n: int, project: Project, signoff: ProjectSignOff) -> list[Text]:
    data = signoff.data
    lines = [
        Text(f"{signoff.role_label} — {_signoff_label(project, signoff)}", "heading", f"{n}. "),
        *_paragraphs(str(data.get("sheet", ""))),
    ]
    if data.get("score") is not None:
        lines.append(Text(f"{data['score']}/100.", lead="Điểm thẩm định: "))
    lines.append(Text(f"{signoff.conclusion_label}.", lead="Kết luận: "))
    if signoff.comment.strip():
        lines.append(Text(" ".join(signoff.comment.split()), lead="Ý kiến khác: "))
    signer = _name(signoff) or "—"
    lines.append(
        Text(f"{signer}, ngày {format_date(_signed_on(signoff))}.", lead="Người thẩm định: ")
    )
    return lines


def appraisal_sheet(project: Project) -> Paper:
    """Phiếu thẩm định đề án (the latest completed appraisal round)."""
    signoffs = _appraisals(project)
    issuer = _province_issuer(project)
    blocks: list[Block] = [
        Text(
            f"Căn cứ hồ sơ đề án do {project.implementing_unit} trình "
            f"(lần trình thứ {_appraisal_round(project)});",
            "basis",
        ),
        Text("I. THÔNG TIN CHUNG VỀ ĐỀ ÁN", "heading"),
        *_facts(project, "Kinh phí đề nghị", project.proposed),
        Text("II. Ý KIẾN THẨM ĐỊNH", "heading"),
    ]
    for n, signoff in enumerate(signoffs, start=1):
        blocks += _opinion(n, project, signoff)
    return Paper(
        issuer=issuer,
        code=f"PTĐ-{issuer.code}",
        number=None,
        issued_on=max((_signed_on(s) for s in signoffs), default=None),
        doc_type="Phiếu thẩm định",
        summary=f"Đề án khuyến công {_fund_phrase(project)} năm {project.plan_year}",
        blocks=tuple(blocks),
        signatures=tuple(_representative(s.role_label, _name(s)) for s in signoffs),
    )


def _legal_bases(project: Project) -> list[str]:
    """Căn cứ of the decision: the decree, the fund's circular, the norm, the programmes, the
    appraisal."""
    bases = [KHUYEN_CONG_DECREE]
    if project.fund == KCQG:
        bases.append(NATIONAL_FUND_CIRCULAR)
    limit = norms_api.limit_for(
        content=project.content,
        fund=project.fund,
        eligible_cost=project.total_cost,
        on=project.decision_date or timezone.localdate(project.created_at),
        province=project.unit,
        priority=project.priority,
    )
    if limit is not None and limit.legal_basis.strip():
        bases.append(f"Căn cứ {limit.legal_basis.strip().rstrip(';.')};")
    programmes = {o.line.programme.pk: o.line.programme for o in project.outputs.all()}
    for programme in programmes.values():
        if programme.decision_number and programme.decision_date:
            issuer = decree30.short_body_name(programme.issuing_body)
            bases.append(
                f"Căn cứ Quyết định số {programme.decision_number} ngày "
                f"{format_date(programme.decision_date)}"
                + (f" của {issuer}" if issuer else "")
                + f" phê duyệt {programme.title};"
            )
    appraisers = list(dict.fromkeys(s.role_label for s in _appraisals(project)))
    if appraisers:
        bases.append(f"Căn cứ kết quả thẩm định đề án của {', '.join(appraisers)};")
    return bases


def _decision_number(project: Project, issuer: Issuer) -> tuple[int | None, str]:
    try:
        return decree30.parse_document_number(project.decision_number)
    except ValueError:
        return None, f"QĐ-{issuer.code}"


def approval_decision(project: Project) -> Paper:
    """Quyết định phê duyệt đề án."""
    issuer = _decision_issuer(project)
    number, code = _decision_number(project, issuer)
    unit = project.implementing_unit
    blocks: list[Block] = [
        Text(issuer.head.upper(), "centre"),
        *[Text(line, "basis") for line in _legal_bases(project)],
        Text(f"Theo đề nghị của {unit}.", "basis"),
        Text("QUYẾT ĐỊNH:", "centre"),
        Text(
            f"Phê duyệt đề án khuyến công {_fund_phrase(project)} năm {project.plan_year} với "
            "các nội dung chính sau:",
            lead="Điều 1. ",
        ),
        *_facts(project, "Kinh phí được duyệt", _approved(project)),
        *_outputs(project, actual=False),
        Text(
            f"{unit} có trách nhiệm tổ chức thực hiện đề án đúng mục tiêu, nội dung, tiến độ "
            "được phê duyệt; ký hợp đồng với các cơ sở thụ hưởng; quản lý, sử dụng kinh phí "
            "đúng mục đích, tiết kiệm, hiệu quả; báo cáo tiến độ hằng tháng; tổ chức nghiệm "
            "thu, thanh toán và quyết toán kinh phí theo quy định.",
            lead="Điều 2. ",
        ),
        Text(
            f"Quyết định này có hiệu lực kể từ ngày ký. Thủ trưởng các đơn vị có liên quan, "
            f"{unit} và các cơ sở thụ hưởng chịu trách nhiệm thi hành Quyết định này./.",
            lead="Điều 3. ",
        ),
    ]
    province = province_phrase(project.unit.name, project.unit.unit_type)
    if project.fund == KCQG:
        recipients = ["Như Điều 3", "Bộ trưởng (để b/c)", f"Sở Công Thương {province}"]
    else:
        recipients = ["Như Điều 3", f"UBND {province} (để b/c)", f"Sở Tài chính {province}"]
    return Paper(
        issuer=issuer,
        code=code,
        number=number,
        issued_on=project.decision_date,
        doc_type="Quyết định",
        summary=f"Phê duyệt đề án khuyến công “{project.title}”",
        blocks=tuple(blocks),
        signatures=(issuer.signature,),
        recipients=tuple(recipients),
    )


def _conclusion(project: Project) -> str:
    short = [
        o
        for o in project.outputs.all()
        if o.actual_quantity is not None and o.actual_quantity < o.planned_quantity
    ]
    if not short:
        return (
            "Đề án đã hoàn thành các nội dung và sản phẩm đầu ra theo đề án được phê duyệt. "
            "Thống nhất nghiệm thu đề án."
        )
    missing = "; ".join(
        f"{o.line.name}: thực hiện {_quantity(o.actual_quantity)}/{_quantity(o.planned_quantity)}"
        f" {o.line.unit_of_measure}".rstrip()
        for o in short
    )
    return (
        f"Một số sản phẩm đầu ra chưa đạt kế hoạch ({missing}). Thống nhất nghiệm thu đề án "
        "theo khối lượng thực tế đã thực hiện."
    )


def acceptance_minutes(project: Project) -> Paper:
    """Biên bản nghiệm thu đề án."""
    issuer = _province_issuer(project)
    signoff = _last_signoff(project, Step.ACCEPT)
    accepted_on = project.accepted_on or (_signed_on(signoff) if signoff else None)
    approver = _decision_issuer(project)
    blocks: list[Block] = []
    if project.decision_number and project.decision_date:
        blocks.append(
            Text(
                f"Căn cứ Quyết định số {project.decision_number} ngày "
                f"{format_date(project.decision_date)} của {approver.name} phê duyệt đề án;",
                "basis",
            )
        )
    if project.contract_number and project.contract_date:
        blocks.append(
            Text(
                f"Căn cứ Hợp đồng số {project.contract_number} ngày "
                f"{format_date(project.contract_date)};",
                "basis",
            )
        )
    if accepted_on is not None:
        blocks.append(Text(f"Hôm nay, {format_long_date(accepted_on)}, chúng tôi gồm:"))
    beneficiaries = "; ".join(e.name for e in project.beneficiaries.all())
    # Whoever recorded the minutes (the SCT or the centre that ran the project) signs for their
    # own side.
    recorder = signoff.role if signoff is not None else ""
    sct_name = _name(signoff) if recorder == workflow.SCT else ""
    centre_name = _name(signoff) if recorder == workflow.CENTRE else ""
    blocks += [
        Text("I. THÀNH PHẦN THAM GIA NGHIỆM THU", "heading"),
        Text(f"Ông/Bà {sct_name}." if sct_name else "", lead=f"1. Đại diện {issuer.name}: "),
        Text(
            f"{project.implementing_unit}" + (f", Ông/Bà {centre_name}." if centre_name else "."),
            lead="2. Đại diện đơn vị thực hiện: ",
        ),
        Text(f"{beneficiaries}." if beneficiaries else "", lead="3. Đại diện cơ sở thụ hưởng: "),
        Text("II. THÔNG TIN ĐỀ ÁN", "heading"),
        *_facts(project, "Kinh phí được duyệt", _approved(project)),
        Text("III. NỘI DUNG VÀ KẾT QUẢ NGHIỆM THU", "heading"),
        *_paragraphs(project.acceptance_minutes),
        *_outputs(project, actual=True),
        Text("IV. KẾT LUẬN", "heading"),
        Text(_conclusion(project)),
    ]
    if signoff is not None and signoff.comment.strip():
        blocks.append(Text(" ".join(signoff.comment.split()), lead="Ý kiến khác: "))
    blocks.append(
        Text(
            "Biên bản đã được đọc lại cho các thành viên cùng nghe, thống nhất và ký tên dưới "
            "đây./."
        )
    )
    return Paper(
        issuer=issuer,
        code=f"BB-{issuer.code}",
        number=None,
        issued_on=accepted_on,
        doc_type="Biên bản",
        summary=f"Nghiệm thu đề án khuyến công “{project.title}”",
        blocks=tuple(blocks),
        signatures=(
            _representative("Sở Công Thương", sct_name),
            _representative("đơn vị thực hiện", centre_name),
            _representative("cơ sở thụ hưởng"),
        ),
    )


# --------------------------------------------------------------------------------------------
# Word (python-docx)
# --------------------------------------------------------------------------------------------
_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def _docx_text(document: decree30.DocxDocument, block: Text) -> None:
    if block.style == "centre":
        decree30.add_paragraph(
            document, block.text, size=BODY_SIZE, bold=True, space_before=6, space_after=6
        )
        return
    paragraph = decree30.add_body_paragraph(document, "", size=BODY_SIZE)
    if block.style == "heading":
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(6)
    for text, bold in ((block.lead, True), (block.text, block.style == "heading")):
        if text:
            decree30.set_run_font(
                paragraph.add_run(text), size=BODY_SIZE, bold=bold, italic=block.style == "basis"
            )


def _widths(table: Table, width: Length) -> list[Length]:
    # Half a millimetre to spare: Word stores widths in whole twips, rounded column by column.
    rest = int(width) / int(Mm(1)) - sum(table.widths) - 0.5
    return [Mm(w or max(30.0, rest)) for w in table.widths]


def _docx_table(document: decree30.DocxDocument, table: Table, width: Length) -> None:
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    decree30.set_cell_margins(grid, left=Mm(1), right=Mm(1), top=Mm(0.5))
    for cell, text in zip(grid.rows[0].cells, table.headers, strict=True):
        decree30.set_cell_text(cell, text, size=TABLE_SIZE, bold=True)
    decree30.repeat_header_rows(grid, 1)
    for row, cells in zip(grid.rows[1:], table.cells, strict=True):
        for cell, (text, align) in zip(row.cells, cells, strict=True):
            decree30.set_cell_text(cell, text, size=TABLE_SIZE, align=_ALIGN[align])
        decree30.prevent_row_split(row)
    decree30.set_column_widths(grid, _widths(table, width))


def _docx_closing(document: decree30.DocxDocument, paper: Paper, width: Length) -> None:
    """Recipients and the signature side by side, or the signatures in a row (biên bản)."""
    if paper.recipients:
        decree30.add_closing(
            document,
            recipients=paper.recipients,
            signature=paper.signatures[0],
            archive=paper.issuer.archive,
        )
        return
    if not paper.signatures:
        return
    count = len(paper.signatures)
    row = document.add_table(rows=1, cols=count)  # no style: no borders
    decree30.set_column_widths(row, [Emu(int(width) // count)] * count)
    for cell, signature in zip(row.rows[0].cells, paper.signatures, strict=True):
        decree30.add_signature_block(cell, signature, size=13, space_before=12)


def _docx_blocks(document: decree30.DocxDocument, blocks: tuple[Block, ...], width: Length) -> None:
    for block in blocks:
        if isinstance(block, Table):
            _docx_table(document, block, width)
        else:
            _docx_text(document, block)


def paper_docx(paper: Paper) -> bytes:
    """A paper as a .docx: A4 portrait, Times New Roman, Decree 30 header and closing."""
    document = decree30.new_document()
    section = document.sections[0]
    width = decree30.text_width(section)
    decree30.add_header(
        document,
        parent_body=paper.issuer.parent,
        issuing_body=list(paper.issuer.lines),
        code=paper.code,
        number=paper.number,
        place=paper.issuer.place,
        issued_on=paper.issued_on,
    )
    decree30.add_document_title(document, paper.doc_type, paper.summary, width=width)
    _docx_blocks(document, paper.blocks, width)
    _docx_closing(document, paper, width)
    if paper.appendix:
        document.add_page_break()
        for n, line in enumerate(paper.appendix_title):
            decree30.add_paragraph(
                document, line, size=BODY_SIZE, bold=n == 0, italic=n > 0, space_after=3
            )
        _docx_blocks(document, paper.appendix, width)
    decree30.add_page_numbers(section)
    return decree30.document_bytes(document)


# --------------------------------------------------------------------------------------------
# PDF (WeasyPrint, from an HTML template)
# --------------------------------------------------------------------------------------------
def paper_html(paper: Paper) -> str:
    """The paper as print HTML (``projects/document_print.html``), the source of the PDF."""
    from django.template.loader import render_to_string

    return render_to_string(
        "projects/document_print.html",
        {
            "paper": paper,
            "national_title": decree30.NATIONAL_TITLE,
            "motto": decree30.MOTTO,
        },
    )


def paper_pdf(paper: Paper) -> bytes:
    """The paper as a PDF rendered by WeasyPrint from :func:`paper_html`."""
    from weasyprint import HTML

    pdf = HTML(string=paper_html(paper)).write_pdf()
    if pdf is None:  # pragma: no cover - write_pdf returns bytes when given no target
        raise RuntimeError("WeasyPrint không tạo được tệp PDF.")
    return bytes(pdf)


# --------------------------------------------------------------------------------------------
# Which documents a project has, and rendering them
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kind:
    """A document: the appraisal sheet is internal; the decision and the minutes are meant for
    the beneficiary establishments too (``visibility``)."""

    slug: str
    label: Promise
    build: Callable[[Project], Paper]
    is_available: Callable[[Project], bool]
    visibility: str = Visibility.SHARED


KINDS: dict[str, Kind] = {
    kind.slug: kind
    for kind in (
        Kind(
            "phieu-tham-dinh",
            _("Phiếu thẩm định đề án"),
            appraisal_sheet,
            lambda p: _appraisal_round(p) is not None,
            Visibility.INTERNAL,
        ),
        Kind(
            "quyet-dinh",
            _("Quyết định phê duyệt đề án"),
            approval_decision,
            lambda p: p.status in workflow.HAS_DECISION,
        ),
        Kind(
            "bien-ban-nghiem-thu",
            _("Biên bản nghiệm thu"),
            acceptance_minutes,
            lambda p: p.status in ACCEPTED_STATES,
        ),
    )
}

#: Format → (content type, renderer).
FORMATS: dict[str, tuple[str, Callable[[Paper], bytes]]] = {
    "docx": (http.DOCX, paper_docx),
    "pdf": (http.PDF, paper_pdf),
}


def available(project: Project) -> list[Kind]:
    """The documents the project has in its state (in the order of the lifecycle)."""
    return [kind for kind in KINDS.values() if kind.is_available(project)]


def render(kind: str, fmt: str, project: Project) -> bytes:
    """The bytes of document ``kind`` (a :data:`KINDS` key) as ``fmt`` (``docx`` or ``pdf``).

    Always in Vietnamese, whatever language the user reads the site in."""
    with translation.override("vi"):
        return FORMATS[fmt][1](KINDS[kind].build(project))


def filename(kind: str, fmt: str, project: Project) -> str:
    """``quyet-dinh-da-2026-00012.pdf`` (ASCII: every browser keeps it)."""
    return f"{kind}-da-{project.plan_year}-{project.pk:05d}.{fmt}"
