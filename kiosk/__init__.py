"""The kiosk core: domain, flows, store and crypto. Pure Python: no Qt, no hardware, no network."""
