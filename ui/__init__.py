"""The PySide6 touchscreen app: screens, widgets, Qt-free view-models, translations."""
