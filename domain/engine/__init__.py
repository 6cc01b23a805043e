"""The scoring engine: leads + aggregated activity history + sales facts + a definition
-> scores and stages. Imports the standard library, numpy/pandas and domain.definitions.
"""
