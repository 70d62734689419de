"""The console speaks Indonesian by default and English on request; every string has its
English translation in the committed catalog."""

from __future__ import annotations

import runpy
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from helpdesk.infra.config import REPO_ROOT

CONSOLE = REPO_ROOT / "helpdesk" / "web" / "console"


def extracted() -> set[str]:
    method_map = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
    found = extract_from_dir(str(CONSOLE), method_map, keywords={"_": None, "gettext": None})
    return {str(message) for _file, _line, message, _comments, _context in found}


def test_every_console_string_is_translated_in_the_committed_catalog() -> None:
    with Path(CONSOLE / "translations" / "en" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="en")
    translated = {str(m.id) for m in catalog if m.id and m.string}
    missing = extracted() - translated
    assert not missing, f"run `make translations`; untranslated: {sorted(missing)}"
    english = runpy.run_path(str(REPO_ROOT / "scripts" / "console_translations.py"))["EN"]
    assert translated <= set(english)


def test_indonesian_by_default_english_on_request(client: FlaskClient) -> None:
    page = client.get("/console/login").get_data(as_text=True)
    assert "Masuk ke konsol petugas" in page and 'lang="id"' in page
    page = client.get("/console/login?lang=en").get_data(as_text=True)
    assert "Sign in to the officer console" in page and 'lang="en"' in page
    assert "Sign in to the officer console" in client.get("/console/login").get_data(as_text=True)
