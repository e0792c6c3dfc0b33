"""Metric queries over the store, written once as Ibis expressions (DESIGN.md: analytics layer)."""
