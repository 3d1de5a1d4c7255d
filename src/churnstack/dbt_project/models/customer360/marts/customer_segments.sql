{#-
    Rolling 90-day metrics per current customer as of the run date, kept
    across runs (one row per customer per run date; re-running a date
    replaces its rows). The window is the 90 days ending on the run date,
    inclusive: run_date - 89 ... run_date; the prior window is the 90 days
    before it. Spend is approved amounts only.
-#}
{{
    config(
        materialized='incremental',
        unique_key=['customer_id', 'as_of_date'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
    )
}}

with

run_context as (

    select run_date from {{ ref('stg_run_context') }}

),

customers as (

    select
        customer_id,
        customer_segment

    from {{ ref('dim_customer_history') }}
    where is_current

),

recent_transactions as (

    select
        fct.customer_id,
        fct.transaction_date,
        fct.is_approved,
        fct.approved_amount,
        fct.transaction_date
        > {{ dbt.dateadd('day', -90, 'run_context.run_date') }} as is_in_window

    from {{ ref('fct_transactions') }} as fct
    cross join run_context
    where
        fct.transaction_date > {{ dbt.dateadd('day', -180, 'run_context.run_date') }}
        and fct.transaction_date <= run_context.run_date

),

per_customer as (

    select
        customer_id,
        sum(case when is_in_window and is_approved then 1 else 0 end) as transactions_90d,
        sum(case when is_in_window then approved_amount else 0 end) as spend_90d,
        sum(
            case when not is_in_window and is_approved then 1 else 0 end
        ) as transactions_prior_90d,
        sum(case when not is_in_window then approved_amount else 0 end) as spend_prior_90d,
        max(case when is_approved then transaction_date end) as last_transaction_date

    from recent_transactions
    group by customer_id

),

final as (

    select
        {{ surrogate_key(['customers.customer_id', 'run_context.run_date']) }}
            as customer_segment_key,
        customers.customer_id,
        run_context.run_date as as_of_date,
        customers.customer_segment,
        coalesce(per_customer.transactions_90d, 0) as transactions_90d,
        cast(coalesce(per_customer.spend_90d, 0) as decimal(14, 2)) as spend_90d,
        cast(
            per_customer.spend_90d / nullif(per_customer.transactions_90d, 0) as decimal(12, 2)
        ) as avg_transaction_value_90d,
        coalesce(per_customer.transactions_prior_90d, 0) as transactions_prior_90d,
        cast(coalesce(per_customer.spend_prior_90d, 0) as decimal(14, 2)) as spend_prior_90d,
        cast(
            100.0
            * (per_customer.spend_90d - per_customer.spend_prior_90d)
            / nullif(per_customer.spend_prior_90d, 0)
            as decimal(10, 2)
        ) as spend_change_pct,
        per_customer.last_transaction_date,
        {{ dbt.datediff('per_customer.last_transaction_date', 'run_context.run_date', 'day') }}
            as days_since_last_transaction,
        case
            when per_customer.transactions_90d > 0 then 'active'
            when per_customer.transactions_prior_90d > 0 then 'lapsing'
            else 'inactive'
        end as activity_status

    from customers
    cross join run_context
    left join per_customer
        on customers.customer_id = per_customer.customer_id

)

select * from final
