with

source as (

    select * from {{ source('raw', '_quarantine') }}

),

renamed as (

    select
        cast(_table as varchar) as table_name,
        cast(_raw as varchar) as raw_row,
        cast(_error as varchar) as error_message,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number

    from source

)

select * from renamed
