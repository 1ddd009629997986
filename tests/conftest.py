"""Shared fixtures. The test environment itself is set in tests/environment.py (loaded first)."""
