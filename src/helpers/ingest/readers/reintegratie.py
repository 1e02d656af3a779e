"""Reader for the re-integratie registration (theme study re-integratie).

Layout ``reintegratie-csv`` (processed table ``reintegratie``), one row per participant of a
groepsaanpak or wijkbaan; see ``docs/layouts.md``::

    deelnemer;focusgebied;interventietype;startdatum;jaren_bijstand;doelgroep;uitkomst;uitkomstdatum
    p0001;heerlen-noord;wijkbaan;2023-03-01;6,5;langdurig werkzoekend;betaald werk;2024-01-15

``uitkomstdatum`` is the date the outcome route was reached; for ``nog in traject`` it is the
date the participant was last seen in the trajectory (the censoring date). It may not lie
before ``startdatum``. ``deelnemer`` is a pseudonymous code: it is never published.
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

INTERVENTIETYPEN = ("groepsaanpak", "wijkbaan")
UITKOMSTEN = ("betaald werk", "scholing", "vrijwilligerswerk", "dagbesteding", "nog in traject",
              "uitval")
DOELGROEPEN = ("langdurig werkzoekend", "alleenstaande ouder", "taal of gezondheid",
               "jongere zonder startkwalificatie", "statushouder", "overig")


def _datums(rij: dict) -> tuple[str, str] | None:
    if rij["uitkomstdatum"] < rij["startdatum"]:
        return ("uitkomstdatum", f"uitkomstdatum {rij['uitkomstdatum']} ligt voor startdatum "
                f"{rij['startdatum']} (verwacht: uitkomstdatum op of na startdatum)")
    return None


REINTEGRATIE = Layout(
    formaat="reintegratie-csv",
    tabel="reintegratie",
    kolommen=(
        Kolom("deelnemer", "id", omschrijving="pseudonieme deelnemerscode (wordt nooit gepubliceerd)"),
        Kolom("focusgebied", "gebied"),
        Kolom("interventietype", "keuze", INTERVENTIETYPEN),
        Kolom("startdatum", "datum", omschrijving="start van het traject"),
        Kolom("jaren_bijstand", "getal", omschrijving="jaren in de bijstand voor de start"),
        Kolom("doelgroep", "keuze", DOELGROEPEN),
        Kolom("uitkomst", "keuze", UITKOMSTEN, omschrijving="uitstroomroute of stand"),
        Kolom("uitkomstdatum", "datum",
              omschrijving="datum van de uitkomst; bij 'nog in traject' de laatste peildatum (gecensureerd)"),
    ),
    sleutel=("deelnemer",),
    rijcontroles=(_datums,),
)


class _ReintegratieReader:
    formaat = REINTEGRATIE.formaat
    beschrijving = "re-integratie per deelnemer (deelnemer, interventietype, startdatum, uitkomst, uitkomstdatum)"

    def matches(self, header: Header) -> bool:
        return matches_layout(header, REINTEGRATIE)

    def read(self, header: Header) -> ReadResult:
        df = read_layout(header, REINTEGRATIE)
        return ReadResult(tables={REINTEGRATIE.tabel: df}, formaat=self.formaat, rijen=len(df),
                          jaar=int(df["uitkomstdatum"].dt.year.max()))


READER = _ReintegratieReader()
register_layout(REINTEGRATIE)
