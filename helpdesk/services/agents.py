"""Console users: creation, passwords (argon2), TOTP with replay protection, recovery codes,
lockout after repeated failures, and the admin operations on agents.

Every sign-in decision goes through `authenticate()`; the console's views only collect the
form fields and act on the `SignIn` it returns.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpdesk.models import Agent, AgentRole, AgentUnit, RecoveryCode, utcnow
from helpdesk.services import audit
from helpdesk.services.errors import Conflict, InvalidInput, NotFound

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
RECOVERY_CODES = 10
TOTP_ISSUER = "Halo Warga"
USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._-")

_hasher = PasswordHasher()
# Recovery codes are random (50 bits) and single-use: a light argon2 is plenty, and keeps
# checking ten of them quick.
_code_hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


# --- secrets at rest -------------------------------------------------------------------
# The one seam for the TOTP secret's storage. The hardening work encrypts personal data
# at rest (`helpdesk/infra/crypto.py`); once that lands, these two functions seal and open the
# secret with it. Nothing else reads or writes `Agent.totp_secret`.


def seal_secret(secret: str) -> str:
    """The TOTP secret as stored in `Agent.totp_secret`."""
    return secret


def open_secret(stored: str) -> str:
    """The TOTP secret from its stored form."""
    return stored


def totp_secret_of(agent: Agent) -> str:
    """The agent's base32 TOTP secret."""
    return open_secret(agent.totp_secret)


# --- passwords -------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return _hasher.hash(password)


def verify_hash(hashed: str, password: str) -> bool:
    """Whether `password` matches the argon2 hash (the one place a password is checked)."""
    try:
        return bool(_hasher.verify(hashed, password))
    except (VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    """A hash no password matches, checked for unknown user names so that a wrong name costs
    the same argon2 work as a wrong password (no user names by timing, issue 21)."""
    return hash_password(secrets.token_urlsafe(16))


def check_password(agent: Agent, password: str) -> bool:
    """Whether `password` is the agent's; upgrades the hash when its parameters are old."""
    if not verify_hash(agent.password_hash, password):
        return False
    if _hasher.check_needs_rehash(agent.password_hash):
        agent.password_hash = hash_password(password)
    return True


def generate_password() -> str:
    """A random password for a new agent (shown once)."""
    return secrets.token_urlsafe(12)


# --- TOTP and recovery codes -----------------------------------------------------------


def provisioning_uri(agent: Agent) -> str:
    """The otpauth:// URI an authenticator app scans (enrolment QR code)."""
    return pyotp.TOTP(totp_secret_of(agent)).provisioning_uri(
        name=agent.username, issuer_name=TOTP_ISSUER
    )


def _totp_counter(agent: Agent, code: str, at: datetime) -> int | None:
    """The 30-second step `code` belongs to (now, one before or one after), or None."""
    totp = pyotp.TOTP(totp_secret_of(agent))
    for drift in (0, -1, 1):
        when = at + timedelta(seconds=30 * drift)
        if secrets.compare_digest(totp.at(when), code):
            return int(totp.timecode(when))
    return None


def check_totp(agent: Agent, code: str, at: datetime | None = None) -> bool:
    """Accept a current code once: a code of a step already used is refused (replay)."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return False
    counter = _totp_counter(agent, code, at or utcnow())
    if counter is None:
        return False
    if agent.totp_last_counter is not None and counter <= agent.totp_last_counter:
        return False
    agent.totp_last_counter = counter
    return True


_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def _normalize_recovery(code: str) -> str:
    return code.strip().lower().replace("-", "").replace(" ", "")


def new_recovery_codes(session: Session, agent: Agent) -> list[str]:
    """Replace the agent's recovery codes with 10 fresh ones (returned once, in clear)."""
    for old in session.scalars(select(RecoveryCode).where(RecoveryCode.agent_id == agent.id)):
        session.delete(old)
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(agent_id=agent.id, code_hash=_code_hasher.hash(raw)))
    session.flush()
    return codes


def use_recovery_code(session: Session, agent: Agent, code: str) -> bool:
    """Spend one unused recovery code matching `code`; False if none matches."""
    wanted = _normalize_recovery(code)
    if len(wanted) != 10:
        return False
    unused = session.scalars(
        select(RecoveryCode).where(
            RecoveryCode.agent_id == agent.id, RecoveryCode.used_at.is_(None)
        )
    ).all()
    for record in unused:
        try:
            _code_hasher.verify(record.code_hash, wanted)
        except (VerificationError, InvalidHashError):
            continue
        record.used_at = utcnow()
        return True
    return False


def unused_recovery_codes(session: Session, agent: Agent) -> int:
    """How many recovery codes the agent has left."""
    return len(
        session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.agent_id == agent.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


# --- sign-in -----------------------------------------------------------------------------


class SignInOutcome(StrEnum):
    """What `authenticate()` decided."""

    OK = "ok"
    NEED_OTP = "need_otp"  # password right, second factor still to give
    NEED_ENROLMENT = "need_enrolment"  # password right, the agent has no confirmed TOTP yet
    FAILED = "failed"
    LOCKED = "locked"


@dataclass(frozen=True)
class SignIn:
    """The outcome and the agent it concerns (None for an unknown user name)."""

    outcome: SignInOutcome
    agent: Agent | None = None
    used_recovery_code: bool = False
    enrolled: bool = False  # this sign-in confirmed the agent's TOTP for the first time


def is_locked(agent: Agent, at: datetime | None = None) -> bool:
    """Whether the agent is locked out right now."""
    return agent.locked_until is not None and agent.locked_until > (at or utcnow())


def _fail(session: Session, agent: Agent, why: str, at: datetime) -> SignIn:
    agent.failed_logins += 1
    audit.record(session, agent.username, "agent.login_failed", "agent", agent.id, why)
    if agent.failed_logins >= MAX_FAILURES:
        agent.locked_until = at + LOCKOUT
        agent.failed_logins = 0
        audit.record(
            session,
            agent.username,
            "agent.locked",
            "agent",
            agent.id,
            f"{MAX_FAILURES} failed sign-ins; locked until {agent.locked_until.isoformat()}",
        )
        return SignIn(SignInOutcome.LOCKED, agent)
    return SignIn(SignInOutcome.FAILED, agent)


def find_agent(session: Session, username: str) -> Agent | None:
    """The agent with this user name (case-insensitive input), or None."""
    return session.scalar(select(Agent).where(Agent.username == username.strip().lower()))


def authenticate(
    session: Session,
    username: str,
    password: str,
    otp: str | None,
    *,
    at: datetime | None = None,
) -> SignIn:
    """Check a sign-in attempt. The caller commits.

    A password without a code gives NEED_OTP (or NEED_ENROLMENT) without counting as a
    failure; a wrong password or a wrong code counts; the fifth failure in a row locks the
    account for 15 minutes, during which everything fails, right answers included.
    `otp` is a 6-digit TOTP code or, once enrolled, a recovery code.
    """
    now = at or utcnow()
    agent = find_agent(session, username)
    if agent is None or not agent.active:
        verify_hash(_dummy_hash(), password)  # the same work as a real user's wrong password
        return SignIn(SignInOutcome.FAILED, agent)
    if is_locked(agent, now):
        verify_hash(agent.password_hash, password)
        audit.record(session, agent.username, "agent.login_refused", "agent", agent.id, "locked")
        return SignIn(SignInOutcome.LOCKED, agent)
    if not check_password(agent, password):
        return _fail(session, agent, "password", now)
    if not otp or not otp.strip():
        if agent.totp_confirmed_at is None:
            return SignIn(SignInOutcome.NEED_ENROLMENT, agent)
        return SignIn(SignInOutcome.NEED_OTP, agent)
    return second_factor(session, agent, otp, at=now)


def second_factor(
    session: Session, agent: Agent, otp: str, *, at: datetime | None = None
) -> SignIn:
    """Check the code given after a right password (same form or the page after it).

    A locked account fails here too; a wrong code counts as a failure.
    """
    now = at or utcnow()
    if not agent.active:
        return SignIn(SignInOutcome.FAILED, agent)
    if is_locked(agent, now):
        audit.record(session, agent.username, "agent.login_refused", "agent", agent.id, "locked")
        return SignIn(SignInOutcome.LOCKED, agent)
    used_recovery = False
    if not check_totp(agent, otp, now):
        if agent.totp_confirmed_at is None or not use_recovery_code(session, agent, otp):
            return _fail(session, agent, "second factor", now)
        used_recovery = True
    agent.failed_logins = 0
    agent.last_login_at = now
    detail = "recovery code" if used_recovery else "totp"
    enrolled = agent.totp_confirmed_at is None
    if enrolled:
        agent.totp_confirmed_at = now
        detail = "totp enrolled"
    audit.record(session, agent.username, "agent.login", "agent", agent.id, detail)
    return SignIn(SignInOutcome.OK, agent, used_recovery, enrolled)


# --- creating and managing agents ------------------------------------------------------


@dataclass(frozen=True)
class NewAgent:
    """A created agent with the credentials shown once."""

    agent: Agent
    password: str
    totp_secret: str


def _check_units(units: Sequence[str], known_units: frozenset[str]) -> list[str]:
    wanted = sorted({u.strip() for u in units if u.strip()})
    unknown = [u for u in wanted if u not in known_units]
    if unknown:
        raise InvalidInput(
            f"unknown unit(s): {', '.join(unknown)}; known: {', '.join(sorted(known_units))}"
        )
    return wanted


def create_agent(
    session: Session,
    username: str,
    role: AgentRole | str,
    units: Sequence[str],
    known_units: frozenset[str],
    *,
    display_name: str | None = None,
    password: str | None = None,
    totp_secret: str | None = None,
    actor: str = "system",
) -> NewAgent:
    """Create an agent with a (generated) password and a fresh TOTP secret."""
    name = username.strip().lower()
    if not name or len(name) > 64 or not set(name) <= USERNAME_CHARS:
        raise InvalidInput("username: 1-64 of a-z, 0-9, '.', '_', '-'")
    try:
        role = AgentRole(role)
    except ValueError:
        raise InvalidInput(
            f"role must be one of: {', '.join(r.value for r in AgentRole)}"
        ) from None
    unit_codes = _check_units(units, known_units)
    if role == AgentRole.AGENT and not unit_codes:
        raise InvalidInput("an agent needs at least one unit")
    if find_agent(session, name) is not None:
        raise Conflict(f"agent '{name}' exists", code="agent_exists")
    password = password or generate_password()
    secret = totp_secret or pyotp.random_base32()
    agent = Agent(
        username=name,
        display_name=(display_name or name).strip()[:120],
        password_hash=hash_password(password),
        totp_secret=seal_secret(secret),
        role=role,
        memberships=[AgentUnit(unit_code=u) for u in unit_codes],
    )
    session.add(agent)
    session.flush()
    audit.record(
        session, actor, "agent.create", "agent", agent.id, f"{role.value} {','.join(unit_codes)}"
    )
    return NewAgent(agent, password, secret)


def get_agent(session: Session, agent_id: int) -> Agent:
    """The agent with this id, or NotFound."""
    agent = session.get(Agent, agent_id)
    if agent is None:
        raise NotFound(f"no agent {agent_id}", code="agent_not_found")
    return agent


def list_agents(session: Session) -> Sequence[Agent]:
    """Every console user, by user name."""
    return session.scalars(select(Agent).order_by(Agent.username)).all()


def update_agent(
    session: Session,
    agent: Agent,
    *,
    role: AgentRole | str,
    units: Sequence[str],
    known_units: frozenset[str],
    actor: str,
) -> Agent:
    """Change an agent's role and units (admin)."""
    try:
        new_role = AgentRole(role)
    except ValueError:
        raise InvalidInput("unknown role") from None
    unit_codes = _check_units(units, known_units)
    if new_role == AgentRole.AGENT and not unit_codes:
        raise InvalidInput("an agent needs at least one unit")
    agent.role = new_role
    agent.memberships = [AgentUnit(unit_code=u) for u in unit_codes]
    agent.session_version += 1  # new rights apply from the next sign-in
    session.flush()
    audit.record(
        session,
        actor,
        "agent.update",
        "agent",
        agent.id,
        f"{new_role.value} {','.join(unit_codes)}",
    )
    return agent


def set_active(session: Session, agent: Agent, active: bool, *, actor: str) -> None:
    """Disable (signs out everywhere) or re-enable an agent (admin)."""
    agent.active = active
    agent.session_version += 1
    if active:
        agent.locked_until = None
        agent.failed_logins = 0
    audit.record(session, actor, "agent.enable" if active else "agent.disable", "agent", agent.id)


def reset_two_factor(session: Session, agent: Agent, *, actor: str) -> str:
    """New TOTP secret, enrolment again at next sign-in, recovery codes void (admin)."""
    secret = pyotp.random_base32()
    agent.totp_secret = seal_secret(secret)
    agent.totp_confirmed_at = None
    agent.totp_last_counter = None
    agent.session_version += 1
    for old in session.scalars(select(RecoveryCode).where(RecoveryCode.agent_id == agent.id)):
        session.delete(old)
    audit.record(session, actor, "agent.reset_2fa", "agent", agent.id)
    return secret


def sign_out_everywhere(session: Session, agent: Agent) -> None:
    """Invalidate every session of this agent."""
    agent.session_version += 1
    audit.record(session, agent.username, "agent.sign_out_everywhere", "agent", agent.id)
