with

categories as (

    select * from {{ ref('stg_complaint_categories') }}

),

complaints as (

    select * from {{ ref('int_complaints') }}

),

unlisted as (

    -- categories complained about that the categories sheet does not list (yet)
    select distinct complaints.complaint_category
    from complaints
    left join categories
        on complaints.complaint_category = categories.complaint_category
    where categories.complaint_category is null

),

final as (

    select
        complaint_category,
        category_description,
        severity,
        true as is_listed
    from categories

    union all

    select
        complaint_category,
        cast(null as varchar) as category_description,
        cast(null as varchar) as severity,
        false as is_listed
    from unlisted

)

select * from final
