{#-
    surrogate_key(["col_a", "col_b"]) -> md5 hex of the values joined by '|'.

    Each expression is cast to the adapter's string type; a null becomes a
    fixed marker so (null, 'x') and ('', 'x') hash differently and a null never
    makes the whole key null. Built on dbt.hash and dbt.concat, so the same
    values give the same key on DuckDB and PostgreSQL.
-#}
{% macro surrogate_key(expressions) -%}
    {%- if expressions is string or expressions | length == 0 -%}
        {{ exceptions.raise_compiler_error("surrogate_key expects a non-empty list of column expressions, got: " ~ expressions) }}
    {%- endif -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce(cast(" ~ expression ~ " as " ~ dbt.type_string() ~ "), '__null__')") -%}
        {%- if not loop.last -%}
            {%- do parts.append("'|'") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(parts)) }}
{%- endmacro %}


{#- Key of the "unknown" member that dimensions add for facts without a match. -#}
{% macro unknown_key() -%}
    '-1'
{%- endmacro %}
