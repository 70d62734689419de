"""Citizen-text library (no Flask, no SQLAlchemy): language identification, status labels,
log redaction. The action server imports only this package from `helpdesk`."""
