"""The project's database: engine and sessions, table models, Alembic migrations, Rasa's tables we read."""
