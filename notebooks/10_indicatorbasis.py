# %% [markdown]
# # Indicatorbasis
#
# De kwantitatieve basis van de monitor: per focusgebied de indicatoren voor langetermijneffecten en kortetermijnresultaten, vergeleken met de rest van de gemeente, met Nederland, met alle focusgebieden samen en met de eigen nulmeting.
#
# **Vraag.** Hoe staan de focusgebieden ervoor op de indicatoren voor langetermijneffecten en kortetermijnresultaten, en hoe ontwikkelen zij zich sinds de nulmeting?
#
# **Gegevens.** De open gegevens van het CBS (Kerncijfers wijken en buurten) en de Leefbaarometer, per wijk samengevoegd tot focusgebied.
#
# **Werkwijze.** Waarden per wijk worden gewogen naar inwoners (of huishoudens, woningen) opgeteld tot het focusgebied, en vergeleken met de rest van de gemeente, Nederland, alle focusgebieden samen en de nulmeting.
#
# **Kanttekeningen.** De cijfers beschrijven de wijk, niet het effect van de aanpak: veranderingen kunnen ook door verhuizingen of een gewijzigde indeling komen. Waar niet alle wijken van een gebied een waarde hebben, staat de dekking erbij.

# %% tags=["parameters"]
focusgebied: str = "alle"  # id uit params/focusgebieden.yml of 'alle'
jaar_nulmeting: int = None  # jaar van de nulmeting; None: uit params/monitor.yml
referenties: list = ["gemeente_rest", "nederland", "focusgebieden"]  # vergelijkingen

# %%
from helpers.studies.indicators import figures as fi
from helpers.studies.indicators import base as indicators
from helpers.core import provenance
from helpers.kit import display as toon
from helpers.kit.output import Uitvoer

toon.stijl()
demo = provenance.is_demo()
uit = Uitvoer(focusgebied, fi.NOTEBOOK, demo=demo)
toon.demo_banner(demo)

# %% [markdown]
# ## Gegevens
#
# De indicatorbasis (één rij per focusgebied, indicator en jaar) en de waarden per wijk (voor kaarten).

# %%
basis = indicators.load_basis(nulmeting=jaar_nulmeting)
wijken = indicators.load_wijken()
toon.markdown(fi.kanttekeningen(indicators.voor_gebied(basis, focusgebied), focusgebied))

# %% [markdown]
# ## Kerncijfers
#
# De laatste waarde per indicator, met de referenties en een band (duidelijk lager / lager / gelijk / hoger / duidelijk hoger). De drempels van de banden volgen uit de spreiding over alle wijken in dat jaar. De band zegt niets over beter of slechter; kijk daarvoor naar de richting van de indicator.

# %%
fi.step_kerntabel(uit, basis, focusgebied, referenties)

# %% [markdown]
# ## Ontwikkeling van de Leefbaarometer
#
# De lijn van het gebied naast de referenties. De gestreepte lijn is het vaste referentieniveau van de Leefbaarometer, de stippellijn de nulmeting. Open punten: niet alle inwoners van het gebied zijn gedekt.

# %%
fi.step_trend(uit, basis, focusgebied, jaar_nulmeting, referenties)

# %% [markdown]
# ## Dimensies van de Leefbaarometer
#
# Afwijkingen van het vaste referentieniveau per dimensie (hoger is gunstiger, ook voor overlast en onveiligheid). Niet beschikbaar vóór 2014 en in 2016.

# %%
fi.step_dimensies(uit, basis, focusgebied, jaar_nulmeting)

# %% [markdown]
# ## Kaart
#
# De wijken van de gemeente in de Rijksdriehoeksprojectie, gekleurd naar de Leefbaarometer; het focusgebied is zwart omlijnd, wijken met weinig inwoners hebben een stip en wijken zonder waarde zijn gearceerd. De legenda noemt elk teken. De wijkgrenzen komen uit de CBS wijk- en buurtkaart.

# %%
fi.step_kaart(uit, basis, wijken, focusgebied)

# %% [markdown]
# ## Kaart van de focusgebieden (alleen bij 'alle')
#
# Nederland met de wijken van alle focusgebieden, genummerd en in de legenda bij naam genoemd; deze kaart staat in de publiekssamenvatting.

# %%
fi.step_kaart_nederland(uit, focusgebied)

# %% [markdown]
# ## Beschrijving
#
# Gegenereerde zinnen voor de publicatie. Ze beschrijven veranderingen, maar verklaren ze niet.

# %%
fi.step_teksten(uit, basis, focusgebied)

# %% [markdown]
# ## Per focusgebied (alleen bij 'alle')
#
# Kerncijfers, trendgrafiek en kaart per focusgebied, als bestanden voor de factsheets.

# %%
fi.step_per_gebied(uit, basis, focusgebied, jaar_nulmeting, referenties)

# %%
uit.write_index()
