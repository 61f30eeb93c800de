"""The audit log: its events, the head of its hash chain, and the repository that seals it at commit."""
