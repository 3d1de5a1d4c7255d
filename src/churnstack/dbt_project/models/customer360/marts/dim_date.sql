{#-
    Date spine over every fact: from the earliest to the latest date of the
    transactions, orders, clickstream, inventory and campaigns (and the run
    date, so the dimension is never empty). Built from staging, so it exists
    before the facts that reference it. Up to 10,000 days (27 years).
-#}
{%- set day_names = [
    'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'
] -%}
{%- set month_names = [
    'January', 'February', 'March', 'April', 'May', 'June',
    'July', 'August', 'September', 'October', 'November', 'December'
] -%}

with

run_context as (

    select run_date from {{ ref('stg_run_context') }}

),

fact_dates as (

    select
        min(transaction_date) as first_date,
        max(transaction_date) as last_date
    from {{ ref('stg_transactions') }}

    union all

    select
        min(order_date) as first_date,
        max(order_date) as last_date
    from {{ ref('stg_orders') }}

    union all

    select
        min(event_date) as first_date,
        max(event_date) as last_date
    from {{ ref('stg_clickstream') }}

    union all

    select
        min(snapshot_date) as first_date,
        max(snapshot_date) as last_date
    from {{ ref('stg_inventory') }}

    union all

    select
        min(start_date) as first_date,
        max(end_date) as last_date
    from {{ ref('stg_campaigns') }}

    union all

    select
        run_date as first_date,
        run_date as last_date
    from run_context

),

bounds as (

    select
        min(first_date) as first_date,
        max(last_date) as last_date

    from fact_dates

),

numbers as (

    {{ dbt.generate_series(10000) }}

),

days as (

    select
        cast(
            {{ dbt.dateadd('day', 'numbers.generated_number - 1', 'bounds.first_date') }} as date
        ) as date_day

    from numbers
    cross join bounds
    where
        numbers.generated_number - 1
        <= {{ dbt.datediff('bounds.first_date', 'bounds.last_date', 'day') }}

),

parts as (

    select
        date_day,
        cast(extract(year from date_day) as integer) as year_number,
        cast(extract(quarter from date_day) as integer) as quarter_number,
        cast(extract(month from date_day) as integer) as month_number,
        cast(extract(day from date_day) as integer) as day_of_month,
        cast(extract(isodow from date_day) as integer) as day_of_week,
        cast(extract(week from date_day) as integer) as iso_week

    from days

),

final as (

    select
        {{ date_key('date_day') }} as date_key,
        date_day,
        year_number,
        quarter_number,
        month_number,
        case month_number
            {%- for name in month_names %}
            when {{ loop.index }} then '{{ name }}'
            {%- endfor %}
        end as month_name,
        day_of_month,
        day_of_week,
        case day_of_week
            {%- for name in day_names %}
            when {{ loop.index }} then '{{ name }}'
            {%- endfor %}
        end as day_name,
        iso_week,
        day_of_week in (6, 7) as is_weekend,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start_date,
        year_number * 100 + month_number as year_month_number

    from parts

)

select * from final
