"""Source templates that Workbench writes out for people to run elsewhere.

``train_script.py`` is the standalone training script behind "Export > Training script". It is
kept here as a real Python module (linted and tested like the rest of the package) and copied
out by ``workbench.core.export.export_script`` with a few placeholders filled in.
"""
