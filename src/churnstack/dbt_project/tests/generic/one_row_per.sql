{#-
    one_row_per: the model has exactly one row for every row of `to` (matched
    on column_name = field) and no rows for keys that `to` does not have.
    Each failing row names the key, how many model rows it has and whether
    the parent knows it.

        columns:
          - name: customer_id
            data_tests:
              - one_row_per:
                  arguments:
                    to: ref('dim_customer')
                    field: customer_id
-#}
{% test one_row_per(model, column_name, to, field) %}

with

model_keys as (

    select
        {{ column_name }} as key_value,
        count(*) as row_count

    from {{ model }}
    group by {{ column_name }}

),

parent_keys as (

    select {{ field }} as key_value
    from {{ to }}

),

failures as (

    select
        coalesce(parent_keys.key_value, model_keys.key_value) as key_value,
        coalesce(model_keys.row_count, 0) as model_row_count,
        parent_keys.key_value is not null as in_parent

    from parent_keys
    full outer join model_keys
        on parent_keys.key_value = model_keys.key_value
    where
        parent_keys.key_value is null
        or coalesce(model_keys.row_count, 0) <> 1

)

select * from failures

{% endtest %}
