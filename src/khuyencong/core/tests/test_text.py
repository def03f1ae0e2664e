"""Vietnamese text helpers: the alphabetical order (defect 10 of issue 9)."""

from khuyencong.core.text import collation_key, sorted_by_name


def test_names_sort_as_a_vietnamese_dictionary_does():
    names = ["Yên Bái", "Đồng Nai", "Đà Nẵng", "Điện Biên", "Đắk Lắk", "Dak Nong", "An Giang"]
    names += ["Ân Thi", "Ăn Uống", "Cần Thơ", "Cà Mau", "Lâm Đồng", "Lào Cai", "Lai Châu"]
    assert sorted(names, key=collation_key) == [
        "An Giang",
        "Ăn Uống",
        "Ân Thi",
        "Cà Mau",
        "Cần Thơ",
        "Dak Nong",
        "Đà Nẵng",
        "Đắk Lắk",
        "Điện Biên",
        "Đồng Nai",
        "Lai Châu",
        "Lào Cai",
        "Lâm Đồng",
        "Yên Bái",
    ]


def test_tones_only_break_ties_and_in_their_order():
    # ngang, huyền, hỏi, ngã, sắc, nặng
    assert sorted(["mạ", "má", "mã", "mả", "mà", "ma"], key=collation_key) == [
        "ma", "mà", "mả", "mã", "má", "mạ",
    ]  # fmt: skip
    assert sorted(["Mạ Xa", "Ma Xb"], key=collation_key) == ["Mạ Xa", "Ma Xb"]


def test_the_same_letters_in_another_unicode_form_sort_together():
    decomposed = "Đa\u0300 Na\u0306\u0303ng"  # Đà Nẵng typed with combining marks
    assert collation_key(decomposed)[:2] == collation_key("Đà Nẵng")[:2]


def test_sorted_by_name_takes_any_name():
    assert sorted_by_name([("Đà Nẵng",), ("Cà Mau",)], name=lambda t: t[0]) == [
        ("Cà Mau",),
        ("Đà Nẵng",),
    ]
