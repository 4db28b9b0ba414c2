"""Manufacturer planner (pure): a lineup against a market's rules, and the profit-maximising compliant mix.

Design part 3. Pure like the engine and the rule library: typed inputs and numpy arrays in, typed
results out; no I/O, no database, no web or CLI libraries.
"""
