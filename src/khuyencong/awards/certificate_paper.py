"""Giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu (PL6, one template for every
level), as Word and PDF, with a QR code (segno) that encodes the certificate's public page,
``SITE_URL`` + ``/c/<code>``.

Laid out once (:func:`certificate_lines`), drawn by python-docx (A4 landscape, Times New
Roman, the QR as a picture) and by WeasyPrint (``awards/certificate_print.html``, the QR as an
inline PNG)."""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Emu, Mm

from khuyencong.core import decree30
from khuyencong.core.formatting import format_date

from .documents import address, issuer_of, selection_title
from .models import Certificate


def public_url(certificate: Certificate) -> str:
    """The address printed in the QR code: short and stable (``/c/<code>``)."""
    return settings.SITE_URL + reverse("certificate_public", args=[certificate.code])


def qr_png(url: str, *, scale: int = 6) -> bytes:
    """The QR code of ``url`` as PNG (error correction M: a worn print still reads)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


@dataclass(frozen=True)
class CertificatePaper:
    issuer_parent: str
    issuer_lines: tuple[str, ...]
    heading: str
    facts: tuple[tuple[str, str], ...]
    validity: str
    number: str
    place_date: str
    signature: decree30.Signature
    url: str


def certificate_paper(certificate: Certificate) -> CertificatePaper:
    """The certificate as data (relations ``round``, ``product``, ``establishment``,
    ``commune``, ``province`` loaded)."""
    round_ = certificate.round
    issuer = issuer_of(round_)
    product = certificate.product
    return CertificatePaper(
        issuer_parent=issuer.parent,
        issuer_lines=issuer.lines,
        heading=selection_title(round_).upper(),
        facts=(
            ("Chứng nhận sản phẩm", product.name),
            ("Nhóm sản phẩm", f"{product.group}. {product.get_group_display()}"),
            ("Của cơ sở", certificate.establishment.name),
            ("Địa chỉ", address(certificate.commune, certificate.province)),
            ("Được công nhận tại", f"{certificate.decision} của {issuer.name}"),
        ),
        validity=f"Giấy chứng nhận có giá trị đến hết ngày {format_date(certificate.valid_until)}.",
        number=f"Số: {certificate.number}",
        place_date=decree30.place_date_line(issuer.place, certificate.issued_on),
        signature=issuer.signature,
        url=public_url(certificate),
    )


def certificate_docx(certificate: Certificate) -> bytes:
    with translation.override("vi"):
        paper = certificate_paper(certificate)
    document = decree30.new_document(landscape=True, size=14)
    width = decree30.text_width(document.sections[0])
    if paper.issuer_parent:
        decree30.add_paragraph(document, paper.issuer_parent, size=13)
    for line in paper.issuer_lines:
        decree30.add_paragraph(document, line, size=13, bold=True)
    decree30.add_paragraph(document, decree30.NATIONAL_TITLE, size=13, bold=True, space_before=6)
    decree30.add_paragraph(document, decree30.MOTTO, size=14, bold=True)
    decree30.add_rule(document, length=Mm(60), within=width)
    decree30.add_paragraph(document, "GIẤY CHỨNG NHẬN", size=26, bold=True, space_before=12)
    decree30.add_paragraph(document, paper.heading, size=15, bold=True, space_after=12)
    for label, value in paper.facts:
        paragraph = decree30.add_paragraph(
            document, "", size=14, align=WD_ALIGN_PARAGRAPH.LEFT, space_after=3
        )
        paragraph.paragraph_format.left_indent = Mm(25)
        decree30.set_run_font(paragraph.add_run(f"{label}: "), size=14)
        decree30.set_run_font(paragraph.add_run(value), size=14, bold=True)
    decree30.add_paragraph(document, paper.validity, size=14, italic=True, space_before=6)
    closing = document.add_table(rows=1, cols=2)
    decree30.set_column_widths(closing, [Mm(90), Emu(int(width) - int(Mm(90)))])
    left, right = closing.rows[0].cells
    left.paragraphs[0].add_run().add_picture(io.BytesIO(qr_png(paper.url)), width=Mm(30))
    decree30.add_paragraph(left, paper.number, size=13, bold=True)
    decree30.add_paragraph(left, paper.url, size=10)
    decree30.add_paragraph(right, paper.place_date, size=14, italic=True)
    decree30.add_signature_block(right, paper.signature, size=14)
    return decree30.document_bytes(document)


def certificate_html(certificate: Certificate) -> str:
    import base64

    with translation.override("vi"):
        paper = certificate_paper(certificate)
        return render_to_string(
            "awards/certificate_print.html",
            {
                "paper": paper,
                "national_title": decree30.NATIONAL_TITLE,
                "motto": decree30.MOTTO,
                "signature_lines": decree30.signature_lines(paper.signature),
                "qr": base64.b64encode(qr_png(paper.url, scale=8)).decode(),
            },
        )


def certificate_pdf(certificate: Certificate) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=certificate_html(certificate)).write_pdf()
    if pdf is None:  # pragma: no cover - write_pdf returns bytes when given no target
        raise RuntimeError("WeasyPrint không tạo được tệp PDF.")
    return bytes(pdf)


def certificate_filename(certificate: Certificate, fmt: str) -> str:
    return f"giay-chung-nhan-{certificate.number.replace('/', '-')}.{fmt}"
