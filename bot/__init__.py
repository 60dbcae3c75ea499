"""Parentbot: a Rasa assistant for UK health-visiting services."""
