"""Lets `python -m docgen` run the command line."""

from docgen.cli import main

main(prog_name="docgen")
