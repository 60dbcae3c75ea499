"""SMS through Twilio: the input channel and the sender."""
