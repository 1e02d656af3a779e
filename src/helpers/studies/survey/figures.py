"""Figures of the process evaluation (Dutch labels, colour-blind-safe colours).

- :func:`bipolen_figuur`: stacked horizontal bars negatief / neutraal / positief per group for
  the bipoles of one bouwsteen; suppressed groups drawn as an empty hatched bar labelled
  "onderdrukt", signal groups marked with an asterisk.
- :func:`tripool_figuur`: ternary plots (mpltern) per reporting group with every dot, the
  compositional mean (closed geometric mean) as a black diamond; groups below the minimum n
  are not drawn.
- :func:`beeld_figuur`: the picture pointer as scatter + density over the named regions.

Each returns a matplotlib Figure; :class:`helpers.kit.output.Uitvoer` saves (and watermarks) it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers.core import nl
from helpers.kit.display import PALET
from helpers.registers.focusgebieden import load_focusgebied
from helpers.registers.sprockler import GROEPEN
from helpers.studies.survey.picture import picture_table, points
from helpers.studies.survey.tripole import (
    UITSCHIETER_AANDEEL,
    clusters,
    compositions,
    geometric_mean,
    replace_zeros,
    total_variance,
    tripole_table,
)

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

KLEUREN = {"negatief": PALET[3], "neutraal": "#BBBBBB", "positief": PALET[0]}
GROEP_KLEUREN = {"bewoner": PALET[1], "gemeente": PALET[2], "programmabureau": PALET[0],
                 "uitvoerende_organisatie": PALET[4], "onbekend": "#777777", "alle": "#000000"}


def groep_label(groep: str, mapping) -> str:
    if groep == "alle":
        return "Alle respondenten"
    if groep in mapping.groep_labels:
        return mapping.groep_labels[groep]
    try:

        return load_focusgebied(groep).naam
    except Exception:
        return groep.replace("_", " ")


def n_tekst(n: object, min_n: int | None = None) -> str:
    """The base in a label: ``'n=42'``; a published ``'< 10'`` as ``'n < 10'``; a hidden base
    (empty) as ``'n onderdrukt'``; with ``min_n``, a number below it also as ``'n < {min_n}'``
    (no count of persons below min_n in a figure, disclosure policy)."""
    if isinstance(n, str):
        return f"n {n.strip()}"
    if n is None or n != n:
        return "n onderdrukt"
    if min_n is not None and 0 < float(n) < min_n:
        return f"n < {min_n}"
    return f"n={nl.getal(n)}"


def bipolen_figuur(tab: pd.DataFrame, mapping, vragen: list[str], groepering: str = "groep"
                   ) -> Figure:
    """Stacked bars (0-100%) per group for each question in ``vragen`` (one panel each)."""
    import matplotlib.pyplot as plt


    fig, axes = plt.subplots(len(vragen), 1, figsize=(8.5, 0.55 * 7 * len(vragen) + 0.6),
                             squeeze=False)
    for ax, vraag in zip(axes[:, 0], vragen, strict=True):
        sel = tab[(tab["vraag"] == vraag) & (tab["groepering"].isin(["alle", groepering]))]
        sel = sel[sel["onderdrukt"] != "leeg"] if groepering != "groep" else sel
        sel = sel.iloc[::-1]
        labels = []
        for y, (_, r) in enumerate(sel.iterrows()):
            star = " *" if r["signaal"] else ""
            labels.append(f"{groep_label(r['groep'], mapping)} ({n_tekst(r['n'])}){star}")
            if r["onderdrukt"]:
                ax.barh(y, 100, color="white", edgecolor="#999999", hatch="//", height=0.7)
                ax.text(50, y, "onderdrukt (te weinig respondenten)", ha="center", va="center",
                        fontsize=8, color="#555555")
                continue
            left = 0.0
            for cat in ("negatief", "neutraal", "positief"):
                w = float(r[f"{cat}_pct"])
                ax.barh(y, w, left=left, color=KLEUREN[cat], height=0.7,
                        label=cat if y == 0 else None)
                if w >= 7:
                    ax.text(left + w / 2, y, nl.procent(w), ha="center", va="center",
                            fontsize=8, color="white" if cat != "neutraal" else "black")
                left += w
        spec = mapping.vragen[vraag].spec
        ax.set_yticks(range(len(labels)), labels, fontsize=8)
        ax.set_xlim(0, 100)
        ax.set_xlabel(f"% van de respondenten   ← {spec['pool_links']}  |  "
                      f"{spec['pool_rechts']} →", fontsize=8)
        ax.set_title(mapping.vragen[vraag].label, fontsize=10, loc="left")
        ax.grid(False)
    handles = [plt.Rectangle((0, 0), 1, 1, color=KLEUREN[c]) for c in KLEUREN]
    fig.legend(handles, ["negatief", "neutraal", "positief"], loc="lower center", ncol=3,
               frameon=False, fontsize=8)
    fig.text(0.01, 0.005, "* signaal, geen conclusie (minder dan 30 respondenten)",
             fontsize=7, color="#555555")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def _zichtbaar(tab: pd.DataFrame) -> set[str]:
    """Groups shown (not suppressed) in a suppressed table (groepering alle/groep)."""
    return set(tab.loc[tab["onderdrukt"].fillna("") == "", "groep"])


def tripool_figuur(resp: pd.DataFrame, mapping, vraag: str = "leiderschap", *,
                   min_n: int | None = None, signaal_n: int | None = None) -> Figure:
    """Ternary plots for all respondents and per reporting group — only the groups that the
    suppressed tripole table shows (primary and secondary suppression), so that no hidden
    group's dots can be found by comparing panels."""
    import matplotlib.pyplot as plt
    import mpltern  # noqa: F401  (registers the 'ternary' projection)
    import pandas as pd


    spec = mapping.vragen[vraag].spec
    polen = list(spec["polen"])
    min_n = mapping.min_n if min_n is None else min_n
    comp = compositions(resp, vraag, polen)
    shown = _zichtbaar(tripole_table(resp, mapping, vraag, min_n=min_n, signaal_n=signaal_n))
    panels = [("alle", comp)] + [(g, comp[comp["groep"] == g]) for g in GROEPEN]
    panels = [(g, c) for g, c in panels if g in shown and len(c)]
    comp_clusters = pd.Series(clusters(comp[polen].to_numpy(dtype=float), polen,
                                       float(spec.get("hoek_drempel", 0.6))))
    fig = plt.figure(figsize=(4.2 * max(1, len(panels)), 5.0))
    if not panels:
        ax = fig.add_subplot(1, 1, 1)
        ax.axis("off")
        ax.text(0.5, 0.5, f"Te weinig antwoorden (minder dan {min_n}) voor een figuur",
                ha="center", va="center")
        return fig
    for i, (g, c) in enumerate(panels, 1):
        ax = fig.add_subplot(1, len(panels), i, projection="ternary")
        x = c[polen].to_numpy(dtype=float)
        ax.scatter(x[:, 0], x[:, 1], x[:, 2], s=12, alpha=0.45, color=GROEP_KLEUREN.get(g))
        xr = replace_zeros(x)
        m = geometric_mean(xr)
        ax.scatter([m[0]], [m[1]], [m[2]], s=90, marker="D", color="black",
                   label="compositioneel gemiddelde")
        cl = pd.Series(clusters(x, polen, float(spec.get("hoek_drempel", 0.6))))
        limit = max(1, int(UITSCHIETER_AANDEEL * len(comp)))
        rare = [c for c, k in cl.value_counts().items() if c.startswith("hoek:")
                and (comp_clusters == c).sum() <= limit]
        if rare:
            sel = cl.isin(rare).to_numpy()
            ax.scatter(x[sel, 0], x[sel, 1], x[sel, 2], s=80, facecolors="none",
                       edgecolors=PALET[3], linewidths=1.5, label="uitschieter")
        aandelen = cl.value_counts(normalize=True)
        tekst = "; ".join(f"{spec['polen'].get(c.split(':')[1], c) if ':' in c else c} "
                          f"{nl.procent(100 * aandelen.get(c, 0))}"
                          for c in [f"hoek:{p}" for p in polen] + ["midden"])
        ax.text(0.5, -0.18, f"spreiding (totale variantie): {nl.getal(total_variance(xr), 2)}"
                f"\nhoeken: {tekst}", transform=ax.transAxes, ha="center", va="top",
                fontsize=7)
        ax.set_tlabel(spec["polen"][polen[0]])
        ax.set_llabel(spec["polen"][polen[1]])
        ax.set_rlabel(spec["polen"][polen[2]])
        ax.set_title(f"{groep_label(g, mapping)} ({n_tekst(len(c), min_n)})", fontsize=9, pad=28)
        ax.taxis.set_ticks([])
        ax.laxis.set_ticks([])
        ax.raxis.set_ticks([])
    handles = {lab: h for ax in fig.axes for h, lab in zip(*ax.get_legend_handles_labels(),
                                                           strict=True)}
    fig.legend(list(handles.values()), list(handles), loc="lower center", frameon=False,
               fontsize=8, ncol=2)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return fig


def beeld_figuur(resp: pd.DataFrame, mapping, vraag: str = "gevoel", *,
                 min_n: int | None = None, signaal_n: int | None = None) -> Figure:
    """Scatter and density of the picture-pointer dots over the named regions. Dots of groups
    the suppressed table hides are drawn together in grey as "overige (onderdrukt)"."""
    import matplotlib.pyplot as plt
    import seaborn as sns


    spec = mapping.vragen[vraag].spec
    min_n = mapping.min_n if min_n is None else min_n
    pts = points(resp, vraag, spec["gebieden"])
    shown = _zichtbaar(picture_table(resp, mapping, vraag, min_n=min_n, signaal_n=signaal_n))
    pts["groep"] = pts["groep"].where(pts["groep"].isin(shown), "overige (onderdrukt)")
    fig, ax = plt.subplots(figsize=(6.5, 6))
    for g in spec["gebieden"]:
        (x0, x1), (y0, y1) = g["x"], g["y"]
        ax.add_patch(plt.Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#888888",
                                   linestyle="--"))
        ax.text((x0 + x1) / 2, y1 - 4, g["naam"], ha="center", va="top", fontsize=10,
                color="#444444", fontweight="bold")
    if "alle" in shown and len(pts) >= min_n:
        if len(pts) >= 20:
            sns.kdeplot(x=pts["x"], y=pts["y"], fill=True, alpha=0.35, levels=6, cmap="Blues",
                        ax=ax, clip=((0, 100), (0, 100)))
        for g, sel in pts.groupby("groep"):
            ax.scatter(sel["x"], sel["y"], s=14, alpha=0.7,
                       color=GROEP_KLEUREN.get(g, "#999999"), label=groep_label(g, mapping))
        ax.legend(fontsize=7, loc="lower right", frameon=True)
    else:
        ax.text(50, 50, f"Te weinig antwoorden (minder dan {min_n})", ha="center", va="center")
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.set_xlabel("stilstand → beweging")
    ax.set_ylabel("zwaar → licht")
    ax.set_title(f"{spec.get('label', vraag)} ({n_tekst(len(pts), min_n)})", loc="left")
    fig.tight_layout()
    return fig
