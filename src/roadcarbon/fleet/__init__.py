"""Policy lab (pure): cohort stock-turnover scenarios per country, policies against a baseline.

Design part 4. Pure like the engine and the rule library: typed inputs and numpy arrays in, typed
results out; no I/O, no database, no web or CLI libraries.
"""
