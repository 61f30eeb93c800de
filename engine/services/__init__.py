"""Use cases, one module per area: every caller (the pages, the API, the command line, the tests) goes through
these, each with its unit of work, clock and actor."""
