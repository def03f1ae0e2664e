"""Writes to the registry: add and edit establishments and artisans, import lists (all or
nothing)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from khuyencong.accounts import policy
from khuyencong.audit.models import EventType
from khuyencong.audit.services import record_event
from khuyencong.core import uploads
from khuyencong.core.concurrency import lock_current_version
from khuyencong.geo.models import AdministrativeUnit, UnitLevel

from . import importing, selectors
from .importing import CommuneRef, EstablishmentRow, RegistryContext, RowError, Table
from .models import Artisan, Establishment, ImportJob, ImportJobState

logger = logging.getLogger(__name__)

#: The fields a person edits on the establishment form (and ``data`` keys of the services).
EDITABLE_FIELDS: tuple[str, ...] = (
    "name",
    "legal_form",
    "tax_code",
    "address",
    "commune",
    "product_group",
    "main_products",
    "owner_name",
    "owner_gender",
    "owner_ethnic_minority",
    "employees_total",
    "employees_female",
    "employees_ethnic_minority",
    "founded_year",
    "craft_village",
    "phone",
    "email",
)
#: The fields of an artisan (nghệ nhân) a person edits, and the ``data`` keys of its services.
ARTISAN_FIELDS: tuple[str, ...] = (
    "full_name",
    "title",
    "year_awarded",
    "craft",
    "commune",
    "establishment",
)
_CHUNK = 900  # stays under every backend's limit of query parameters
_BATCH = 500

ProgressCallback = Callable[[str, int], None]


# --------------------------------------------------------------------------------------------
# One establishment
# --------------------------------------------------------------------------------------------
def _require_change(actor: Any, obj: policy.HasPolicyUnit) -> None:
    decision = policy.can(actor, policy.Action.CHANGE_ESTABLISHMENT, obj)
    if not decision:
        raise PermissionDenied(decision.reason)


def _validated(actor: Any, establishment: Establishment) -> None:
    establishment.full_clean(validate_unique=False, validate_constraints=False)
    errors = selectors.duplicate_errors(
        actor,
        name=establishment.name,
        commune=establishment.commune,
        tax_code=establishment.tax_code,
        exclude_pk=establishment.pk,
    )
    if errors:
        raise ValidationError(errors)


def _apply_changes(
    locked: Establishment | Artisan, data: Mapping[str, Any], fields: Sequence[str]
) -> dict[str, Any]:
    """Set on ``locked`` the editable ``fields`` of ``data`` that differ (and its derived
    columns); what changed."""
    changed = {
        name: value
        for name, value in data.items()
        if name in fields and getattr(locked, name) != value
    }
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.fill_derived_fields()
    return changed


@transaction.atomic
def create_establishment(*, actor: Any, data: Mapping[str, Any]) -> Establishment:
    """Thêm cơ sở: in a commune within the actor's scope; duplicates refused with the reason."""
    establishment = Establishment(**{k: v for k, v in data.items() if k in EDITABLE_FIELDS})
    establishment.fill_derived_fields()
    _require_change(actor, establishment)
    _validated(actor, establishment)
    establishment._change_reason = "Thêm cơ sở"  # type: ignore[attr-defined]
    establishment.save()
    record_event(EventType.ESTABLISHMENT_CREATED, actor=actor, obj=establishment)
    return establishment


@transaction.atomic
def update_establishment(
    *, actor: Any, establishment: Establishment, expected_version: int, data: Mapping[str, Any]
) -> Establishment:
    """Sửa cơ sở: refused when stale (optimistic locking) or out of the actor's scope."""
    locked = lock_current_version(establishment, expected_version)
    _require_change(actor, locked)  # as stored, whatever a form did to ``establishment``
    changed = _apply_changes(locked, data, EDITABLE_FIELDS)
    if not changed:
        return locked
    if "commune" in changed:
        _require_change(actor, locked)  # may not move it out of the actor's scope either
    _validated(actor, locked)
    locked.version += 1
    locked._change_reason = "Sửa thông tin cơ sở"  # type: ignore[attr-defined]
    locked.save()
    record_event(
        EventType.ESTABLISHMENT_UPDATED, actor=actor, obj=locked, data={"fields": sorted(changed)}
    )
    return locked


# --------------------------------------------------------------------------------------------
# Artisans (nghệ nhân)
# --------------------------------------------------------------------------------------------
def refresh_place_names(unit: AdministrativeUnit) -> int:
    """Rewrite the search text of the establishments in a renamed commune or province (it
    carries their names, ``models.place_names``); how many changed. Rare (``load_units``)."""
    changed = []
    found = Establishment.objects.filter(Q(commune=unit) | Q(province=unit))
    for establishment in found.select_related("commune__parent").iterator(chunk_size=2000):
        before = establishment.search_folded
        establishment.fill_derived_fields()
        if establishment.search_folded != before:
            changed.append(establishment)
    Establishment.objects.bulk_update(changed, ["search_folded"], batch_size=500)
    return len(changed)


def _require_artisan_change(actor: Any, artisan: Artisan) -> None:
    """Whoever may edit the establishment writes its artisans: the same policy action, on the
    artisan's commune and, when it works at one, on the establishment (a representative's
    own, in the actor's scope)."""
    if artisan.commune_id is None:
        raise ValidationError({"commune": _("Hãy chọn xã/phường của nghệ nhân.")})
    _require_change(actor, artisan)
    if artisan.establishment is not None:
        _require_change(actor, artisan.establishment)


def _save_artisan(actor: Any, artisan: Artisan, reason: str) -> None:
    artisan.full_clean(validate_unique=False)
    artisan._change_reason = reason  # type: ignore[attr-defined]
    artisan.save()


@transaction.atomic
def create_artisan(*, actor: Any, data: Mapping[str, Any]) -> Artisan:
    """Thêm nghệ nhân: in a commune within the actor's scope, at an establishment of that
    commune (or none)."""
    artisan = Artisan(**{k: v for k, v in data.items() if k in ARTISAN_FIELDS})
    artisan.fill_derived_fields()
    _require_artisan_change(actor, artisan)
    _save_artisan(actor, artisan, "Thêm nghệ nhân")
    record_event(EventType.ARTISAN_CREATED, actor=actor, obj=artisan)
    return artisan


@transaction.atomic
def update_artisan(
    *, actor: Any, artisan: Artisan, expected_version: int, data: Mapping[str, Any]
) -> Artisan:
    """Sửa nghệ nhân: refused when stale (optimistic locking) or out of the actor's scope,
    before and after the change (it may not be moved out of the scope either)."""
    locked = lock_current_version(artisan, expected_version)
    _require_artisan_change(actor, locked)  # as stored
    changed = _apply_changes(locked, data, ARTISAN_FIELDS)
    if not changed:
        return locked
    if "commune" in changed or "establishment" in changed:
        _require_artisan_change(actor, locked)
    locked.version += 1
    _save_artisan(actor, locked, "Sửa thông tin nghệ nhân")
    record_event(
        EventType.ARTISAN_UPDATED, actor=actor, obj=locked, data={"fields": sorted(changed)}
    )
    return locked


# --------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------
@dataclass
class ImportOutcome:
    """Kết quả nhập: ``imported`` establishments (0 whenever there is an error)."""

    imported: int = 0
    total_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: A dry run (thử): every check ran, nothing was saved; how many rows would be imported.
    would_import: int = 0

    @property
    def error_count(self) -> int:
        return len(self.errors)

    @property
    def ok(self) -> bool:
        return not self.errors


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _registry_context(
    rows: Sequence[EstablishmentRow], *, actor: Any, enforce_scope: bool
) -> tuple[RegistryContext, dict[str, AdministrativeUnit]]:
    """What the pure checks need from the database, in a few set queries."""
    codes = sorted({r.commune_code for r in rows if r.commune_code})
    communes: dict[str, AdministrativeUnit] = {}
    # With their province: the search text carries its name (models.place_names).
    current = AdministrativeUnit.objects.current().communes().select_related("parent")
    for chunk in _chunks(codes):
        for commune in current.filter(code__in=chunk):
            communes[commune.code] = commune
    allowed: set[int] = {c.pk for c in communes.values()}
    scope_name = ""
    if enforce_scope:
        scoped = policy.scope_queryset(
            actor,
            AdministrativeUnit.objects.filter(pk__in=allowed),
            unit_field="",
            action=policy.Action.CHANGE_ESTABLISHMENT,
        )
        allowed = set(scoped.values_list("pk", flat=True))
        unit = policy.scope_unit(actor)
        scope_name = unit.name if unit is not None else ""
    refs = {
        code: CommuneRef(code=code, name=c.name, in_scope=c.pk in allowed)
        for code, c in communes.items()
    }

    tax_codes = sorted({r.tax_code for r in rows if r.tax_code})
    holders: list[Establishment] = []
    for chunk in _chunks(tax_codes):
        holders.extend(Establishment.objects.filter(tax_code__in=chunk).select_related("commune"))
    names = sorted({r.name_folded for r in rows if r.name and r.commune_code in communes})
    # Namesakes only where the importer may import: a row for a commune out of scope is refused
    # for that already, and naming the establishment found there would leak it.
    commune_ids = [c.pk for c in communes.values() if c.pk in allowed]
    namesakes: list[Establishment] = []
    if commune_ids:
        for chunk in _chunks(names):
            namesakes.extend(
                Establishment.objects.filter(
                    commune_id__in=commune_ids, name_folded__in=chunk
                ).select_related("commune")
            )
    visible = {e.pk for e in holders}
    if enforce_scope and holders:
        visible = set(
            policy.scope_queryset(
                actor,
                Establishment.objects.filter(pk__in=visible),
                unit_field="commune",
                establishment_field="pk",
            ).values_list("pk", flat=True)
        )
    context = RegistryContext(
        communes=refs,
        scope_name=scope_name,
        existing_tax_codes={
            e.tax_code: (f"cơ sở “{e.name}”, {e.commune.name}" if e.pk in visible else "")
            for e in holders
        },
        existing_names={(e.commune.code, e.name_folded): e.name for e in namesakes},
    )
    return context, communes


def _event_unit(actor: Any) -> AdministrativeUnit | None:
    unit = policy.scope_unit(actor) if actor is not None else None
    return unit or AdministrativeUnit.objects.filter(level=UnitLevel.NATIONAL).first()


def import_table(
    table: Table,
    *,
    actor: Any,
    enforce_scope: bool = True,
    on_progress: ProgressCallback | None = None,
    dry_run: bool = False,
) -> ImportOutcome:
    """Check every row of ``table`` and, when no row has an error, import them all at once
    (``dry_run``: check only, save nothing)."""
    if enforce_scope:
        decision = policy.can(actor, policy.Action.CHANGE_ESTABLISHMENT)
        if not decision:
            raise PermissionDenied(decision.reason)
    outcome = ImportOutcome(total_rows=table.row_count)

    def parsed(count: int) -> None:
        if on_progress is not None:
            on_progress(_("Đang kiểm tra từng dòng"), count)

    # Reading the cells is the slow part: it runs outside the transaction so that a job's
    # progress is visible (and the database not locked) meanwhile.
    rows, cell_errors = importing.parse_rows(table, progress=parsed)
    if on_progress is not None:
        on_progress(_("Đang đối chiếu với danh sách cơ sở đã có và lưu"), table.row_count)
    try:
        with transaction.atomic():
            context, communes = _registry_context(rows, actor=actor, enforce_scope=enforce_scope)
            errors = importing.sort_errors([*cell_errors, *importing.check_rows(rows, context)])
            if errors:
                outcome.errors = errors
                return outcome
            if dry_run:
                outcome.would_import = len(rows)
                return outcome
            objects = []
            for row in rows:
                establishment = Establishment(
                    **row.model_fields(), commune=communes[row.commune_code]
                )
                establishment.fill_derived_fields()
                establishment.fill_province()
                objects.append(establishment)
            reason = f"Nhập từ tệp {table.filename}"[:100] if table.filename else "Nhập từ tệp"
            bulk_create_with_history(
                objects,
                Establishment,
                batch_size=_BATCH,
                default_user=actor if getattr(actor, "is_authenticated", False) else None,
                default_change_reason=reason,
            )
            record_event(
                EventType.ESTABLISHMENTS_IMPORTED,
                actor=actor,
                unit=_event_unit(actor),
                data={
                    "file": table.filename,
                    "count": len(objects),
                    "communes": sorted(communes)[:50],
                },
            )
    except IntegrityError:
        # Someone saved the same tax code between the check and the insert.
        logger.warning("Establishment import refused by a database constraint", exc_info=True)
        outcome.errors = [
            RowError(
                None,
                None,
                _(
                    "Trong lúc nhập, một cơ sở có cùng mã số thuế vừa được thêm vào hệ thống. "
                    "Chưa nhập cơ sở nào: hãy tải tệp lên lại để xem dòng bị trùng."
                ),
            )
        ]
        return outcome
    outcome.imported = len(objects)
    return outcome


def import_establishments(
    *,
    actor: Any,
    content: bytes,
    filename: str = "",
    enforce_scope: bool = True,
    on_progress: ProgressCallback | None = None,
    seconds: float = uploads.REGISTRY_IMPORT_JOB_SECONDS,
    dry_run: bool = False,
) -> ImportOutcome:
    """Nhập danh sách cơ sở từ .xlsx/.csv: all or nothing, every error with row and column.

    ``enforce_scope=False`` (the command line, for IT staff) imports into any current commune.
    Reading the file stops after ``seconds`` (the background job's budget by default).
    """
    try:
        table = importing.read_table(
            content, filename, budget=uploads.Budget(seconds, filename=filename)
        )
    except importing.ImportFileError as exc:
        return ImportOutcome(errors=exc.errors)
    return import_table(
        table,
        actor=actor,
        enforce_scope=enforce_scope,
        on_progress=on_progress,
        dry_run=dry_run,
    )


def submit_import(*, actor: Any, content: bytes, filename: str) -> ImportOutcome | ImportJob:
    """What the upload page calls: small files at once, large ones as a background job.

    The request reads the header and at most :data:`importing.BACKGROUND_THRESHOLD` rows (its
    time bounded): a file with more rows is handed whole to the task worker unread.
    """
    decision = policy.can(actor, policy.Action.CHANGE_ESTABLISHMENT)
    if not decision:
        raise PermissionDenied(decision.reason)
    try:
        table = importing.read_table(content, filename, preview=importing.BACKGROUND_THRESHOLD)
    except importing.ImportFileError as exc:
        return ImportOutcome(errors=exc.errors)
    if not table.complete:
        return start_import_job(actor=actor, content=content, table=table)
    return import_table(table, actor=actor)


@transaction.atomic
def start_import_job(*, actor: Any, content: bytes, table: Table) -> ImportJob:
    """Store the file, record the job and hand it to the task worker after the commit."""
    assignment = policy.active_assignment(actor)
    decision = policy.can(actor, policy.Action.CHANGE_ESTABLISHMENT)
    if not decision or assignment is None:
        raise PermissionDenied(decision.reason)
    job = ImportJob.objects.create(
        filename=table.filename[:255] or f"tep.{table.kind}",
        total_rows=table.row_count if table.complete else 0,  # counted when the job reads it
        created_by=actor,
        assignment=assignment,
        unit=assignment.unit,
        stage=_("Đang chờ đến lượt xử lý"),
    )
    job.file.save(f"{uuid.uuid4().hex}.{table.kind}", ContentFile(content), save=True)
    transaction.on_commit(lambda: enqueue_import_job(job.pk))
    return job


def enqueue_import_job(job_id: int) -> None:
    from .tasks import import_establishments_job

    result = import_establishments_job.enqueue(job_id)
    ImportJob.objects.filter(pk=job_id, task_id="").update(task_id=str(result.id)[:64])


def _finish(job: ImportJob, *, state: str, errors: Sequence[RowError], stage: str) -> None:
    job.state = state
    job.stage = stage
    job.error_count = len(errors)
    job.errors = [e.as_dict() for e in importing.limited(errors)]
    job.finished_at = timezone.now()
    if job.file:
        job.file.delete(save=False)  # the list holds personal data: keep it no longer
    job.save()


def run_import_job(job_id: int) -> ImportJob:
    """The task's work: import the job's file with the scope of the role it was uploaded under."""
    job = ImportJob.objects.select_related("created_by", "assignment").get(pk=job_id)
    if job.state != ImportJobState.QUEUED:
        return job  # already run (a retried task must not import twice)
    job.state = ImportJobState.RUNNING
    job.started_at = timezone.now()
    job.stage = _("Đang đọc tệp")
    job.save(update_fields=["state", "started_at", "stage"])

    actor = job.created_by
    if not policy.act_through(actor, job.assignment):  # the role used to upload
        message = _(
            "Vai trò dùng khi tải tệp lên không còn hiệu lực nên không nhập được: hãy đăng nhập "
            "với vai trò phù hợp và tải tệp lên lại."
        )
        _finish(
            job,
            state=ImportJobState.FAILED,
            errors=[RowError(None, None, message)],
            stage=_("Không nhập được"),
        )
        return job

    def progress(stage: str, count: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(stage=stage, processed_rows=count)

    try:
        with job.file.open("rb") as handle:
            content = handle.read()
        budget = uploads.Budget(uploads.REGISTRY_IMPORT_JOB_SECONDS, filename=job.filename)
        try:
            table = importing.read_table(content, job.filename, budget=budget)
        except importing.ImportFileError as exc:
            outcome = ImportOutcome(errors=exc.errors)
        else:
            ImportJob.objects.filter(pk=job.pk).update(total_rows=table.row_count)
            outcome = import_table(table, actor=actor, on_progress=progress)
    except Exception:
        logger.exception("Import job %s crashed", job.pk)
        job.refresh_from_db()
        _finish(
            job,
            state=ImportJobState.FAILED,
            errors=[
                RowError(
                    None,
                    None,
                    _(
                        "Lỗi hệ thống khi nhập tệp, chưa nhập cơ sở nào. Hãy thử lại sau; nếu "
                        "vẫn lỗi, báo quản trị hệ thống (mã lần nhập %(id)s)."
                    )
                    % {"id": job.pk},
                )
            ],
            stage=_("Không nhập được"),
        )
        raise
    job.refresh_from_db()
    job.imported_rows = outcome.imported
    job.processed_rows = outcome.total_rows
    if outcome.total_rows:
        job.total_rows = outcome.total_rows
    if outcome.ok:
        _finish(job, state=ImportJobState.DONE, errors=[], stage=_("Đã nhập xong"))
    else:
        _finish(
            job,
            state=ImportJobState.FAILED,
            errors=outcome.errors,
            stage=_("Tệp có lỗi, chưa nhập cơ sở nào"),
        )
    return job
