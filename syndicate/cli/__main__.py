"""`python -m syndicate.cli`, as the `syndicate` script."""
from . import main

main(prog_name="syndicate")
