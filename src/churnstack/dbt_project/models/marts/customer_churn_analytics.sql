with

churn_analysis as (

    select * from {{ ref('int_churn_analysis') }}

),

final as (

    select
        customer_pseudonym,
        gender,
        is_senior_citizen as senior_citizen,
        has_partner as partner,
        has_dependents as dependents,
        tenure_months,
        has_phone_service as phone_service,
        multiple_lines,
        internet_service,
        online_security,
        online_backup,
        device_protection,
        tech_support,
        streaming_tv,
        streaming_movies,
        contract_type,
        has_paperless_billing as paperless_billing,
        payment_method,
        monthly_charges,
        total_charges_imputed as total_charges,
        is_total_charges_imputed,
        churn_flag,
        monthly_charges_category,
        tenure_category,
        {{ current_run_time() }} as processed_at

    from churn_analysis

)

select * from final
