with

events as (

    select * from {{ ref('stg_clickstream') }}

),

customer_versions as (

    select
        customer_version_key,
        customer_id,
        valid_from,
        valid_to

    from {{ ref('dim_customer_history') }}

),

product_versions as (

    select
        product_version_key,
        product_id,
        valid_from,
        valid_to

    from {{ ref('dim_product') }}

),

final as (

    select
        events.event_id,
        events.session_id,
        events.customer_id,
        customer_versions.customer_version_key,
        events.customer_id is null as is_anonymous,
        events.event_type,
        events.product_id,
        product_versions.product_version_key,
        {{ date_key('events.event_date') }} as event_date_key,
        events.event_at,
        events.event_date,
        events.device,
        events.referrer,
        events._run_id

    from events
    left join customer_versions
        on
            events.customer_id = customer_versions.customer_id
            and events.event_at >= customer_versions.valid_from
            and events.event_at < customer_versions.valid_to
    left join product_versions
        on
            events.product_id = product_versions.product_id
            and events.event_at >= product_versions.valid_from
            and events.event_at < product_versions.valid_to

)

select * from final
