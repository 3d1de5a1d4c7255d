-- The complaint counts on customer_360_profile agree with the unified
-- complaints fact, customer by customer (0 for a customer with no complaints).
with

profile as (

    select
        customer_id,
        complaint_count

    from {{ ref('customer_360_profile') }}

),

complaints as (

    select
        customer_id,
        count(*) as complaints

    from {{ ref('fct_unified_complaints') }}
    group by customer_id

)

select
    profile.customer_id,
    profile.complaint_count,
    complaints.complaints

from profile
left join complaints
    on profile.customer_id = complaints.customer_id
where profile.complaint_count <> coalesce(complaints.complaints, 0)
