{{
    config(
        materialized='incremental',
        unique_key='run_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        tags=['run_record'],
    )
}}

with

customers as (

    select * from {{ ref('customer_churn_analytics') }}

),

quarantine as (

    select * from {{ ref('stg_quarantine') }}

),

load_audit as (

    select * from {{ ref('stg_load_audit') }}

),

customer_metrics as (

    select
        count(*) as total_records,
        coalesce(sum(churn_flag), 0) as churned_records,
        avg(monthly_charges) as avg_monthly_charges,
        avg(tenure_months) as avg_tenure_months

    from customers

),

quarantine_metrics as (

    select count(*) as quarantined_rows

    from quarantine
    where _run_id = {{ current_run_id() }}

),

audit_metrics as (

    select coalesce(sum(source_rows), 0) as source_rows

    from load_audit
    where run_id = {{ current_run_id() }}

),

final as (

    select
        {{ current_run_id() }} as run_id,
        {{ current_run_time() }} as run_time,
        {{ current_run_date() }} as run_date,
        cast(customer_metrics.total_records as bigint) as total_records,
        cast(customer_metrics.churned_records as bigint) as churned_records,
        cast(
            100.0 * customer_metrics.churned_records
            / nullif(customer_metrics.total_records, 0)
            as decimal(5, 2)
        ) as churn_rate,
        cast(
            customer_metrics.avg_monthly_charges as decimal(10, 2)
        ) as avg_monthly_charges,
        cast(
            customer_metrics.avg_tenure_months as decimal(10, 2)
        ) as avg_tenure_months,
        cast(quarantine_metrics.quarantined_rows as bigint) as quarantined_rows,
        cast(audit_metrics.source_rows as bigint) as source_rows

    from customer_metrics
    cross join quarantine_metrics
    cross join audit_metrics

)

select * from final
