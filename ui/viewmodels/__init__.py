"""Qt-free view-models: one per screen, state as frozen dataclasses, driven on the GUI thread."""
