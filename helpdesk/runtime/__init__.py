"""Start-up wiring: the app factory, CLI, worker, local stacks. Nothing imports this package."""
