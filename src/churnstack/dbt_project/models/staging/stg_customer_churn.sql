with

source as (

    select * from {{ source('raw', 'telco_customers') }}

),

renamed as (

    select
        -- keys
        cast(customer_id as varchar) as customer_id,
        cast(customer_id_pseudonym as varchar) as customer_pseudonym,

        -- demographics
        cast(gender as varchar) as gender,
        cast(senior_citizen = 1 as boolean) as is_senior_citizen,
        {{ yes_no_to_boolean('partner') }} as has_partner,
        {{ yes_no_to_boolean('dependents') }} as has_dependents,

        -- account
        cast(tenure as integer) as tenure_months,
        cast(contract as varchar) as contract_type,
        {{ yes_no_to_boolean('paperless_billing') }} as has_paperless_billing,
        cast(payment_method as varchar) as payment_method,

        -- services
        {{ yes_no_to_boolean('phone_service') }} as has_phone_service,
        cast(multiple_lines as varchar) as multiple_lines,
        cast(internet_service as varchar) as internet_service,
        cast(online_security as varchar) as online_security,
        cast(online_backup as varchar) as online_backup,
        cast(device_protection as varchar) as device_protection,
        cast(tech_support as varchar) as tech_support,
        cast(streaming_tv as varchar) as streaming_tv,
        cast(streaming_movies as varchar) as streaming_movies,

        -- money (null total_charges: not billed yet, tenure 0)
        cast(monthly_charges as decimal(10, 2)) as monthly_charges,
        cast(total_charges as decimal(10, 2)) as total_charges,

        -- outcome
        {{ yes_no_to_boolean('churn') }} as is_churned,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number,
        cast(_ingested_at as timestamp) as _ingested_at

    from source

)

select * from renamed
