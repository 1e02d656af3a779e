"""The intervention register ``params/interventies.yml`` of the five theme studies.

Per theme: its title, the intervention types (id -> Dutch label) and the interventions per focus
area with their phase (Fase 1 / Fase 2: ``x``, ``deels`` or empty). Area names are resolved to
registry ids through :func:`helpers.registers.focusgebieden.resolve_gebied`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpers.core import config
from helpers.core.errors import RegistryError
from helpers.core.yamlfile import read_yaml
from helpers.registers.focusgebieden import resolve_gebied

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

THEMAS: dict[str, str] = {
    "armoede_schulden": "Preventie armoede en schulden",
    "reintegratie": "Re-integratie",
    "veerkracht": "Veerkracht en weerbaarheid",
    "jonge_kind": "Jonge kind",
    "sociale_cohesie": "Sociale cohesie",
}
FASE_WAARDEN = ("x", "deels", "")
TABEL_KOLOMMEN = ["focusgebied", "interventie", "type", "fase_1", "fase_2"]


def _check_thema(thema: str) -> None:
    if thema not in THEMAS:
        raise KeyError(f"onbekend thema '{thema}' (geldig: {', '.join(THEMAS)})")


def _fase(value: Any, where: str) -> str:
    v = "" if value is None else str(value).strip().lower()
    if v not in FASE_WAARDEN:
        raise RegistryError(f"{where}: fasewaarde '{value}' (verwacht: x, deels of leeg)")
    return v


def load_register(path: str | Path | None = None) -> dict:
    """Load and validate the whole intervention register; return ``{thema: {...}}``.

    Every theme entry gets ``titel``, ``types`` (id -> label) and ``interventies`` (list of
    dicts with the focus area resolved to its registry id and phases normalised to
    ``x``/``deels``/``""``). Raises :class:`RegistryError` naming the theme and entry number
    for an unknown theme, area, type or phase value or a missing key.
    """
    p = Path(path) if path else config.INTERVENTIES_YML
    data = read_yaml(p, missing="het interventieregister") or {}
    themas = data.get("themas")
    if not isinstance(themas, dict):
        raise RegistryError(f"{p}: sleutel 'themas' ontbreekt")
    out: dict[str, dict] = {}
    for thema, spec in themas.items():
        if thema not in THEMAS:
            raise RegistryError(f"{p}: onbekend thema '{thema}' (geldig: {', '.join(THEMAS)})")
        types = dict((spec or {}).get("types") or {})
        rows = []
        for nr, item in enumerate((spec or {}).get("interventies") or [], start=1):
            where = f"{p}: thema '{thema}', interventie {nr}"
            for key in ("focusgebied", "interventie", "type"):
                if not isinstance(item, dict) or not str(item.get(key) or "").strip():
                    raise RegistryError(f"{where}: '{key}' ontbreekt")
            extra = set(item) - {"focusgebied", "interventie", "type", "fase_1", "fase_2"}
            if extra:
                raise RegistryError(f"{where}: onbekende sleutel(s) {sorted(map(str, extra))} "
                                    "(een komma in een naam? zet de naam tussen aanhalingstekens)")
            try:
                gebied = resolve_gebied(str(item["focusgebied"]))
            except RegistryError as exc:
                raise RegistryError(f"{where}: {exc}") from exc
            if item["type"] not in types:
                raise RegistryError(f"{where}: type '{item['type']}' (verwacht: {', '.join(types)})")
            rows.append({"focusgebied": gebied, "interventie": str(item["interventie"]).strip(),
                         "type": str(item["type"]),
                         "fase_1": _fase(item.get("fase_1"), where),
                         "fase_2": _fase(item.get("fase_2"), where)})
        out[thema] = {"titel": str((spec or {}).get("titel") or THEMAS[thema]),
                      "types": types, "interventies": rows}
    return out


def load_interventies(thema: str, path: str | Path | None = None) -> pd.DataFrame:
    """All interventions of one theme: ``focusgebied, interventie, type, type_label, fase_1,
    fase_2`` (focus-area ids; phases ``x``/``deels``/``""``). Raises ``KeyError`` for an
    unknown theme id and :class:`RegistryError` for an invalid register."""
    import pandas as pd

    _check_thema(thema)
    reg = load_register(path).get(thema, {"types": {}, "interventies": []})
    df = pd.DataFrame(reg["interventies"], columns=TABEL_KOLOMMEN)
    df.insert(3, "type_label", df["type"].map(reg["types"]))
    return df
