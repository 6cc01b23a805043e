"""The shared MQL/SQL definition: its value, defaults, plain-language text, diffs, merges,
rule tables and publishing rules. Imports the standard library and domain.common only.
"""
