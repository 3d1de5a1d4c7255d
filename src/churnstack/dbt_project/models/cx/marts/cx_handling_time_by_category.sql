with

categories as (

    select * from {{ ref('dim_complaint_category') }}

),

calls as (

    select * from {{ ref('fct_call_logs') }}

),

per_category as (

    select
        complaint_category,
        count(*) as calls,
        sum(handling_minutes) as total_handling_minutes,
        avg(handling_minutes) as avg_handling_minutes,
        max(handling_minutes) as max_handling_minutes
    from calls
    group by complaint_category

),

final as (

    select
        categories.complaint_category,
        coalesce(per_category.calls, 0) as calls,
        coalesce(per_category.total_handling_minutes, 0) as total_handling_minutes,
        per_category.avg_handling_minutes,
        per_category.max_handling_minutes

    from categories
    left join per_category
        on categories.complaint_category = per_category.complaint_category

)

select * from final
