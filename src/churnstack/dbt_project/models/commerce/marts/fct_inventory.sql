{%- set key_columns = ['snapshot_date', 'product_id', 'warehouse_name'] -%}

with

inventory as (

    select
        *,
        {{ surrogate_key(key_columns) }} as inventory_snapshot_key

    from {{ ref('stg_inventory') }}

),

product_versions as (

    select
        product_version_key,
        product_id,
        unit_cost,
        valid_from,
        valid_to

    from {{ ref('dim_product') }}

),

final as (

    select
        inventory.inventory_snapshot_key,
        {{ date_key('inventory.snapshot_date') }} as snapshot_date_key,
        inventory.snapshot_date,
        inventory.product_id,
        product_versions.product_version_key,
        inventory.warehouse_name,
        inventory.on_hand,
        inventory.on_order,
        cast(inventory.on_hand * product_versions.unit_cost as decimal(16, 2)) as stock_value,
        inventory.on_hand = 0 as is_stockout,
        inventory._run_id

    from inventory
    left join product_versions
        on
            inventory.product_id = product_versions.product_id
            and cast(inventory.snapshot_date as timestamp) >= product_versions.valid_from
            and cast(inventory.snapshot_date as timestamp) < product_versions.valid_to

)

select * from final
