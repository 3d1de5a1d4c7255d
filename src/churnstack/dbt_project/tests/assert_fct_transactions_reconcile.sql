{{ config(tags=['customer360']) }}

-- Reconciliation: fct_transactions holds exactly the transactions loaded into the
-- warehouse (raw.transactions, through stg_transactions): same row count, same
-- approved total to the cent. One row when they differ.
with

loaded as (

    select
        count(*) as row_count,
        coalesce(sum(case when is_approved then transaction_amount else 0 end), 0)
            as approved_total

    from {{ ref('stg_transactions') }}

),

modelled as (

    select
        count(*) as row_count,
        coalesce(sum(approved_amount), 0) as approved_total

    from {{ ref('fct_transactions') }}

)

select
    loaded.row_count as loaded_rows,
    modelled.row_count as fact_rows,
    loaded.approved_total as loaded_approved_total,
    modelled.approved_total as fact_approved_total

from loaded
cross join modelled
where
    loaded.row_count <> modelled.row_count
    or loaded.approved_total <> modelled.approved_total
