"""The whole HTTP surface fuzzed: schemathesis on `/api/v1/openapi.json` against the real
web process (waitress, `helpdesk serve`) over real HTTP, with a staff token.

Bounded and repeatable: a fixed seed and a fixed number of examples per operation, every
check schemathesis has. It must find no server error, no response outside its schema, no
undocumented status code and no valid input the API refuses. The engine is not started
(RASA_URL points at a closed port): the web chat then hands the citizen to an agent, as
it does when the engine is down, which is part of the surface too.

`FUZZ_MAX_EXAMPLES` and `FUZZ_SEED` override the bounds (e.g. a longer run by hand);
`FUZZ_LOG` names the file that keeps schemathesis's whole output.

With the defaults: 57 operations, about 2,300 cases, under half a minute of schemathesis.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpdesk.infra.config import REPO_ROOT
from helpdesk.infra.db import Database
from helpdesk.models import Channel, Conversation, Message, Sender
from helpdesk.runtime.stack import Stack, StackConfig
from helpdesk.services.tokens import create_token
from tests.stackutil import free_port, seed_database

pytestmark = pytest.mark.e2e

SEED = int(os.environ.get("FUZZ_SEED", "20"))
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "8"))
TELEGRAM_SECRET = "fuzz-telegram-secret-0123456789"
CONFIG = """\
# schemathesis: one scheme per credential in the document (tests/e2e/test_api_fuzz.py)
[auth.openapi.bearer]
bearer = "${FUZZ_STAFF_TOKEN}"

[auth.openapi.telegramSecretToken]
api_key = "${FUZZ_TELEGRAM_SECRET}"

# 413 (a message or body over its limit) is a refusal of invalid data like 422
[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422",
                     "428", "429", "5xx"]

# Refusals no JSON Schema can state, so a schema-valid request may still get 422:
# a date range ("to" before "from", longer than the route allows: two parameters at once),
[[operations]]
include-path-regex = "^/api/v1/(reports/(conversations[.]csv|figures|ikm)|nlu/fallback-rate)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# a catalog edit (the whole catalog validator: catalog/validation.py),
[[operations]]
include-path = "/api/v1/services/{code}"
include-method = "PATCH"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# an upload's type, checked by its bytes (JPEG, PNG or PDF), not by a declared type.
[[operations]]
include-path = "/webchat/sessions/{session_id}/attachments"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]
"""


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, str]]:
    """`helpdesk serve` on a seeded SQLite database; its URL and a staff token."""
    var_dir = tmp_path_factory.mktemp("fuzz")
    url = f"sqlite:///{var_dir / 'helpdesk.db'}"
    bot_token = seed_database(url)
    database = Database(url)
    with database.session() as session:
        staff = create_token(session, "fuzz-staff")
        conversation = Conversation(channel=Channel.WEBCHAT, channel_user_id="fuzz-session")
        session.add(conversation)
        session.flush()
        session.add(Message(conversation_id=conversation.id, sender=Sender.CITIZEN, text="halo"))
        session.commit()
    database.dispose()
    config = StackConfig(
        var_dir=var_dir,
        database_url=url,
        model=Path("no-engine-in-this-test"),
        helpdesk_port=free_port(),
        rasa_port=free_port(),  # nobody listens: the engine is down
        actions_port=free_port(),
        internal_port=free_port(),
        env={
            "WEBCHAT_REPLY_WAIT_SECONDS": "0.2",
            "WEBCHAT_SESSIONS_PER_ADDRESS": "100000/minute",
            "WEBCHAT_MESSAGES_PER_ADDRESS": "100000/minute",
            "WEBCHAT_POLLS_PER_ADDRESS": "100000/minute",
            "WEBCHAT_RATE_LIMIT_PER_MINUTE": "100000",
            "TELEGRAM_BOT_TOKEN": "123:fuzz",
            "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9",
            "WHATSAPP_APP_SECRET": "fuzz-whatsapp-app-secret",
            "WHATSAPP_VERIFY_TOKEN": "fuzz-verify-token",
            "WHATSAPP_ACCESS_TOKEN": "fuzz-access-token",
            "WHATSAPP_PHONE_NUMBER_ID": "1000",
            "WHATSAPP_API_BASE_URL": "http://127.0.0.1:9",
            "UPLOAD_DIR": str(var_dir / "uploads"),
            "REPORTS_DIR": str(var_dir / "reports"),
            "SECURITY_MASS_READ_THRESHOLD": "0",
        },
    )
    stack = Stack(config, bot_token)
    stack.start("helpdesk")
    try:
        stack.wait_ready(60, "helpdesk")
        yield stack, staff
    finally:
        stack.stop()


def test_schemathesis_finds_nothing(web: tuple[Stack, str], tmp_path: Path) -> None:
    stack, staff = web
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    command = [
        str(REPO_ROOT / ".venv" / "bin" / "st"),
        "--config-file",
        str(config),
        "run",
        f"{stack.config.helpdesk_url}/api/v1/openapi.json",
        "--checks",
        "all",
        "--seed",
        str(SEED),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path / "report"),
    ]
    result = subprocess.run(
        command,
        env={
            **os.environ,
            "FUZZ_STAFF_TOKEN": staff,
            "FUZZ_TELEGRAM_SECRET": TELEGRAM_SECRET,
            "SCHEMATHESIS_HOOKS": "",
        },
        cwd=tmp_path,  # its caches (.schemathesis/) stay out of the checkout
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    summary = _summary(result.stdout)
    log = Path(os.environ.get("FUZZ_LOG", str(tmp_path / "schemathesis.txt")))
    log.write_text(result.stdout + result.stderr)
    print(result.stdout[-3000:])
    print(f"schemathesis: {summary}; full output in {log}")
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-4000:]
    assert summary.get("cases", 0) > 500, summary  # the run really fuzzed


def _summary(output: str) -> dict[str, int]:
    """Operations, cases generated and failures from schemathesis's closing lines."""
    found: dict[str, int] = {}
    for key, pattern in (
        ("cases", r"(\d+) generated"),
        ("operations", r"API Operations:\s+(\d+) selected"),
        ("failures", r"(\d+) failures?\b"),
    ):
        match = re.search(pattern, output)
        if match:
            found[key] = int(match.group(1))
    return found
