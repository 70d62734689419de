"""Web layer: REST API, agent console, public pages, health, error handling, security hooks."""
