"""Funnel and conversion metrics on a scored lead table, and a draft's impact against the
published definition. Imports domain.engine, definitions, follow_up (the SLA) and common.
"""
