"""Transformations: the dbt project, run in-process."""
