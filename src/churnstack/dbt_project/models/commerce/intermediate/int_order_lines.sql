{#-
    Order lines with their order's date and the product version in force on
    that date (SCD2 by date), and the line amounts: gross = quantity x unit
    price, discount = gross x discount rate, net = gross - discount, cost =
    quantity x the version's unit cost.
-#}
with

items as (

    select * from {{ ref('stg_order_items') }}

),

orders as (

    select
        order_id,
        ordered_at,
        order_date,
        status

    from {{ ref('stg_orders') }}

),

products as (

    select
        product_version_key,
        product_id,
        category,
        unit_cost,
        valid_from,
        valid_to

    from {{ ref('dim_product') }}

),

final as (

    select
        items.order_item_id,
        items.order_id,
        items.product_id,
        products.product_version_key,
        products.category,
        orders.ordered_at,
        orders.order_date,
        orders.status as order_status,
        items.quantity,
        items.unit_price,
        items.discount_rate,
        cast(items.quantity * items.unit_price as decimal(14, 2)) as gross_amount,
        cast(items.quantity * items.unit_price * items.discount_rate as decimal(14, 2))
            as discount_amount,
        cast(items.quantity * items.unit_price as decimal(14, 2))
        - cast(items.quantity * items.unit_price * items.discount_rate as decimal(14, 2))
            as net_amount,
        cast(items.quantity * products.unit_cost as decimal(14, 2)) as cost_amount,
        items._run_id,
        items._load_time

    from items
    left join orders
        on items.order_id = orders.order_id
    left join products
        on
            items.product_id = products.product_id
            and orders.ordered_at >= products.valid_from
            and orders.ordered_at < products.valid_to

)

select * from final
