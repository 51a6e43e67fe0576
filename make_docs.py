#!/usr/bin/env python3
"""Build the lessons in sources/ into outputs/ (see README.md, or run with --help)."""

import sys
from pathlib import Path

from lessonkit.cli import main

if __name__ == "__main__":
    sys.exit(main(root=Path(__file__).resolve().parent))
