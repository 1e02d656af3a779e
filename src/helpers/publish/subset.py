"""The markdown subset that Quarto and the fallback path (pandoc + typst) render alike.

Allowed: YAML front matter, ATX headings (``#``..``###``), paragraphs, emphasis, links,
bullet/numbered lists, block quotes, footnotes, pipe tables with a ``: caption`` line, images
``![caption](path){fig-alt="..." width=...}``, backslash escapes and HTML entities.

Refused by :func:`check_subset` (each renders differently or not at all without Quarto):
executable code chunks (```` ```{python} ````, inline ```` `{python} x` ````), shortcodes
``{{< >}}`` / ``{{% %}}``, raw blocks or inline raw (``{=html}``, ``{=latex}``, ``{=typst}``),
raw HTML tags, callouts and other Quarto divs (``::: {.callout-*}``, ``.panel-tabset``,
``.column-*``, ``layout-*``), cross-references and citations (``@fig-x``, ``@tbl-x``,
``[@key]``), table/figure/section ids for cross-references (``{#tbl-x}``), TeX math (``$x$``),
and headings deeper than level 3.
"""

from __future__ import annotations

import re

from helpers.core.errors import PublicationGuardError

_REGELS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^\s*(```|~~~)\s*\{\s*[.=]?\s*(python|r|julia|ojs|bash|sql|mermaid|dot)\b", re.I),
     "uitvoerbaar codeblok"),
    (re.compile(r"(?<!\\)`\{\s*(python|r|julia|ojs)\s*\}", re.I), "uitvoerbare inline code"),
    (re.compile(r"(?<!\\)\{\{\s*[<%]"), "shortcode {{< >}}"),
    (re.compile(r"\{\s*=\s*[a-z0-9_-]+\s*\}", re.I), "raw blok of raw inline ({=formaat})"),
    (re.compile(r"(?<![\\`])<(?:[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?|/[a-zA-Z][a-zA-Z0-9-]*)>|<!--"),
     "ruwe HTML"),
    (re.compile(r"^\s*:::.*\.(callout|panel-|column-)", re.I), "callout of Quarto-blok"),
    (re.compile(r"\blayout(-ncol|-nrow)?\s*=", re.I), "Quarto-layout"),
    (re.compile(r"(?<![\\\w])@(fig|tbl|sec|eq|lst)-[\w-]+"), "kruisverwijzing (@fig-, @tbl-, ...)"),
    (re.compile(r"\[[^\]\n]*(?<![\\\w])@[\w:-]+[^\]\n]*\]"), "literatuurverwijzing [@...]"),
    (re.compile(r"\{[^}\n]*#(fig|tbl|sec|eq|lst)-[\w-]+[^}\n]*\}"), "label voor kruisverwijzing"),
    (re.compile(r"(?<![\\$])\$(?=\S)[^$\n]*(?<=\S)(?<!\\)\$(?!\d)"), "TeX-formule ($...$)"),
    (re.compile(r"^#{4,}\s"), "kop dieper dan niveau 3"),
]


_ATTRIBUUTWAARDE = re.compile(r'(\{[^{}\n]*?\b[\w-]+=)"[^"\n]*"')


def _front_matter_einde(regels: list[str]) -> int:
    if regels and regels[0].strip() == "---":
        for i in range(1, len(regels)):
            if regels[i].strip() in ("---", "..."):
                return i + 1
    return 0


def subset_problemen(qmd_text: str, bron: str = "<tekst>") -> list[str]:
    """Every construct outside the subset, as 'bron, regel N: wat' (empty list = fine)."""
    regels = qmd_text.splitlines()
    start = _front_matter_einde(regels)
    problemen = []
    in_code = False
    for nr, regel in enumerate(regels[start:], start=start + 1):
        # quoted attribute values (fig-alt="...", escaped by layout.md_attribuut) are never
        # parsed as markdown: data in them (a '$' or '@fig-' in an area name) is no construct
        bekeken = _ATTRIBUUTWAARDE.sub(r'\1""', regel)
        for patroon, wat in _REGELS:
            if patroon.search(bekeken):
                problemen.append(f"{bron}, regel {nr}: {wat} valt buiten de deelverzameling die "
                                 f"Quarto en pandoc+typst gelijk weergeven: {regel.strip()[:80]!r}")
                break
        if regel.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
    return problemen


def check_subset(qmd_text: str, bron: str = "<tekst>") -> None:
    """Raise :class:`PublicationGuardError` when ``qmd_text`` uses a construct outside the subset.

    The message lists every offending line (file, line number, construct).
    """
    problemen = subset_problemen(qmd_text, bron)
    if problemen:
        raise PublicationGuardError(
            "De bron valt buiten de ondersteunde deelverzameling:\n"
            + "\n".join(f"- {p}" for p in problemen)
        )
