"""Privacy: the theme log, scrubbing, data rights (forget), retention."""
