"""The wire to the county over MQTT; sync.county is the county end of the same protocol."""
