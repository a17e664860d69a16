"""Storage: ORM models, engine and sessions, migrations, backups."""
