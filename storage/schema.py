"""The id of the newest migration (storage/migrations.py checks it at import, so a new migration
that forgets to raise it fails every test). Read-only fast paths use it to know a database file is
current without importing the migrations."""
LATEST_MIGRATION = 18
