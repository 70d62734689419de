"""Infrastructure: database, job signal, settings, encryption, local secrets, migrations."""
