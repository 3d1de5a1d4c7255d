with

source as (

    select * from {{ source('raw', 'inventory') }}

),

renamed as (

    select
        cast(snapshot_date as date) as snapshot_date,
        cast(product_id as varchar) as product_id,
        cast(warehouse as varchar) as warehouse_name,
        cast(on_hand as integer) as on_hand,
        cast(coalesce(on_order, 0) as integer) as on_order,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number,
        cast(_ingested_at as timestamp) as _ingested_at

    from source

)

select * from renamed
