with

source as (

    select * from {{ source('raw', 'order_items') }}

),

renamed as (

    select
        cast(order_item_id as varchar) as order_item_id,
        cast(order_id as varchar) as order_id,
        cast(product_id as varchar) as product_id,
        cast(quantity as integer) as quantity,
        cast(unit_price as decimal(12, 2)) as unit_price,
        cast(coalesce(discount, 0) as decimal(6, 4)) as discount_rate,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number,
        cast(_ingested_at as timestamp) as _ingested_at

    from source

)

select * from renamed
