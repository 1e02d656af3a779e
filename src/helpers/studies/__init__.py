"""Layer 3 — the studies: indicator base, process evaluation (survey), coding, the five theme
studies and samenhang. They read ``data/processed`` (never :mod:`helpers.ingest.build`) and use
:mod:`helpers.kit` for outputs and display.
"""
