with

source as (

    select * from {{ source('raw', 'zip_population') }}

),

renamed as (

    select
        cast(zip_code as varchar) as zip_code,
        cast(population as bigint) as population,
        cast(density as double precision) as density,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number,
        cast(_ingested_at as timestamp) as _ingested_at

    from source

)

select * from renamed
