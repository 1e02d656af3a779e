"""Provenance: reader terms of the processed source tables."""

from __future__ import annotations

from helpers.core import provenance
from helpers.ingest.readers.catalogue import load_readers


def test_every_processed_source_table_has_a_reader_label():
    load_readers()  # registers the schemas of every reader's tables
    from helpers.core.schemas import SCHEMAS

    assert set(SCHEMAS) <= set(provenance.BRON_LABELS), set(SCHEMAS) - set(provenance.BRON_LABELS)


def test_bron_label_falls_back_to_a_neutral_description():
    assert provenance.bron_label("kwb") == "de CBS Kerncijfers wijken en buurten"
    assert provenance.bron_label("grenzen_x") == "de gegevens 'grenzen_x'"
