"""Small pieces every page uses: literal text, downloadable tables, KPI tiles, heatmaps,
Vega-Lite helpers.
Imports domain only.
"""
