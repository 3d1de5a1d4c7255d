with

categories as (

    select * from {{ ref('dim_complaint_category') }}

),

complaints as (

    select * from {{ ref('fct_unified_complaints') }}

),

per_category as (

    select
        complaint_category,
        count(*) as complaints,
        sum(case when resolution_status = 'Backlog' then 1 else 0 end) as backlog_count,
        sum(case when resolution_status = 'In-Progress' then 1 else 0 end) as in_progress_count,
        sum(case when resolution_status = 'Resolved' then 1 else 0 end) as resolved_count
    from complaints
    group by complaint_category

),

final as (

    select
        categories.complaint_category,
        coalesce(per_category.complaints, 0) as complaints,
        coalesce(per_category.backlog_count, 0) as backlog_count,
        coalesce(per_category.in_progress_count, 0) as in_progress_count,
        coalesce(per_category.resolved_count, 0) as resolved_count,
        cast(per_category.backlog_count as double precision)
        / nullif(per_category.complaints, 0) as backlog_rate,
        cast(per_category.backlog_count + per_category.in_progress_count as double precision)
        / nullif(per_category.complaints, 0) as unresolved_rate

    from categories
    left join per_category
        on categories.complaint_category = per_category.complaint_category

)

select * from final
