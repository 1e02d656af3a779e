"""Reader for the informal-network registration (theme study preventie armoede en schulden).

Layout ``armoede-netwerken-csv`` (processed table ``armoede_netwerken``), one row per focus area
and half year; see ``docs/layouts.md``::

    focusgebied;periode;sleutelpersonen_betaald;sleutelpersonen_onbetaald;...;schuldhulp_afgehaakt
    tilburg-noordwest;2024-H1;2;35;...;4

Counts of people active in the informal network (paid or unpaid), households reached (of whom
new to formal help), referrals to schuldhulp and their follow-up at the end of the period
(in behandeling / afgerond / afgehaakt; the rest is still waiting or unknown). Whether
sub-counts exceed their totals is reported by :func:`helpers.studies.themes.armoede.inconsistenties`,
not refused here, so a faulty row stays visible.
"""

from __future__ import annotations

from helpers.ingest.readers.base import Header, ReadResult
from helpers.ingest.readers.ve_bereik import (
    Kolom,
    Layout,
    matches_layout,
    read_layout,
    register_layout,
)

ROLLEN = ("sleutelpersonen", "ervaringsdeskundigen", "vrijwilligers")

ARMOEDE = Layout(
    formaat="armoede-netwerken-csv",
    tabel="armoede_netwerken",
    kolommen=(
        Kolom("focusgebied", "gebied"),
        Kolom("periode", "periode", omschrijving="halfjaar van de registratie"),
        *(Kolom(f"{rol}_{soort}", "aantal", omschrijving=f"{rol} actief in de periode, {soort}")
          for rol in ROLLEN for soort in ("betaald", "onbetaald")),
        Kolom("huishoudens_bereikt", "aantal", omschrijving="huishoudens bereikt via het informele netwerk"),
        Kolom("huishoudens_nieuw", "aantal",
              omschrijving="van wie nieuw in beeld bij formele hulp (nog niet eerder bekend)"),
        Kolom("doorverwijzingen_schuldhulp", "aantal",
              omschrijving="huishoudens doorverwezen naar schuldhulpverlening"),
        Kolom("schuldhulp_in_behandeling", "aantal", omschrijving="van de doorverwezen: in behandeling"),
        Kolom("schuldhulp_afgerond", "aantal", omschrijving="van de doorverwezen: traject afgerond"),
        Kolom("schuldhulp_afgehaakt", "aantal", omschrijving="van de doorverwezen: afgehaakt"),
    ),
    sleutel=("focusgebied", "periode"),
)


class _ArmoedeReader:
    formaat = ARMOEDE.formaat
    beschrijving = "informele netwerken armoede per focusgebied en periode (sleutelpersonen_*, huishoudens_bereikt, doorverwijzingen_schuldhulp)"

    def matches(self, header: Header) -> bool:
        return matches_layout(header, ARMOEDE)

    def read(self, header: Header) -> ReadResult:
        df = read_layout(header, ARMOEDE)
        return ReadResult(tables={ARMOEDE.tabel: df}, formaat=self.formaat, rijen=len(df),
                          jaar=int(df["periode"].str[:4].astype(int).max()))


READER = _ArmoedeReader()
register_layout(ARMOEDE)
