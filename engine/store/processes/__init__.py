"""Process definitions, instances, their task rows, incidents and escalations, and what hangs off a task:
evidence files and extension requests."""
