"""Layer 0 — what every other layer may use: paths, errors, Dutch formatting, statistics,
privacy rules, provenance, processed-table schemas and the one atomic writer.

Imports nothing from the rest of the package.
"""
