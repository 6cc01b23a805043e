"""The pure core, one package per feature: engine, definitions, funnel, follow_up, importing,
calibration, suggest, admin, common. Never imports Streamlit, plotly or a database.
"""
