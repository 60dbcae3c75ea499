"""Building the model: the spaCy pipeline, content compiled to Rasa data, training, evaluation."""
