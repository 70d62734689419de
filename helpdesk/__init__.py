"""Halo Warga helpdesk. See ARCHITECTURE.md: runtime/ (start-up wiring), web/ (API, console,
pages), conversation/ (router, turn pool, engine client), domain (models, catalog/, services/,
journeys/), text/ (citizen-text library), infra/ (database, jobs, settings, crypto).

Nothing is imported here: importing `helpdesk.anything` does not load Flask."""
