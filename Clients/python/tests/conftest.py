import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.dirname(HERE))  # the package from the source tree (run `make gen` first)
FRAMES_DIR = os.path.join(REPO, "Tests", "Fixtures", "frames")
