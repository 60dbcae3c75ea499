"""The conversation's short memory: recent messages and the stated baby age, durable in the database."""
