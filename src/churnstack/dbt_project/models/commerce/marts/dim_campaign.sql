with

campaigns as (

    select
        *,
        end_date - start_date + 1 as duration_days

    from {{ ref('stg_campaigns') }}

),

run_context as (

    select run_date from {{ ref('stg_run_context') }}

),

final as (

    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.channel,
        campaigns.start_date,
        campaigns.end_date,
        campaigns.duration_days,
        campaigns.budget,
        campaigns.target_segment,
        run_context.run_date between campaigns.start_date and campaigns.end_date
            as is_running

    from campaigns
    cross join run_context

)

select * from final
