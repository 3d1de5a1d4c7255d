-- fct_unified_complaints holds exactly the rows of the three channel facts: per
-- channel, the same number of rows and the same complaint keys. Returns the
-- channels that disagree.

with

channel_facts as (

    select
        complaint_id,
        channel
    from {{ ref('fct_call_logs') }}
    union all
    select
        complaint_id,
        channel
    from {{ ref('fct_web_complaints') }}
    union all
    select
        complaint_id,
        channel
    from {{ ref('fct_social_media') }}

),

unified as (

    select
        complaint_id,
        channel
    from {{ ref('fct_unified_complaints') }}

),

fact_counts as (

    select
        channel,
        count(*) as fact_rows
    from channel_facts
    group by channel

),

unified_counts as (

    select
        channel,
        count(*) as unified_rows
    from unified
    group by channel

),

missing as (

    select
        channel_facts.channel,
        count(*) as missing_rows
    from channel_facts
    left join unified
        on channel_facts.complaint_id = unified.complaint_id
    where unified.complaint_id is null
    group by channel_facts.channel

),

compared as (

    select
        coalesce(fact_counts.channel, unified_counts.channel) as channel,
        coalesce(fact_counts.fact_rows, 0) as fact_rows,
        coalesce(unified_counts.unified_rows, 0) as unified_rows,
        coalesce(missing.missing_rows, 0) as missing_rows
    from fact_counts
    full outer join unified_counts
        on fact_counts.channel = unified_counts.channel
    left join missing
        on coalesce(fact_counts.channel, unified_counts.channel) = missing.channel

)

select * from compared
where fact_rows <> unified_rows or missing_rows > 0
