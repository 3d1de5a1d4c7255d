with

complaints as (

    select * from {{ ref('int_complaints') }}

),

final as (

    select
        complaint_id,
        source_complaint_id,
        channel,
        customer_id,
        agent_id,
        complaint_category,
        resolution_status,
        is_backlog,
        is_resolved,
        media_channel,
        complaint_at,
        complaint_date,
        resolved_at,
        handling_seconds,
        handling_minutes,
        unparsed_timestamps,
        source_file,
        ingested_at
    from complaints
    where channel = 'Web'

)

select * from final
