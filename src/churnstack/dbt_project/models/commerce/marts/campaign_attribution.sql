{#-
    Attribution rule (last touch as recorded): an order belongs to the
    campaign its order system recorded in campaign_id, when it was placed
    between the campaign's start and end dates (inclusive); revenue counts
    completed orders. Orders outside the campaign's dates are not attributed.
-#}
with

campaigns as (

    select * from {{ ref('dim_campaign') }}

),

orders as (

    select * from {{ ref('fct_orders') }}
    where campaign_id is not null

),

attributed as (

    select
        orders.campaign_id,
        count(*) as attributed_orders,
        sum(case when orders.is_completed then 1 else 0 end) as completed_orders,
        count(distinct orders.customer_id) as attributed_customers,
        sum(case when orders.is_completed then orders.net_amount else 0 end) as revenue,
        sum(case when orders.is_completed then orders.margin_amount else 0 end) as margin,
        sum(orders.discount_amount) as discounts

    from orders
    inner join campaigns
        on
            orders.campaign_id = campaigns.campaign_id
            and orders.order_date between campaigns.start_date and campaigns.end_date
    group by orders.campaign_id

),

final as (

    select
        campaigns.campaign_id,
        campaigns.campaign_name,
        campaigns.channel,
        campaigns.target_segment,
        campaigns.start_date,
        campaigns.end_date,
        campaigns.budget,
        coalesce(attributed.attributed_orders, 0) as attributed_orders,
        coalesce(attributed.completed_orders, 0) as completed_orders,
        coalesce(attributed.attributed_customers, 0) as attributed_customers,
        coalesce(attributed.revenue, 0) as attributed_revenue,
        coalesce(attributed.margin, 0) as attributed_margin,
        coalesce(attributed.discounts, 0) as discounts_given,
        cast(attributed.revenue / nullif(campaigns.budget, 0) as decimal(10, 4))
            as return_on_ad_spend,
        cast(campaigns.budget / nullif(attributed.completed_orders, 0) as decimal(12, 2))
            as cost_per_order

    from campaigns
    left join attributed
        on campaigns.campaign_id = attributed.campaign_id

)

select * from final
