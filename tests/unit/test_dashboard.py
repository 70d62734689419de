"""The supervisor dashboard: role gate, charts, drill-down lists, CSV and PDF downloads, and
the console's resolve offering the SKM survey through the same service function as the API."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from helpdesk.models import AgentRole, Survey
from helpdesk.web.extensions import database
from tests.console_helpers import csrf, make_agent, sign_in
from tests.unit.test_api_conversations import start_chat


def _seed(client: FlaskClient, auth: dict[str, str]) -> int:
    start_chat(client, "syarat KTP apa saja?")  # answered by the bot alone
    _sid, cid = start_chat(client, "saya mau bicara dengan petugas")
    client.post(f"/api/v1/conversations/{cid}/handoff", json={"reason": "complaint"}, headers=auth)
    client.post(f"/api/v1/conversations/{cid}/messages", json={"text": "Baik"}, headers=auth)
    return cid


def test_agents_get_403(app: Flask, client: FlaskClient) -> None:
    secret = make_agent(app, "sri")
    sign_in(client, "sri", secret)
    assert client.get("/console/dashboard").status_code == 403
    assert client.get("/console/dashboard/list?kind=channel&value=webchat").status_code == 403
    assert client.get("/console/dashboard/conversations.csv").status_code == 403


def test_signed_out_is_sent_to_login(client: FlaskClient) -> None:
    response = client.get("/console/dashboard")
    assert response.status_code in (302, 303)


def test_supervisor_sees_figures_charts_and_drill_down(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    cid = _seed(client, auth)
    secret = make_agent(app, "dewi", AgentRole.SUPERVISOR, ())
    sign_in(client, "dewi", secret)
    page = client.get("/console/dashboard")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('src="data:image/png;base64,') == 8  # every chart, server-rendered
    assert "Dasbor" in html and "dijawab bot saja" in html
    assert "webchat: 2" in html
    assert 'href="/console/dashboard/list?kind=reason&amp;value=complaint' in html
    listing = client.get("/console/dashboard/list?kind=reason&value=complaint").get_data(
        as_text=True
    )
    assert f"#{cid}" in listing and "1 percakapan" in listing
    contained = client.get("/console/dashboard/list?kind=contained&value=yes").get_data(
        as_text=True
    )
    assert "syarat KTP" in contained and f"#{cid}<" not in contained
    assert client.get("/console/dashboard/list?kind=nope&value=x").status_code == 400
    csv_file = client.get("/console/dashboard/conversations.csv")
    assert csv_file.status_code == 200 and csv_file.data.startswith(b"\xef\xbb\xbf")
    assert csv_file.data.count(b"\r\n") == 3  # header + two conversations
    pdf = client.get("/console/dashboard/monthly.pdf?month=2026-12")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")


def test_admin_sees_the_dashboard(app: Flask, client: FlaskClient) -> None:
    secret = make_agent(app, "root", AgentRole.ADMIN, ())
    sign_in(client, "root", secret)
    assert client.get("/console/dashboard").status_code == 200


def test_console_resolve_offers_the_survey(
    app: Flask, client: FlaskClient, auth: dict[str, str]
) -> None:
    cid = _seed(client, auth)
    secret = make_agent(app, "umi", AgentRole.SUPERVISOR, ())
    sign_in(client, "umi", secret)
    token = csrf(client, f"/console/conversations/{cid}")
    response = client.post(f"/console/conversations/{cid}/resolve", data={"csrf_token": token})
    assert response.status_code in (200, 204, 302, 303)
    with app.app_context(), database().session() as session:
        assert session.scalar(select(Survey.conversation_id)) == cid
