with

lines as (

    select * from {{ ref('int_order_lines') }}

),

final as (

    select
        order_item_id,
        order_id,
        product_id,
        product_version_key,
        {{ date_key('order_date') }} as order_date_key,
        order_date,
        order_status,
        quantity,
        unit_price,
        discount_rate,
        gross_amount,
        discount_amount,
        net_amount,
        cost_amount,
        net_amount - cost_amount as margin_amount,
        _run_id

    from lines

)

select * from final
