"""Sản phẩm: an establishment (or its commune or the provincial centre on its behalf) keeps its
products, their colour photos (front, side, top; Pillow checks them by content and makes the
thumbnails) and their papers (quality, food safety, awards: PDF or image, checked by content)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from khuyencong.accounts import policy
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core.concurrency import lock_current_version, retry_when_locked
from khuyencong.projects import uploads
from khuyencong.registry.models import Establishment, ProductGroup

from .. import gtin, images
from ..models import PaperKind, PhotoView, Product, ProductPaper, ProductPhoto
from .common import SelectionError, SelectionInvalid, actor_or_none, require

#: Papers are documents or scans: PDF, JPEG, PNG (an office file is not a certificate).
PAPER_KINDS = {uploads.PDF.code, uploads.JPEG.code, uploads.PNG.code}


@dataclass(frozen=True)
class ProductData:
    name: str
    group: str
    description: str
    gtin: str = ""
    standards: str = ""


def _cleaned(data: ProductData, *, product_id: int | None) -> dict[str, Any]:
    problems: dict[str, list[str]] = {}
    name = " ".join(data.name.split())
    if not name:
        problems.setdefault("name", []).append(_("Cần ghi tên sản phẩm."))
    if data.group not in ProductGroup.values:
        problems.setdefault("group", []).append(
            _("Chọn nhóm sản phẩm: 1, 2, 3 hoặc 4 (thủ công mỹ nghệ, chế biến, cơ khí, khác).")
        )
    if not data.description.strip():
        problems.setdefault("description", []).append(
            _("Cần mô tả sản phẩm (nguyên liệu, công dụng, đặc điểm nổi bật).")
        )
    code = ""
    try:
        code = gtin.normalise_gtin(data.gtin)
    except gtin.GtinError as exc:
        problems.setdefault("gtin", []).append(str(exc))
    if code:
        others = Product.objects.filter(gtin=code)
        if product_id is not None:
            others = others.exclude(pk=product_id)
        taken = others.first()
        if taken is not None:
            problems.setdefault("gtin", []).append(
                _("Mã GTIN %(code)s đã được ghi cho sản phẩm khác (“%(other)s”).")
                % {"code": gtin.display_gtin(code), "other": taken.name}
            )
    if problems:
        raise SelectionInvalid(problems)
    return {
        "name": name,
        "group": data.group,
        "description": data.description.strip(),
        "gtin": code,
        "standards": " ".join(data.standards.split()),
    }


@retry_when_locked
@transaction.atomic
def create_product(*, actor: Any, establishment: Establishment, data: ProductData) -> Product:
    require(actor, policy.Action.MANAGE_PRODUCT, establishment)
    values = _cleaned(data, product_id=None)
    product = Product.objects.create(
        establishment=establishment,
        commune=establishment.commune,
        created_by=actor_or_none(actor),
        is_demo=establishment.is_demo,
        **values,
    )
    record_event(EventType.PRODUCT_CHANGED, actor=actor, obj=product, data={"action": "tao"})
    return product


@retry_when_locked
@transaction.atomic
def update_product(
    *, actor: Any, product: Product, expected_version: int, data: ProductData
) -> Product:
    require(actor, policy.Action.MANAGE_PRODUCT, product)
    locked = lock_current_version(product, expected_version)
    values = _cleaned(data, product_id=locked.pk)
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    for name, value in values.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save()
    record_event(
        EventType.PRODUCT_CHANGED,
        actor=actor,
        obj=locked,
        data={"action": "sua", "fields": changed},
    )
    return locked


def _file_name(upload: UploadedFile) -> str:
    return (upload.name or "tep").replace("\\", "/").rsplit("/", 1)[-1][:255]


def _read(upload: UploadedFile, limit: int) -> bytes:
    """At most ``limit + 1`` bytes: enough to know a file is too large without reading it all."""
    upload.seek(0)
    return upload.read(limit + 1)


@retry_when_locked
@transaction.atomic
def add_photo(*, actor: Any, product: Product, view: str, upload: UploadedFile) -> ProductPhoto:
    """Ảnh màu: a front, side or top view replaces the product's previous one of that view."""
    require(actor, policy.Action.MANAGE_PRODUCT, product)
    if view not in PhotoView.values:
        raise SelectionError(_("Chọn góc chụp: mặt trước, mặt bên, mặt trên hoặc ảnh khác."))
    name = _file_name(upload)
    try:
        checked = images.check_photo(_read(upload, images.MAX_BYTES), name=name)
    except images.PhotoRefused as exc:
        raise SelectionError(str(exc)) from None
    locked = Product.objects.select_for_update().get(pk=product.pk)
    replaced = []
    if view != PhotoView.OTHER:
        replaced = list(ProductPhoto.objects.filter(product=locked, view=view))
        for old in replaced:
            _delete_files(old.image, old.thumbnail)
            old.delete()
    photo = ProductPhoto(
        product=locked,
        view=view,
        width=checked.width,
        height=checked.height,
        size=int(upload.size or 0),
        original_name=name,
        uploaded_by=actor_or_none(actor),
    )
    upload.seek(0)
    photo.image.save(f"anh{checked.extension}", upload, save=False)
    photo.thumbnail.save("nho.jpg", ContentFile(checked.thumbnail), save=False)
    photo.save()
    record_event(
        EventType.PRODUCT_FILE,
        actor=actor,
        obj=locked,
        comment=f"{photo.get_view_display()}: {name}",
        data={"photo": photo.pk, "view": view, "replaced": len(replaced)},
    )
    return photo


def _delete_files(*files: Any) -> None:
    """Remove stored files once the transaction commits (a rollback keeps them)."""
    names = [(f.storage, f.name) for f in files if f]
    transaction.on_commit(lambda: [storage.delete(n) for storage, n in names])


@retry_when_locked
@transaction.atomic
def remove_photo(*, actor: Any, photo: ProductPhoto) -> None:
    require(actor, policy.Action.MANAGE_PRODUCT, photo.product)
    _delete_files(photo.image, photo.thumbnail)
    record_event(
        EventType.PRODUCT_FILE,
        actor=actor,
        obj=photo.product,
        comment=_("Xóa ảnh %(view)s") % {"view": photo.get_view_display()},
        data={"photo": photo.pk, "removed": True},
    )
    photo.delete()


@retry_when_locked
@transaction.atomic
def add_paper(
    *,
    actor: Any,
    product: Product,
    kind: str,
    upload: UploadedFile,
    description: str = "",
    valid_until: Any = None,
) -> ProductPaper:
    """Giấy tờ: a PDF or a scanned image (judged from its content, at most 10 MB)."""
    require(actor, policy.Action.MANAGE_PRODUCT, product)
    if kind not in PaperKind.values:
        raise SelectionError(_("Chọn loại giấy tờ."))
    name = _file_name(upload)
    size = int(upload.size or 0)
    try:
        found = uploads.detect(upload.file, name=name, size=size)  # type: ignore[arg-type]
    except uploads.UploadRefused as exc:
        raise SelectionError(str(exc)) from None
    if found.code not in PAPER_KINDS:
        raise SelectionError(
            _("Tệp “%(name)s” là %(kind)s: giấy tờ cần là bản PDF hoặc ảnh chụp (JPEG, PNG).")
            % {"name": name, "kind": found.label}
        )
    locked = Product.objects.select_for_update().get(pk=product.pk)
    paper = ProductPaper(
        product=locked,
        kind=kind,
        original_name=name,
        size=size,
        content_type=found.content_type,
        description=" ".join(description.split())[:300],
        valid_until=valid_until,
        uploaded_by=actor_or_none(actor),
    )
    upload.seek(0)
    paper.file.save(f"giay-to{found.extension}", upload, save=False)
    paper.save()
    record_event(
        EventType.PRODUCT_FILE,
        actor=actor,
        obj=locked,
        comment=f"{paper.get_kind_display()}: {name}",
        data={"paper": paper.pk, "kind": kind},
    )
    return paper


@retry_when_locked
@transaction.atomic
def remove_paper(*, actor: Any, paper: ProductPaper) -> None:
    require(actor, policy.Action.MANAGE_PRODUCT, paper.product)
    _delete_files(paper.file)
    record_event(
        EventType.PRODUCT_FILE,
        actor=actor,
        obj=paper.product,
        comment=_("Xóa giấy tờ %(name)s") % {"name": paper.original_name},
        data={"paper": paper.pk, "removed": True},
    )
    paper.delete()
