{#- Completed orders' lines per month and product category. -#}
with

lines as (

    select
        order_id,
        product_version_key,
        cast({{ dbt.date_trunc('month', 'order_date') }} as date) as sales_month,
        quantity,
        gross_amount,
        discount_amount,
        net_amount,
        cost_amount,
        margin_amount

    from {{ ref('fct_order_items') }}
    where order_status = 'completed'

),

products as (

    select
        product_version_key,
        category

    from {{ ref('dim_product') }}

),

monthly as (

    select
        lines.sales_month,
        products.category,
        count(distinct lines.order_id) as orders,
        sum(lines.quantity) as units,
        sum(lines.gross_amount) as gross_revenue,
        sum(lines.discount_amount) as discounts,
        sum(lines.net_amount) as net_revenue,
        sum(lines.cost_amount) as cost_of_sales,
        sum(lines.margin_amount) as margin

    from lines
    inner join products
        on lines.product_version_key = products.product_version_key
    group by lines.sales_month, products.category

),

final as (

    select
        {{ surrogate_key(['sales_month', 'category']) }} as sales_month_key,
        sales_month,
        category,
        orders,
        units,
        gross_revenue,
        discounts,
        net_revenue,
        cost_of_sales,
        margin,
        cast(100.0 * margin / nullif(net_revenue, 0) as decimal(6, 2)) as margin_pct

    from monthly

)

select * from final
