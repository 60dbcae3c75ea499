"""Test helpers importable by bench/: fakes of Telegram and Twilio, PostgreSQL helpers, synthetic data."""
