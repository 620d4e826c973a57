"""What a loan application and a service request share: the sealed draft, the HPKE package, the queueing, the status."""
