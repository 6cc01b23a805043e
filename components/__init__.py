"""Streamlit-side building blocks, one package per feature (definitions, funnel, follow_up,
data, calibration), `shell` (cached state, sidebar, identity) and `common` (small pieces).

Pure `build_*` / `compute_*` functions return values that unit tests can check without a
running app; `render_*` functions are the only ones that call Streamlit. Components never
import `db`: reads and writes go through `gateways/` (see docs/architecture.md).
"""
