"""The four programmes of the seed documents, transcribed exactly (chương trình mẫu).

``SEED_PROGRAMMES`` maps a stable programme code to its :class:`ProgrammeData`. The demo-data
command and the tests load them from here; the checker (``consistency.py``) flags what the
documents themselves get wrong.
"""

from __future__ import annotations

from khuyencong.programs.programme_data import ProgrammeData
from khuyencong.programs.seeds import dak_lak, khanh_hoa, quoc_gia, son_la

SEED_PROGRAMMES: dict[str, ProgrammeData] = {
    module.PROGRAMME.code: module.PROGRAMME for module in (quoc_gia, son_la, dak_lak, khanh_hoa)
}

__all__ = ["SEED_PROGRAMMES"]
