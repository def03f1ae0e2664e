from xml.etree import ElementTree

from khuyencong.core import charts


def test_stacked_columns_is_valid_svg_with_vietnamese_numbers():
    svg = charts.stacked_columns(
        ["2026", "2027"],
        [charts.Series("KCQG", [0, 500_000_000]), charts.Series("KCĐP", [62_500_000, 0])],
        title="Kinh phí",
    )
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    assert len(root.findall("{http://www.w3.org/2000/svg}rect")) == 4 + 2  # bars + legend
    assert "62,5" in svg
    assert "500" in svg


def test_horizontal_bars_leave_room_for_the_longest_label():
    label = "1. Mô hình trình diễn, máy móc thiết bị, sản xuất sạch hơn"
    svg = charts.horizontal_bars([label, "2. Ngắn"], [12_350_000_000, 0], title="Nhóm")
    root = ElementTree.fromstring(svg)
    bars = list(root.iter("{http://www.w3.org/2000/svg}rect"))
    assert float(bars[0].get("x")) >= 7 * len(label)
    assert "12.350" in svg
