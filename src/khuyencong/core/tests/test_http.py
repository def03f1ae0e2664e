from khuyencong.core.http import XLSX, download


def test_a_download_is_an_attachment_no_shared_cache_keeps():
    response = download(b"PK\x03\x04", "phu-luc-son-la.xlsx", XLSX)
    assert response.content == b"PK\x03\x04"
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="phu-luc-son-la.xlsx"'
    assert response["Cache-Control"] == "private, no-store"
