"""Citizen-text library (no Flask, no SQLAlchemy): language identification (`language/`),
the request and complaint statuses with their labels (`status.py`), the one NIK/phone pattern
and masked form (`personal.py`), log redaction (`redaction.py`). The action server imports
only this package from `helpdesk`."""
