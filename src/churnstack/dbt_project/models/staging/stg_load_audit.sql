with

source as (

    select * from {{ source('raw', '_load_audit') }}

),

renamed as (

    select
        cast(table_name as varchar) as table_name,
        cast(run_id as varchar) as run_id,
        cast(source_file as varchar) as source_file,
        cast(source_rows as bigint) as source_rows,
        cast(lake_rows as bigint) as lake_rows,
        cast(quarantined_rows as bigint) as quarantined_rows,
        cast(max_quarantine_share as double) as max_quarantine_share

    from source

)

select * from renamed
