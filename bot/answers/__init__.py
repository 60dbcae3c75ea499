"""Editor-owned answers: the model, loading with precise errors, checks, the live store, compilation."""
