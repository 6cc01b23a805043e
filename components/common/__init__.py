"""Small pieces every page uses: literal text, downloadable tables, KPI tiles, heatmaps.
Imports domain only.
"""
