"""Loans (issue 6): the county's signed product catalog, money in fen, eligibility rules, applications."""
