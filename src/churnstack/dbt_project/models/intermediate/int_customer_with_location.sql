with

customers as (

    select * from {{ ref('stg_customer_churn') }}

),

locations as (

    select * from {{ ref('stg_customer_location') }}

),

zip_population as (

    select * from {{ ref('stg_zip_population') }}

),

joined as (

    select
        customers.customer_id,
        customers.customer_pseudonym,
        customers.gender,
        customers.is_senior_citizen,
        customers.has_partner,
        customers.has_dependents,
        customers.tenure_months,
        customers.contract_type,
        customers.has_paperless_billing,
        customers.payment_method,
        customers.has_phone_service,
        customers.multiple_lines,
        customers.internet_service,
        customers.online_security,
        customers.online_backup,
        customers.device_protection,
        customers.tech_support,
        customers.streaming_tv,
        customers.streaming_movies,
        customers.monthly_charges,
        customers.total_charges,
        customers.is_churned,

        locations.zip_code,
        locations.city,
        locations.state,
        locations.lat,
        locations.lng,
        zip_population.population,
        zip_population.density,
        locations.customer_id is not null as has_location,

        customers._run_id,
        customers._load_time,
        customers._source_file,
        customers._row_number,
        customers._ingested_at

    from customers
    left join locations
        on customers.customer_id = locations.customer_id
    left join zip_population
        on locations.zip_code = zip_population.zip_code

)

select * from joined
