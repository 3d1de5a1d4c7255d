{#-
    Acquisition cohorts: customers by the month they opened their account,
    and the share of each cohort with an approved transaction in each month
    since. Only cohorts that opened within the transaction history are
    shown (older cohorts are not observed from their month 0).
-#}
with

run_context as (

    select
        cast({{ dbt.date_trunc('month', 'run_date') }} as date) as current_month

    from {{ ref('stg_run_context') }}

),

activity as (

    select distinct
        customer_id,
        cast({{ dbt.date_trunc('month', 'transaction_date') }} as date) as activity_month

    from {{ ref('fct_transactions') }}
    where is_approved

),

history_start as (

    select min(activity_month) as first_month from activity

),

customers as (

    select
        dim.customer_id,
        cast({{ dbt.date_trunc('month', 'dim.account_open_date') }} as date) as cohort_month

    from {{ ref('dim_customer_history') }} as dim
    cross join history_start
    where
        dim.is_current
        and dim.account_open_date >= history_start.first_month

),

cohorts as (

    select
        cohort_month,
        count(*) as cohort_size

    from customers
    group by cohort_month

),

numbers as (

    {{ dbt.generate_series(240) }}

),

grid as (

    select
        cohorts.cohort_month,
        cohorts.cohort_size,
        cast(numbers.generated_number - 1 as integer) as months_since_open,
        cast(
            {{ dbt.dateadd('month', 'numbers.generated_number - 1', 'cohorts.cohort_month') }}
            as date
        ) as activity_month

    from cohorts
    cross join numbers

),

active as (

    select
        customers.cohort_month,
        activity.activity_month,
        count(*) as active_customers

    from customers
    inner join activity
        on customers.customer_id = activity.customer_id
    group by customers.cohort_month, activity.activity_month

),

final as (

    select
        {{ surrogate_key(['grid.cohort_month', 'grid.months_since_open']) }} as cohort_month_key,
        grid.cohort_month,
        grid.months_since_open,
        grid.activity_month,
        grid.cohort_size,
        coalesce(active.active_customers, 0) as active_customers,
        cast(
            1.0 * coalesce(active.active_customers, 0) / grid.cohort_size as decimal(6, 4)
        ) as retention_rate,
        grid.activity_month < run_context.current_month as is_complete_month

    from grid
    cross join run_context
    left join active
        on
            grid.cohort_month = active.cohort_month
            and grid.activity_month = active.activity_month
    where grid.activity_month <= run_context.current_month

)

select * from final
