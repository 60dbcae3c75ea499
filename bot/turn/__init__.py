"""One parent message, start to finish: Inbound and Reply (no Rasa here) and the turn that connects them."""
