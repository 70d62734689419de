"""The monthly report as a PDF (fpdf2): figures per unit, charts as embedded PNG, and the
DejaVu Sans font matplotlib ships embedded (no download, no system font needed)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import matplotlib
from fpdf import FPDF

from helpdesk.infra.config import Settings
from helpdesk.services import application_report, charts, ikm
from helpdesk.services.reports import Figures

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
REASONS = {
    "citizen_request": "permintaan warga",
    "complaint": "pengaduan",
    "fallback": "bot tidak paham",
    "engine_error": "gangguan mesin",
}


def _hours(minutes: float | None) -> str:
    if minutes is None:
        return "—"
    hours, rest = divmod(round(minutes), 60)
    return f"{hours} j {rest} m" if hours else f"{rest} m"


class _Report(FPDF):
    title_text = ""

    def header(self) -> None:
        self.set_font("DejaVu", "B", 9)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, self.title_text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.cell(0, 6, f"Halaman {self.page_no()}/{{nb}}", align="C")


def monthly_pdf(
    figures: Figures,
    month: str,
    settings: Settings,
    *,
    kind: str = "bulanan",
    more: Callable[[FPDF], None] | None = None,
) -> bytes:
    """The month's report: summary, charts, SLA per unit, IKM per unit and element.

    The quarterly report is the same document over a quarter (`kind="triwulan"`) with the
    case desk's sections appended by `more`."""
    pdf = _Report(format="A4")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.title_text = f"Halo Warga — Laporan {kind} {month}"
    pdf.set_title(pdf.title_text)
    pdf.set_author("Halo Warga")
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, f"Laporan Layanan Halo Warga — {month}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        0,
        5,
        f"Periode {figures.start:%d-%m-%Y} s.d. {figures.end:%d-%m-%Y}"
        f"{' · unit ' + figures.unit if figures.unit else ' · semua unit'}. Waktu respons dan "
        f"penyelesaian dihitung dalam jam kerja (jam layanan pada hari kerja; libur nasional "
        f"dan cuti bersama tidak dihitung), zona {settings.timezone}.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    total = figures.total
    containment = f"{figures.containment * 100:.1f}%" if figures.containment is not None else "—"
    overall = figures.ikm_total
    rows = [
        ("Percakapan", str(total)),
        ("Dijawab bot sepenuhnya (containment)", f"{figures.contained} ({containment})"),
        ("Diteruskan ke petugas", str(sum(figures.handoff_reasons.values()))),
        (
            "Respons pertama petugas (median / p90)",
            f"{_hours(figures.first_response['median'])} / {_hours(figures.first_response['p90'])}",
        ),
        (
            "Penyelesaian (median / p90)",
            f"{_hours(figures.resolution['median'])} / {_hours(figures.resolution['p90'])}",
        ),
        (
            "IKM (Permenpan-RB 14/2017)",
            f"{overall.ikm:.2f} · {overall.mutu} ({ikm.GRADE_NAMES[overall.mutu]}) · "
            f"{overall.respondents} resp. / min. {overall.min_sample}"
            if overall and overall.respondents
            else "belum ada responden",
        ),
    ]
    pdf.set_font("DejaVu", "", 10)
    for label, value in rows:
        pdf.set_font("DejaVu", "B", 10)
        pdf.cell(95, 7, label, border="B")
        pdf.set_font("DejaVu", "", 10)
        pdf.cell(0, 7, value, border="B", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    days = list(figures.by_day)
    images = [
        charts.line(days, [figures.by_day[d] for d in days], "Percakapan per hari", "png"),
        charts.bar(
            list(figures.by_channel),
            list(figures.by_channel.values()),
            "Percakapan per kanal",
            "png",
        ),
        charts.bar(
            list(figures.by_language),
            list(figures.by_language.values()),
            "Percakapan per bahasa",
            "png",
        ),
        charts.bar(
            [REASONS.get(r, r) for r in figures.handoff_reasons],
            list(figures.handoff_reasons.values()),
            "Alasan diteruskan ke petugas",
            "png",
            horizontal=True,
        ),
    ]
    top, height = pdf.get_y(), 93 * 2.6 / 6
    for index, image in enumerate(images):
        if index and index % 2 == 0:
            top += height + 2
        pdf.image(image, x=10 + (index % 2) * 96, y=top, w=93)
    pdf.set_y(top + height + 2)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, "SLA per unit", new_x="LMARGIN", new_y="NEXT")
    units = sorted(figures.sla_by_unit)
    if units:
        states = ("met", "breached", "running")
        pdf.image(
            charts.stacked(
                units,
                {s: [figures.sla_by_unit[u][s] for u in units] for s in states},
                "SLA terpenuhi / terlewati per unit",
                "png",
                colors={"met": "#2e8b57", "breached": "#c0392b", "running": "#99a8b2"},
                names={"met": "terpenuhi", "breached": "terlewati", "running": "berjalan"},
            ),
            w=170,
        )
        pdf.set_font("DejaVu", "B", 9)
        for head in ("Unit", "Terpenuhi", "Terlewati", "Berjalan"):
            pdf.cell(45, 6, head, border=1)
        pdf.ln()
        pdf.set_font("DejaVu", "", 9)
        for unit in units:
            counts = figures.sla_by_unit[unit]
            for cell in (unit, counts["met"], counts["breached"], counts["running"]):
                pdf.cell(45, 6, str(cell), border=1)
            pdf.ln()
    else:
        pdf.set_font("DejaVu", "", 9)
        pdf.cell(
            0, 6, "Belum ada percakapan yang diteruskan ke petugas.", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(4)
    application_report.pdf_section(pdf, figures.applications)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, "Indeks Kepuasan Masyarakat per unit", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(
        0,
        4,
        "NRR per unsur = jumlah nilai ÷ jumlah responden; bobot tiap unsur 1/9; "
        "IKM = Σ(NRR × 1/9) × 25. Mutu: A ≥ 88,31; B ≥ 76,61; C ≥ 65,00; D di bawahnya. "
        "Sampel minimum menurut tabel Krejcie & Morgan.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("DejaVu", "B", 8)
    heads = ["Unit", "IKM", "Mutu", "Resp.", *ikm.ELEMENTS]
    widths = [28, 14, 10, 12, *([13] * 9)]
    for head, width in zip(heads, widths, strict=True):
        pdf.cell(width, 6, head, border=1, align="C")
    pdf.ln()
    pdf.set_font("DejaVu", "", 8)
    for unit, result in sorted(figures.ikm_by_unit.items()):
        cells = [
            unit,
            f"{result.ikm:.2f}",
            result.mutu,
            str(result.respondents),
            *(f"{e.nrr:.2f}" for e in result.elements),
        ]
        for cell, width in zip(cells, widths, strict=True):
            pdf.cell(width, 6, cell, border=1, align="C")
        pdf.ln()
    if overall and overall.respondents:
        pdf.ln(2)
        pdf.image(
            charts.bar(
                list(ikm.ELEMENTS),
                [e.nrr for e in overall.elements],
                "Nilai rata-rata (NRR) per unsur, skala 1–4",
                "png",
            ),
            w=170,
        )
    if figures.failing_topics:
        pdf.set_font("DejaVu", "B", 12)
        pdf.cell(0, 8, "Topik yang paling sering gagal dijawab bot", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)
        for word, count in figures.failing_topics:
            pdf.cell(0, 5, f"• {word}: {count}", new_x="LMARGIN", new_y="NEXT")
    if more is not None:
        more(pdf)
    return bytes(pdf.output())
