"""Layer 2 — the notebook kit: run outputs, display helpers, figure style, researcher texts.

Imports only :mod:`helpers.core` and :mod:`helpers.registers`.
"""
