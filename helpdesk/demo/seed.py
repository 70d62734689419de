"""Demo data for `make run`: agents, canned replies, service requests in every status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpdesk.models import Agent, AgentRole, CannedReply, ServiceRequest
from helpdesk.services import requests as service_requests
from helpdesk.services.agents import create_agent, totp_secret_of

DEMO_PASSWORD = "halowarga-demo"


@dataclass(frozen=True)
class DemoAgent:
    """A demo console login."""

    username: str
    display_name: str
    role: AgentRole
    units: tuple[str, ...]


DEMO_AGENTS = (
    DemoAgent("agen.dukcapil", "Sri Wahyuni", AgentRole.AGENT, ("dukcapil",)),
    DemoAgent("agen.perizinan", "Andi Pratama", AgentRole.AGENT, ("perizinan",)),
    DemoAgent("agen.umum", "Rina Kusuma", AgentRole.AGENT, ("umum", "pajak")),
    DemoAgent("supervisor", "Dewi Lestari", AgentRole.SUPERVISOR, ()),
    DemoAgent("admin", "Bambang Hartono", AgentRole.ADMIN, ()),
    DemoAgent("dpo", "Putri Anggraini", AgentRole.DPO, ()),  # data protection officer
)

# Canned replies per language: (shortcut, title, text). `{nama_layanan}` and `{nomor}` are
# filled in from the conversation when the agent inserts them.
DEMO_CANNED: dict[str, tuple[tuple[str, str, str], ...]] = {
    "id": (
        (
            "salam",
            "Salam pembuka",
            "Selamat datang di Halo Warga, saya petugas yang akan membantu Anda. Ada yang bisa "
            "saya bantu?",
        ),
        (
            "syarat",
            "Syarat layanan",
            "Untuk {nama_layanan}, syarat lengkapnya dapat Anda lihat dengan mengetik "
            '"syarat {nama_layanan}" kepada bot, atau saya kirimkan di sini.',
        ),
        (
            "status",
            "Status permohonan",
            "Permohonan Anda dengan nomor {nomor} sedang kami periksa. Kami kabari lagi "
            "secepatnya.",
        ),
        ("tunggu", "Mohon menunggu", "Mohon ditunggu sebentar, saya periksa dulu ya."),
        (
            "tutup",
            "Penutup",
            "Terima kasih telah menghubungi Halo Warga. Jika ada pertanyaan lain, silakan tulis "
            "lagi kapan saja.",
        ),
    ),
    "jv": (
        (
            "salam",
            "Salam pembuka",
            "Sugeng rawuh wonten Halo Warga, kula petugas ingkang badhe mbiyantu panjenengan. "
            "Wonten ingkang saged kula biyantu?",
        ),
        (
            "status",
            "Status permohonan",
            "Permohonan panjenengan kanthi nomer {nomor} saweg kula priksa. Mangke kula kabari "
            "malih.",
        ),
        ("tunggu", "Mohon menunggu", "Nyuwun pirsa sekedhap, kula priksa rumiyin nggih."),
        (
            "tutup",
            "Penutup",
            "Matur nuwun sampun ngubungi Halo Warga. Menawi wonten pitakenan malih, mangga "
            "nyerat malih.",
        ),
    ),
    "su": (
        (
            "salam",
            "Salam pembuka",
            "Wilujeng sumping di Halo Warga, abdi petugas anu badé ngabantosan. Aya anu tiasa "
            "dibantos?",
        ),
        (
            "status",
            "Status permohonan",
            "Permohonan anjeun kalayan nomer {nomor} nuju dipariksa. Engké dikabaran deui.",
        ),
        ("tunggu", "Mohon menunggu", "Mangga antosan sakedap, abdi pariksa heula."),
        (
            "tutup",
            "Penutup",
            "Hatur nuhun parantos ngahubungi Halo Warga. Upami aya patarosan deui, mangga serat "
            "deui iraha waé.",
        ),
    ),
    "en": (
        (
            "salam",
            "Greeting",
            "Welcome to Halo Warga, I am the officer who will help you. How can I help?",
        ),
        (
            "status",
            "Request status",
            "We are checking your request {nomor}. We will let you know soon.",
        ),
        ("tunggu", "Please wait", "Please wait a moment while I check."),
        (
            "tutup",
            "Closing",
            "Thank you for contacting Halo Warga. Write again any time if you have another "
            "question.",
        ),
    ),
}

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
            new = create_agent(
                session,
                demo.username,
                demo.role,
                demo.units,
                frozenset(demo.units),
                display_name=demo.display_name,
                password=DEMO_PASSWORD,
                actor="seed-demo",
            )
            agent = new.agent
        created.append((demo, totp_secret_of(agent)))
    session.flush()
    return created


def seed_canned_replies(session: Session) -> int:
    """Create the demo canned replies once; return how many exist."""
    for language, replies in DEMO_CANNED.items():
        for shortcut, title, text in replies:
            exists = session.scalar(
                select(CannedReply.id).where(
                    CannedReply.shortcut == shortcut, CannedReply.language == language
                )
            )
            if exists is None:
                session.add(
                    CannedReply(shortcut=shortcut, language=language, title=title, text=text)
                )
    session.flush()
    return int(session.scalar(select(func.count()).select_from(CannedReply)) or 0)


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
