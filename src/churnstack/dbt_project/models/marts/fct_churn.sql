with

churn_analysis as (

    select * from {{ ref('int_churn_analysis') }}

),

final as (

    select
        {{ surrogate_key(['customer_pseudonym', 'snapshot_date']) }} as churn_id,
        customer_id,
        service_id,
        location_id,
        churn_date,
        is_churned as churned,
        tenure_months,
        monthly_charges,
        total_charges,
        contract_type,
        payment_method,
        has_paperless_billing as paperless_billing,
        revenue_impact,
        snapshot_date,
        _run_id

    from churn_analysis

)

select * from final
