{#-
    median_of(expr): the continuous median, as double precision (not
    dbt.type_float(), which is a 4-byte float on DuckDB). percentile_cont ...
    within group is standard SQL and runs on DuckDB and PostgreSQL (default);
    engines without it (e.g. BigQuery) get their own implementation here.
-#}
{% macro median_of(expression) -%}
    {{ return(adapter.dispatch('median_of', 'churnstack')(expression)) }}
{%- endmacro %}

{% macro default__median_of(expression) -%}
    percentile_cont(0.5) within group (order by cast({{ expression }} as double precision))
{%- endmacro %}


{#-
    mode_of(column, relation): a scalar subquery returning the most frequent
    non-null value of column in relation (a CTE name or a relation). Ties go to
    the smallest value, so the result is deterministic on every engine (unlike
    PostgreSQL's mode(), which picks an arbitrary one).
-#}
{% macro mode_of(column, relation) -%}
    {#- one line on purpose: sqlfluff checks the indentation of rendered lines -#}
    (select {{ column }} from {{ relation }} where {{ column }} is not null group by {{ column }} order by count(*) desc, {{ column }} limit 1)
{%- endmacro %}
