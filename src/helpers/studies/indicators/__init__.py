"""The quantitative indicator base per focus area (aggregation, references, quality, figures, maps)."""
