{#-
    A hop: a customer's next complaint comes on another channel within
    channel_hop_window_days() days of the previous one (typically the same
    issue raised again, e.g. a web form followed by a call).
-#}

with

complaints as (

    select * from {{ ref('fct_unified_complaints') }}
    where complaint_at is not null

),

sequenced as (

    select
        customer_id,
        channel,
        complaint_at,
        lead(channel) over (
            partition by customer_id order by complaint_at, complaint_id
        ) as next_channel,
        lead(complaint_at) over (
            partition by customer_id order by complaint_at, complaint_id
        ) as next_complaint_at
    from complaints

),

flagged as (

    select
        customer_id,
        channel,
        complaint_at,
        case
            when
                next_channel <> channel
                and next_complaint_at <= {{ dbt.dateadd(
                    'day', channel_hop_window_days(), 'complaint_at'
                ) }}
                then 1
            else 0
        end as is_hop
    from sequenced

),

final as (

    select
        customer_id,
        count(*) as complaints,
        count(distinct channel) as channels_used,
        count(distinct channel) > 1 as is_multi_channel,
        sum(is_hop) as hops,
        sum(is_hop) > 0 as has_hopped,
        {{ channel_hop_window_days() }} as hop_window_days,
        min(complaint_at) as first_complaint_at,
        max(complaint_at) as last_complaint_at
    from flagged
    group by customer_id

)

select * from final
