"""Marketing metrics over the warehouse.

For now only the overview figures of the workspace home and portfolio; the full KPI layer
(DESIGN.md §5: CAC, LTV, ROMI… as typed queries with one runner) builds on this package.
"""
