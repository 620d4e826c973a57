"""Government services (零跑腿): the services catalog, requests sealed to an office, their status."""
