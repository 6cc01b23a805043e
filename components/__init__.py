"""Streamlit-side building blocks: cached state, the shared sidebar, KPI tiles and charts.

Pure `build_*` / `compute_*` functions return values that unit tests can check without a
running app; `render_*` functions are the only ones that call Streamlit.
"""
