"""Settings for the helpdesk web app and its CLI, read once from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = REPO_ROOT / "var" / "helpdesk.db"
DEFAULT_DATABASE_URL = f"sqlite:///{DEFAULT_SQLITE_PATH}"
INSECURE_SECRET_KEY = "dev-only-change-me"
MIB = 1024 * 1024


class InsecureConfiguration(RuntimeError):
    """Production settings that must not be used (default secrets, missing keys)."""


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


@dataclass(frozen=True)
class Settings:
    """Everything the helpdesk process needs to know; see `.env.example`."""

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    environment: str = "development"
    secret_key: str = INSECURE_SECRET_KEY
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = ""
    max_body_bytes: int = MIB
    trusted_hosts: tuple[str, ...] = ()
    rasa_timeout_seconds: float = 30.0
    rasa_max_concurrency: int = 8
    webchat_reply_wait_seconds: float = 3.0
    internal_port: int = 0
    internal_host: str = "127.0.0.1"
    catalog_dir: Path | None = None
    webchat_max_message_chars: int = 2000
    webchat_rate_limit_per_minute: int = 20
    webchat_sessions_per_address: str = "30/minute;300/hour"
    webchat_messages_per_address: str = "120/minute"
    webchat_polls_per_address: str = "600/minute"
    webchat_session_idle_minutes: int = 240
    proxy_fix_x_for: int = 0
    average_handle_minutes: int = 5
    telegram_bot_token: str = ""
    webhook_max_age_hours: int = 168
    worker_ready_file: str = ""
    telegram_webhook_secret: str = ""
    telegram_api_base_url: str = "https://api.telegram.org"
    whatsapp_access_token: str = ""
    whatsapp_app_secret: str = ""
    whatsapp_verify_token: str = ""
    whatsapp_phone_number_id: str = ""
    whatsapp_api_base_url: str = "https://graph.facebook.com/v21.0"
    whatsapp_template_name: str = "halo_warga_update"
    redis_url: str = ""
    security_alert_telegram_chat_id: str = ""
    security_alert_webhook_url: str = ""
    retention_inbound_days: int = 30
    retention_tracker_days: int = 90
    retention_transcript_days: int = 365
    public_url: str = ""
    upload_dir: Path | None = None
    upload_max_bytes: int = 10 * 1024 * 1024
    rasa_tracker_db: str = ""
    consent_notice: bool = True
    console_cookie_secure: bool = False
    console_idle_minutes: int = 30
    console_session_hours: int = 12
    console_unclaimed_minutes: int = 5
    console_silent_minutes: int = 15
    timezone: str = "Asia/Jakarta"
    office_hours: str = "mon-thu 08:00-16:00; fri 08:00-16:30"
    skm_period: str = "quarter"
    skm_questions_file: Path | None = None
    sla_policies_file: Path | None = None
    sla_tick_seconds: float = 30.0
    reports_dir: Path = REPO_ROOT / "var" / "reports"
    backup_dir: Path = REPO_ROOT / "var" / "backups"
    backup_key: str = ""
    backup_keep: int = 7
    backup_hour: int = 1
    testing: bool = False

    @property
    def public_base_url(self) -> str:
        """Where citizens reach this helpdesk: `PUBLIC_URL`, else the public listener
        (127.0.0.1 for a wildcard bind). Never the internal listener the actions call."""
        if self.public_url:
            return self.public_url
        host = "127.0.0.1" if self.host in ("", "0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}"

    def is_production(self) -> bool:
        """Whether this is a production deployment (HELPDESK_ENV=production)."""
        return self.environment.strip().lower() == "production"

    def check_production(self) -> None:
        """Refuse well-known or missing secrets in production (raise InsecureConfiguration)."""
        if not self.is_production():
            return
        problems = []
        if self.secret_key == INSECURE_SECRET_KEY or len(self.secret_key) < 32:
            problems.append("SECRET_KEY must be set to a random value of 32+ characters")
        if not self.rasa_token:
            problems.append("RASA_TOKEN must be set (the engine's HTTP API token)")
        for name in ("ENCRYPTION_KEYS", "BLIND_INDEX_KEY"):
            if not os.environ.get(name, "").strip():
                problems.append(f"{name} must be set (encryption at rest, SECURITY.md)")
        if problems:
            raise InsecureConfiguration("refusing to start in production: " + "; ".join(problems))

    @classmethod
    def from_env(cls) -> Settings:
        """Build settings from environment variables, falling back to embedded defaults."""
        env = os.environ.get
        catalog = env("CATALOG_DIR", "").strip()
        return cls(
            database_url=env("DATABASE_URL", "").strip() or cls.database_url,
            host=env("HELPDESK_HOST", cls.host),
            port=_int("HELPDESK_PORT", cls.port),
            environment=env("HELPDESK_ENV", cls.environment).strip() or cls.environment,
            secret_key=env("SECRET_KEY", "").strip() or cls.secret_key,
            rasa_url=env("RASA_URL", cls.rasa_url).rstrip("/"),
            rasa_token=env("RASA_TOKEN", "").strip(),
            max_body_bytes=_int("MAX_BODY_BYTES", cls.max_body_bytes),
            trusted_hosts=tuple(
                h.strip() for h in env("TRUSTED_HOSTS", "").split(",") if h.strip()
            ),
            rasa_timeout_seconds=_float("RASA_TIMEOUT_SECONDS", cls.rasa_timeout_seconds),
            rasa_max_concurrency=_int("RASA_MAX_CONCURRENCY", cls.rasa_max_concurrency),
            webchat_reply_wait_seconds=_float(
                "WEBCHAT_REPLY_WAIT_SECONDS", cls.webchat_reply_wait_seconds
            ),
            internal_port=_int("HELPDESK_INTERNAL_PORT", cls.internal_port),
            internal_host=env("HELPDESK_INTERNAL_HOST", cls.internal_host),
            catalog_dir=Path(catalog) if catalog else None,
            webchat_max_message_chars=_int(
                "WEBCHAT_MAX_MESSAGE_CHARS", cls.webchat_max_message_chars
            ),
            webchat_rate_limit_per_minute=_int(
                "WEBCHAT_RATE_LIMIT_PER_MINUTE", cls.webchat_rate_limit_per_minute
            ),
            webchat_sessions_per_address=env(
                "WEBCHAT_SESSIONS_PER_ADDRESS", cls.webchat_sessions_per_address
            ),
            webchat_messages_per_address=env(
                "WEBCHAT_MESSAGES_PER_ADDRESS", cls.webchat_messages_per_address
            ),
            webchat_polls_per_address=env(
                "WEBCHAT_POLLS_PER_ADDRESS", cls.webchat_polls_per_address
            ),
            webchat_session_idle_minutes=_int(
                "WEBCHAT_SESSION_IDLE_MINUTES", cls.webchat_session_idle_minutes
            ),
            proxy_fix_x_for=_int("PROXY_FIX_X_FOR", cls.proxy_fix_x_for),
            average_handle_minutes=_int("AVERAGE_HANDLE_MINUTES", cls.average_handle_minutes),
            telegram_bot_token=env("TELEGRAM_BOT_TOKEN", ""),
            webhook_max_age_hours=_int("WEBHOOK_MAX_AGE_HOURS", cls.webhook_max_age_hours),
            worker_ready_file=env("WORKER_READY_FILE", "").strip(),
            telegram_webhook_secret=env("TELEGRAM_WEBHOOK_SECRET", ""),
            telegram_api_base_url=env("TELEGRAM_API_BASE_URL", cls.telegram_api_base_url),
            whatsapp_access_token=env("WHATSAPP_ACCESS_TOKEN", ""),
            whatsapp_app_secret=env("WHATSAPP_APP_SECRET", ""),
            whatsapp_verify_token=env("WHATSAPP_VERIFY_TOKEN", ""),
            whatsapp_phone_number_id=env("WHATSAPP_PHONE_NUMBER_ID", ""),
            whatsapp_api_base_url=env("WHATSAPP_API_BASE_URL", cls.whatsapp_api_base_url),
            whatsapp_template_name=env("WHATSAPP_TEMPLATE_NAME", cls.whatsapp_template_name),
            redis_url=env("REDIS_URL", ""),
            security_alert_telegram_chat_id=env("SECURITY_ALERT_TELEGRAM_CHAT_ID", "").strip(),
            security_alert_webhook_url=env("SECURITY_ALERT_WEBHOOK_URL", "").strip(),
            retention_inbound_days=_int("RETENTION_INBOUND_DAYS", cls.retention_inbound_days),
            retention_tracker_days=_int("RETENTION_TRACKER_DAYS", cls.retention_tracker_days),
            retention_transcript_days=_int(
                "RETENTION_TRANSCRIPT_DAYS", cls.retention_transcript_days
            ),
            public_url=env("PUBLIC_URL", "").strip().rstrip("/"),
            upload_dir=Path(upload) if (upload := env("UPLOAD_DIR", "").strip()) else None,
            upload_max_bytes=_int("UPLOAD_MAX_BYTES", cls.upload_max_bytes),
            rasa_tracker_db=env("RASA_TRACKER_DB", "").strip(),
            consent_notice=env("CONSENT_NOTICE", "on").strip().lower() not in ("off", "0", "false"),
            console_cookie_secure=env("CONSOLE_COOKIE_SECURE", "").strip().lower()
            in ("1", "true", "yes"),
            console_idle_minutes=_int("CONSOLE_IDLE_MINUTES", cls.console_idle_minutes),
            console_session_hours=_int("CONSOLE_SESSION_HOURS", cls.console_session_hours),
            console_unclaimed_minutes=_int(
                "CONSOLE_UNCLAIMED_MINUTES", cls.console_unclaimed_minutes
            ),
            console_silent_minutes=_int("CONSOLE_SILENT_MINUTES", cls.console_silent_minutes),
            timezone=env("HELPDESK_TIMEZONE", "").strip() or cls.timezone,
            office_hours=env("OFFICE_HOURS", "").strip() or cls.office_hours,
            skm_period=env("SKM_PERIOD", "").strip() or cls.skm_period,
            sla_policies_file=Path(x) if (x := env("SLA_POLICIES_FILE", "").strip()) else None,
            sla_tick_seconds=_float("SLA_TICK_SECONDS", cls.sla_tick_seconds),
            reports_dir=Path(r) if (r := env("REPORTS_DIR", "").strip()) else cls.reports_dir,
            skm_questions_file=Path(q) if (q := env("SKM_QUESTIONS_FILE", "").strip()) else None,
            backup_dir=Path(b) if (b := env("BACKUP_DIR", "").strip()) else cls.backup_dir,
            backup_key=env("BACKUP_KEY", "").strip(),
            backup_keep=_int("BACKUP_KEEP", cls.backup_keep),
            backup_hour=_int("BACKUP_HOUR", cls.backup_hour),
        )
