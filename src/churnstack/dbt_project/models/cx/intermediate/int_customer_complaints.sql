with

complaints as (

    select * from {{ ref('int_complaints') }}

),

final as (

    select
        customer_id,
        count(*) as complaint_count,
        sum(case when channel = 'Call' then 1 else 0 end) as call_complaint_count,
        sum(case when channel = 'Web' then 1 else 0 end) as web_complaint_count,
        sum(case when channel = 'Social' then 1 else 0 end) as social_complaint_count,
        count(distinct channel) as channels_used,
        sum(case when is_backlog then 1 else 0 end) as backlog_count,
        sum(case when not is_resolved then 1 else 0 end) as open_complaint_count,
        min(complaint_date) as first_complaint_date,
        max(complaint_date) as last_complaint_date
    from complaints
    group by customer_id

)

select * from final
