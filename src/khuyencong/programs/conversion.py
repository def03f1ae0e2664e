"""Between the models and the pure form (:class:`ProgrammeData`) the checker and files use."""

from __future__ import annotations

from decimal import Decimal

from . import programme_data as pd
from .models import ActivityLine, Programme


def line_to_data(line: ActivityLine) -> pd.ActivityLineData:
    return pd.ActivityLineData(
        group_code=line.group.code,
        name=line.name,
        unit=line.unit_of_measure,
        order=line.order,
        cells=tuple(
            pd.Cell(year=c.year, fund=c.fund, quantity=c.quantity, amount=c.amount)
            for c in sorted(line.cells.all(), key=lambda c: (c.year, _fund_rank(c.fund)))
        ),
        notes=line.notes,
        stated_total_quantity=line.stated_total_quantity,
        stated_total_amount=line.stated_total_amount,
    )


def _fund_rank(fund: str) -> int:
    order = list(pd.FUNDS)
    return order.index(fund) if fund in order else len(order)


def programme_to_data(programme: Programme) -> pd.ProgrammeData:
    """The pure form of a programme. Expects lines, cells, targets and totals prefetched."""
    return pd.ProgrammeData(
        code=programme.code,
        level=programme.level,
        unit_code=programme.unit.code,
        title=programme.title,
        start_year=programme.start_year,
        end_year=programme.end_year,
        decision_number=programme.decision_number or None,
        decision_date=programme.decision_date,
        issuing_body=programme.issuing_body,
        signer=programme.signer,
        lines=tuple(line_to_data(line) for line in programme.lines.all()),
        targets=tuple(
            pd.Target(
                group_code=t.group.code if t.group else "",
                name=t.name,
                unit=t.unit_of_measure,
                quantity=Decimal(t.quantity),
                section=t.section,
                key=t.key,
                text=t.text,
                qualifier=t.qualifier,
                lines=tuple(t.line_orders),
            )
            for t in programme.targets.all()
        ),
        stated_fund_totals={s.fund: s.amount for s in programme.stated_fund_totals.all()},
        stated_grand_total=programme.stated_grand_total,
        printed_year_fund_totals={
            (p.year, p.fund): p.amount for p in programme.printed_year_totals.all()
        },
        printed_unit=programme.printed_unit,
        signer_title=programme.signer_title,
        source=programme.source,
        remarks=tuple(programme.remarks),
    )
