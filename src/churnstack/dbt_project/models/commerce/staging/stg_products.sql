with

source as (

    select * from {{ source('raw', 'products') }}

),

renamed as (

    select
        cast(product_id as varchar) as product_id,
        cast(product_name as varchar) as product_name,
        cast(category as varchar) as category,
        cast(subcategory as varchar) as subcategory,
        cast(unit_price as decimal(12, 2)) as unit_price,
        cast(unit_cost as decimal(12, 2)) as unit_cost,
        cast(launched_at as date) as launched_date,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number,
        cast(_ingested_at as timestamp) as _ingested_at

    from source

)

select * from renamed
