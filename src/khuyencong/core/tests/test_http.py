from khuyencong.core.http import XLSX, download


def test_a_download_is_an_attachment_no_shared_cache_keeps():
    response = download(b"PK\x03\x04", "phu-luc-son-la.xlsx", XLSX)
    assert response.content == b"PK\x03\x04"
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="phu-luc-son-la.xlsx"'
    assert response["Cache-Control"] == "private, no-store"


def test_bidi_and_control_characters_are_stripped_from_download_names():
    """Issue 10: the right-to-left override shows "bao-cao\u202efdp.exe" as "bao-caoexe.pdf"."""
    from khuyencong.core.http import PDF, safe_filename

    assert safe_filename("bao-cao\u202efdp.exe") == "bao-caofdp.exe"
    for control in (
        "\u200e",
        "\u200f",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u061c",
        "\u200b",
        "\x00",
        "\n",
    ):
        assert safe_filename(f"a{control}b.pdf") == "ab.pdf"
    assert safe_filename("../../etc/passwd") == "-..-etc-passwd"
    assert safe_filename("\u202e") == "tep"
    response = download(b"%PDF", "Quyết định\u202efdp.exe", PDF)
    header = response["Content-Disposition"]
    assert "\u202e" not in header
    assert "%E2%80%AE" not in header
    assert header.startswith("attachment; filename*=utf-8''Quy")
