import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from khuyencong.synthetic.generate import AS_OF, SEED, AlreadySeeded, generate


class Command(BaseCommand):
    help = (
        "Sinh bộ dữ liệu tổng hợp quy mô quốc gia để đo hiệu năng (scale 1.0: 300.000 cơ sở, "
        "100.000 phiếu đăng ký, 60.000 đề án, 30.000 sản phẩm CNNT ở cả 3.321 xã). Scale S nhỏ "
        "hơn là một đợt thí điểm: S lần các số đó ở round(S × 3.321) xã, triển khai trọn từng "
        "tỉnh theo thứ tự rút từ seed, đúng mật độ cả nước ở mỗi xã. Chỉ chạy trên CSDL trống."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=0.01, help="từ 0.001 đến 1.0")
        parser.add_argument("--seed", type=int, default=SEED, help="cùng seed, cùng dữ liệu")
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=AS_OF,
            help="ngày cuối giai đoạn dữ liệu (YYYY-MM-DD)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0.001 <= options["scale"] <= 1:
            raise CommandError("--scale phải từ 0.001 đến 1.0.")
        try:
            written = generate(
                scale=options["scale"],
                seed=options["seed"],
                as_of=options["as_of"],
                say=self.stdout.write,
            )
        except AlreadySeeded:
            raise CommandError(
                "CSDL đã có cơ sở CNNT: lệnh này chỉ sinh dữ liệu vào một CSDL trống."
            ) from None
        total = sum(written.values())
        self.stdout.write(f"Đã ghi {total:,} dòng:")
        for label, count in sorted(written.items()):
            self.stdout.write(f"  {label:<48} {count:>10,}")
