"""Lets `python -m docgen` run the command line."""

from .cli import main

main(prog_name="docgen")
