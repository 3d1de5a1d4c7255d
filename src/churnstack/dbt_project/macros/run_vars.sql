{#-
    The run being transformed. The loader writes it to raw._run_context (one
    row: run_id, run_date, run_time, the run's *logical* time), and these
    macros read it through stg_run_context as scalar subqueries. Models never
    read the clock, and because nothing run-specific is passed as a dbt var,
    dbt can reuse its parse between runs (vars would force a full re-parse).
-#}

{% macro current_run_id() -%}
    (select run_id from {{ ref('stg_run_context') }})
{%- endmacro %}


{% macro current_run_date() -%}
    (select run_date from {{ ref('stg_run_context') }})
{%- endmacro %}


{% macro current_run_time() -%}
    (select run_time from {{ ref('stg_run_context') }})
{%- endmacro %}
