"""Verifiable credentials of the villager (DESIGN §5): SD-JWT VC, trust and status lists, wallet, requests.

See docs/credentials.md for the API and the formats.
"""
