"""Strategic analysis without Django: TOWS pairs, targeting scorecards (DESIGN.md §2)."""
