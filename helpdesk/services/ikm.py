"""IKM (Indeks Kepuasan Masyarakat) by the method of Permenpan-RB 14/2017.

1. NRR per element = sum of the scores ÷ respondents who answered it (scores 1-4).
2. Each of the nine elements weighs 1/9. The regulation's worked form writes 0.111; we use
   the exact 1/9 so a perfect score is 100.00, not 99.90 (backoffice-facts.md §1).
3. IKM = sum of the weighted NRR × 25 (25-100), rounded to 2 decimals at the end only.
4. Mutu: A ≥ 88.31, B ≥ 76.61, C ≥ 65.00, else D (the conversion table's bands, applied to
   the rounded IKM so its tiny gaps do not matter).
Respondents are citizens who answered all nine questions. The minimum sample follows
Krejcie & Morgan (1970), the table the guideline uses: s = χ²NP(1-P) / (d²(N-1) + χ²P(1-P))
with χ² = 3.841, P = 0.5, d = 0.05; the population N is the number of citizens offered the
survey in the period (one per citizen, service and period, after a served conversation).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.models import Survey

ELEMENTS = tuple(f"U{i}" for i in range(1, 10))
WEIGHT = 1 / 9
BANDS = ((88.31, "A", "Sangat Baik"), (76.61, "B", "Baik"), (65.00, "C", "Kurang Baik"))
GRADE_NAMES = {"A": "Sangat Baik", "B": "Baik", "C": "Kurang Baik", "D": "Tidak Baik"}


def mutu(ikm: float) -> str:
    """The service-quality grade of an IKM value (25-100)."""
    value = round(ikm, 2)
    for lower, grade, _name in BANDS:
        if value >= lower:
            return grade
    return "D"


def min_sample(population: int) -> int:
    """Krejcie & Morgan minimum sample for a population (10 -> 10, 100 -> 80, 1000 -> 278)."""
    if population <= 0:
        return 0
    chi2, p, d = 3.841, 0.5, 0.05
    value = chi2 * population * p * (1 - p) / (d * d * (population - 1) + chi2 * p * (1 - p))
    return min(population, math.floor(value + 0.5))  # the published table rounds


@dataclass(frozen=True)
class ElementScore:
    """One element's average (NRR) and how many answered it."""

    code: str
    nrr: float
    respondents: int


@dataclass(frozen=True)
class IkmResult:
    """The index, its grade and what it rests on."""

    ikm: float
    mutu: str
    respondents: int
    elements: tuple[ElementScore, ...]
    population: int = 0

    @property
    def min_sample(self) -> int:
        """Respondents needed for this population."""
        return min_sample(self.population)

    def as_json(self) -> dict[str, object]:
        """The API's shape (DESIGN.md) plus the sample check."""
        return {
            "ikm": self.ikm,
            "mutu": self.mutu,
            "kinerja": GRADE_NAMES[self.mutu] if self.respondents else None,
            "respondents": self.respondents,
            "population": self.population,
            "min_sample": self.min_sample,
            "sample_sufficient": self.respondents >= self.min_sample and self.respondents > 0,
            "elements": [
                {"code": e.code, "nrr": e.nrr, "respondents": e.respondents} for e in self.elements
            ],
        }


def compute(answers: Sequence[Sequence[int | None]], population: int = 0) -> IkmResult:
    """The IKM of a set of questionnaires (each nine scores 1-4, U1 first; None = no answer).

    With no respondents the IKM is 0.0 and the grade D: look at `respondents` first.
    """
    sums = [0] * 9
    counts = [0] * 9
    for row in answers:
        for i, score in enumerate(row):
            if score is not None:
                sums[i] += score
                counts[i] += 1
    nrr = [sums[i] / counts[i] if counts[i] else 0.0 for i in range(9)]
    raw = sum(value * WEIGHT for value in nrr) * 25
    ikm = round(raw, 2) if any(counts) else 0.0
    elements = tuple(
        ElementScore(code, round(nrr[i], 4), counts[i]) for i, code in enumerate(ELEMENTS)
    )
    full = sum(1 for row in answers if all(s is not None for s in row))
    return IkmResult(ikm, mutu(ikm), full, elements, population)


def local_range(start: date, end: date, timezone: str) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in the office's time zone, as aware datetimes."""
    zone = ZoneInfo(timezone)
    # Clamped one day inside what datetime can hold: the bounds move to UTC and a day on.
    start, end = max(start, date.min + timedelta(days=1)), min(end, date.max - timedelta(days=2))
    return (
        datetime.combine(start, time(0), zone),
        datetime.combine(end + timedelta(days=1), time(0), zone),
    )


def report(
    session: Session,
    start: date,
    end: date,
    *,
    unit: str | None = None,
    service: str | None = None,
    timezone: str = "Asia/Jakarta",
) -> IkmResult:
    """The IKM of the surveys completed from `start` to `end` (inclusive, local dates)."""
    lo, hi = local_range(start, end, timezone)
    query = select(*(getattr(Survey, f"u{i}") for i in range(1, 10))).where(
        Survey.completed_at.is_not(None), Survey.completed_at >= lo, Survey.completed_at < hi
    )
    offered = select(func.count(Survey.id)).where(Survey.offered_at >= lo, Survey.offered_at < hi)
    if unit:
        query = query.where(Survey.unit == unit)
        offered = offered.where(Survey.unit == unit)
    if service:
        query = query.where(Survey.service_code == service)
        offered = offered.where(Survey.service_code == service)
    rows = [tuple(r) for r in session.execute(query).all()]
    return compute(rows, int(session.scalar(offered) or 0))


def units_with_surveys(session: Session, start: date, end: date, timezone: str) -> list[str]:
    """Units with at least one completed survey in the period."""
    lo, hi = local_range(start, end, timezone)
    return list(
        session.scalars(
            select(Survey.unit)
            .where(Survey.completed_at >= lo, Survey.completed_at < hi)
            .distinct()
            .order_by(Survey.unit)
        )
    )
