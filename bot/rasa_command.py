"""The `rasa` command, with skops imported before Rasa loads TensorFlow.

skops, which saves and loads the intent classifier, names every scipy ufunc when it is imported by searching all
loaded modules. After TensorFlow's thousands that search took 10-12 s of every training and every server start;
before them it takes well under one. So the project starts Rasa as `python -m bot.rasa_command run|train|test ...`.
"""
import sys

import skops.io  # noqa: F401  (first, on purpose: see above)
from rasa.__main__ import main

if __name__ == "__main__":
    sys.argv[0] = "rasa"
    main()
