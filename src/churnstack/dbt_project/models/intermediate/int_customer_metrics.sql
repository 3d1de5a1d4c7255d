-- A review rated at or below this is "low-rated": a sign of dissatisfaction.
{%- set low_rating_max = 2 %}

with

reviews as (

    select * from {{ ref('stg_customer_reviews') }}

),

review_summary as (

    select
        customer_id,
        count(*) as review_count,
        cast(avg(rating) as decimal(3, 2)) as avg_rating,
        min(created_at) as first_review_at,
        max(created_at) as last_review_at,
        cast(
            sum(case when rating <= {{ low_rating_max }} then 1 else 0 end)
            as bigint
        ) as low_rating_review_count

    from reviews
    group by customer_id

),

low_rated_reviews as (

    select
        customer_id,
        review_id,
        created_at,
        tags_json,
        row_number() over (
            partition by customer_id
            order by created_at desc, review_id desc
        ) as recency_rank

    from reviews
    where rating <= {{ low_rating_max }}

),

latest_low_rated_review as (

    select
        customer_id,
        review_id as latest_low_rating_review_id,
        created_at as latest_low_rating_at,
        {{ json_array_to_text('tags_json') }} as latest_low_rating_tags

    from low_rated_reviews
    where recency_rank = 1

),

final as (

    select
        review_summary.customer_id,
        review_summary.review_count,
        review_summary.avg_rating,
        review_summary.first_review_at,
        review_summary.last_review_at,
        review_summary.low_rating_review_count,
        latest_low_rated_review.latest_low_rating_review_id,
        latest_low_rated_review.latest_low_rating_at,
        latest_low_rated_review.latest_low_rating_tags

    from review_summary
    left join latest_low_rated_review
        on review_summary.customer_id = latest_low_rated_review.customer_id

)

select * from final
