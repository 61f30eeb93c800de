"""One function per use case. Every caller (CLI, API, tests) goes through these."""
