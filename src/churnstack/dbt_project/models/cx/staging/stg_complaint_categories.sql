with

source as (

    select * from {{ source('raw_cx', 'complaint_categories') }}

),

renamed as (

    select
        cast(category as varchar) as complaint_category,
        cast(description as varchar) as category_description,
        cast(severity as varchar) as severity,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number,
        cast(_ingested_at as timestamp) as _ingested_at

    from source

)

select * from renamed
