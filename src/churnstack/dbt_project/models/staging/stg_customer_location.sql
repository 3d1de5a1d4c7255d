with

source as (

    select * from {{ source('raw', 'customer_location') }}

),

renamed as (

    select
        cast(customer_id as varchar) as customer_id,
        cast(zip_code as varchar) as zip_code,
        cast(city as varchar) as city,
        cast(state as varchar) as state,
        cast(lat as double precision) as lat,
        cast(lng as double precision) as lng,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number,
        cast(_ingested_at as timestamp) as _ingested_at

    from source

)

select * from renamed
