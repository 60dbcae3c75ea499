"""The health visitor inbox and the manager report, served by the Rasa server (moving to staff/)."""
