{#-
    date_key(expression): the integer key of dim_date (20260301) for a date or
    timestamp expression. Plain extract() arithmetic: the same on DuckDB and
    PostgreSQL.
-#}
{% macro date_key(expression) -%}
    cast(extract(year from {{ expression }}) * 10000 + extract(month from {{ expression }}) * 100 + extract(day from {{ expression }}) as integer)
{%- endmacro %}
