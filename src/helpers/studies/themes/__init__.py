"""The five theme studies (verdiepende studies) and the cross-theme chapter.

:mod:`helpers.studies.themes.common` holds what all theme notebooks share (intervention register,
researcher-written texts, the "geen gegevens" message); one module per study holds its
registration layouts' metrics.
"""
