"""Pure rules of the selection (quy tắc bình chọn sản phẩm CNNT tiêu biểu): no ORM, no HTTP.

Every legal number arrives as an argument (the round's copy of the level's rule, see
``legal.py`` and ``models.LevelRule``); nothing here is a constant of the law.

- a score sheet (phiếu chấm, PL4): each criterion (or each of its finer bands) scored from 0 to
  its cap, at most two decimals — :func:`check_scores`, :func:`criterion_scores`;
- an entry's result: the mean of the judges' totals, shown with two decimals and the
  arithmetic; it passes when the rounded mean reaches the pass mark — :func:`result_of`;
- ranking with ties (1, 2, 2, 4) and the council's cap on how many pass — :func:`rank`;
- outlier flags: a judge whose total (or criterion score) differs from the mean of the other
  judges by more than a margin — :func:`outliers`;
- the council's size by level and an odd jury (reserve judges not counted); each entry's panel
  of the jury's odd size; the quorum to close — :func:`council_problems`, :func:`panel_problem`,
  :func:`quorum_needed`;
- conflicts of interest — :func:`conflict_reasons`;
- certificates: valid to 31 December of the N-th year counting the year of issue, status from
  the dates and a revocation — :func:`valid_until`, :func:`certificate_status`;
- the lower-level certificate rule for entries above the commune — :func:`prerequisite_refusal`.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from khuyencong.core.formatting import format_date, format_number

CENT = Decimal("0.01")


class Level(StrEnum):
    """Cấp bình chọn (since 1/7/2025: commune, province, region, nation)."""

    COMMUNE = "xa"
    PROVINCE = "tinh"
    REGION = "khu-vuc"
    NATION = "quoc-gia"


LEVEL_ORDER = (Level.COMMUNE, Level.PROVINCE, Level.REGION, Level.NATION)
LEVEL_NAMES = {
    Level.COMMUNE: "cấp xã",
    Level.PROVINCE: "cấp tỉnh",
    Level.REGION: "cấp khu vực",
    Level.NATION: "cấp quốc gia",
}


def level_name(level: str) -> str:
    return LEVEL_NAMES.get(Level(level), level) if level in Level._value2member_map_ else level


# --------------------------------------------------------------------------------------------
# Criteria and score sheets (tiêu chí, phiếu chấm điểm PL4)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Band:
    """A finer band inside a criterion (the chair may split a criterion's points)."""

    code: str
    name: str
    cap: Decimal


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    cap: Decimal
    bands: tuple[Band, ...] = ()

    @property
    def items(self) -> tuple[tuple[str, str, Decimal], ...]:
        """What a judge scores: the criterion itself, or each of its bands."""
        if self.bands:
            return tuple((b.code, f"{self.name} — {b.name}", b.cap) for b in self.bands)
        return ((self.code, self.name, self.cap),)


def criteria_from_data(data: Iterable[Mapping[str, object]]) -> tuple[Criterion, ...]:
    """``[{"code", "name", "cap", "bands": [{"code", "name", "cap"}]}]`` → criteria."""
    return tuple(
        Criterion(
            code=str(item["code"]),
            name=str(item["name"]),
            cap=Decimal(str(item["cap"])),
            bands=tuple(
                Band(str(b["code"]), str(b["name"]), Decimal(str(b["cap"])))
                for b in item.get("bands", ()) or ()  # type: ignore[attr-defined]
            ),
        )
        for item in data
    )


def criteria_to_data(criteria: Iterable[Criterion]) -> list[dict[str, object]]:
    return [
        {
            "code": c.code,
            "name": c.name,
            "cap": str(c.cap),
            **(
                {"bands": [{"code": b.code, "name": b.name, "cap": str(b.cap)} for b in c.bands]}
                if c.bands
                else {}
            ),
        }
        for c in criteria
    ]


def total_cap(criteria: Iterable[Criterion]) -> Decimal:
    return sum((c.cap for c in criteria), Decimal(0))


def check_criteria(criteria: Sequence[Criterion]) -> list[str]:
    """Problems in a set of criteria: caps must be positive, bands add up to their criterion,
    codes unique."""
    problems: list[str] = []
    if not criteria:
        problems.append(_("Cần ít nhất một tiêu chí chấm điểm."))
    codes: set[str] = set()
    for c in criteria:
        for code in (c.code, *(b.code for b in c.bands)):
            if code in codes:
                problems.append(_("Mã tiêu chí “%(code)s” bị trùng.") % {"code": code})
            codes.add(code)
        if c.cap <= 0:
            problems.append(
                _("Điểm tối đa của tiêu chí “%(name)s” phải lớn hơn 0.") % {"name": c.name}
            )
        if c.bands and sum((b.cap for b in c.bands), Decimal(0)) != c.cap:
            problems.append(
                _("Các khoảng điểm của tiêu chí “%(name)s” cộng lại phải bằng %(cap)s điểm.")
                % {"name": c.name, "cap": format_number(c.cap)}
            )
    return problems


@dataclass(frozen=True)
class ScoreProblem:
    item: str
    message: str


def parse_score(value: object) -> Decimal | None:
    """A score typed by a judge (``"35"``, ``"35,5"``) as a Decimal, or ``None`` if unreadable."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        number = value
    else:
        text = str(value).strip().replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    if not number.is_finite():
        return None
    return number


def check_scores(
    criteria: Sequence[Criterion], scores: Mapping[str, object], *, complete: bool
) -> tuple[dict[str, Decimal], list[ScoreProblem]]:
    """Read and check a sheet: each item between 0 and its cap, at most two decimals.

    ``complete``: every item must be scored (submitting); a draft may leave items empty.
    Returns the readable scores and the problems, each naming its criterion.
    """
    read: dict[str, Decimal] = {}
    problems: list[ScoreProblem] = []
    for criterion in criteria:
        for code, name, cap in criterion.items:
            raw = scores.get(code)
            if raw is None or str(raw).strip() == "":
                if complete:
                    problems.append(
                        ScoreProblem(code, _("Chưa chấm tiêu chí “%(name)s”.") % {"name": name})
                    )
                continue
            number = parse_score(raw)
            if number is None:
                problems.append(
                    ScoreProblem(
                        code,
                        _("Điểm tiêu chí “%(name)s” phải là một số (ví dụ 35 hoặc 35,5).")
                        % {"name": name},
                    )
                )
            elif number < 0:
                problems.append(
                    ScoreProblem(
                        code, _("Điểm tiêu chí “%(name)s” không được âm.") % {"name": name}
                    )
                )
            elif number > cap:
                problems.append(
                    ScoreProblem(
                        code,
                        _("Điểm tiêu chí “%(name)s” tối đa là %(cap)s, không thể chấm %(n)s.")
                        % {"name": name, "cap": format_number(cap), "n": format_number(number)},
                    )
                )
            elif number != number.quantize(CENT):
                problems.append(
                    ScoreProblem(
                        code,
                        _("Điểm tiêu chí “%(name)s” chỉ ghi tối đa hai chữ số thập phân.")
                        % {"name": name},
                    )
                )
            else:
                read[code] = number.quantize(CENT)
    return read, problems


def criterion_scores(
    criteria: Sequence[Criterion], scores: Mapping[str, Decimal]
) -> dict[str, Decimal]:
    """Each criterion's score (its bands summed); only criteria fully scored."""
    out: dict[str, Decimal] = {}
    for criterion in criteria:
        codes = [code for code, _name, _cap in criterion.items]
        if all(code in scores for code in codes):
            out[criterion.code] = sum((scores[code] for code in codes), Decimal(0))
    return out


def sheet_total(criteria: Sequence[Criterion], scores: Mapping[str, Decimal]) -> Decimal:
    return sum(criterion_scores(criteria, scores).values(), Decimal(0))


# --------------------------------------------------------------------------------------------
# Results: mean, pass, ranking (kết quả)
# --------------------------------------------------------------------------------------------
def two_decimals(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Result:
    totals: tuple[Decimal, ...]
    mean: Decimal
    passed: bool

    @property
    def arithmetic(self) -> str:
        """``(78 + 82 + 75) / 3 = 78,33``."""
        if not self.totals:
            return ""
        parts = " + ".join(format_number(t.normalize()) for t in self.totals)
        return f"({parts}) / {len(self.totals)} = {format_number(self.mean, places=2)}"


def result_of(totals: Sequence[Decimal], pass_mark: Decimal) -> Result:
    """Mean of the judges' totals, rounded half up to two decimals; passed when that (the
    figure everyone sees) reaches the pass mark. No total: no result, not passed."""
    if not totals:
        return Result((), Decimal("0.00"), False)
    mean = two_decimals(sum(totals, Decimal(0)) / len(totals))
    return Result(tuple(totals), mean, mean >= pass_mark)


@dataclass(frozen=True)
class Ranked:
    key: object
    mean: Decimal
    rank: int
    tied: bool
    reaches_mark: bool
    passed: bool


def rank(
    means: Mapping[Any, Decimal], *, pass_mark: Decimal, cap: int | None = None
) -> list[Ranked]:
    """Standard competition ranking (1, 2, 2, 4) by mean, highest first.

    An entry passes when its mean reaches the pass mark and, when the council capped how many
    pass, its rank is within the cap. Entries tied at the cap share the rank, so all of them
    pass (the page says so: the council then decides, and records a new cap).
    """
    ordered = sorted(means.items(), key=lambda kv: (-kv[1], str(kv[0])))
    counts: dict[Decimal, int] = defaultdict(int)
    for _key, mean in ordered:
        counts[mean] += 1
    out: list[Ranked] = []
    previous: Decimal | None = None
    current_rank = 0
    for position, (key, mean) in enumerate(ordered, start=1):
        if mean != previous:
            current_rank = position
            previous = mean
        reaches = mean >= pass_mark
        within = cap is None or current_rank <= cap
        out.append(Ranked(key, mean, current_rank, counts[mean] > 1, reaches, reaches and within))
    return out


def ties_beyond_cap(ranked: Sequence[Ranked], cap: int | None) -> bool:
    """More pass than the cap because of a tie at the cut-off."""
    return cap is not None and sum(r.passed for r in ranked) > cap


# --------------------------------------------------------------------------------------------
# Outliers (điểm lệch)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sheet:
    """A submitted sheet as the rules see it."""

    entry: object
    judge: object
    total: Decimal
    criteria: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class OutlierFlag:
    entry: object
    judge: object
    criterion: str  # "" for the total
    difference: Decimal  # the judge's figure minus the others' mean (two decimals)
    margin: Decimal


def criterion_margin(margin: Decimal, cap: Decimal, caps_total: Decimal) -> Decimal:
    """A criterion's margin: the total's margin in proportion to the criterion's cap (15 points
    on 100 → 6 on a 40-point criterion, 1,5 on a 10-point one)."""
    if caps_total <= 0:
        return margin
    return two_decimals(margin * cap / caps_total)


def outliers(
    sheets: Iterable[Sheet], criteria: Sequence[Criterion], margin: Decimal
) -> list[OutlierFlag]:
    """Flags for every judge whose total (or criterion score) differs from the mean of the
    other judges of the same entry by more than the margin. An entry needs two sheets or more."""
    by_entry: dict[object, list[Sheet]] = defaultdict(list)
    for sheet in sheets:
        by_entry[sheet.entry].append(sheet)
    caps_total = total_cap(criteria)
    margins = {c.code: criterion_margin(margin, c.cap, caps_total) for c in criteria}
    flags: list[OutlierFlag] = []
    for entry, group in by_entry.items():
        if len(group) < 2:
            continue
        for sheet in group:
            others = [s for s in group if s is not sheet]
            mean = sum((s.total for s in others), Decimal(0)) / len(others)
            difference = sheet.total - mean
            if abs(difference) > margin:
                flags.append(OutlierFlag(entry, sheet.judge, "", two_decimals(difference), margin))
            for code, limit in margins.items():
                if code not in sheet.criteria:
                    continue
                values = [s.criteria[code] for s in others if code in s.criteria]
                if not values:
                    continue
                difference = sheet.criteria[code] - sum(values, Decimal(0)) / len(values)
                if abs(difference) > limit:
                    flags.append(
                        OutlierFlag(entry, sheet.judge, code, two_decimals(difference), limit)
                    )
    return flags


# --------------------------------------------------------------------------------------------
# Council, jury, quorum (hội đồng, ban giám khảo)
# --------------------------------------------------------------------------------------------
def council_problems(
    *, level: str, members: int, judges: int, minimum: int, maximum: int
) -> list[str]:
    """The council's size against the level's range; the jury needs an odd number (≥ 3).

    ``members``: the council's seats (chair, vice-chair, members, secretary — a reserve judge
    who holds one counts, a judge without one does not); ``judges``: the jury proper, reserve
    judges (giám khảo dự khuyết) not counted."""
    problems: list[str] = []
    if not minimum <= members <= maximum:
        problems.append(
            _(
                "Hội đồng bình chọn %(level)s phải có từ %(min)s đến %(max)s thành viên; hiện có "
                "%(n)s."
            )
            % {"level": level_name(level), "min": minimum, "max": maximum, "n": members}
        )
    if judges < 3 or judges % 2 == 0:
        problems.append(
            _("Ban giám khảo phải có số lẻ giám khảo, ít nhất 3 người; hiện có %(n)s.")
            % {"n": judges}
        )
    return problems


def panel_problem(*, product: str, panel: int, jury: int) -> str:
    """Why an entry's panel cannot close (empty: it can). The panel is the judges assigned to
    the entry, a judge recorded absent included (their seat is accounted for by the reason and
    the quorum): it must be the jury's size, and odd — a judge kept off by a conflict is
    replaced by a reserve judge the chair assigns."""
    values = {"p": product, "n": panel, "j": jury}
    if panel < jury:
        return (
            _(
                "Hồ sơ “%(p)s” có %(n)s phiếu chấm, cần %(j)s: Chủ tịch phân công giám khảo dự "
                "khuyết thay giám khảo có xung đột lợi ích hoặc vắng mặt."
            )
            % values
        )
    if panel > jury:
        return (
            _(
                "Hồ sơ “%(p)s” có %(n)s phiếu chấm, nhiều hơn %(j)s giám khảo của ban giám khảo: "
                "Chủ tịch rút phân công thừa."
            )
            % values
        )
    if panel % 2 == 0:
        return (
            _(
                "Hồ sơ “%(p)s” có %(n)s phiếu chấm: mỗi hồ sơ phải do một số lẻ giám khảo chấm "
                "(ban giám khảo số lẻ, giám khảo dự khuyết chấm thay)."
            )
            % values
        )
    return ""


def quorum_needed(judges: int, numerator: int, denominator: int) -> int:
    """How many judges must have scored: at least ``numerator/denominator`` of the jury."""
    return math.ceil(judges * numerator / denominator)


# --------------------------------------------------------------------------------------------
# Conflicts of interest (xung đột lợi ích)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class JudgeFacts:
    represents: frozenset[int] = frozenset()  # establishments the judge represents
    officer_communes: frozenset[int] = frozenset()  # communes where the judge is an officer
    declared: Mapping[int, str] = field(default_factory=dict)  # establishment → relation


@dataclass(frozen=True)
class EntryFacts:
    establishment_id: int
    establishment_name: str
    commune_id: int
    commune_name: str


def conflict_reasons(judge: JudgeFacts, entry: EntryFacts) -> list[str]:
    """Why this judge may not score this entry (empty: no conflict)."""
    reasons: list[str] = []
    if entry.establishment_id in judge.represents:
        reasons.append(
            _("Giám khảo là người đại diện của %(e)s, cơ sở có sản phẩm này.")
            % {"e": entry.establishment_name}
        )
    if entry.commune_id in judge.officer_communes:
        reasons.append(
            _("Giám khảo là cán bộ của %(c)s, nơi cơ sở %(e)s đặt trụ sở.")
            % {"c": entry.commune_name, "e": entry.establishment_name}
        )
    relation = judge.declared.get(entry.establishment_id)
    if relation is not None:
        reasons.append(
            _("Giám khảo đã khai có quan hệ với %(e)s: %(r)s.")
            % {"e": entry.establishment_name, "r": relation}
        )
    return reasons


# --------------------------------------------------------------------------------------------
# Certificates (giấy chứng nhận)
# --------------------------------------------------------------------------------------------
class CertificateStatus(StrEnum):
    VALID = "con-hieu-luc"
    EXPIRED = "het-hieu-luc"
    REVOKED = "bi-thu-hoi"


def valid_until(issued_on: datetime.date, years: int) -> datetime.date:
    """31 December of the ``years``-th year counting the year of issue (15/11/2026 and 3 years:
    31/12/2028)."""
    if years < 1:
        raise ValueError("years must be at least 1")
    return datetime.date(issued_on.year + years - 1, 12, 31)


def certificate_status(
    *, valid_until: datetime.date, revoked_on: datetime.date | None, on: datetime.date
) -> CertificateStatus:
    if revoked_on is not None and revoked_on <= on:
        return CertificateStatus.REVOKED
    if on > valid_until:
        return CertificateStatus.EXPIRED
    return CertificateStatus.VALID


@dataclass(frozen=True)
class CertificateFacts:
    number: str
    level: str
    issued_on: datetime.date
    valid_until: datetime.date
    revoked_on: datetime.date | None = None


def prerequisite_refusal(
    *,
    product: str,
    required_level: str | None,
    certificates: Sequence[CertificateFacts],
    lower_round_held: bool,
    lower_authority: str,
    year: int,
    on: datetime.date,
) -> str:
    """Why a product may not enter a round above the commune (empty: it may).

    It needs a certificate of ``required_level`` valid on ``on``; where no round of that level
    covering the product was held in ``year``, a proposal forwarded by the lower authority
    stands in for it (the entry then waits for that forwarding).
    """
    if required_level is None:
        return ""
    mine = [c for c in certificates if c.level == required_level]
    if any(
        certificate_status(valid_until=c.valid_until, revoked_on=c.revoked_on, on=on)
        == CertificateStatus.VALID
        and c.issued_on <= on
        for c in mine
    ):
        return ""
    if not lower_round_held:
        return ""
    level = level_name(required_level)
    if not mine:
        return _(
            "Sản phẩm “%(p)s” chưa có giấy chứng nhận sản phẩm công nghiệp nông thôn tiêu biểu "
            "%(level)s. Năm %(year)s %(authority)s đã tổ chức bình chọn %(level)s, nên sản phẩm "
            "phải được chứng nhận %(level)s trước khi tham gia cấp trên."
        ) % {"p": product, "level": level, "year": year, "authority": lower_authority}
    latest = max(mine, key=lambda c: c.valid_until)
    status = certificate_status(valid_until=latest.valid_until, revoked_on=latest.revoked_on, on=on)
    if status == CertificateStatus.REVOKED and latest.revoked_on is not None:
        detail = _("đã bị thu hồi ngày %(d)s") % {"d": format_date(latest.revoked_on)}
    else:
        detail = _("đã hết hiệu lực ngày %(d)s") % {"d": format_date(latest.valid_until)}
    return _(
        "Giấy chứng nhận %(level)s số %(n)s của sản phẩm “%(p)s” %(detail)s: cần giấy chứng nhận "
        "%(level)s còn hiệu lực để tham gia bình chọn cấp trên."
    ) % {"level": level, "n": latest.number, "p": product, "detail": detail}
