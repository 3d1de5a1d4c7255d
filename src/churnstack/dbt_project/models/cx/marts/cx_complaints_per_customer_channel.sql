with

complaints as (

    select * from {{ ref('fct_unified_complaints') }}

),

final as (

    select
        {{ surrogate_key(['customer_id', 'channel']) }} as customer_channel_id,
        customer_id,
        channel,
        count(*) as complaints,
        sum(case when is_backlog then 1 else 0 end) as backlog_count,
        min(complaint_at) as first_complaint_at,
        max(complaint_at) as last_complaint_at
    from complaints
    group by customer_id, channel

)

select * from final
