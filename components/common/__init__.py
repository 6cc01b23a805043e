"""Small pieces every page uses: literal text, tables, KPI tiles, heatmaps, Vega-Lite helpers.
Imports domain only.
"""
