"""What every feature shares: how numbers read, and CSV cells safe from spreadsheets.
Imports the standard library and pandas only.
"""
