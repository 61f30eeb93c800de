"""Marshmallow schemas for the forms collected at each step (added with the API issue)."""
