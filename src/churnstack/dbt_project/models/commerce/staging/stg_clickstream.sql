with

source as (

    select * from {{ source('raw', 'clickstream') }}

),

renamed as (

    select
        cast(event_id as varchar) as event_id,
        cast(session_id as varchar) as session_id,
        cast(customer_id as varchar) as customer_id,
        cast(event_type as varchar) as event_type,
        cast(product_id as varchar) as product_id,
        cast(event_at as timestamp) as event_at,
        cast(event_at as date) as event_date,
        cast(device as varchar) as device,
        cast(referrer as varchar) as referrer,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number,
        cast(_ingested_at as timestamp) as _ingested_at

    from source

)

select * from renamed
