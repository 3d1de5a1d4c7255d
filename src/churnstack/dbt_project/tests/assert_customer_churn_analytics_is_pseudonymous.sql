{#-
    customer_churn_analytics is the pseudonymous mart (seed 001): it must not
    carry the raw customer id under any of its names. Fails with one row per
    offending column.
-#}
{%- set forbidden = ['customer_id', 'customerid'] -%}
{%- set analytics = ref('customer_churn_analytics') -%}
{%- set found = [] -%}
{%- if execute -%}
{%- for column in adapter.get_columns_in_relation(analytics) -%}
{%- if column.name | lower in forbidden -%}
{%- do found.append(column.name) -%}
{%- endif -%}
{%- endfor -%}
{%- endif %}

with

forbidden_columns as (

    select cast(null as varchar) as column_name
    {%- for column_name in found %}
    union all
    select '{{ column_name }}' as column_name
    {%- endfor %}

)

select column_name
from forbidden_columns
where column_name is not null
