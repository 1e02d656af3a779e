"""Online refresh: download the CBS Kerncijfers wijken en buurten for the focus municipalities.

``wijkmonitor fetch --out data/raw [--jaar 2024 ...]`` uses :mod:`cbsodata` (the CBS OData
client) and writes one file per KWB edition in the CBS OData ``TypedDataSet`` CSV layout that
:mod:`helpers.ingest.readers.odata` reads: ``;`` separated, UTF-8 with BOM, every cell quoted, keys as
column names (``ID``, ``WijkenEnBuurten``, ``Gemeentenaam_1``, ..., ``AantalInwoners_5``),
region codes padded to 10 characters as CBS does, ``.`` for unknown values. File name:
``kwb-<jaar>-<tabel>-odata.csv`` (e.g. ``kwb-2024-85984NED-odata.csv``); it is written
atomically (temp file, then ``os.replace``).

Per municipality the rows of the gemeente itself, its wijken and its buurten are requested
(OData filter ``startswith(Codering_N, 'GM0344') or ... 'WK0344' or ... 'BU0344'``), plus the
national row ``NL00``. Without internet the command fails with a Dutch message.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from helpers.core.errors import WijkmonitorError
from helpers.core.io import write_text
from helpers.registers.focusgebieden import load_focusgebieden

# CBS table ids of the yearly 'Kerncijfers wijken en buurten' editions.
KWB_TABELLEN: dict[int, str] = {
    2019: "84583NED",
    2020: "84799NED",
    2021: "85039NED",
    2022: "85318NED",
    2023: "85618NED",
    2024: "85984NED",
}
CODE_BREEDTE = 10


class FetchError(WijkmonitorError):
    """Downloading from CBS failed (offline, unknown table, unexpected answer)."""


def _offline(exc: Exception) -> FetchError:
    return FetchError(
        "geen verbinding met CBS Open Data (opendata.cbs.nl): "
        f"{type(exc).__name__}. Controleer de internetverbinding, of zet de KWB-bestanden "
        "zelf in data/raw (zie README).")


def _netwerkfouten() -> tuple[type[BaseException], ...]:
    fouten: list[type[BaseException]] = [OSError, TimeoutError]
    try:
        import requests

        fouten.append(requests.exceptions.RequestException)
    except ImportError:  # pragma: no cover
        pass
    return tuple(fouten)


def _codekolom(meta: list[dict], tabel: str) -> str:
    for p in meta:
        if str(p.get("Key", "")).startswith("Codering"):
            return p["Key"]
    raise FetchError(f"tabel {tabel}: geen kolom 'Codering_*' in de metadata van CBS")


def _filter(codekolom: str, gemeente: str) -> str:
    nr = gemeente[2:]
    return " or ".join(f"startswith({codekolom},'{p}{nr}')" for p in ("GM", "WK", "BU"))


def _cel(waarde: object) -> str:
    if waarde is None or (isinstance(waarde, float) and waarde != waarde):
        return "."
    if isinstance(waarde, float) and waarde.is_integer():
        return str(int(waarde))
    return str(waarde)


def _q(tekst: str) -> str:
    return '"' + tekst.replace('"', '""') + '"'


def download_kwb(jaar: int, gemeenten: Iterable[str], out: Path) -> Path:
    """Download KWB edition ``jaar`` for ``gemeenten`` (GM codes) into ``out``.

    Returns the written path. Raises :class:`FetchError` for an unknown year, a network
    failure (Dutch message about the connection) or an answer without rows.
    """
    import cbsodata

    if jaar not in KWB_TABELLEN:
        raise FetchError(f"onbekende KWB-jaargang {jaar} (bekend: "
                         f"{', '.join(map(str, sorted(KWB_TABELLEN)))})")
    tabel = KWB_TABELLEN[jaar]
    fouten = _netwerkfouten()
    try:
        meta = cbsodata.get_meta(tabel, "DataProperties")
        code = _codekolom(meta, tabel)
        rijen: list[dict] = []
        for gm in sorted(set(gemeenten)):
            rijen.extend(cbsodata.get_data(tabel, filters=_filter(code, gm)))
        rijen.extend(cbsodata.get_data(tabel, filters=f"startswith({code},'NL00')"))
    except FetchError:
        raise
    except fouten as exc:
        raise _offline(exc) from exc
    if not rijen:
        raise FetchError(f"tabel {tabel} ({jaar}): CBS gaf geen rijen terug")

    sleutels = [p["Key"] for p in meta if p.get("Type") not in ("TopicGroup", None)
                and p.get("Key") not in ("ID", "WijkenEnBuurten")]
    kop = ["ID", "WijkenEnBuurten", *sleutels]
    regels = [";".join(_q(k) for k in kop)]
    gezien: set[str] = set()
    for i, r in enumerate(rijen):
        c = str(r.get(code, "")).strip()
        if not c or c in gezien:
            continue
        gezien.add(c)
        cellen = [str(i), c.ljust(CODE_BREEDTE)]
        for k in sleutels:
            v = r.get(k)
            if k == code:
                v = c.ljust(CODE_BREEDTE)
            cellen.append(_cel(v))
        regels.append(";".join(_q(x) for x in cellen))

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    pad = out / f"kwb-{jaar}-{tabel}-odata.csv"
    write_text(pad, "\n".join(regels) + "\n", bom=True)
    return pad


def fetch_cli(out: Path, jaar: list[int] | None = None) -> list[Path]:
    """Body of ``wijkmonitor fetch``: all known editions unless ``jaar`` is given."""
    from rich.console import Console


    console = Console()
    gemeenten = sorted({g.gemeente for g in load_focusgebieden()})
    jaren = list(jaar) if jaar else sorted(KWB_TABELLEN)
    paden = []
    for j in jaren:
        console.print(f"KWB {j} ({KWB_TABELLEN.get(j, '?')}) downloaden voor {len(gemeenten)} gemeenten ...")
        p = download_kwb(j, gemeenten, Path(out))
        console.print(f"geschreven: {p}")
        paden.append(p)
    console.print("Klaar. Voer nu 'wijkmonitor build' uit om de indicatorbasis bij te werken.")
    return paden
