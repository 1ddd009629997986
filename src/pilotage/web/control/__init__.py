"""The control dashboard: scorecard, channel table, funnel, trends, drill-down, exports."""
