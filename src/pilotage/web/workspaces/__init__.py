"""Workspaces (one per company), memberships with roles, and the audit trail."""
