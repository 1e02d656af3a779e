"""Layer 2 — raw → processed. Readers (one per raw format, each owning its parser), the
atomic ingest into ``data/processed`` with ``bronnen.json``, and the online refresh.

Imports only :mod:`helpers.core` and :mod:`helpers.registers`; never :mod:`helpers.studies`
(``data/processed`` is the contract between the two).
"""
