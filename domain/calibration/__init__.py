"""Does the score predict (bands, ROC AUC, lift), and which MQL threshold to use.
Imports domain.engine, domain.definitions, domain.funnel and domain.common.
"""
