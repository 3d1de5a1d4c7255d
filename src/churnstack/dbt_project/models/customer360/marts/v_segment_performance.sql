{#-
    Named after seed 003's view, built as a (small) table: the published
    snapshot is a copy of the warehouse file under another name, where a DuckDB
    view's stored, catalog-qualified SQL would no longer resolve.
-#}
{{ config(materialized='table') }}

with

segments as (

    select * from {{ ref('customer_segments') }}

),

final as (

    select
        {{ surrogate_key(['as_of_date', 'customer_segment']) }} as segment_day_key,
        as_of_date,
        customer_segment,
        count(*) as customers,
        sum(case when activity_status = 'active' then 1 else 0 end) as active_customers,
        sum(spend_90d) as spend_90d,
        cast(avg(spend_90d) as decimal(14, 2)) as avg_spend_90d,
        cast(
            sum(spend_90d) / nullif(sum(transactions_90d), 0) as decimal(12, 2)
        ) as avg_transaction_value_90d,
        cast(
            100.0 * (sum(spend_90d) - sum(spend_prior_90d)) / nullif(sum(spend_prior_90d), 0)
            as decimal(10, 2)
        ) as spend_change_pct

    from segments
    group by as_of_date, customer_segment

)

select * from final
