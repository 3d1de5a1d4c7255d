with

source as (

    select * from {{ source('raw', 'orders') }}

),

renamed as (

    select
        cast(order_id as varchar) as order_id,
        cast(customer_id as varchar) as customer_id,
        cast(ordered_at as timestamp) as ordered_at,
        cast(ordered_at as date) as order_date,
        cast(channel as varchar) as channel,
        cast(campaign_id as varchar) as campaign_id,
        cast(status as varchar) as status,
        cast(shipping_state as varchar) as shipping_state,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number,
        cast(_ingested_at as timestamp) as _ingested_at

    from source

)

select * from renamed
