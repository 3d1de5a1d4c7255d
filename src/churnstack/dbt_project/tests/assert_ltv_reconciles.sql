{{ config(tags=['customer360']) }}

-- Reconciliation: the customers' lifetime values add up to the approved transaction
-- total of fct_transactions, to the cent. One row when they differ.
with

ltv as (

    select coalesce(sum(lifetime_value), 0) as total
    from {{ ref('metric_customer_ltv') }}

),

transactions as (

    select coalesce(sum(approved_amount), 0) as total
    from {{ ref('fct_transactions') }}

)

select
    ltv.total as ltv_total,
    transactions.total as transaction_total

from ltv
cross join transactions
where ltv.total <> transactions.total
