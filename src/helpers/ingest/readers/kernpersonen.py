"""Reader for the short Likert questionnaire among kernpersonen (theme study sociale cohesie).

Layout ``kernpersonen-likert-csv`` (processed table ``kernpersonen_likert``), one row per
respondent; see docs/layouts.md, "Vragenlijst kernpersonen"::

    respondent;focusgebied;jaar;rol;stelling_betrokkenheid;stelling_netwerken;stelling_uitvoering;stelling_vertrouwen;stelling_zeggenschap
    k017;Schiedam Nieuwland en Oost;2025;coordinator;4;5;3;;4

- ``respondent``: pseudonymous code (never published); ``focusgebied``: id, name or alias;
  ``jaar``: 2015-2100; ``rol``: one of :data:`ROLLEN`.
- ``stelling_*``: 1 (helemaal oneens) ... 5 (helemaal eens); empty = not answered (excluded
  from that item's base). The statements are in :data:`helpers.studies.themes.cohesie.STELLINGEN`.
"""

from __future__ import annotations

from helpers.core.errors import InputError
from helpers.core.schemas import pa, register
from helpers.ingest.readers.base import LINE_COL, Header, ReadResult
from helpers.ingest.readers.bewonersinitiatieven import gebied, geheel, rijen

FORMAAT = "kernpersonen-likert-csv"
TABEL = "kernpersonen_likert"
ITEMS = ["stelling_betrokkenheid", "stelling_netwerken", "stelling_uitvoering",
         "stelling_vertrouwen", "stelling_zeggenschap"]
ROLLEN = ("coordinator", "bewoner", "professional", "partner")
KOLOMMEN = ["respondent", "focusgebied", "jaar", "rol", *ITEMS]


def _register_schema() -> None:

    register(TABEL, pa.DataFrameSchema(
        {
            "respondent": pa.Column(str),
            "focusgebied": pa.Column(str),
            "jaar": pa.Column("int64", pa.Check.in_range(2015, 2100)),
            "rol": pa.Column(str, pa.Check.isin(list(ROLLEN))),
            **{i: pa.Column("Int64", pa.Check.in_range(1, 5), nullable=True) for i in ITEMS},
        },
        unique=["respondent", "jaar"], strict=True, ordered=True, name=TABEL,
    ))


class _Reader:
    formaat = FORMAAT
    beschrijving = ("vragenlijst kernpersonen: kolommen respondent, focusgebied, jaar, rol, "
                    + ", ".join(ITEMS))

    def matches(self, header: Header) -> bool:
        return header.sheet is None and set(KOLOMMEN) <= set(header.columns)

    def read(self, header: Header) -> ReadResult:
        import pandas as pd

        _register_schema()
        p = header.path
        out = []
        for line, r in rijen(header, KOLOMMEN):
            if not r["respondent"]:
                raise InputError(p, "lege respondentcode", line=line, column="respondent",
                                 expected="een pseudonieme code")
            if r["rol"] not in ROLLEN:
                raise InputError(p, f"onbekende rol '{r['rol']}'", line=line, column="rol",
                                 expected=", ".join(ROLLEN))
            rij = {"respondent": r["respondent"], "focusgebied": gebied(r["focusgebied"], p, line),
                   "jaar": geheel(r["jaar"], p, line, "jaar", minimum=2015, maximum=2100),
                   "rol": r["rol"]}
            for item in ITEMS:
                rij[item] = geheel(r[item], p, line, item, minimum=1, maximum=5, leeg=True)
            rij[LINE_COL] = line
            out.append(rij)
        df = pd.DataFrame(out)
        df["jaar"] = df["jaar"].astype("int64")
        for item in ITEMS:
            df[item] = df[item].astype("Int64")
        dup = df.duplicated(["respondent", "jaar"])
        if dup.any():
            i = int(dup.idxmax())
            raise InputError(p, f"respondent '{df.at[i, 'respondent']}' komt twee keer voor in "
                             f"{df.at[i, 'jaar']}", line=int(df.at[i, LINE_COL]),
                             column="respondent", expected="één rij per respondent en jaar")
        return ReadResult(tables={TABEL: df}, formaat=self.formaat, jaar=int(df["jaar"].max()),
                          rijen=len(df))


READER = _Reader()
