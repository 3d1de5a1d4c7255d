{#-
    SCD2 conventions shared by the history dimensions (dim_customer_history,
    dim_product):

    - scd2_end_of_time(): valid_to of a current version (dbt snapshots are
      configured with dbt_valid_to_current to the same value, so a current row
      never has a null valid_to and range joins need no coalesce).
    - scd2_beginning(): valid_from of a key's *first* version. History loaded
      on the first run (18 months of transactions) predates the first
      snapshot; the first version known stands for that past, so every fact
      finds exactly one version and intervals have no gap.
-#}
{% macro scd2_end_of_time() -%}
    cast('9999-12-31 00:00:00' as timestamp)
{%- endmacro %}


{% macro scd2_beginning() -%}
    cast('1900-01-01 00:00:00' as timestamp)
{%- endmacro %}
