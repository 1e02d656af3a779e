"""Parameter variants: ``wijkmonitor run ... -p NAAM WAARDE [--variant NAAM]``.

A run with parameters other than the defaults is a *variant*. Its executed notebooks, outputs
and manifest entries live under ``reports/runs/varianten/<naam>/`` (keys
``varianten/<naam>/<gebied>/<notebook>``), so variants never overwrite each other or the
default runs, and ``wijkmonitor render`` publishes one only when asked (``--variant NAAM``).
The name is given with ``--variant`` or derived from the parameters
(``-p jaar_nulmeting 2019`` -> ``jaar_nulmeting-2019``).

Values follow papermill's ``-p`` convention but are parsed as YAML (``2019`` is an int,
``"[nederland]"`` a list, ``true`` a bool, ``'2019'`` a string); names and types are checked
against each notebook's parameters cell by :func:`helpers.runner.spec.resolve_parameters`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from helpers.runner import manifest as mf
from helpers.runner.spec import RunnerError

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")
PARAMETER_FLAGS = ("-p", "--parameter")


def parse_parameter_args(args: Sequence[str]) -> dict[str, Any]:
    """``["-p", "jaar_nulmeting", "2019", ...]`` -> ``{"jaar_nulmeting": 2019}``.

    Raises :class:`RunnerError` (Dutch) for an option that is not ``-p``/``--parameter``, a
    ``-p`` without name and value, a name given twice, or a value that is not valid YAML."""
    import yaml

    out: dict[str, Any] = {}
    i = 0
    while i < len(args):
        flag = args[i]
        if flag not in PARAMETER_FLAGS:
            raise RunnerError(
                f"onbekende optie of argument '{flag}' (verwacht: -p NAAM WAARDE; "
                "zie 'wijkmonitor run --help')"
            )
        if len(args) - i < 3:
            raise RunnerError(
                f"{flag} vraagt om twee waarden: NAAM WAARDE (bijv. -p jaar_nulmeting 2019)"
            )
        naam, tekst = args[i + 1], args[i + 2]
        if naam in out:
            raise RunnerError(f"parameter '{naam}' is twee keer opgegeven met -p")
        try:
            out[naam] = yaml.safe_load(tekst)
        except yaml.YAMLError as exc:
            raise RunnerError(
                f"waarde van -p {naam} is geen geldige YAML: {tekst!r} ({exc.__class__.__name__})"
            ) from exc
        i += 3
    return out


def variant_name(parameters: dict[str, Any]) -> str:
    """A folder name from the parameters: ``naam-waarde`` pairs, sorted by name, lower case,
    other characters as ``_``; longer than 80 characters: cut, plus 8 hex of their hash."""
    parts = []
    for k in sorted(parameters):
        v = parameters[k]
        tekst = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True)
        parts.append(f"{k}-{tekst}")
    slug = re.sub(r"[^a-z0-9_.-]+", "_", "--".join(parts).lower()).strip("_.-") or "variant"
    if len(slug) > 80:
        digest = hashlib.sha256(json.dumps(parameters, sort_keys=True, default=str).encode())
        slug = f"{slug[:71].rstrip('_.-')}-{digest.hexdigest()[:8]}"
    return slug


def check_variant(
    variant: str | None, parameters: dict[str, Any] | None, manifest: dict[str, Any]
) -> str | None:
    """The variant name to use for a run with ``parameters`` (``None``: the default runs).

    ``variant`` given: it must be a valid folder name, come with parameters, and not already
    exist with other parameters (the manifest's ``variant_parameters``). Raises
    :class:`RunnerError` otherwise."""
    if not parameters:
        if variant:
            raise RunnerError(f"--variant {variant} vraagt om minstens één -p NAAM WAARDE")
        return None
    naam = variant or variant_name(parameters)
    if not NAME_RE.match(naam):
        raise RunnerError(
            f"ongeldige variantnaam '{naam}' (verwacht: kleine letters, cijfers, "
            "'-', '_' of '.', hoogstens 80 tekens)"
        )
    prefix = mf.variant_prefix(naam)
    for k, entry in manifest.items():
        eerder = (entry or {}).get("variant_parameters") if isinstance(entry, dict) else None
        if k.startswith(prefix) and eerder is not None and eerder != parameters:
            raise RunnerError(
                f"variant '{naam}' bestaat al met andere parameters ({eerder}); "
                "kies een andere naam met --variant"
            )
    return naam
