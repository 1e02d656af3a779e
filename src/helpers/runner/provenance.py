"""Provenance shown as the first output of every executed notebook (Dutch, for readers).

The runner injects a cell after the parameters calling :func:`show_herkomst` with the same
facts it writes to ``reports/runs/manifest.json``. Imported inside kernels: keep it light.
"""

from __future__ import annotations

import html
from typing import Any


def herkomst_html(herkomst: dict[str, Any]) -> str:
    """HTML table of one run's provenance: area, notebook, parameters, inputs, version, commit."""
    rijen = [
        ("Focusgebied", herkomst.get("gebied", "")),
        ("Notebook", herkomst.get("notebook", "")),
        *([("Variant", herkomst["variant"])] if herkomst.get("variant") else []),
        ("Gestart", herkomst.get("start", "")),
        ("Versie wijkmonitor", herkomst.get("versie", "")),
        ("Git-commit", herkomst.get("git_commit") or "onbekend (geen git)"),
        ("Code-hash helpers", str(herkomst.get("helpers_hash", ""))[:16]),
    ]
    params = herkomst.get("parameters", {})
    rijen += [(f"Parameter {k}", repr(v)) for k, v in params.items()]
    invoer = herkomst.get("invoer", {})
    if invoer:
        rijen += [(f"Invoer {pad}", f"sha256 {str(h)[:16]}…") for pad, h in invoer.items()]
    else:
        rijen.append(("Invoer", "geen gedeclareerde invoerbestanden"))
    body = "".join(
        f"<tr><th style='text-align:left;padding-right:1em'>{html.escape(str(k))}</th>"
        f"<td>{html.escape(str(v))}</td></tr>"
        for k, v in rijen
    )
    return (
        "<details open><summary><b>Herkomst van deze uitvoering</b></summary>"
        f"<table>{body}</table></details>"
    )


def show_herkomst(herkomst: dict[str, Any]) -> Any:
    """Display the provenance table in the notebook (IPython HTML object)."""
    from IPython.display import HTML

    return HTML(herkomst_html(herkomst))
