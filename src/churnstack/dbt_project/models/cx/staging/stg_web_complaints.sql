with

source as (

    select * from {{ source('raw_cx', 'web_forms') }}

),

parsed as (

    select
        *,
        {{ safe_timestamp('request_date') }} as requested_at,
        {{ safe_timestamp('resolution_date') }} as resolution_at
    from source

),

renamed as (

    select
        cast(request_id as varchar) as source_complaint_id,
        'Web' as channel,
        cast(customer_id as varchar) as customer_id,
        -- null until somebody picks the complaint up: the Unassigned agent
        coalesce(cast(agent_id as integer), {{ unassigned_agent_id() }}) as agent_id,
        cast(complaint_category as varchar) as complaint_category,
        cast(resolution_status as varchar) as resolution_status,
        cast(null as varchar) as media_channel,
        requested_at as complaint_at,
        resolution_at as resolved_at,
        -- no call behind a written complaint: no handling time is recorded
        0 as handling_seconds,
        {{ unparsed_timestamp('request_date') }}
        + {{ unparsed_timestamp('resolution_date') }} as unparsed_timestamps,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number,
        cast(_ingested_at as timestamp) as _ingested_at

    from parsed

)

select * from renamed
