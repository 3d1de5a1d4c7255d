with

source as (

    select * from {{ source('raw', '_run_context') }}

),

renamed as (

    select
        cast(run_id as varchar) as run_id,
        cast(run_date as date) as run_date,
        cast(run_time as timestamp) as run_time

    from source

)

select * from renamed
