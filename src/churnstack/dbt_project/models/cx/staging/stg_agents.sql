with

source as (

    select * from {{ source('raw_cx', 'agents') }}

),

renamed as (

    select
        cast(id as integer) as agent_id,
        cast(name as varchar) as agent_name,
        cast(experience as varchar) as experience,
        cast(state as varchar) as state,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number,
        cast(_ingested_at as timestamp) as _ingested_at

    from source

)

select * from renamed
