"""The Calibration page: does the score predict, threshold and weight suggestions.
Imports gateways, domain, components.definitions (the draft), .funnel, .common, .shell.
"""
