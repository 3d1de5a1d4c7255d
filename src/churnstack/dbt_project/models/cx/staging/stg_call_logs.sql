with

source as (

    select * from {{ source('raw_cx', 'call_logs') }}

),

parsed as (

    select
        *,
        {{ safe_timestamp('call_start_time') }} as started_at,
        {{ safe_timestamp('call_end_time') }} as ended_at
    from source

),

renamed as (

    select
        cast(call_id as varchar) as source_complaint_id,
        'Call' as channel,
        cast(customer_id as varchar) as customer_id,
        coalesce(cast(agent_id as integer), {{ unassigned_agent_id() }}) as agent_id,
        cast(complaint_category as varchar) as complaint_category,
        cast(resolution_status as varchar) as resolution_status,
        cast(null as varchar) as media_channel,
        started_at as complaint_at,
        case when resolution_status = 'Resolved' then ended_at end as resolved_at,
        coalesce(
            case
                when ended_at >= started_at
                    then {{ dbt.datediff('started_at', 'ended_at', 'second') }}
            end,
            0
        ) as handling_seconds,
        {{ unparsed_timestamp('call_start_time') }}
        + {{ unparsed_timestamp('call_end_time') }} as unparsed_timestamps,

        -- lineage
        cast(_run_id as varchar) as _run_id,
        cast(_load_time as timestamp) as _load_time,
        cast(_source_file as varchar) as _source_file,
        cast(_row_number as bigint) as _row_number,
        cast(_ingested_at as timestamp) as _ingested_at

    from parsed

)

select * from renamed
