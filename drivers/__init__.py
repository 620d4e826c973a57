"""Hardware drivers behind the Protocols of kiosk.ports, each with a fake in drivers.fake."""
