"""The upload guard: archive limits, streamed rows, time budgets, the request body."""

from __future__ import annotations

import io
import itertools
import zipfile
from dataclasses import replace

import pytest

from khuyencong.core import uploads
from khuyencong.core.uploads import Budget, UploadLimits, UploadRefused, sheet_rows

SMALL = UploadLimits(
    max_bytes=1000, max_inflated=5000, max_entries=3, max_rows=5, blank_run=10, reason=""
)


class Clock:
    """A clock that advances one second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        self.now += 1
        return self.now


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_every_upload_kind_states_its_limits_and_why() -> None:
    for name, limits in uploads.LIMITS.items():
        assert limits.max_bytes > 0, name
        assert limits.reason, name
        assert limits.max_body > limits.max_bytes


def test_the_size_is_checked_with_the_file_named() -> None:
    uploads.check_size(1000, SMALL)
    with pytest.raises(UploadRefused, match=r"Tệp “a\.xlsx” có dung lượng"):
        uploads.check_size(1001, SMALL, filename="a.xlsx")
    assert uploads.megabytes(6_400_000) == "6,1 MB"


def test_the_archive_is_judged_by_what_it_declares_before_anything_inflates() -> None:
    archive = uploads.read_archive(_zip({"a": b"x", "b": b"y"}))
    assert archive is not None
    assert (archive.entries, archive.inflated) == (2, 2)
    uploads.check_archive(archive, SMALL)
    many = uploads.read_archive(_zip({str(i): b"" for i in range(4)}))
    with pytest.raises(UploadRefused, match="chứa 4 tệp con, nhiều hơn giới hạn 3"):
        uploads.check_archive(many, SMALL, filename="x.xlsx")  # type: ignore[arg-type]
    # 6 KB of zeros is a 40-byte member: its declared size is what counts.
    bomb = _zip({"xl/worksheets/sheet1.xml": bytes(6000)})
    assert len(bomb) < 300
    with pytest.raises(UploadRefused, match="sau khi giải nén lớn hơn giới hạn"):
        uploads.check_archive(uploads.read_archive(bomb), SMALL)  # type: ignore[arg-type]
    assert uploads.read_archive(b"PK\x03\x04 broken") is None


def test_a_stream_is_rewound_after_its_archive_is_read() -> None:
    stream = io.BytesIO(_zip({"word/document.xml": b"<w/>"}))
    stream.read(10)
    archive = uploads.read_archive(stream)
    assert archive is not None
    assert "word/document.xml" in archive.names
    assert stream.tell() == 0


def test_a_run_of_blank_rows_ends_the_table_without_reading_the_rest() -> None:
    consumed = 0

    def rows():
        nonlocal consumed
        for values in itertools.chain([("a",), (None,), ("b",)], itertools.repeat((None, " "))):
            consumed += 1
            yield values

    numbers = [n for n, _values in sheet_rows(rows(), SMALL)]
    # Row 2 (one blank) stays in its place; ten blank rows after row 3 end the table.
    assert numbers == [1, 2, 3, *range(4, 13)]
    assert consumed == 3 + SMALL.blank_run


def test_too_many_rows_with_data_are_refused_with_the_limit() -> None:
    rows = [("x",)] * 6
    with pytest.raises(UploadRefused, match="có hơn 5 dòng dữ liệu"):
        list(sheet_rows(rows, SMALL))
    assert len(list(sheet_rows(rows[:5], SMALL))) == 5


def test_the_time_budget_stops_reading() -> None:
    clock = Clock()
    budget = Budget(5, filename="lon.xlsx", clock=clock)
    endless = itertools.repeat(("x",))
    with pytest.raises(UploadRefused, match=r"Tệp “lon\.xlsx” cần quá 5 giây để đọc"):
        list(sheet_rows(endless, replace(SMALL, max_rows=0), budget=budget))
    # Checked every 64 rows, not on every row.
    assert clock.reads == 7


# --------------------------------------------------------------------------------------------
# The request body
# --------------------------------------------------------------------------------------------
class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def read(self, *args: object) -> bytes:
        raise AssertionError("the oversize body was read")

    readline = read  # type: ignore[assignment]


def _post_oversize(client, url: str, size: int):
    return client.generic(
        "POST",
        url,
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": Unreadable()},
    )


@pytest.mark.parametrize(
    ("url", "limits"),
    [
        ("/co-so/nhap/", uploads.REGISTRY_IMPORT),
        ("/chuong-trinh/son-la-2026-2030/nhap-excel/", uploads.PROGRAMME_IMPORT),
        ("/de-an/1/tai-lieu/", uploads.ATTACHMENT),
    ],
)
def test_an_oversize_body_is_refused_unread_by_every_upload_page(client, make_user, url, limits):
    from khuyencong.accounts.models import Role

    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    response = _post_oversize(client, url, 100 * uploads.MB)
    body = response.content.decode()
    assert response.status_code == 413
    assert "Dữ liệu gửi lên (100 MB) lớn hơn giới hạn" in body
    assert uploads.megabytes(limits.max_body) in body


def test_a_page_without_a_file_accepts_only_form_sized_bodies(client, make_user, settings):
    from khuyencong.accounts.models import Role

    client.force_login(make_user(Role.PROVINCE_CENTRE, "14"))
    response = _post_oversize(client, "/co-so/them/", settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    assert response.status_code == 413
    assert "lớn hơn giới hạn 2,5 MB của trang này" in response.content.decode()
