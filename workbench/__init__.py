"""Workbench: train neural networks by clicking."""

__version__ = "0.1.0"
