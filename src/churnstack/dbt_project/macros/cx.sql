{#-
    Customer experience (seed 004) helpers.

    safe_timestamp(expression): the value as a timestamp, or null when it does
    not parse (never an error). Staging models count the nulls it makes, so a
    bad export shows up as a number instead of a failed run.
-#}
{% macro safe_timestamp(expression) -%}
    {{ return(adapter.dispatch('safe_timestamp', 'churnstack')(expression)) }}
{%- endmacro %}


{% macro duckdb__safe_timestamp(expression) -%}
    try_cast(cast({{ expression }} as varchar) as timestamp)
{%- endmacro %}


{#- PostgreSQL has no try_cast: accept ISO-8601 text (date, optional time), else null. -#}
{% macro default__safe_timestamp(expression) -%}
    case
        when cast({{ expression }} as {{ dbt.type_string() }})
            ~ '^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$'
            then cast(cast({{ expression }} as {{ dbt.type_string() }}) as timestamp)
    end
{%- endmacro %}


{#- 1 when a value was given but did not parse as a timestamp, else 0. -#}
{% macro unparsed_timestamp(expression) -%}
    case
        when {{ expression }} is not null and {{ safe_timestamp(expression) }} is null then 1
        else 0
    end
{%- endmacro %}


{#- Agent key of complaints nobody was assigned to (dim_agent's Unassigned member). -#}
{% macro unassigned_agent_id() -%}
    -1
{%- endmacro %}


{#-
    Channel hopping: a customer complaining again on another channel within this
    many days. A project constant, not a var, so every run measures the same thing
    and dbt's parse cache survives between runs.
-#}
{% macro channel_hop_window_days() -%}
    7
{%- endmacro %}
