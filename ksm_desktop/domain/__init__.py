"""Pure-Python domain: enums, value normalisation, typed errors. No database, no Qt."""
