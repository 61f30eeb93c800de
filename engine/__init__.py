"""planflow's engine: plans, processes, tasks, timers and their persistence.

Usable without Flask: the CLI, the tests and the API all call the services in
``engine.services``.
"""
