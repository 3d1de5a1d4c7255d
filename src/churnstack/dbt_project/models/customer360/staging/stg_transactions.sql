with

source as (

    select * from {{ source('raw', 'transactions') }}

),

renamed as (

    select
        -- keys
        cast(transaction_id as bigint) as transaction_id,
        cast(customer_id as varchar) as customer_id,

        -- when (the source's transaction_date is a timestamp)
        cast(transaction_date as timestamp) as transaction_at,
        cast(transaction_date as date) as transaction_date,

        -- what
        cast(transaction_amount as decimal(12, 2)) as transaction_amount,
        cast(merchant_name as varchar) as merchant_name,
        cast(merchant_category as varchar) as merchant_category,
        cast(channel as varchar) as channel,
        cast(status as varchar) as status,
        coalesce(cast(status as varchar) = 'approved', false) as is_approved,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number,
        cast(_ingested_at as timestamp) as _ingested_at

    from source

)

select * from renamed
