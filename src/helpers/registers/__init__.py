"""Layer 1 — one module per ``params/*.yml`` registry: load, validate, look up.

Imports only :mod:`helpers.core`.
"""
