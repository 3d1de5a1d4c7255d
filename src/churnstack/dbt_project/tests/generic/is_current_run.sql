{#-
    is_current_run: every value of the column equals the current run id (stg_run_context)
    (nulls fail too). For tables the loader fills for the current run only.
-#}
{% test is_current_run(model, column_name) %}

select {{ column_name }} as run_id
from {{ model }}
where {{ column_name }} is null or {{ column_name }} <> {{ current_run_id() }}

{% endtest %}
