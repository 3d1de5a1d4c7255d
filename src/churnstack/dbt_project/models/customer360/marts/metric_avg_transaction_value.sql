{#-
    Average (and median) approved ticket per month and customer segment, the
    segment being the customer's segment when they paid (their SCD2 version
    at the transaction's time).
-#}
with

run_context as (

    select
        cast({{ dbt.date_trunc('month', 'run_date') }} as date) as current_month

    from {{ ref('stg_run_context') }}

),

transactions as (

    select
        cast({{ dbt.date_trunc('month', 'transaction_date') }} as date) as transaction_month,
        coalesce(customer_segment, 'Unknown') as customer_segment,
        is_approved,
        transaction_amount,
        approved_amount

    from {{ ref('fct_transactions') }}

),

per_month as (

    select
        transaction_month,
        customer_segment,
        count(*) as transaction_count,
        sum(case when is_approved then 1 else 0 end) as approved_transactions,
        sum(approved_amount) as approved_amount,
        {{ median_of('case when is_approved then transaction_amount end') }}
            as median_transaction_value

    from transactions
    group by transaction_month, customer_segment

),

final as (

    select
        {{ surrogate_key(['per_month.transaction_month', 'per_month.customer_segment']) }}
            as month_segment_key,
        per_month.transaction_month,
        per_month.customer_segment,
        per_month.transaction_count,
        per_month.approved_transactions,
        cast(per_month.approved_amount as decimal(16, 2)) as approved_amount,
        cast(
            per_month.approved_amount / nullif(per_month.approved_transactions, 0)
            as decimal(12, 2)
        ) as avg_transaction_value,
        cast(per_month.median_transaction_value as decimal(12, 2)) as median_transaction_value,
        per_month.transaction_month < run_context.current_month as is_complete_month

    from per_month
    cross join run_context

)

select * from final
