# %% [markdown]
# # Themastudie veerkracht en weerbaarheid
#
# **Vraag.** Met welke interventies versterken de focusgebieden de veerkracht en weerbaarheid van bewoners, wat werkt daarin volgens de betrokkenen, waar lopen zij tegenaan en welke effecten ervaren zij?
#
# **Gegevens.** Het interventieregister van de monitor (per interventie de soort en de deelname aan fase 1 en fase 2) en de gecodeerde interviews met uitvoerders, partners en bewoners.
#
# **Werkwijze.** De interventies worden per categorie geteld. Voor de interviews tellen we per code hoeveel respondenten of groepsgesprekken die code noemen. Eén respondent kan meer codes noemen, dus de aantallen tellen niet op tot het aantal gesprekken.
#
# **Kanttekeningen.** De interviews zijn een gerichte selectie, geen steekproef: ze laten zien wat er speelt, niet hoe vaak het voorkomt. Codes die door minder personen zijn genoemd dan het minimum van de monitor, worden niet getoond. Citaten verschijnen alleen met toestemming en na vrijgave door een onderzoeker.

# %% tags=["parameters"]
focusgebied: str = "alle"  # id uit params/focusgebieden.yml of 'alle'

# %%
from helpers.core import provenance
from helpers.kit import display as toon
from helpers.studies.themes import common
from helpers.studies.themes import veerkracht
from helpers.kit.output import Uitvoer

toon.stijl()
uit = Uitvoer(focusgebied, "33_veerkracht", demo=provenance.is_demo())
toon.demo_banner(uit.demo)

# %% [markdown]
# ## Onderzoeksvraag

# %%
common.show_teksten("veerkracht", "Onderzoeksvraag")

# %% [markdown]
# ## Interventies per focusgebied
#
# De interventies uit het interventieregister, met deelname aan fase 1 (brede verkenning) en fase 2 (verdieping). Het soort interventie is een van de vijf categorieën van de studie.

# %%
common.show_interventies(uit, "veerkracht", focusgebied)

# %% [markdown]
# ## Interventies per categorie

# %%
veerkracht.show_categorieen(uit, focusgebied)

# %% [markdown]
# ## Gecodeerde interviews
#
# De aantallen hieronder tellen respondenten (en groepsgesprekken) die een code noemen. Codes die door minder respondenten zijn genoemd dan het minimum, worden niet getoond.

# %%
segmenten = common.thema_segmenten(common.load_segmenten(), "veerkracht", focusgebied)

# %%
common.show_aantallen_segmenten(uit, segmenten, focusgebied)

# %% [markdown]
# ### Werkzame elementen in de interviews

# %%
common.show_codefrequenties(uit, segmenten, "werkzame_elementen", focusgebied, "veerkracht")

# %% [markdown]
# ### Knelpunten in de interviews

# %%
common.show_codefrequenties(uit, segmenten, "knelpunten", focusgebied, "veerkracht")

# %% [markdown]
# ### Ervaren effecten in de interviews

# %%
common.show_codefrequenties(uit, segmenten, "ervaren_effecten", focusgebied, "veerkracht")

# %% [markdown]
# ### Werkzame elementen per categorie interventies

# %%
veerkracht.show_elementen_per_categorie(uit, segmenten, focusgebied)

# %% [markdown]
# ### Uit de interviews
#
# Alleen fragmenten met toestemming die door een onderzoeker zijn vrijgegeven.

# %%
common.show_fragmenten(segmenten, "werkzame_elementen", focusgebied)

# %% [markdown]
# ## Bevindingen

# %%
common.show_teksten("veerkracht", "Ervaren effecten", "Werkzame elementen", "Knelpunten", "Aanbevelingen")

# %%
uit.write_index()
