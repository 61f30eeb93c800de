"""``python -m cli``: the same as the ``planflow`` command."""
from cli import main

main(prog_name="planflow")
