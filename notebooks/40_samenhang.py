# %% [markdown]
# # Effecten en samenhang tussen de thema's
#
# **Vraag.** Werken de aanpakken door buiten hun eigen thema, en welke werkzame elementen komen in meer themastudies terug?
#
# **Gegevens.** De gecodeerde interviewfragmenten van alle vijf themastudies.
#
# **Werkwijze.** We tellen de fragmenten waarin betrokkenen een effect noemen op een ander domein dan het doel van de interventie, en de werkzame elementen per thema. Een kruistabel laat zien hoe vaak een werkzaam element en een ervaren effect in hetzelfde fragment voorkomen.
#
# **Kanttekeningen.** De aantallen tellen fragmenten, geen personen. Het gaat om ervaren doorwerking, niet om gemeten effecten, en samen genoemd betekent niet dat het een het ander veroorzaakt.

# %% tags=["parameters"]
focusgebied: str = "alle"  # id uit params/focusgebieden.yml of 'alle'

# %%
from helpers.core import provenance
from helpers.kit import display as toon
from helpers.studies.themes import common
from helpers.studies.themes import samenhang
from helpers.kit.output import Uitvoer

toon.stijl()
uit = Uitvoer(focusgebied, "40_samenhang", demo=provenance.is_demo())
toon.demo_banner(uit.demo)

# %% [markdown]
# ## Onderzoeksvraag

# %%
common.show_teksten("samenhang", "Onderzoeksvraag")

# %% [markdown]
# ## Meervoudige effecten
#
# Per interventie (voor alle gebieden samen: per soort interventie) het aantal gecodeerde fragmenten waarin betrokkenen een effect noemen op een ander domein dan het eigen doel. Het gaat om ervaren doorwerking, niet om gemeten effecten.

# %%
segmenten = common.load_segmenten()

# %%
samenhang.show_meervoudige_effecten(uit, segmenten, focusgebied)

# %% [markdown]
# ## Werkzame elementen over de thema's heen

# %%
samenhang.show_elementen_over_themas(uit, segmenten, focusgebied)

# %% [markdown]
# ## Wat werkt en wat het oplevert
#
# Hoe vaak een werkzaam element en een ervaren effect samen in één gecodeerd fragment worden genoemd, over alle themastudies. Samen genoemd betekent niet dat het een het ander veroorzaakt.

# %%
samenhang.show_elementen_en_effecten(uit, segmenten, focusgebied)

# %% [markdown]
# ## Bevindingen

# %%
common.show_teksten("samenhang", "Ervaren effecten", "Werkzame elementen", "Knelpunten", "Aanbevelingen")

# %%
uit.write_index()
