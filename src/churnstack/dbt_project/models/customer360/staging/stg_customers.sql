with

source as (

    select * from {{ source('raw', 'customers') }}

),

renamed as (

    select
        -- keys
        cast(customer_id as varchar) as customer_id,
        cast(customer_id_pseudonym as varchar) as customer_pseudonym,

        -- profile
        cast(first_name as varchar) as first_name,
        cast(last_name as varchar) as last_name,
        cast(email as varchar) as email,
        cast(age as integer) as age,
        cast(state as varchar) as state,
        cast(city as varchar) as city,
        cast(employment_status as varchar) as employment_status,

        -- account
        cast(card_type as varchar) as card_type,
        cast(credit_limit as decimal(12, 2)) as credit_limit,
        cast(account_open_date as date) as account_open_date,
        cast(customer_segment as varchar) as customer_segment,
        cast(decline_type as varchar) as decline_type,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number,
        cast(_ingested_at as timestamp) as _ingested_at

    from source

)

select * from renamed
