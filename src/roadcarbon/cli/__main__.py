"""``python -m roadcarbon.cli``."""

from roadcarbon.cli import main

main()
