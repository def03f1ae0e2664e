"""`manage.py support_limit`: the number on the first line, then the sentence; clear errors."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("support_limit", *args, stdout=out)
    return out.getvalue().splitlines()


def test_first_line_is_the_maximum_in_dong():
    lines = run("--content", "may-moc-thiet-bi", "--fund", "KCQG", "--cost", "700000000")
    assert lines[0] == "300000000"
    assert lines[1].startswith("Tối đa 300.000.000 đ: 50% chi phí hợp lý 700.000.000 đ")
    assert "Thông tư 28/2018/TT-BTC" in lines[1]


@pytest.mark.parametrize(
    ("args", "first"),
    [
        (("--content", "may-moc-thiet-bi", "--cost", "400.000.000"), "200000000"),
        (("--content", "mo-hinh-trinh-dien", "--cost", "2000000000"), "600000000"),
        (("--content", "mo-hinh-trinh-dien", "--cost", "4000000000"), "1000000000"),
        (("--content", "day-chuyen-cong-nghe", "--cost", "1000000000"), "450000000"),
        (("--content", "may-moc-thiet-bi", "--cost", "1000000000", "--priority"), "450000000"),
        (
            ("--content", "may-moc-thiet-bi", "--cost", "700000000", "--province", "14"),
            "300000000",
        ),
        (
            ("--content", "may-moc-thiet-bi", "--cost", "700000000", "--date", "2018-05-15"),
            "300000000",
        ),
    ],
)
def test_the_issue_figures(args, first):
    assert run("--fund", "KCQG", *args)[0] == first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--content", "khong-co", "--fund", "KCQG", "--cost", "1"), "Không có nội dung"),
        (("--content", "may-moc-thiet-bi", "--fund", "XYZ", "--cost", "1"), "không hợp lệ"),
        (("--content", "may-moc-thiet-bi", "--fund", "KCQG", "--cost", "abc"), "không phải số"),
        (
            (
                "--content",
                "may-moc-thiet-bi",
                "--fund",
                "KCQG",
                "--cost",
                "1",
                "--date",
                "2018-05-14",
            ),
            "Chưa có định mức",
        ),
        (("--content", "may-moc-thiet-bi", "--fund", "KCĐP", "--cost", "1"), "Chưa có định mức"),
        (
            ("--content", "may-moc-thiet-bi", "--fund", "KCQG", "--cost", "1", "--province", "999"),
            "Không có đơn vị",
        ),
    ],
)
def test_errors_are_clear(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_an_error_exits_non_zero(capsys):
    from khuyencong.norms.management.commands.support_limit import Command

    argv = ["manage.py", "support_limit", "--content", "khong-co", "--fund", "KCQG", "--cost", "1"]
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(argv)
    assert exit_.value.code == 1
    assert "Không có nội dung hỗ trợ mã “khong-co”" in capsys.readouterr().err
