{#-
    Realised customer lifetime value: every approved transaction in the
    warehouse, per customer. Customers without transactions get 0, and a
    customer the customer file does not know keeps its row (no segment), so
    the total always equals the transactions' approved total.
-#}
with

run_context as (

    select run_date from {{ ref('stg_run_context') }}

),

customers as (

    select
        customer_id,
        customer_segment,
        account_open_date

    from {{ ref('dim_customer_history') }}
    where is_current

),

per_customer as (

    select
        customer_id,
        sum(case when is_approved then 1 else 0 end) as approved_transactions,
        sum(approved_amount) as lifetime_value,
        min(case when is_approved then transaction_date end) as first_transaction_date,
        max(case when is_approved then transaction_date end) as last_transaction_date

    from {{ ref('fct_transactions') }}
    group by customer_id

),

joined as (

    select
        coalesce(customers.customer_id, per_customer.customer_id) as customer_id,
        customers.customer_segment,
        customers.account_open_date,
        coalesce(per_customer.approved_transactions, 0) as approved_transactions,
        cast(coalesce(per_customer.lifetime_value, 0) as decimal(16, 2)) as lifetime_value,
        per_customer.first_transaction_date,
        per_customer.last_transaction_date

    from customers
    full outer join per_customer
        on customers.customer_id = per_customer.customer_id

),

spans as (

    select
        *,
        {{ dbt.datediff('first_transaction_date', 'last_transaction_date', 'month') }}
        + 1 as active_months

    from joined

),

final as (

    select
        spans.customer_id,
        spans.customer_segment,
        spans.approved_transactions,
        spans.lifetime_value,
        spans.first_transaction_date,
        spans.last_transaction_date,
        spans.active_months,
        cast(spans.lifetime_value / spans.active_months as decimal(14, 2)) as avg_monthly_value,
        cast(12 * spans.lifetime_value / spans.active_months as decimal(14, 2))
            as projected_12m_value,
        cast(
            spans.lifetime_value / nullif(spans.approved_transactions, 0) as decimal(12, 2)
        ) as avg_transaction_value,
        {{ dbt.datediff('spans.account_open_date', 'run_context.run_date', 'month') }}
            as tenure_months

    from spans
    cross join run_context

)

select * from final
