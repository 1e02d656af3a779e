# %% [markdown]
# # Themastudie sociale cohesie
#
# **Vraag.** Hoe dragen de interventies en de gesteunde bewonersinitiatieven bij aan de sociale samenhang in de focusgebieden, en wat werkt daarin volgens de betrokkenen?
#
# **Gegevens.** Het interventieregister, de registratie van bewonersinitiatieven, de vragenlijst onder kernpersonen van het leernetwerk, de Leefbaarometer (dimensie sociale samenhang) als context en de gecodeerde interviews.
#
# **Werkwijze.** Voor de stellingen van de kernpersonen tonen we aandelen oneens, neutraal en eens met een 95%-betrouwbaarheidsinterval (Wilson). De Leefbaarometer volgen we per jaar. Codes in de interviews tellen we per respondent of groepsgesprek.
#
# **Kanttekeningen.** De kernpersonen zijn geen steekproef van bewoners: hun antwoorden zijn indicatief. De Leefbaarometer beschrijft de hele wijk en meet niet het effect van één interventie. Groepen kleiner dan het minimum van de monitor worden niet getoond.

# %% tags=["parameters"]
focusgebied: str = "alle"  # id uit params/focusgebieden.yml of 'alle'

# %%
from helpers.core import provenance
from helpers.kit import display as toon
from helpers.studies.themes import common
from helpers.studies.themes import cohesie
from helpers.kit.output import Uitvoer

toon.stijl()
uit = Uitvoer(focusgebied, "35_sociale_cohesie", demo=provenance.is_demo())
toon.demo_banner(uit.demo)

# %% [markdown]
# ## Onderzoeksvraag

# %%
common.show_teksten("sociale_cohesie", "Onderzoeksvraag")

# %% [markdown]
# ## Interventies per focusgebied

# %%
common.show_interventies(uit, "sociale_cohesie", focusgebied)

# %% [markdown]
# ## Bewonersinitiatieven
#
# Registratie van de bewonersinitiatieven die met SPUK KW-middelen zijn gesteund.

# %%
cohesie.show_initiatieven(uit, focusgebied)

# %%
cohesie.show_initiatief_themas(uit, focusgebied)

# %% [markdown]
# ## Vragenlijst kernpersonen
#
# Aandeel kernpersonen dat het oneens (1-2), neutraal (3) of eens (4-5) is met vijf stellingen, met 95%-betrouwbaarheidsinterval (Wilson). Indicatief: de kernpersonen zijn leden van een leernetwerk, geen steekproef. Bij minder antwoorden dan het minimum worden geen percentages getoond.

# %%
cohesie.show_likert(uit, focusgebied)

# %% [markdown]
# ## Context: Leefbaarometer sociale samenhang

# %%
cohesie.show_lbm_soc(uit, focusgebied)

# %% [markdown]
# ## Gecodeerde interviews

# %%
segmenten = common.thema_segmenten(common.load_segmenten(), "sociale_cohesie", focusgebied)

# %%
common.show_aantallen_segmenten(uit, segmenten, focusgebied)

# %%
common.show_codefrequenties(uit, segmenten, "werkzame_elementen", focusgebied, "sociale_cohesie")

# %%
common.show_codefrequenties(uit, segmenten, "knelpunten", focusgebied, "sociale_cohesie")

# %%
common.show_codefrequenties(uit, segmenten, "ervaren_effecten", focusgebied, "sociale_cohesie")

# %% [markdown]
# ### Uit de interviews
#
# Alleen fragmenten met toestemming die door een onderzoeker zijn vrijgegeven.

# %%
common.show_fragmenten(segmenten, "ervaren_effecten", focusgebied)

# %% [markdown]
# ## Bevindingen

# %%
common.show_teksten("sociale_cohesie", "Ervaren effecten", "Werkzame elementen", "Knelpunten", "Aanbevelingen")

# %%
uit.write_index()
