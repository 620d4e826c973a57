"""The county end of the protocol: bridge, ledger, console."""
