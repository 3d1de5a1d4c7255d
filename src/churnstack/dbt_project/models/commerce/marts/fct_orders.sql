with

orders as (

    select * from {{ ref('stg_orders') }}

),

lines as (

    select
        order_id,
        count(*) as line_count,
        sum(quantity) as units,
        sum(gross_amount) as gross_amount,
        sum(discount_amount) as discount_amount,
        sum(net_amount) as net_amount,
        sum(cost_amount) as cost_amount

    from {{ ref('int_order_lines') }}
    group by order_id

),

customer_versions as (

    select
        customer_version_key,
        customer_id,
        customer_segment,
        valid_from,
        valid_to

    from {{ ref('dim_customer_history') }}

),

final as (

    select
        orders.order_id,
        orders.customer_id,
        customer_versions.customer_version_key,
        customer_versions.customer_segment,
        {{ date_key('orders.order_date') }} as order_date_key,
        orders.ordered_at,
        orders.order_date,
        orders.channel,
        orders.campaign_id,
        orders.status,
        orders.status = 'completed' as is_completed,
        orders.shipping_state,
        coalesce(lines.line_count, 0) as line_count,
        coalesce(lines.units, 0) as units,
        coalesce(lines.gross_amount, 0) as gross_amount,
        coalesce(lines.discount_amount, 0) as discount_amount,
        coalesce(lines.net_amount, 0) as net_amount,
        coalesce(lines.cost_amount, 0) as cost_amount,
        coalesce(lines.net_amount, 0) - coalesce(lines.cost_amount, 0) as margin_amount,
        orders._run_id

    from orders
    left join lines
        on orders.order_id = lines.order_id
    left join customer_versions
        on
            orders.customer_id = customer_versions.customer_id
            and orders.ordered_at >= customer_versions.valid_from
            and orders.ordered_at < customer_versions.valid_to

)

select * from final
