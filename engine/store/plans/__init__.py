"""The plan side: the agency directory, templates, plans and their items."""
