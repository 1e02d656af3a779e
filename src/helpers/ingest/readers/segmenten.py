"""Reader for coded qualitative segments (layout ``gecodeerde-segmenten-csv``).

Columns (docs/layouts.md, "Gecodeerde segmenten"): ``bron, respondent_of_sessie, focusgebied,
segment, codes, toestemming, vrijgegeven`` and optionally ``thema``, ``interventie``. All
validation is :func:`helpers.studies.coding.parse_segments` (unknown codes, areas, themes, flags —
file, line and column named). Produces the processed table ``gecodeerde_segmenten`` with
``codes`` joined by ``;``.
"""

from __future__ import annotations

from helpers.ingest.readers.base import LINE_COL, Header, ReadResult

FORMAAT = "gecodeerde-segmenten-csv"
TABEL = "gecodeerde_segmenten"
KOLOMMEN = ["bron", "respondent_of_sessie", "focusgebied", "segment", "codes", "toestemming",
            "vrijgegeven", "thema", "interventie"]


def _register_schema() -> None:
    from helpers.core.schemas import pa, register

    register(TABEL, pa.DataFrameSchema(
        {
            "bron": pa.Column(str),
            "respondent_of_sessie": pa.Column(str),
            "focusgebied": pa.Column(str, nullable=True),
            "segment": pa.Column(str),
            "codes": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_/;]+$")),
            "toestemming": pa.Column(bool),
            "vrijgegeven": pa.Column(bool),
            "thema": pa.Column(str, nullable=True),
            "interventie": pa.Column(str, nullable=True),
        },
        unique=["bron", "respondent_of_sessie", "segment"],
        strict=True, ordered=True, name=TABEL,
    ))


class _SegmentenReader:
    formaat = FORMAAT
    beschrijving = ("gecodeerde segmenten: kolommen bron, respondent_of_sessie, focusgebied, "
                    "segment, codes, toestemming, vrijgegeven")

    def matches(self, header: Header) -> bool:
        from helpers.studies.coding import VERPLICHTE_KOLOMMEN

        return header.sheet is None and set(VERPLICHTE_KOLOMMEN) <= set(header.columns)

    def read(self, header: Header) -> ReadResult:
        from helpers.studies.coding import parse_segments

        _register_schema()
        data = header.data if header.data is not None else header.path.read_bytes()
        text = data.decode(header.encoding or "utf-8-sig")
        df = parse_segments(text, header.path, delimiter=header.delimiter)
        df = df.assign(codes=df["codes"].map(";".join))
        out = df[[*KOLOMMEN, "_regel"]].rename(columns={"_regel": LINE_COL})
        for col in ("focusgebied", "thema", "interventie"):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
        for col in ("bron", "respondent_of_sessie", "segment"):
            out[col] = out[col].astype(str)
        return ReadResult(tables={TABEL: out}, formaat=self.formaat)


READER = _SegmentenReader()
