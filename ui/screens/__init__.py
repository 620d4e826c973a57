"""The screens: QWidgets that only wire and render; their state lives in `ui/viewmodels/`."""
