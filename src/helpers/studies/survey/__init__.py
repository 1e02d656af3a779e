"""Process evaluation survey (Sprockler): import, bipoles, tripole, picture pointer, stories.

Entry points:

- :func:`helpers.registers.sprockler.load_mapping` (``params/sprockler.yml``); the export is read
  at ingest by :mod:`helpers.ingest.readers.sprockler_export` (pseudonymised respondent table);
- :func:`analyse` -> dict of publishable tables (:data:`TABELLEN`), suppressed and flagged;
- :func:`write_tables` writes them as CSV files into a folder, atomically (all files or none);
  ``wijkmonitor survey --input FILE --mapping FILE --out DIR`` (:mod:`helpers.cli`) chains both.

Output files (UTF-8 CSV, decimal point): ``bipoles.csv`` (see
:data:`helpers.studies.survey.bipoles.KOLOMMEN`), ``tripool.csv``, ``tripool_uitschieters.csv``,
``beeldwijzer.csv``, ``verhalen.csv`` (released stories only). None of them holds a respondent
id or pseudonym.
"""

from __future__ import annotations

from helpers.registers.sprockler import GROEPEN, ONBEKEND, Mapping, load_mapping
from helpers.studies.survey.analysis import TABELLEN, analyse, filter_gebied, write_tables

__all__ = ["GROEPEN", "ONBEKEND", "TABELLEN", "Mapping", "analyse", "filter_gebied",
           "load_mapping", "write_tables"]
