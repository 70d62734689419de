"""Demo data: the seeded catalog users and requests, and a demo conversation history."""
