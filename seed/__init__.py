"""Agencies, demo users and the seed plans as templates (added with the templates issue)."""
