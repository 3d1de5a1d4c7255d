{#-
    The pipeline passes run_id, run_time and run_date on every invocation.
    These macros validate them and render them as typed SQL literals, so a
    malformed value fails at compile time with a clear message instead of
    producing wrong dates (or SQL injection through a var).
-#}

{% macro run_date_literal() -%}
    {%- set value = var('run_date') | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value) -%}
        {{ exceptions.raise_compiler_error("dbt var run_date must look like 'YYYY-MM-DD', got '" ~ value ~ "'. Pass it with --vars '{run_date: \"2026-01-31\"}'.") }}
    {%- endif -%}
    cast('{{ value }}' as date)
{%- endmacro %}


{% macro run_time_literal() -%}
    {%- set value = var('run_time') | string | trim | replace('T', ' ') -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,6})?$', value) -%}
        {{ exceptions.raise_compiler_error("dbt var run_time must look like 'YYYY-MM-DD HH:MM:SS' (UTC, no zone), got '" ~ value ~ "'. Pass it with --vars '{run_time: \"2026-01-31 00:00:00\"}'.") }}
    {%- endif -%}
    cast('{{ value }}' as timestamp)
{%- endmacro %}


{% macro run_id_literal() -%}
    {%- set value = var('run_id') | string -%}
    {%- if value | trim == '' -%}
        {{ exceptions.raise_compiler_error("dbt var run_id must not be empty.") }}
    {%- endif -%}
    cast('{{ value | replace("'", "''") }}' as {{ dbt.type_string() }})
{%- endmacro %}
