{#- SCD2 product dimension from snap_products (see dim_customer_history for the conventions). -#}
with

snapshot as (

    select * from {{ ref('snap_products') }}

),

versions as (

    select
        product_id,
        product_name,
        category,
        subcategory,
        unit_price,
        unit_cost,
        launched_date,
        valid_from as recorded_from,
        valid_to as recorded_to,
        _run_id,
        row_number() over (partition by product_id order by valid_from) as version_number

    from snapshot

),

final as (

    select
        {{ surrogate_key(['product_id', 'recorded_from']) }} as product_version_key,
        product_id,
        product_name,
        category,
        subcategory,
        unit_price,
        unit_cost,
        cast(
            100.0 * (unit_price - unit_cost) / nullif(unit_price, 0) as decimal(6, 2)
        ) as margin_pct,
        category in ('Devices', 'Accessories', 'Home Internet') as is_physical,
        launched_date,
        version_number,
        case
            when version_number = 1 then {{ scd2_beginning() }}
            else recorded_from
        end as valid_from,
        recorded_to as valid_to,
        recorded_to = {{ scd2_end_of_time() }} as is_current,
        recorded_from as recorded_at,
        _run_id

    from versions

)

select * from final
