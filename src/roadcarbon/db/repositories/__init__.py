"""Queries, one module per aggregate; services call these and never build SELECTs themselves.

Functions take a ``Session`` (or return a ``Select`` for pagination) and plain
arguments such as the caller's organisation id; they know nothing of roles.
"""
