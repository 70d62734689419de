"""Demo data for `make run`: agents, service requests in every status, an API token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from helpdesk.models import Agent, AgentRole, ServiceRequest
from helpdesk.services import requests as service_requests

DEMO_PASSWORD = "halowarga-demo"


@dataclass(frozen=True)
class DemoAgent:
    """A demo console login."""

    username: str
    display_name: str
    role: AgentRole
    department: str


DEMO_AGENTS = (
    DemoAgent("agen.dukcapil", "Sri Wahyuni", AgentRole.AGENT, "disdukcapil"),
    DemoAgent("agen.perizinan", "Andi Pratama", AgentRole.AGENT, "dpmptsp"),
    DemoAgent("supervisor", "Dewi Lestari", AgentRole.SUPERVISOR, "pusat"),
)

# (service, applicant, NIK, phone, status path with notes)
DEMO_REQUESTS: tuple[tuple[str, str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "ktp_el",
        "Budi Santoso",
        "3201010101900001",
        "081234567801",
        (
            ("verifying", "Berkas diterima petugas."),
            ("processing", "Perekaman biometrik selesai, KTP-el dalam antrean cetak."),
        ),
    ),
    (
        "kartu_keluarga",
        "Siti Aminah",
        "3201014202850002",
        "081234567802",
        (
            ("verifying", "Berkas lengkap."),
            ("processing", "Data anggota keluarga diperbarui."),
            ("ready", "KK baru dapat diambil di loket 3 Disdukcapil dengan membawa KK lama."),
        ),
    ),
    (
        "akta_kelahiran",
        "Rahmat Hidayat",
        "3201011503920003",
        "081234567803",
        (
            ("verifying", "Berkas diperiksa."),
            ("needs_documents", "Mohon lengkapi fotokopi buku nikah orang tua."),
        ),
    ),
    (
        "skck",
        "Dewi Anggraini",
        "3201016706950004",
        "081234567804",
        (
            ("processing", "Sidik jari diambil."),
            ("ready", "SKCK siap diambil."),
            ("completed", "SKCK sudah diambil pemohon."),
        ),
    ),
    ("paspor", "Agus Setiawan", "3201012108880005", "081234567805", ()),
    (
        "nib",
        "Wulan Sari",
        "3201015511990006",
        "081234567806",
        (
            ("verifying", "Data usaha diperiksa."),
            ("rejected", "KBLI tidak sesuai dengan kegiatan usaha; silakan ajukan ulang."),
        ),
    ),
)


def seed_agents(session: Session) -> list[tuple[DemoAgent, str]]:
    """Create the demo agents once; return them with their TOTP secrets."""
    created = []
    for demo in DEMO_AGENTS:
        agent = session.scalar(select(Agent).where(Agent.username == demo.username))
        if agent is None:
            agent = Agent(
                username=demo.username,
                display_name=demo.display_name,
                password_hash=generate_password_hash(DEMO_PASSWORD),
                totp_secret=pyotp.random_base32(),
                role=demo.role,
                department=demo.department,
            )
            session.add(agent)
        created.append((demo, agent.totp_secret))
    session.flush()
    return created


def seed_requests(session: Session, known_services: frozenset[str]) -> list[ServiceRequest]:
    """Create the demo requests once (in a fresh database: KTP-2026-000001, ...)."""
    if session.scalar(select(func.count()).select_from(ServiceRequest)):
        return list(session.scalars(select(ServiceRequest).order_by(ServiceRequest.id)))
    start = datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
    requests = []
    for index, (service, name, nik, phone, path) in enumerate(DEMO_REQUESTS):
        when = start + timedelta(days=index)
        request = service_requests.create_request(
            session,
            service_code=service,
            applicant_name=name,
            nik=nik,
            phone=phone,
            known_services=known_services,
            note="Permohonan diterima.",
            created_at=when,
            # Fixed, public demo numbers (KTP-2026-000001, ...); real ones are random.
            tracking_number=(
                f"{service_requests.TRACKING_PREFIXES[service]}-{when.year}-{index + 1:06d}"
            ),
        )
        for step, (status, note) in enumerate(path, start=1):
            service_requests.change_status(
                session, request.tracking_number, status, note, at=when + timedelta(days=step)
            )
        requests.append(request)
    return requests
