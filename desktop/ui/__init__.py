"""The counter window (PySide6). Only this package imports Qt."""
