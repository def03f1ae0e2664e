from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import exports, http, inbox, selectors
from .models import ExportJobState


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Trang chủ theo vai trò: what waits for this user and their units."""
    context: dict[str, Any] = {
        "sections": inbox.sections_for(request.user),
        "recent_activity": selectors.recent_activity(request.user),
    }
    return render(request, "core/home.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers and every migration is applied, 503 otherwise."""
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    if pending:
        return JsonResponse(
            {"status": "error", "database": "ok", "pending_migrations": len(pending)}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok", "pending_migrations": 0})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that touch the database: the error may be the database.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


@login_required
def export_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Tiến độ một lần xuất chạy nền; the status part is polled by htmx every 2 s."""
    job = exports.export_job_for_view(request.user, pk)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "core/_export_job_status.html", {"job": job})
    return render(request, "core/export_job.html", {"job": job})


@login_required
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    """The finished file of one's own export (404 before it is finished)."""
    job = exports.export_job_for_view(request.user, pk)
    if job.state != ExportJobState.DONE or not job.file:
        raise Http404
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=http.safe_filename(job.filename),
        content_type=http.CSV if job.format == "csv" else http.XLSX,
    )
    response["Cache-Control"] = "private, no-store"
    return response
