"""Synthetic demo data: a telecom's customers, where they live, and their reviews.

``generate_demo`` writes four files shaped like the project's sources
(``shared/SOURCES.md``): ``telco_customers.csv`` (IBM Telco Customer Churn's
21 columns), ``customer_location.csv``, ``zip_population.csv`` and
``customer_reviews.jsonl``, optionally with a few planted defects so the
quarantine path has work to do. Generation is vectorised with NumPy and
deterministic for a given seed and ``as_of`` date.
"""

from churnstack.generate.demo import GeneratedFiles, generate_demo

__all__ = ["GeneratedFiles", "generate_demo"]
