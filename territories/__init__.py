"""The territory directory: territories (a tree), places where teams go, partner
structures people are referred to, dated observations.

Stands on ``organisations`` (every row belongs to one) and ``core``.
"""
