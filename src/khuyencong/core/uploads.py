"""Giới hạn tệp tải lên: the one guard every uploaded file passes, before anything parses it.

Every kind of upload has its :class:`UploadLimits` in :data:`LIMITS` — the numbers and the
reason for them, in one table. What the guard does, in the order a request meets it:

1. **The request body** (:func:`accepts_upload` + :class:`RequestBodyLimitMiddleware`): a body
   longer than the view accepts is answered 413 from its ``Content-Length``, before Django reads
   a byte of it (a 100 MB body would otherwise be streamed to a temporary file first). Views
   that take no file accept what Django accepts as form data
   (``DATA_UPLOAD_MAX_MEMORY_SIZE``).
2. **The file's size** (:func:`check_size`), with a sentence naming the file and the limit.
3. **The archive** (:func:`check_archive`): an .xlsx or .docx is a zip. Its central directory
   declares every member's inflated size; more members or more inflated bytes than the kind
   allows are refused before openpyxl opens it. Python's ``zipfile`` (which openpyxl reads
   through) stops at the declared size, so a member that lies about it fails its CRC instead of
   inflating further.
4. **The rows** (:func:`sheet_rows`): read streaming (openpyxl read-only mode), at most
   ``max_rows`` rows with data, within a time budget; a run of ``blank_run`` empty rows ends the
   table (a sheet of millions of styled blank rows is read in milliseconds, not minutes).
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .formatting import format_number

MB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    """What one kind of upload may be. ``max_inflated`` 0: the archive is not checked."""

    max_bytes: int
    reason: str
    max_inflated: int = 0
    max_entries: int = 1_000
    max_rows: int = 0
    blank_run: int = 1_000
    seconds: float = 30.0

    @property
    def max_body(self) -> int:
        """The request body a view taking this file accepts: the file plus the form's fields."""
        return self.max_bytes + int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


REGISTRY_IMPORT = UploadLimits(
    max_bytes=20 * MB,
    max_inflated=100 * MB,
    max_rows=50_000,
    seconds=30.0,
    reason="A province's 50,000 establishments are a 4 MB .xlsx inflating to 50 MB; twice that "
    "leaves room for styles. Reading in the request stops at the background threshold, so 30 s "
    "is generous; the background job has REGISTRY_IMPORT_JOB_SECONDS.",
)
REGISTRY_IMPORT_JOB_SECONDS = 15 * 60
"""Time budget of a background registry import (50,000 rows read in about 20 s here)."""

PROGRAMME_IMPORT = UploadLimits(
    max_bytes=5 * MB,
    max_inflated=20 * MB,
    max_rows=2_000,
    seconds=30.0,
    reason="A five-year programme appendix has a few hundred lines (under 1 MB inflated): the "
    "limits are twenty times that, so the import stays a short request, never a job.",
)
OFFICER_IMPORT = UploadLimits(
    max_bytes=2 * MB,
    max_inflated=10 * MB,
    max_rows=1_000,
    seconds=30.0,
    reason="A province's commune officers are a few hundred rows of five short columns (tens "
    "of kB): a national list is split by province. Every account is created in the request.",
)
ATTACHMENT = UploadLimits(
    max_bytes=10 * MB,
    max_inflated=200 * MB,
    reason="Scanned decisions and minutes (PDF, JPEG) fit in 10 MB; attachments are stored, "
    "not parsed, so an Office file is only checked not to be a zip bomb.",
)

PRODUCT_PHOTO = UploadLimits(
    max_bytes=10 * MB,
    reason="A colour product photo good enough to print at 10×15 cm is 1-5 MB as a camera "
    "JPEG; it is decoded by Pillow, which also refuses more than awards.images.MAX_PIXELS "
    "pixels before decoding (a small file cannot inflate into a huge bitmap).",
)

LIMITS: dict[str, UploadLimits] = {
    "registry-import": REGISTRY_IMPORT,
    "programme-import": PROGRAMME_IMPORT,
    "officer-import": OFFICER_IMPORT,
    "attachment": ATTACHMENT,
    "product-photo": PRODUCT_PHOTO,
}
"""Every kind of upload the system takes, by name (the README's deployment section cites it)."""


class UploadRefused(Exception):
    """The file is not accepted; the message says why and what to do, in Vietnamese."""


def megabytes(size: int) -> str:
    """``6_400_000`` → ``"6,1 MB"`` (one decimal, Vietnamese separator)."""
    value = (Decimal(size) / MB).quantize(Decimal("0.1")).normalize()
    return f"{format_number(value)} MB"


def _named(filename: str) -> str:
    return f" “{filename}”" if filename else ""


def check_size(size: int, limits: UploadLimits, *, filename: str = "") -> None:
    if size > limits.max_bytes:
        raise UploadRefused(
            _(
                "Tệp%(name)s có dung lượng %(size)s, lớn hơn giới hạn %(limit)s: hãy xóa các "
                "trang, hình ảnh và định dạng thừa, hoặc chia thành nhiều tệp."
            )
            % {
                "name": _named(filename),
                "size": megabytes(size),
                "limit": megabytes(limits.max_bytes),
            }
        )


@dataclass(frozen=True)
class Archive:
    """What a zip's central directory declares (nothing inflated yet)."""

    names: frozenset[str]
    entries: int
    inflated: int
    mimetype: bytes


def read_archive(source: bytes | Any) -> Archive | None:
    """The declared contents of a zip (bytes or a binary stream, rewound), ``None`` if broken."""
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            names = frozenset(info.filename for info in infos)
            mimetype = b""
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                mimetype = archive.read("mimetype")
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
        return None
    finally:
        if not isinstance(source, bytes | bytearray):
            source.seek(0)
    return Archive(names, len(infos), sum(info.file_size for info in infos), mimetype)


def check_archive(archive: Archive, limits: UploadLimits, *, filename: str = "") -> None:
    """Refuse a zip with more members or more declared inflated bytes than ``limits`` allow."""
    if archive.entries > limits.max_entries:
        raise UploadRefused(
            _(
                "Tệp%(name)s chứa %(n)s tệp con, nhiều hơn giới hạn %(limit)s: đây không phải "
                "tài liệu bình thường, hãy lưu lại bằng Excel/Word rồi tải lên."
            )
            % {
                "name": _named(filename),
                "n": format_number(archive.entries),
                "limit": format_number(limits.max_entries),
            }
        )
    if limits.max_inflated and archive.inflated > limits.max_inflated:
        raise UploadRefused(
            _(
                "Tệp%(name)s sau khi giải nén lớn hơn giới hạn %(limit)s: hãy xóa các trang, "
                "hình ảnh, định dạng và dòng trống thừa, hoặc chia thành nhiều tệp."
            )
            % {"name": _named(filename), "limit": megabytes(limits.max_inflated)}
        )


class Budget:
    """A time budget (giới hạn thời gian xử lý): :meth:`check` refuses once it is spent.

    ``clock`` is injectable so tests never depend on wall time.
    """

    def __init__(
        self, seconds: float, *, filename: str = "", clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds = seconds
        self.filename = filename
        self.clock = clock
        self.deadline = clock() + seconds

    def check(self) -> None:
        if self.clock() > self.deadline:
            raise UploadRefused(
                _(
                    "Tệp%(name)s cần quá %(seconds)s giây để đọc nên đã dừng, chưa nhập gì: hãy "
                    "xóa các trang, dòng và định dạng thừa, hoặc chia thành nhiều tệp nhỏ hơn."
                )
                % {"name": _named(self.filename), "seconds": format_number(int(self.seconds))}
            )


Row = TypeVar("Row", bound=Sequence[object])


def _blank(values: Sequence[object]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def sheet_rows(
    rows: Iterable[Row],
    limits: UploadLimits,
    *,
    filename: str = "",
    budget: Budget | None = None,
    first: int = 1,
) -> Iterator[tuple[int, Row]]:
    """Rows of a sheet or CSV as (row number from ``first``, values), blank rows included.

    Ends after ``limits.blank_run`` blank rows in a row (the rest of the sheet is not read);
    refuses more than ``limits.max_rows`` rows with data, or a spent ``budget``.
    """
    blanks = 0
    filled = 0
    for number, values in enumerate(rows, start=first):
        if budget is not None and number % 64 == 0:
            budget.check()
        if _blank(values):
            blanks += 1
            if blanks >= limits.blank_run:
                return
            yield number, values
            continue
        blanks = 0
        filled += 1
        if limits.max_rows and filled > limits.max_rows:
            raise UploadRefused(
                _(
                    "Tệp%(name)s có hơn %(limit)s dòng dữ liệu: hãy chia thành nhiều tệp, mỗi "
                    "tệp không quá %(limit)s dòng."
                )
                % {"name": _named(filename), "limit": format_number(limits.max_rows)}
            )
        yield number, values


# --------------------------------------------------------------------------------------------
# The request body
# --------------------------------------------------------------------------------------------
_VIEW_LIMIT = "max_request_body"

View = TypeVar("View", bound=Callable[..., HttpResponse])


def accepts_upload(limits: UploadLimits) -> Callable[[View], View]:
    """Mark a view that takes a file of this kind: its body may be up to ``limits.max_body``."""

    def mark(view: View) -> View:
        setattr(view, _VIEW_LIMIT, limits.max_body)
        return view

    return mark


def body_limit(view: Callable[..., Any]) -> int:
    """The longest body ``view`` accepts (bytes)."""
    return int(getattr(view, _VIEW_LIMIT, settings.DATA_UPLOAD_MAX_MEMORY_SIZE))


#: Path prefix → how a part of the site that does not speak HTML says "too large" (the REST
#: API registers its problem+json answer in its ``AppConfig.ready``); elsewhere the 413 page.
TOO_LARGE_ANSWERS: dict[str, Callable[[HttpRequest, str], HttpResponse]] = {}


class RequestBodyLimitMiddleware:
    """Answer 413 to a body longer than its view accepts, before anything reads the body.

    Runs before the CSRF middleware (which reads ``request.POST``, so the whole body). Django
    reads no more than ``Content-Length`` bytes, so the header is the size of what would be read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(view)
        if length <= limit:
            return None
        message = _(
            "Dữ liệu gửi lên (%(size)s) lớn hơn giới hạn %(limit)s của trang này nên chưa được "
            "nhận: hãy chọn tệp nhỏ hơn (xóa các trang, hình ảnh thừa, hoặc chia thành nhiều tệp) "
            "rồi gửi lại."
        ) % {"size": megabytes(length), "limit": megabytes(limit)}
        for prefix, answer in TOO_LARGE_ANSWERS.items():
            if request.path.startswith(prefix):
                return answer(request, message)
        return render(request, "413.html", {"message": message}, status=413)
