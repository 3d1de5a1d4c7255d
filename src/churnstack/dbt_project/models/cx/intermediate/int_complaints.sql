with

calls as (

    select * from {{ ref('stg_call_logs') }}

),

web_complaints as (

    select * from {{ ref('stg_web_complaints') }}

),

social_media as (

    select * from {{ ref('stg_social_media') }}

),

agents as (

    select agent_id from {{ ref('stg_agents') }}

),

unioned as (

    select
        source_complaint_id,
        channel,
        customer_id,
        agent_id,
        complaint_category,
        resolution_status,
        media_channel,
        complaint_at,
        resolved_at,
        handling_seconds,
        unparsed_timestamps,
        _source_file,
        _ingested_at
    from calls

    union all

    select
        source_complaint_id,
        channel,
        customer_id,
        agent_id,
        complaint_category,
        resolution_status,
        media_channel,
        complaint_at,
        resolved_at,
        handling_seconds,
        unparsed_timestamps,
        _source_file,
        _ingested_at
    from web_complaints

    union all

    select
        source_complaint_id,
        channel,
        customer_id,
        agent_id,
        complaint_category,
        resolution_status,
        media_channel,
        complaint_at,
        resolved_at,
        handling_seconds,
        unparsed_timestamps,
        _source_file,
        _ingested_at
    from social_media

),

final as (

    select
        {{ surrogate_key(['unioned.source_complaint_id', 'unioned.channel']) }} as complaint_id,
        unioned.source_complaint_id,
        unioned.channel,
        unioned.customer_id,
        -- an agent the agents sheet does not list counts as Unassigned too
        coalesce(agents.agent_id, {{ unassigned_agent_id() }}) as agent_id,
        unioned.complaint_category,
        unioned.resolution_status,
        unioned.resolution_status = 'Backlog' as is_backlog,
        unioned.resolution_status = 'Resolved' as is_resolved,
        unioned.media_channel,
        unioned.complaint_at,
        cast(unioned.complaint_at as date) as complaint_date,
        unioned.resolved_at,
        unioned.handling_seconds,
        cast(unioned.handling_seconds as double precision) / 60 as handling_minutes,
        unioned.unparsed_timestamps,
        unioned._source_file as source_file,
        unioned._ingested_at as ingested_at

    from unioned
    left join agents
        on unioned.agent_id = agents.agent_id

)

select * from final
