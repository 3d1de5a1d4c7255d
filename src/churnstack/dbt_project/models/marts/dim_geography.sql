with

locations as (

    select * from {{ ref('stg_customer_location') }}

),

zip_population as (

    select * from {{ ref('stg_zip_population') }}

),

-- how many customers in the ZIP code use each city/state spelling
located_customers as (

    select
        zip_code,
        city,
        state,
        lat,
        lng,
        customer_id,
        count(*) over (partition by zip_code, city, state) as spelling_count

    from locations
    where zip_code is not null

),

-- one representative row per ZIP code: its most common city/state (ties to
-- the alphabetically first), coordinates of that spelling's first customer
ranked_customers as (

    select
        zip_code,
        city,
        state,
        lat,
        lng,
        row_number() over (
            partition by zip_code
            order by spelling_count desc, city asc, state asc, customer_id asc
        ) as zip_rank

    from located_customers

),

known_locations as (

    select
        {{ surrogate_key(['ranked_customers.zip_code']) }} as location_id,
        ranked_customers.zip_code,
        ranked_customers.city,
        ranked_customers.state,
        ranked_customers.lat,
        ranked_customers.lng,
        zip_population.population,
        zip_population.density

    from ranked_customers
    left join zip_population
        on ranked_customers.zip_code = zip_population.zip_code
    where ranked_customers.zip_rank = 1

),

-- the member customers without a known location point to
unknown_location as (

    select
        {{ unknown_key() }} as location_id,
        cast(null as varchar) as zip_code,
        'Unknown' as city,
        cast(null as varchar) as state,
        cast(null as double precision) as lat,
        cast(null as double precision) as lng,
        cast(null as bigint) as population,
        cast(null as double precision) as density

),

final as (

    select * from known_locations
    union all
    select * from unknown_location

)

select * from final
