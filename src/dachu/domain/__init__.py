"""The campaign model and every calculation. Pure: no files, network, database, clock or randomness.

May import the standard library, pydantic, numpy/scipy, OR-Tools, and dachu's leaf modules
(`dachu.errors`, `dachu.i18n`).
"""
