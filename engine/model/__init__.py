"""The rules, as plain values and functions: no database, no Flask, no SpiffWorkflow."""
