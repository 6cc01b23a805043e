"""The funnel and conversion pages: funnel, flows, rates, velocity.
Imports domain and components.common / components.shell; never db.
"""
