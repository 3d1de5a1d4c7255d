with

churn_analysis as (

    select * from {{ ref('int_churn_analysis') }}

),

final as (

    select
        customer_id,
        customer_pseudonym as customer_key,
        gender,
        is_senior_citizen as senior_citizen,
        has_partner as partner,
        has_dependents as dependents,
        tenure_months,
        sign_up_date,
        service_id,
        location_id,
        is_churned as churn_flag,
        churn_date,
        churn_reason

    from churn_analysis

)

select * from final
