"""Every touch of Rasa internals: the turn's adapter, tracker store, lock store, validator cache, training."""
