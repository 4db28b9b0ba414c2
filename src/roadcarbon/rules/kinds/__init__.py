"""The closed set of regulation kinds: one pure, vectorised evaluator per module."""
