import sys
from pathlib import Path

# the tests' own helpers (tests/visible.py) are imported by name
sys.path.insert(0, str(Path(__file__).resolve().parent))
