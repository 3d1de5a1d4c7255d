with

churn_analysis as (

    select * from {{ ref('int_churn_analysis') }}

),

final as (

    select
        service_id,
        has_phone_service as phone_service,
        multiple_lines,
        internet_service,
        online_security,
        online_backup,
        device_protection,
        tech_support,
        streaming_tv,
        streaming_movies,
        contract_type as contract,
        payment_method,
        has_paperless_billing as paperless_billing

    from churn_analysis
    group by
        service_id,
        has_phone_service,
        multiple_lines,
        internet_service,
        online_security,
        online_backup,
        device_protection,
        tech_support,
        streaming_tv,
        streaming_movies,
        contract_type,
        payment_method,
        has_paperless_billing

)

select * from final
