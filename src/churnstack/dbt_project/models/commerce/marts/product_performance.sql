{#-
    Per current product: sales (completed orders), web funnel and stock.
    Inventory turnover = cost of the units sold over the inventory period /
    average stock value over that period (physical products only); days of
    supply = average units on hand / average units sold per day.
-#}
with

products as (

    select * from {{ ref('dim_product') }}
    where is_current

),

sales as (

    select
        product_id,
        count(distinct order_id) as orders,
        sum(quantity) as units_sold,
        sum(net_amount) as net_revenue,
        sum(cost_amount) as cost_of_sales,
        sum(margin_amount) as margin

    from {{ ref('fct_order_items') }}
    where order_status = 'completed'
    group by product_id

),

funnel as (

    select
        product_id,
        sum(case when event_type = 'view' then 1 else 0 end) as view_events,
        sum(case when event_type = 'add_to_cart' then 1 else 0 end) as add_to_carts

    from {{ ref('fct_clickstream') }}
    where product_id is not null
    group by product_id

),

inventory_period as (

    select
        min(snapshot_date) as first_date,
        max(snapshot_date) as last_date

    from {{ ref('fct_inventory') }}

),

stock as (

    select
        product_id,
        count(distinct snapshot_date) as stock_days,
        sum(on_hand) as on_hand_total,
        sum(stock_value) as stock_value_total,
        sum(case when is_stockout then 1 else 0 end) as stockout_rows,
        count(*) as stock_rows

    from {{ ref('fct_inventory') }}
    group by product_id

),

sold_in_period as (

    select
        order_lines.product_id,
        sum(order_lines.quantity) as units,
        sum(order_lines.cost_amount) as cost_of_sales

    from {{ ref('fct_order_items') }} as order_lines
    cross join inventory_period
    where
        order_lines.order_status <> 'cancelled'
        and order_lines.order_date
        between inventory_period.first_date and inventory_period.last_date
    group by order_lines.product_id

),

final as (

    select
        products.product_id,
        products.product_version_key,
        products.product_name,
        products.category,
        products.subcategory,
        products.unit_price,
        products.unit_cost,
        products.is_physical,
        coalesce(sales.orders, 0) as orders,
        coalesce(sales.units_sold, 0) as units_sold,
        coalesce(sales.net_revenue, 0) as net_revenue,
        coalesce(sales.margin, 0) as margin,
        coalesce(funnel.view_events, 0) as view_events,
        coalesce(funnel.add_to_carts, 0) as add_to_carts,
        cast(
            1.0 * coalesce(sales.orders, 0) / nullif(funnel.view_events, 0) as decimal(8, 4)
        ) as view_to_order_rate,
        cast(1.0 * stock.on_hand_total / nullif(stock.stock_days, 0) as decimal(12, 2))
            as avg_on_hand,
        cast(
            1.0 * stock.stockout_rows / nullif(stock.stock_rows, 0) as decimal(6, 4)
        ) as stockout_rate,
        cast(
            sold_in_period.cost_of_sales
            / nullif(stock.stock_value_total / nullif(stock.stock_days, 0), 0)
            as decimal(10, 2)
        ) as inventory_turnover,
        cast(
            (1.0 * stock.on_hand_total / nullif(stock.stock_days, 0))
            / nullif(1.0 * sold_in_period.units / nullif(stock.stock_days, 0), 0)
            as decimal(10, 1)
        ) as days_of_supply

    from products
    left join sales
        on products.product_id = sales.product_id
    left join funnel
        on products.product_id = funnel.product_id
    left join stock
        on products.product_id = stock.product_id
    left join sold_in_period
        on products.product_id = sold_in_period.product_id

)

select * from final
