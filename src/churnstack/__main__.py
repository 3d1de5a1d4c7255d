"""`python -m churnstack` runs the CLI."""

from churnstack.cli import app

app()
