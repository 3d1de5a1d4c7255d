{#- Revenue counts completed orders only; cancelled and returned orders are counted apart. -#}
with

orders as (

    select * from {{ ref('fct_orders') }}

),

final as (

    select
        {{ surrogate_key(['order_date', 'channel']) }} as sales_day_key,
        order_date_key,
        order_date,
        channel,
        count(*) as orders,
        sum(case when is_completed then 1 else 0 end) as completed_orders,
        sum(case when status = 'cancelled' then 1 else 0 end) as cancelled_orders,
        sum(case when status = 'returned' then 1 else 0 end) as returned_orders,
        count(distinct customer_id) as customers,
        sum(case when is_completed then units else 0 end) as units,
        sum(case when is_completed then gross_amount else 0 end) as gross_revenue,
        sum(case when is_completed then discount_amount else 0 end) as discounts,
        sum(case when is_completed then net_amount else 0 end) as net_revenue,
        sum(case when is_completed then margin_amount else 0 end) as margin

    from orders
    group by order_date_key, order_date, channel

)

select * from final
